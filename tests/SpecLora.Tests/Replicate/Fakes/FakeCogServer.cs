using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpecLora.Replicate;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Replicate.Fakes;

/// <summary>
/// A fake Cog HTTP server (spec §4/§5.15): /health-check STARTING → READY (or SETUP_FAILED), PUT /predictions/{id}
/// synchronous with data-URI outputs, 409 busy, 503 not ready, 422 with a detail list, failed-as-200, cancel.
/// </summary>
public sealed class FakeCogServer : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _running = new();

    public int StartingChecks = 1;
    public bool SetupFails;
    public bool Busy;
    public bool NotReady503;
    public bool FailPrediction;
    public bool HoldUntilCancel;
    public bool ServeOpenApi = true;

    public int HealthChecks;
    public readonly ConcurrentQueue<string> PutIds = new();
    public readonly ConcurrentQueue<string> CanceledIds = new();
    public readonly ConcurrentQueue<JsonObject> Inputs = new();

    private FakeCogServer() { }

    /// <summary>The clock of the clients of this test (a new <see cref="TestClock"/> per <see cref="Reset"/>).</summary>
    public TestClock Clock { get; private set; } = new();

    /// <summary>Back to defaults, no counts, a new clock (one server per test class).</summary>
    public FakeCogServer Reset()
    {
        _ = Clock.DisposeAsync().AsTask();
        Clock = new TestClock();
        StartingChecks = 1; SetupFails = Busy = NotReady503 = FailPrediction = HoldUntilCancel = false; ServeOpenApi = true;
        HealthChecks = 0;
        PutIds.Clear(); CanceledIds.Clear(); Inputs.Clear();
        foreach (var t in _running.Values) t.TrySetResult();
        _running.Clear();
        return this;
    }

    /// <summary>A client of <paramref name="root"/> (default: this server) on <see cref="Clock"/>, with the default intervals
    /// (health poll 1 s, unreachable after 10 s); request and prediction timeouts lie beyond the clock's horizon.</summary>
    internal CogClient NewClient(Uri? root = null) =>
        new(new HttpClient(Clock.Wrap(new SocketsHttpHandler())) { Timeout = Timeout.InfiniteTimeSpan }, new CogClientOptions
        {
            BaseAddress = root ?? Root,
            RequestTimeout = TimeSpan.FromHours(1),
            PredictionTimeout = TimeSpan.FromHours(1),
        }, Clock);

    public Uri Root { get; private set; } = null!;

    public static async Task<FakeCogServer> StartAsync()
    {
        var fake = new FakeCogServer();
        (fake._app, fake.Root) = await LoopbackHost.StartAsync(fake.Map);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await Clock.DisposeAsync();
        foreach (var t in _running.Values) t.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Json(JsonObject o, int status = 200) => Results.Content(o.ToJsonString(), "application/json", Encoding.UTF8, status);

    private void Map(WebApplication app)
    {
        app.MapGet("/health-check", () =>
        {
            var n = Interlocked.Increment(ref HealthChecks);
            var status = n <= StartingChecks ? "STARTING" : SetupFails ? "SETUP_FAILED" : Busy ? "BUSY" : "READY";
            var setup = new JsonObject { ["started_at"] = "2024-01-01T00:00:00Z", ["status"] = SetupFails && n > StartingChecks ? "failed" : "succeeded" };
            setup["logs"] = SetupFails ? "Loading weights...\nTraceback (most recent call last):\nOSError: lora.safetensors not found\n" : "setup ok\n";
            return Json(new JsonObject { ["status"] = Busy && n > StartingChecks ? "READY" : status, ["setup"] = setup });
        });
        app.MapGet("/openapi.json", () => ServeOpenApi ? Json(FakeReplicateServer.ModelSchema()) : Results.NotFound());
        app.MapPut("/predictions/{id}", async (HttpContext ctx, string id) =>
        {
            PutIds.Enqueue(id);
            var body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync()) as JsonObject ?? new JsonObject();
            var input = body["input"] as JsonObject ?? new JsonObject();
            Inputs.Enqueue((JsonObject)input.DeepClone());
            if (Busy) return Json(new JsonObject { ["detail"] = "Already running a prediction" }, 409);
            if (NotReady503) return Json(new JsonObject { ["status"] = "failed", ["error"] = "not ready" }, 503);
            if (input["myprompt"] is null || input["myprompt"]!.ToString().Length == 0)
                return Json(new JsonObject { ["detail"] = new JsonArray(new JsonObject { ["loc"] = new JsonArray("body", "input", "myprompt"), ["msg"] = "field required", ["type"] = "value_error.missing" }) }, 422);
            if (HoldUntilCancel)
            {
                var tcs = _running.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                // held until the test cancels; not a TimedWait, so the test clock stays still meanwhile (10 s real: a safety net only)
                await Task.WhenAny(tcs.Task, Task.Delay(10_000, ctx.RequestAborted).ContinueWith(_ => { }));
                return Json(new JsonObject { ["status"] = "canceled", ["output"] = null, ["logs"] = "canceled\n" });
            }
            if (FailPrediction)
                return Json(new JsonObject { ["status"] = "failed", ["output"] = null, ["error"] = "RuntimeError: CUDA out of memory", ["logs"] = "Traceback (most recent call last):\n  File \"predict.py\", line 99\nRuntimeError: CUDA out of memory\n" });
            var n = input["num_outputs"]?.GetValue<int>() ?? 1;
            var output = new JsonArray();
            for (var i = 0; i < n; i++) output.Add("data:image/png;base64," + Convert.ToBase64String(FakeReplicateServer.PngBytes));
            return Json(new JsonObject
            {
                ["status"] = "succeeded", ["output"] = output, ["error"] = null,
                ["logs"] = "Using seed: 77\n100%|██████████| 50/50 [00:05<00:00,  9.10it/s]\n",
                ["metrics"] = new JsonObject { ["predict_time"] = 5.1 },
            });
        });
        app.MapPost("/predictions/{id}/cancel", (string id) =>
        {
            CanceledIds.Enqueue(id);
            if (_running.TryGetValue(id, out var t)) { t.TrySetResult(); return Json(new JsonObject()); }
            return Results.NotFound(new { detail = "Not found" });
        });
    }

    /// <summary>Waits until a PUT is in flight (HoldUntilCancel) and returns its id.</summary>
    public async Task<string> WaitForRunningAsync()
    {
        for (var i = 0; i < 500; i++)
        {
            if (!_running.IsEmpty) return _running.Keys.First();
            await Task.Delay(10);
        }
        throw new TimeoutException("no prediction started on the fake Cog server");
    }
}

/// <summary>One fake Cog server per test class; each test calls <see cref="FakeCogServer.Reset"/>.</summary>
public sealed class FakeCogFixture : IAsyncLifetime
{
    public FakeCogServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeCogServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
