using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Replicate.Fakes;

/// <summary>One prediction or training held by the fake.</summary>
public sealed class FakePrediction
{
    public required string Id { get; init; }
    public required string Version { get; init; }
    public required string Model { get; init; }
    public required JsonObject Input { get; init; }
    public bool IsTraining { get; init; }
    public bool IsTrainer { get; init; }
    public string? Destination { get; init; }
    public string Status = "starting";
    public readonly StringBuilder Logs = new();
    public JsonNode? Output;
    public string? Error;
    public required DateTimeOffset CreatedAt;
    public DateTimeOffset? StartedAt, CompletedAt, Deadline;
    public int Step;
    public bool CancelRequested;
    public int CancelWait;
    public bool Terminal => Status is not ("starting" or "processing");
}

/// <summary>
/// A faithful fake of the Replicate API v1 on Kestrel (127.0.0.1, port 0) with the behaviours of spec §5: state
/// machine with tqdm logs, Prefer: wait holds, failures as 200, cancel, Cancel-After, 429/5xx/reset/hang
/// injection, 422 bodies, 401/402/404, expiry, Files API, trainings, pagination, and create counting.
/// State advances one step per GET (deterministic), so tests need no sleeps. Every wait of the fake (a hang, a
/// <c>Prefer: wait</c> hold, a <c>Cancel-After</c> deadline) and every timestamp runs on <see cref="Clock"/>: the system
/// clock for CLI tests, a <see cref="TestClock"/> after <see cref="Reset"/>, shared with the clients of <c>NewClient</c>.
/// </summary>
public sealed class FakeReplicateServer : IAsyncDisposable
{
    public const string Token = "r8_FAKEtestTOKEN0123456789abcdefSECRETxyz";
    public const string Owner = "georgedavila";
    public const string Name = "sdxl-beethoven-spectrograms-lora";
    public const string VersionId = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string TrainerOwner = "zylim0702";
    public const string TrainerName = "sdxl-lora-customize-training";
    public const string TrainerVersion = "2ea90da29b19984472a0bbad4ecb39abe4b91fa0d6a5e8dc59988022149dee55";
    public static readonly byte[] PngBytes = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    public static readonly byte[] TarBytes = MakeTar();   // a real (PAX) tar holding fake weights: downloads check the tar header

