using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>Settings of <see cref="CogClient"/>.</summary>
internal sealed record CogClientOptions
{
    /// <summary>Server root; default <c>http://localhost:5000</c> (<c>docker run -p 5000:5000 r8.im/…</c>).</summary>
    public Uri BaseAddress { get; init; } = new("http://localhost:5000");

    /// <summary>Model name recorded in manifests.</summary>
    public string ModelName { get; init; } = ReadmeSettings.Model + " (local cog)";

    /// <summary>Interval between health checks (1 s).</summary>
    public TimeSpan HealthPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the server may stay <c>STARTING</c> (model setup, 20 min).</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>How long to keep trying when nothing answers at all before calling the URL unreachable (10 s).</summary>
    public TimeSpan UnreachableTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one synchronous prediction (30 min).</summary>
    public TimeSpan PredictionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Timeout of one health-check or cancel request (5 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Size caps, time limits and checks of output downloads (the same as Replicate's: pictures 64 MiB / 5 min).</summary>
    public DownloadLimits Downloads { get; init; } = new();

    /// <summary>Largest answer read from the server (100 MiB: room for a 64 MiB picture inside a <c>data:</c> URI).</summary>
    internal long MaxJsonBytes { get; init; } = 100L << 20;

    /// <summary>Checks every setting and reports every bad one at once, quoting each value (a URL's user name or password
    /// is never repeated).</summary>
    /// <exception cref="ArgumentOutOfRangeException">One or more settings are bad; the message lists them all.</exception>
    public CogClientOptions Validate()
    {
        var p = new OptionProblems();
        var url = BaseAddress;
        if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.IdnHost.Length == 0)
            p.Range(nameof(BaseAddress), $"cog url={TerminalText.Visible(Secrets.MaskUserInfo(url?.OriginalString))} must be an absolute http(s) URL such as http://localhost:5000");
        else if (url.UserInfo.Length > 0)
            p.Range(nameof(BaseAddress), $"cog url={Secrets.Display(url)} holds a user name or password (shown as ***): a Cog server takes none; remove the part before the '@'");
        else if (url.Query.Length > 0 || url.Fragment.Length > 0)
            p.Range(nameof(BaseAddress), $"cog url={TerminalText.Visible(url.ToString())} ends in a query or fragment, which would swallow the paths appended to it; remove it (e.g. {url.GetLeftPart(UriPartial.Path)})");
        if (string.IsNullOrWhiteSpace(ModelName)) p.Range(nameof(ModelName), "ModelName must not be empty");
        if (HealthPollInterval <= TimeSpan.Zero) p.Range(nameof(HealthPollInterval), $"HealthPollInterval={HealthPollInterval} must be > 0");
        if (SetupTimeout <= TimeSpan.Zero) p.Range(nameof(SetupTimeout), $"SetupTimeout={SetupTimeout} must be > 0");
        if (UnreachableTimeout < TimeSpan.Zero) p.Range(nameof(UnreachableTimeout), $"UnreachableTimeout={UnreachableTimeout} must be ≥ 0");
        if (PredictionTimeout <= TimeSpan.Zero) p.Range(nameof(PredictionTimeout), $"PredictionTimeout={PredictionTimeout} must be > 0");
        if (RequestTimeout <= TimeSpan.Zero) p.Range(nameof(RequestTimeout), $"RequestTimeout={RequestTimeout} must be > 0");
        if (MaxJsonBytes < 1024) p.Range(nameof(MaxJsonBytes), $"MaxJsonBytes={MaxJsonBytes} must be ≥ 1024");
        if (Downloads is null) p.Range(nameof(Downloads), "Downloads must not be null");
        else Downloads.Check(p, "Downloads.");
        p.ThrowIfAny();
        return this;
    }
}

/// <summary>
/// Client of a local Cog container's HTTP API: waits for <c>READY</c> on <c>/health-check</c>, then runs
/// <c>PUT /predictions/{id}</c> synchronously (idempotent by id); outputs are <c>data:</c> URIs. Same
/// <see cref="Prediction"/> and manifest types as Replicate.
/// </summary>
internal sealed class CogClient : IPredictionBackend, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _owns;
    private readonly string _base;
    private readonly TimeProvider _time;
    private bool _ready;
    private JsonObject? _openApi;

    /// <summary>Creates the client over <paramref name="httpClient"/> (its own timeout should be infinite).</summary>
    /// <param name="httpClient">Sends the requests.</param>
    /// <param name="options">Settings (default <see cref="CogClientOptions"/>).</param>
    /// <param name="timeProvider">Clock for health polling and every timeout (default <see cref="TimeProvider.System"/>; tests pass a fake one).</param>
    /// <exception cref="ArgumentOutOfRangeException">A bad setting (<see cref="CogClientOptions.Validate"/>), e.g. a URL that is not
    /// absolute http(s) or carries a user name or password (not repeated).</exception>
    public CogClient(HttpClient httpClient, CogClientOptions? options = null, TimeProvider? timeProvider = null)
        : this(httpClient, options ?? new CogClientOptions(), false, timeProvider) { }

    private CogClient(HttpClient http, CogClientOptions options, bool owns, TimeProvider? timeProvider)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _base = options.BaseAddress.ToString().TrimEnd('/');
        _owns = owns;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Builds a client with its own <see cref="HttpClient"/>.</summary>
    /// <param name="options">Settings (default <see cref="CogClientOptions"/>).</param>
    /// <param name="timeProvider">Clock for health polling and every timeout (default <see cref="TimeProvider.System"/>).</param>
    public static CogClient Create(CogClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        options = (options ?? new CogClientOptions()).Validate();
        return new(new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan }, options, true, timeProvider);
    }

    /// <summary>The options in use.</summary>
    public CogClientOptions Options { get; }

    /// <inheritdoc/>
    public string Name => "cog";

    /// <inheritdoc/>
    public string ModelName => Options.ModelName;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_owns) _http.Dispose();
    }

    /// <summary><c>GET /health-check</c>: the raw status object (<c>status</c>, <c>setup</c>).</summary>
    /// <exception cref="CogServerException">Nothing answers at the URL.</exception>
    public async Task<JsonObject> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, _time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var resp = await _http.GetAsync(Url("health-check"), HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            var text = await ReadTextAsync(resp, 1 << 20, cts.Token).ConfigureAwait(false);
            return JsonNode.Parse(text) as JsonObject ?? throw new CogServerException($"Cog health-check at {_base} returned a non-object body", resp.StatusCode);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or JsonException or IOException)
        {
            throw new CogServerException(Unreachable(), null, e);
        }
    }

    /// <summary>Polls the health check until <c>READY</c>.</summary>
    /// <exception cref="CogServerException">Unreachable, <c>SETUP_FAILED</c> (with the setup logs), <c>DEFUNCT</c>, or still starting after <see cref="CogClientOptions.SetupTimeout"/>.</exception>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        var start = _time.GetTimestamp();
        var answered = false;
        while (true)
        {
            JsonObject? health = null;
            try
            {
                health = await GetHealthAsync(cancellationToken).ConfigureAwait(false);
                answered = true;
            }
            catch (CogServerException) when (!answered && _time.GetElapsedTime(start) < Options.UnreachableTimeout) { }
            catch (CogServerException) when (answered && _time.GetElapsedTime(start) < Options.SetupTimeout) { }
            var status = Prediction.Str(health, "status");
            switch (status)
            {
                case "READY":
                    _ready = true;
                    return;
                case "SETUP_FAILED":
                    var logs = Prediction.Str(health!["setup"] as JsonObject, "logs") ?? "";
                    throw new CogServerException($"Cog model setup failed at {_base} (SETUP_FAILED). Check the container (docker logs) and GPU. Setup logs:\n{Tail(logs)}");
                case "DEFUNCT" or "UNHEALTHY":
                    throw new CogServerException($"Cog server at {_base} is {status}: restart the container.");
            }
            if (_time.GetElapsedTime(start) > Options.SetupTimeout)
                throw new CogServerException($"Cog server at {_base} is still {(status is null ? "unreachable" : Show(status, 100))} after {Options.SetupTimeout}; check its logs (docker logs).");
            await Task.Delay(Options.HealthPollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task PrepareAsync(JsonObject input, CancellationToken cancellationToken = default)
    {
        InputValidator.Validate(input);
        if (!_ready) await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
        if (_openApi == null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Options.RequestTimeout, _time);
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                using var resp = await _http.GetAsync(Url("openapi.json"), HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                if (resp.IsSuccessStatusCode) _openApi = JsonNode.Parse(await ReadTextAsync(resp, 16 << 20, cts.Token).ConfigureAwait(false)) as JsonObject;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or JsonException or IOException or CogServerException) { }
            _openApi ??= new JsonObject();
        }
        InputValidator.Validate(input, _openApi.Count > 0 ? _openApi : null);
    }

    /// <summary>A new prediction id: 26 base32 characters from a UUID, as Cog uses.</summary>
    public static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bytes = Guid.NewGuid().ToByteArray();
        var sb = new StringBuilder(26);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    /// <inheritdoc/>
    /// <exception cref="CogServerException">409 busy, 503 not ready, unreachable.</exception>
    /// <exception cref="ReplicateValidationException">422 with the server's <c>detail</c> list.</exception>
    public async Task<Prediction> PredictAsync(JsonObject input, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await PrepareAsync(input, cancellationToken).ConfigureAwait(false);
        var id = NewId();
        var body = new JsonObject { ["id"] = id, ["input"] = input.DeepClone() };
        progress?.Report(new PredictionProgress(id, PredictionStatus.Processing, null, null));
        var started = _time.GetUtcNow();
        using var timeout = new CancellationTokenSource(Options.PredictionTimeout, _time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage resp;
        try
        {
            using var req = new HttpRequestMessage(HttpMethod.Put, Url($"predictions/{id}"))
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await CancelQuietlyAsync(id).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CogServerException($"Cog prediction {id} did not finish within {Options.PredictionTimeout}; it was cancelled.");
        }
        catch (HttpRequestException e)
        {
            throw new CogServerException($"Cog prediction {id} at {_base} failed: {Show(e.Message, 300)}", null, e);
        }
        using (resp)
        {
            string text;
            try { text = await ReadTextAsync(resp, Options.MaxJsonBytes, cts.Token).ConfigureAwait(false); }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
            {
                throw new CogServerException($"Cog prediction {id} at {_base}: the answer was cut off or did not arrive within {Options.PredictionTimeout}; run it again.", resp.StatusCode, e);
            }
            JsonObject? json = null;
            try { json = JsonNode.Parse(text) as JsonObject; } catch (JsonException) { }
            switch (resp.StatusCode)
            {
                case HttpStatusCode.Conflict:
                    throw new CogServerException($"Cog server at {_base} is busy ({Show(Prediction.Str(json, "detail") ?? Prediction.Str(json, "error") ?? "409", 300)}): it runs one prediction at a time; wait for it or cancel it.", resp.StatusCode);
                case HttpStatusCode.ServiceUnavailable:
                    _ready = false;
                    throw new CogServerException($"Cog server at {_base} is not ready (503); wait for /health-check READY.", resp.StatusCode);
                case HttpStatusCode.UnprocessableEntity:
                    var fields = new List<InvalidField>();
                    foreach (var d in (json?["detail"] as JsonArray) ?? new JsonArray())
                    {
                        if (d is not JsonObject o) continue;
                        if (fields.Count >= 20) break;
                        var loc = (o["loc"] as JsonArray)?.Select(x => x?.ToString()).Where(x => x is not ("body")) ?? [];
                        fields.Add(new InvalidField(Show(Prediction.Str(o, "type") ?? "", 100), Show(string.Join('.', loc), 200), Show(Prediction.Str(o, "msg") ?? "", 500)));
                    }
                    throw new ReplicateValidationException($"Cog rejected the input (422): " + string.Join("; ", fields.Select(f => $"{f.Field}: {f.Description}")), "Input validation failed", null, fields);
            }
            if (!resp.IsSuccessStatusCode || json == null)
                throw new ReplicateApiException($"Cog PUT /predictions/{id} → {(int)resp.StatusCode}: {(json != null ? Show(Prediction.Str(json, "detail"), 500) : $"non-JSON body of {text.Length} chars")}", resp.StatusCode, predictionId: id);
            var p = Prediction.FromJson(json) with { Id = id, Model = ModelName, Input = input.DeepClone().AsObject() };
            p = p with
            {
                CreatedAt = p.CreatedAt ?? started,
                StartedAt = p.StartedAt ?? started,
                CompletedAt = p.CompletedAt ?? _time.GetUtcNow(),
            };
            if (progress is not null)
            {
                var of = LogProgress.Of(p);   // the server's status and log line, shown with their control characters visible
                progress.Report(of with { Status = Show(of.Status, 100), LastLogLine = of.LastLogLine is null ? null : Show(of.LastLogLine, Prediction.MaxLogLineChars) });
            }
            return ReplicateClient.EnsureSucceeded(p, "local Cog prediction");
        }
    }

    /// <summary><c>POST /predictions/{id}/cancel</c> on a separate request.</summary>
    /// <returns>True when the server accepted the cancel (200), false on 404.</returns>
    public async Task<bool> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Options.RequestTimeout, _time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var resp = await _http.PostAsync(Url($"predictions/{Uri.EscapeDataString(id)}/cancel"), new StringContent("{}", Encoding.UTF8, "application/json"), cts.Token).ConfigureAwait(false);
        return resp.IsSuccessStatusCode;
    }

    /// <inheritdoc/>
    public Task DownloadAsync(string url, Stream destination, string? predictionId, OutputKind kind, CancellationToken cancellationToken = default)
        => OutputDownload.DownloadAsync(_transport ??= new OutputDownload.Transport(_http, _time, u => new HttpRequestMessage(HttpMethod.Get, u),
            Options.RequestTimeout, 2, attempt => TimeSpan.FromSeconds(Math.Min(10, 0.5 * Math.Pow(2, attempt))), s => Show(s), "the Cog server"),
            Options.Downloads, url, destination, predictionId, kind, cancellationToken);

    private OutputDownload.Transport? _transport;

    private static string Show(string? text, int max = 200) => Secrets.Show(text, null, max);

    /// <summary>The answer's text, at most <paramref name="max"/> bytes.</summary>
    /// <exception cref="CogServerException">Larger.</exception>
    private async Task<string> ReadTextAsync(HttpResponseMessage resp, long max, CancellationToken cancellationToken)
    {
        if (resp.Content.Headers.ContentLength > max) throw TooLarge(max);
        await using var s = await resp.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (ms.Length + n > max) throw TooLarge(max);
            ms.Write(buffer, 0, n);
        }
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);

        CogServerException TooLarge(long m) => new($"The Cog server at {_base} answered with more than {OutputDownload.Size(m)}; it was not read. Check --cog-url points at a Cog container.", resp.StatusCode);
    }

    private async Task CancelQuietlyAsync(string id)
    {
        try { await CancelAsync(id, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }
    }

    private string Unreachable() =>
        $"No Cog server answers at {_base}. Start the model container first, e.g. docker run -d -p 5000:5000 --gpus=all r8.im/<owner>/<model>@sha256:<version>, then pass --cog-url http://localhost:5000.";

    private static string Tail(string logs)
    {
        if (logs.Length > Prediction.MaxLogChars) logs = logs[^Prediction.MaxLogChars..];
        var lines = logs.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)).Select(l => Show(l, Prediction.MaxLogLineChars)));
    }

    private Uri Url(string relative) => new(_base + "/" + relative);
}