    private static byte[] MakeTar()
    {
        using var ms = new MemoryStream();
        using (var w = new System.Formats.Tar.TarWriter(ms, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true))
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "lora.safetensors")
            {
                DataStream = new MemoryStream(Encoding.ASCII.GetBytes("fake trained_model.tar: lora weights")),
            });
        return ms.ToArray();
    }

    private WebApplication _app = null!;
    private int _ids;

    // ---- clock
    public TimeProvider Clock { get; private set; } = TimeProvider.System;
    public TestClock? TestClock => Clock as TestClock;
    public TimeSpan HoldStep = TimeSpan.FromMilliseconds(1);     // a Prefer: wait hold advances the prediction once per step (100 ms on a TestClock)

    // ---- knobs
    public int StartingPolls = 1;
    public int ProcessingPolls = 3;
    public double WaitScale = 0.01;                 // Prefer: wait=N holds N*WaitScale s; Cancel-After likewise
    public string Outcome = "succeeded";            // or "failed", or any unknown status
    public Func<JsonObject, bool>? FailIf;          // predictions whose input matches fail (the others follow Outcome)
    public byte[] OutputPng = PngBytes;             // what delivery URLs and data URIs serve
    public bool OutputDuringProcessing;
    public bool DataUriOutputs;
    public string? OutputHost;                      // e.g. "localhost": delivery URLs on another host name
    public readonly ConcurrentQueue<string> CreateFaults = new();   // "429", "429h" (Retry-After header), "500", "502after", "reset", "hang"
    public readonly ConcurrentQueue<string> GetFaults = new();      // "500", "502html", "503", "504", "429", "reset", "hang"
    public double RetryAfterSeconds = 0.05;
    public int HangMilliseconds = 3000;
    public int CancelDelayPolls;
    public bool BillingRequired;
    public bool Expired;
    public int ExpiredStatus = 404;
    public int PageSize = 100;
    public bool LeakTokenInLogs;                    // a careless model prints the token it was given
    public long MaxFileBytes = 100L * 1024 * 1024;
    // ---- a hostile server (issue 17)
    public Func<JsonObject, JsonObject>? Tamper;    // rewrites every prediction/training JSON it serves (id, status, logs, output…)
    public string? FilesGetUrl;                     // urls.get of the Files API answer
    public string? RetryAfterHeader;                // "429r": a 429 with this Retry-After header
    public bool EndlessNextCursor;                  // GET /predictions: a new `next` cursor on every page, forever
    public int ListRequests;

    // ---- counters
    public int CreateRequests;                        // POSTs to a create endpoint (predictions/trainings)
    public int PredictionsCreated;                    // actually created
    public int GetRequests;
    public readonly ConcurrentQueue<DateTimeOffset> CreateRequestTimes = new();   // on Clock
    public readonly ConcurrentQueue<DateTimeOffset> GetRequestTimes = new();      // GET /predictions/{id}, on Clock
    public readonly ConcurrentQueue<string> CancelRequests = new();
    public readonly ConcurrentQueue<(string Host, string Path, string? Auth)> DeliveryRequests = new();
    public readonly ConcurrentQueue<(string Name, long Bytes)> Uploads = new();
    public readonly ConcurrentDictionary<string, FakePrediction> Predictions = new();
    public readonly ConcurrentDictionary<string, JsonObject> Models = new();

    private FakeReplicateServer() { }


    /// <summary>Back to defaults with no predictions, models, faults or counts (one server per test class), on a new
    /// <see cref="TestClock"/>: waits and timestamps are fake-clock time, so <c>Prefer: wait=N</c> holds N s and
    /// <c>Cancel-After: 1s</c> means 1 s (<see cref="WaitScale"/> = 1).</summary>
    public FakeReplicateServer Reset()
    {
        if (Clock is TestClock old) _ = old.DisposeAsync().AsTask();
        Clock = new TestClock();
        HoldStep = TimeSpan.FromMilliseconds(100);
        StartingPolls = 1; ProcessingPolls = 3; WaitScale = 1; Outcome = "succeeded"; FailIf = null; OutputPng = PngBytes;
        OutputDuringProcessing = false; DataUriOutputs = false; OutputHost = null;
        CreateFaults.Clear(); GetFaults.Clear();
        RetryAfterSeconds = 0.05; HangMilliseconds = 3000; CancelDelayPolls = 0; BillingRequired = false;
        Expired = false; ExpiredStatus = 404; LeakTokenInLogs = false; PageSize = 100; MaxFileBytes = 100L * 1024 * 1024;
        Tamper = null; FilesGetUrl = null; RetryAfterHeader = null; EndlessNextCursor = false; ListRequests = 0;
        CreateRequests = 0; PredictionsCreated = 0; GetRequests = 0;
        CreateRequestTimes.Clear(); GetRequestTimes.Clear(); CancelRequests.Clear(); DeliveryRequests.Clear(); Uploads.Clear();
        Predictions.Clear(); Models.Clear();
        return this;
    }

    public Uri Root { get; private set; } = null!;
    public Uri BaseAddress => new(Root, "v1");
    public int Port => Root.Port;

    public static async Task<FakeReplicateServer> StartAsync()
    {
        var fake = new FakeReplicateServer();
        (fake._app, fake.Root) = await LoopbackHost.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>A server that announces 1,000,000 bytes, sends <see cref="PngBytes"/> and closes the connection cleanly
    /// (Kestrel cannot be made to lie about its Content-Length); started on first use, on 127.0.0.1.</summary>
    public Uri LyingUrl
    {
        get
        {
            lock (_lieGate)
            {
                if (_liar is null)
                {
                    _liar = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
                    _liar.Start();
                    _ = Task.Run(LieAsync);
                }
                return new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)_liar.LocalEndpoint).Port}/lie/out.png");
            }
        }
    }

    private readonly object _lieGate = new();
    private System.Net.Sockets.TcpListener? _liar;

    private async Task LieAsync()
    {
        while (true)
        {
            System.Net.Sockets.Socket socket;
            try { socket = await _liar!.AcceptSocketAsync(); }
            catch (Exception e) when (e is ObjectDisposedException or System.Net.Sockets.SocketException) { return; }
            using (socket)
            {
                try
                {
                    var buffer = new byte[8192];
                    var request = new StringBuilder();
                    while (!request.ToString().Contains("\r\n\r\n"))
                    {
                        var n = await socket.ReceiveAsync(buffer);
                        if (n == 0) break;
                        request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n"));
                    await socket.SendAsync(PngBytes);
                    socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);   // a clean end, 70 bytes into 1,000,000
                    while (await socket.ReceiveAsync(buffer) > 0) { }
                }
                catch (System.Net.Sockets.SocketException) { }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _liar?.Stop();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }


    // ------------------------------------------------------------------ schemas

    public static JsonObject ModelSchema() => Schema(new JsonObject
    {
        ["myprompt"] = new JsonObject { ["type"] = "string", ["default"] = "A SPECTROGRAM image" },
        ["negative_prompt"] = new JsonObject { ["type"] = "string" },
        ["outWidth"] = new JsonObject { ["type"] = "integer", ["minimum"] = 128, ["maximum"] = 4096, ["default"] = 1024 },
        ["outHeight"] = new JsonObject { ["type"] = "integer", ["minimum"] = 128, ["maximum"] = 4096, ["default"] = 1024 },
        ["guidanceScale"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 50, ["default"] = 7.5 },
        ["num_outputs"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 4, ["default"] = 1 },
        ["num_inference_steps"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 500, ["default"] = 50 },
        ["high_noise_frac"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1, ["default"] = 0.8 },
        ["lora_scale"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1, ["default"] = 0.6 },
        ["seed"] = new JsonObject { ["type"] = "integer" },
        ["scheduler"] = new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/scheduler" }), ["default"] = "K_EULER" },
    }, new JsonObject { ["scheduler"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("DDIM", "K_EULER", "DPMSolverMultistep") } });

    public static JsonObject TrainerSchema() => Schema(new JsonObject
    {
        ["input_images"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
        ["input_images_filetype"] = new JsonObject { ["type"] = "string" },
        ["seed"] = new JsonObject { ["type"] = "integer" },
        ["resolution"] = new JsonObject { ["type"] = "integer", ["default"] = 768 },
        ["train_batch_size"] = new JsonObject { ["type"] = "integer", ["default"] = 4 },
        ["max_train_steps"] = new JsonObject { ["type"] = "integer", ["default"] = 1000 },
        ["is_lora"] = new JsonObject { ["type"] = "boolean", ["default"] = true },
        ["token_string"] = new JsonObject { ["type"] = "string", ["default"] = "TOK" },
        ["caption_prefix"] = new JsonObject { ["type"] = "string" },
        ["lora_lr"] = new JsonObject { ["type"] = "number" },
    }, new JsonObject(), required: ["input_images"]);

    private static JsonObject Schema(JsonObject props, JsonObject extraSchemas, string[]? required = null)
    {
        var input = new JsonObject { ["type"] = "object", ["title"] = "Input", ["properties"] = props };
        if (required != null) input["required"] = new JsonArray(required.Select(r => (JsonNode)r!).ToArray());
        var schemas = new JsonObject { ["Input"] = input, ["Output"] = new JsonObject { ["type"] = "array" } };
        foreach (var (k, v) in extraSchemas) schemas[k] = v!.DeepClone();
        return new JsonObject { ["openapi"] = "3.0.2", ["components"] = new JsonObject { ["schemas"] = schemas } };
    }

    private JsonObject VersionJson(string id, JsonObject schema) => new()
    {
        ["id"] = id, ["created_at"] = "2024-01-01T00:00:00.000000Z", ["cog_version"] = "0.9.4", ["openapi_schema"] = schema,
    };

    private JsonObject? ModelJson(string owner, string name)
    {
        if (owner == Owner && name == Name)
            return new JsonObject { ["owner"] = owner, ["name"] = name, ["visibility"] = "public", ["description"] = "beethoven", ["latest_version"] = VersionJson(VersionId, ModelSchema()) };
        if (owner == TrainerOwner && name == TrainerName)
            return new JsonObject { ["owner"] = owner, ["name"] = name, ["visibility"] = "public", ["latest_version"] = VersionJson(TrainerVersion, TrainerSchema()) };
        return Models.TryGetValue($"{owner}/{name}", out var m) ? (JsonObject)m.DeepClone() : null;
    }

    // ------------------------------------------------------------------ state machine

    private void Advance(FakePrediction p)
    {
        lock (p)
        {
            if (p.Terminal) return;
            var now = Clock.GetUtcNow();
            if (p.Deadline is { } d && now > d)
            {
                Finish(p, p.Status == "starting" ? "aborted" : "canceled");
                return;
            }
            if (p.CancelRequested)
            {
                if (p.CancelWait-- <= 0) Finish(p, "canceled");
                return;
            }
            p.Step++;
            if (p.Step <= StartingPolls) return;
            var k = p.Step - StartingPolls;
            if (k <= ProcessingPolls)
            {
                if (p.Status == "starting")
                {
                    p.Status = "processing";
                    p.StartedAt = now;
                    p.Logs.Append(CultureInfo.InvariantCulture, $"Using seed: {p.Input["seed"]?.ToString() ?? "4242"}\n");
                    if (LeakTokenInLogs) p.Logs.Append("env: REPLICATE_API_TOKEN=" + Token + "\n");
                }
                var steps = 50;
                var done = (int)Math.Round(steps * (double)k / (ProcessingPolls + 1));
                var pct = 100 * done / steps;
                p.Logs.Append(CultureInfo.InvariantCulture, $"{pct,3}%|{new string('█', pct / 10),-10}| {done}/{steps} [00:0{k}<00:05,  9.10it/s]\n");
                if (OutputDuringProcessing && k == ProcessingPolls) p.Output = OutputFor(p);
                return;
            }
            var outcome = FailIf?.Invoke(p.Input) == true ? "failed" : Outcome;
            if (outcome == "succeeded")
            {
                p.Logs.Append("100%|██████████| 50/50 [00:05<00:00,  9.10it/s]\n");
                p.Output = OutputFor(p);
                Finish(p, "succeeded");
            }
            else if (outcome == "failed")
            {
                p.Logs.Append("Traceback (most recent call last):\n  File \"predict.py\", line 120, in predict\nRuntimeError: CUDA out of memory\n");
                p.Error = "CUDA out of memory. Tried to allocate 2.00 GiB" + (LeakTokenInLogs ? " (token " + Token + ")" : "");
                Finish(p, "failed");
            }
            else Finish(p, outcome);
        }
    }

    private void Finish(FakePrediction p, string status)
    {
        p.Status = status;
        p.StartedAt ??= Clock.GetUtcNow();
        p.CompletedAt = Clock.GetUtcNow();
    }

    private JsonNode OutputFor(FakePrediction p)
    {
        var host = new UriBuilder(Root) { Host = OutputHost ?? Root.Host }.Uri;
        if (p.IsTraining)
            return new JsonObject { ["version"] = $"{p.Destination}:{new string('a', 64)}", ["weights"] = $"{host}delivery/{p.Id}/trained_model.tar" };
        if (p.IsTrainer)
            return $"{host}delivery/{p.Id}/trained_model.tar";
        var n = p.Input["num_outputs"]?.GetValue<int>() ?? 1;
        var arr = new JsonArray();
        for (var i = 0; i < n; i++)
            arr.Add(DataUriOutputs ? "data:image/png;base64," + Convert.ToBase64String(OutputPng) : $"{host}delivery/{p.Id}/out-{i}.png");
        return arr;
    }

    private JsonObject Json(FakePrediction p)
    {
        lock (p)
        {
            var kind = p.IsTraining ? "trainings" : "predictions";
            var o = new JsonObject
            {
                ["id"] = p.Id, ["model"] = p.Model, ["version"] = p.Version,
                ["input"] = Expired ? null : p.Input.DeepClone(),
                ["output"] = Expired ? null : p.Output?.DeepClone(),
                ["logs"] = Expired ? "" : p.Logs.ToString(),
                ["error"] = p.Error, ["status"] = p.Status, ["source"] = "api", ["data_removed"] = Expired,
                ["deadline"] = p.Deadline?.ToString("O"),
                ["created_at"] = p.CreatedAt.ToString("O"), ["started_at"] = p.StartedAt?.ToString("O"), ["completed_at"] = p.CompletedAt?.ToString("O"),
                ["urls"] = new JsonObject
                {
                    ["get"] = $"{BaseAddress}/{kind}/{p.Id}", ["cancel"] = $"{BaseAddress}/{kind}/{p.Id}/cancel", ["web"] = $"https://replicate.com/p/{p.Id}",
                },
            };
            if (p.Terminal) o["metrics"] = new JsonObject { ["predict_time"] = 4.2, ["total_time"] = 9.8 };
            if (p.Destination != null) o["destination"] = p.Destination;
            return Tamper?.Invoke(o) ?? o;
        }
    }

    // ------------------------------------------------------------------ routes

    private static IResult Problem(int status, string detail, string? title = null, JsonObject? extra = null)
    {
        var o = new JsonObject { ["detail"] = detail, ["status"] = status };
        if (title != null) o["title"] = title;
        if (extra != null) foreach (var (k, v) in extra) o[k] = v?.DeepClone();
        return Results.Content(o.ToJsonString(), "application/problem+json", Encoding.UTF8, status);
    }

    private static IResult Ok(JsonObject o, int status = 200) => Results.Content(o.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static async Task<JsonObject> Body(HttpContext ctx) => JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()) as JsonObject ?? new JsonObject();

    private async Task<IResult?> GetFault(HttpContext ctx)
    {
        if (!GetFaults.TryDequeue(out var f)) return null;
        switch (f)
        {
            case "reset": ctx.Abort(); return Results.Empty;
            case "hang": await HangAsync(ctx); return Problem(504, "hung");
            case "502html": return Results.Content("<html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>", "text/html", Encoding.UTF8, 502);
            case "500echo": return Problem(500, "upstream rejected Authorization: Bearer " + Token, "Internal Server Error");
            case "429": return Problem(429, "Request was throttled. Your rate limit resets in ~1s.", extra: new JsonObject { ["retry_after"] = RetryAfterSeconds });
            default: return Problem(int.Parse(f), "Internal server error");
        }
    }

    /// <summary>A hung response: waits <see cref="HangMilliseconds"/> of clock time or until the client gives up.</summary>
    private async Task HangAsync(HttpContext ctx)
    {
        using (TimedWait()) await Task.Delay(TimeSpan.FromMilliseconds(HangMilliseconds), Clock, ctx.RequestAborted).ContinueWith(_ => { });
    }

    private IDisposable? TimedWait() => TestClock?.TimedWait();

    private string NewId(string prefix) => prefix + Interlocked.Increment(ref _ids).ToString("D6", CultureInfo.InvariantCulture) + "xq7rrmbc";

    private void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            var path = ctx.Request.Path.Value ?? "";
            if (path.StartsWith("/delivery/", StringComparison.Ordinal) || path.StartsWith("/hostile/", StringComparison.Ordinal))
                DeliveryRequests.Enqueue((ctx.Request.Host.Host, path, ctx.Request.Headers.Authorization.FirstOrDefault()));
            else if (ctx.Request.Headers.Authorization.FirstOrDefault() != "Bearer " + Token)
            {
                await Problem(401, "You did not pass a valid authentication token", "Unauthenticated").ExecuteAsync(ctx);
                return;
            }
            await next(ctx);
        });

        app.MapGet("/v1/models/{owner}/{name}", (string owner, string name) =>
            ModelJson(owner, name) is { } m ? Ok(m) : Problem(404, "The requested resource could not be found."));
        app.MapGet("/v1/models/{owner}/{name}/versions", (string owner, string name) =>
        {
            var m = ModelJson(owner, name);
            if (m == null) return Problem(404, "The requested resource could not be found.");
            var results = new JsonArray();
            if (m["latest_version"] is JsonObject v) results.Add(v.DeepClone());
            return Ok(new JsonObject { ["previous"] = null, ["next"] = null, ["results"] = results });
        });
        app.MapGet("/v1/models/{owner}/{name}/versions/{id}", (string owner, string name, string id) =>
            ModelJson(owner, name)?["latest_version"] is JsonObject v && Prediction(v, "id") == id ? Ok((JsonObject)v.DeepClone()) : Problem(404, "The requested resource could not be found."));
        app.MapPost("/v1/models/{owner}/{name}/predictions", (string owner, string name) =>
        {
            Interlocked.Increment(ref CreateRequests);
            return Problem(404, "The requested resource could not be found.");
        });
        app.MapPost("/v1/models", async (HttpContext ctx) =>
        {
            var b = await Body(ctx);
            var key = $"{b["owner"]}/{b["name"]}";
            var model = new JsonObject { ["owner"] = b["owner"]?.ToString(), ["name"] = b["name"]?.ToString(), ["visibility"] = b["visibility"]?.ToString(), ["latest_version"] = null };
            return Models.TryAdd(key, model) ? Ok(model, 201) : Problem(409, $"A model named {key} already exists.", "Conflict");
        });

        app.MapPost("/v1/predictions", async (HttpContext ctx) =>
        {
            Interlocked.Increment(ref CreateRequests);
            CreateRequestTimes.Enqueue(Clock.GetUtcNow());
            var body = await Body(ctx);
            var after502 = false;
            if (CreateFaults.TryDequeue(out var fault))
            {
                switch (fault)
                {
                    case "429":
                        return Problem(429, "Request was throttled. Your rate limit resets in ~30s.", extra: new JsonObject { ["retry_after"] = RetryAfterSeconds });
                    case "429r":
                        ctx.Response.Headers.RetryAfter = RetryAfterHeader ?? "0";
                        return Problem(429, "Request was throttled.", extra: new JsonObject { ["retry_after"] = RetryAfterSeconds });
                    case "429h":
                        ctx.Response.Headers.RetryAfter = "0";
                        return Problem(429, "Request was throttled. Your rate limit resets in ~30s.", extra: new JsonObject { ["retry_after"] = 30 });
                    case "reset": ctx.Abort(); return Results.Empty;
                    case "hang": await HangAsync(ctx); return Problem(504, "hung");
                    case "502after": after502 = true; break;
                    case "422field":   // a hostile 422: the token and escape codes in field, type and description
                        return Problem(422, "bad \u001b[31minput", "Input validation failed", new JsonObject { ["invalid_fields"] = new JsonArray(new JsonObject { ["type"] = "\u001b]0;PWNED\u0007x", ["field"] = Token, ["description"] = "bad " + Token }) });
                    case "422echo": return Problem(422, "- input.token: got " + Token, "Input validation failed", new JsonObject { ["invalid_fields"] = new JsonArray(new JsonObject { ["type"] = "enum", ["field"] = "input.x", ["description"] = "Bearer " + Token }) });
                    default: return Problem(int.Parse(fault), "Internal server error");
                }
            }
            if (BillingRequired) return Problem(402, "You need to set up billing for this account.", "Billing required");
            var version = body["version"]?.ToString() ?? "";
            if (version.Contains(':')) version = version[(version.LastIndexOf(':') + 1)..];
            JsonObject schema;
            string model;
            if (version == VersionId) (schema, model) = (ModelSchema(), $"{Owner}/{Name}");
            else if (version == TrainerVersion) (schema, model) = (TrainerSchema(), $"{TrainerOwner}/{TrainerName}");
            else return Problem(422, "The specified version does not exist (or perhaps you don't have permission to use it?)", "Invalid version or not permitted");
            var input = body["input"] as JsonObject ?? new JsonObject();
            if (ValidateInput(input, schema) is { } invalid) return invalid;
            var p = new FakePrediction { CreatedAt = Clock.GetUtcNow(), Id = NewId("p"), Version = version, Model = model, Input = (JsonObject)input.DeepClone(), IsTrainer = version == TrainerVersion, CancelWait = CancelDelayPolls };
            if (ctx.Request.Headers["Cancel-After"].FirstOrDefault() is { } ca) p.Deadline = p.CreatedAt + ParseDuration(ca) * WaitScale;
            if (StartingPolls == 0) Advance(p); // no cold boot: running at once
            Predictions[p.Id] = p;
            Interlocked.Increment(ref PredictionsCreated);
            if (after502) return Results.Content("<html>502 Bad Gateway</html>", "text/html", Encoding.UTF8, 502);
            var prefer = ctx.Request.Headers["Prefer"].FirstOrDefault();
            if (prefer != null && prefer.StartsWith("wait", StringComparison.Ordinal))
            {
                var n = prefer.Contains('=') ? double.Parse(prefer[(prefer.IndexOf('=') + 1)..], CultureInfo.InvariantCulture) : 60;
                var until = Clock.GetUtcNow() + TimeSpan.FromSeconds(n * WaitScale);
                while (!p.Terminal && !(p.Status == "processing" && p.Output != null) && Clock.GetUtcNow() < until && !ctx.RequestAborted.IsCancellationRequested)
                {
                    Advance(p);
                    var step = until - Clock.GetUtcNow() < HoldStep ? until - Clock.GetUtcNow() : HoldStep;
                    using (TimedWait()) await Task.Delay(step > TimeSpan.Zero ? step : TimeSpan.Zero, Clock, ctx.RequestAborted).ContinueWith(_ => { });
                }
            }
            if (!p.Terminal) ctx.Response.Headers.Location = $"{BaseAddress}/predictions/{p.Id}";
            return Ok(Json(p), 201);
        });
        app.MapGet("/v1/predictions/{id}", async (HttpContext ctx, string id) =>
        {
            Interlocked.Increment(ref GetRequests);
            GetRequestTimes.Enqueue(Clock.GetUtcNow());
            if (await GetFault(ctx) is { } f) return f;
            if (!Predictions.TryGetValue(id, out var p) || p.IsTraining) return Problem(404, "The requested resource could not be found.");
            Advance(p);
            return Ok(Json(p));
        });
        app.MapPost("/v1/predictions/{id}/cancel", (string id) => Cancel(id, false));
        app.MapGet("/v1/predictions", (HttpContext ctx) =>
        {
            Interlocked.Increment(ref ListRequests);
            var q = ctx.Request.Query;
            DateTimeOffset? after = q.TryGetValue("created_after", out var a) ? DateTimeOffset.Parse(a!, CultureInfo.InvariantCulture) : null;
            var cursor = q.TryGetValue("cursor", out var c) ? int.Parse(c!, CultureInfo.InvariantCulture) : 0;
            var all = Predictions.Values.Where(p => !p.IsTraining && (after == null || p.CreatedAt > after)).OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).ToList();
            var page = all.Skip(cursor).Take(PageSize).Select(p => (JsonNode)Json(p)).ToArray();
            var next = EndlessNextCursor ? $"{BaseAddress}/predictions?cursor={cursor + 1}"
                : cursor + PageSize < all.Count
                ? $"{BaseAddress}/predictions?cursor={cursor + PageSize}" + (after != null ? "&created_after=" + Uri.EscapeDataString(after.Value.ToString("O")) : "")
                : null;
            return Ok(new JsonObject { ["previous"] = null, ["next"] = next, ["results"] = new JsonArray(page) });
        });

        app.MapPost("/v1/models/{owner}/{name}/versions/{vid}/trainings", async (HttpContext ctx, string owner, string name, string vid) =>
        {
            Interlocked.Increment(ref CreateRequests);
            var body = await Body(ctx);
            if (owner != TrainerOwner || name != TrainerName || vid != TrainerVersion) return Problem(404, "The requested resource could not be found.");
            var dest = body["destination"]?.ToString() ?? "";
            if (!Models.ContainsKey(dest)) return Problem(404, "The specified training destination does not exist");
            var input = body["input"] as JsonObject ?? new JsonObject();
            if (ValidateInput(input, TrainerSchema()) is { } invalid) return invalid;
            var p = new FakePrediction { CreatedAt = Clock.GetUtcNow(), Id = NewId("t"), Version = vid, Model = $"{owner}/{name}", Input = (JsonObject)input.DeepClone(), IsTraining = true, Destination = dest, CancelWait = CancelDelayPolls };
            Predictions[p.Id] = p;
            Interlocked.Increment(ref PredictionsCreated);
            return Ok(Json(p), 201);
        });
        app.MapGet("/v1/trainings/{id}", async (HttpContext ctx, string id) =>
        {
            Interlocked.Increment(ref GetRequests);
            if (await GetFault(ctx) is { } f) return f;
            if (!Predictions.TryGetValue(id, out var p) || !p.IsTraining) return Problem(404, "The requested resource could not be found.");
            Advance(p);
            return Ok(Json(p));
        });
        app.MapPost("/v1/trainings/{id}/cancel", (string id) => Cancel(id, true));

        app.MapPost("/v1/files", async (HttpContext ctx) =>
        {
            if (ctx.Request.ContentLength > MaxFileBytes) return Problem(413, "File too large", "Payload Too Large");
            var form = await ctx.Request.ReadFormAsync();
            var file = form.Files["content"];
            if (file == null) return Problem(422, "- content: Required", "Input validation failed");
            if (file.Length > MaxFileBytes) return Problem(413, "File too large", "Payload Too Large");
            Uploads.Enqueue((file.FileName, file.Length));
            var id = NewId("f");
            var now = Clock.GetUtcNow();
            return Ok(new JsonObject
            {
                ["id"] = id, ["name"] = file.FileName, ["content_type"] = form["type"].FirstOrDefault() ?? file.ContentType, ["size"] = file.Length,
                ["etag"] = "\"abc\"", ["checksums"] = new JsonObject { ["sha256"] = "00", ["md5"] = "00" }, ["metadata"] = new JsonObject(),
                ["created_at"] = now.ToString("O"), ["expires_at"] = now.AddHours(24).ToString("O"),
                ["urls"] = new JsonObject { ["get"] = FilesGetUrl ?? $"{BaseAddress}/files/{id}" },
            }, 201);
        });

        app.MapGet("/hostile/{kind}/{*rest}", Hostile);

        app.MapGet("/delivery/{id}/{file}", (string id, string file) =>
        {
            if (Expired) return Results.StatusCode(ExpiredStatus);
            if (!Predictions.ContainsKey(id)) return Results.NotFound();
            return file.EndsWith(".tar", StringComparison.Ordinal) ? Results.Bytes(TarBytes, "application/x-tar") : Results.Bytes(OutputPng, "image/png");
        });
    }

    /// <summary>Output bodies of a hostile server: <c>endless</c> (64 KiB chunks until the client hangs up), <c>slow</c>
    /// (one byte per second of <see cref="Clock"/>), <c>html</c> (a page served as image/png), <c>huge</c> (announces 10 GiB), <c>loop</c> (redirects to itself),
    /// <c>file</c> (redirects to file:///etc/passwd), <c>otherhost</c> (redirects to localhost's delivery, which records
    /// whether the token came along), <c>png</c> (<see cref="OutputPng"/>, whatever the rest of the path), <c>cut</c>
    /// (the first half of <see cref="OutputPng"/>), <c>tar</c> (<see cref="TarBytes"/>), <c>htmltar</c> (an HTML page for a .tar).</summary>
    private async Task Hostile(HttpContext ctx, string kind, string? rest)
    {
        var r = ctx.Response;
        try
        {
            switch (kind)
            {
                case "endless":
                    r.ContentType = "image/png";
                    var chunk = new byte[64 << 10];
                    PngBytes.CopyTo(chunk, 0);
                    while (!ctx.RequestAborted.IsCancellationRequested) await r.Body.WriteAsync(chunk, ctx.RequestAborted);
                    break;
                case "slow":
                    r.ContentType = "image/png";
                    for (var i = 0; !ctx.RequestAborted.IsCancellationRequested; i++)
                    {
                        await r.Body.WriteAsync(new[] { OutputPng[i % OutputPng.Length] }, ctx.RequestAborted);
                        await r.Body.FlushAsync(ctx.RequestAborted);
                        using (TimedWait()) await Task.Delay(TimeSpan.FromSeconds(1), Clock, ctx.RequestAborted);
                    }
                    break;
                case "html":
                    r.ContentType = "image/png";
                    await r.WriteAsync("<!DOCTYPE html><html><body>Access denied</body></html>", ctx.RequestAborted);
                    break;
                case "htmltar":
                    r.ContentType = "application/x-tar";
                    await r.WriteAsync("<html><body>" + new string('x', 2000) + "</body></html>", ctx.RequestAborted);
                    break;
                case "huge":
                    r.ContentType = "image/png";
                    r.ContentLength = 10L << 30;
                    await r.Body.FlushAsync(ctx.RequestAborted);
                    using (TimedWait()) await Task.Delay(TimeSpan.FromMinutes(5), Clock, ctx.RequestAborted);
                    break;
                case "loop":
                    r.StatusCode = 302;
                    r.Headers.Location = $"/hostile/loop/{rest}";
                    break;
                case "file":
                    r.StatusCode = 302;
                    r.Headers.Location = "file:///etc/passwd";
                    break;
                case "otherhost":
                    r.StatusCode = 302;
                    r.Headers.Location = $"http://localhost:{Port}/hostile/png/{rest}";
                    break;
                case "png":
                    r.ContentType = "image/png";
                    await r.Body.WriteAsync(OutputPng, ctx.RequestAborted);
                    break;
                case "cut":
                    r.ContentType = "image/png";
                    await r.Body.WriteAsync(OutputPng.AsMemory(0, OutputPng.Length / 2), ctx.RequestAborted);
                    break;
                case "tar":
                    r.ContentType = "application/x-tar";
                    await r.Body.WriteAsync(TarBytes, ctx.RequestAborted);
                    break;
                default:
                    r.StatusCode = 404;
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException) { /* the client hung up */ }
    }

    private IResult Cancel(string id, bool training)
    {
        CancelRequests.Enqueue(id);
        if (!Predictions.TryGetValue(id, out var p) || p.IsTraining != training) return Problem(404, "The requested resource could not be found.");
        lock (p)
        {
            if (!p.Terminal)
            {
                p.CancelRequested = true;
                if (p.CancelWait <= 0) Finish(p, "canceled");
            }
        }
        return Ok(Json(p));
    }

    private static string? Prediction(JsonObject o, string name) => o[name]?.ToString();

    private static TimeSpan ParseDuration(string s)
    {
        var unit = s[^1];
        var n = double.Parse(s[..^1], CultureInfo.InvariantCulture);
        return unit switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), _ => TimeSpan.FromSeconds(n) };
    }

    private static IResult? ValidateInput(JsonObject input, JsonObject doc)
    {
        var props = (JsonObject)doc["components"]!["schemas"]!["Input"]!["properties"]!;
        var fields = new JsonArray();
        var lines = new StringBuilder();
        foreach (var (k, v) in input)
        {
            if (!props.ContainsKey(k))
            {
                fields.Add(new JsonObject { ["type"] = "additional_property_not_allowed", ["field"] = "input", ["description"] = $"Additional property {k} is not allowed" });
                lines.Append($"- input: Additional property {k} is not allowed\n");
                continue;
            }
            var p = (JsonObject)props[k]!;
            if (v is JsonValue jv && double.TryParse(jv.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
            {
                if (p["maximum"] is JsonValue mx && x > double.Parse(mx.ToJsonString(), CultureInfo.InvariantCulture))
                {
                    fields.Add(new JsonObject { ["type"] = "number_lte", ["field"] = "input." + k, ["description"] = $"Must be less than or equal to {mx}" });
                    lines.Append($"- input.{k}: Must be less than or equal to {mx}\n");
                }
                if (p["minimum"] is JsonValue mn && x < double.Parse(mn.ToJsonString(), CultureInfo.InvariantCulture))
                {
                    fields.Add(new JsonObject { ["type"] = "number_gte", ["field"] = "input." + k, ["description"] = $"Must be greater than or equal to {mn}" });
                    lines.Append($"- input.{k}: Must be greater than or equal to {mn}\n");
                }
            }
        }
        return fields.Count == 0 ? null : Problem(422, lines.ToString(), "Input validation failed", new JsonObject { ["invalid_fields"] = fields });
    }
}

/// <summary>One fake Replicate server per test class; each test calls <see cref="FakeReplicateServer.Reset"/>.</summary>
public sealed class FakeReplicateFixture : IAsyncLifetime
{
    public FakeReplicateServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeReplicateServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (Server.TestClock is { } clock) await clock.DisposeAsync();
        await Server.DisposeAsync();
    }
}
