using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>
/// Async client of the Replicate HTTP API v1: models and versions, predictions (sync mode + adaptive polling,
/// overall timeout, server-side cancel on cancellation), Files API, trainings, and output downloads.
/// </summary>
/// <remarks>
/// Retries (spec §1.12): GET and cancel are retried on 429, 5xx, timeouts and connection failures with jittered
/// exponential backoff; a create (POST) is retried only on 429 (honouring <c>Retry-After</c>, <c>retry_after</c>, the
/// <c>~Ns</c> hint) or a connection failure before any byte of the body was sent. After any other unclear create
/// failure the client looks for the prediction in <c>GET /predictions?created_after=</c> and adopts it rather than
/// creating another, so a prediction is never created (and billed) twice.
/// The token goes only to the API host (<see cref="ReplicateClientOptions.BaseAddress"/>, api.replicate.com) and
/// <c>*.replicate.delivery</c>.
/// </remarks>
public sealed partial class ReplicateClient : IDisposable
{
    /// <summary>Largest upload the Files API accepts: 100 MiB.</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    [System.Diagnostics.DebuggerBrowsable(System.Diagnostics.DebuggerBrowsableState.Never)]
    private readonly string _token;
    private readonly string _base;
    private readonly TimeProvider _time;

    /// <summary>Creates a client over <paramref name="httpClient"/> (its own timeout should be infinite; per-request timeouts come from <paramref name="options"/>).</summary>
    /// <param name="httpClient">Sends the requests.</param>
    /// <param name="options">Settings (default <see cref="ReplicateClientOptions.FromEnvironment"/>).</param>
    /// <param name="timeProvider">Clock for polling, backoff, <c>Retry-After</c> and every timeout (default <see cref="TimeProvider.System"/>; tests pass a fake one).</param>
    /// <exception cref="ReplicateTokenMissingException">No or malformed token; nothing is sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bad setting, e.g. a plain-http API root that is not loopback; nothing is sent.</exception>
    public ReplicateClient(HttpClient httpClient, ReplicateClientOptions? options = null, TimeProvider? timeProvider = null)
        : this(httpClient, options ?? ReplicateClientOptions.FromEnvironment(), false, timeProvider) { }

    private ReplicateClient(HttpClient httpClient, ReplicateClientOptions options, bool owns, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        options.Validate();
        options.RequireToken();
        _http = httpClient;
        _ownsHttp = owns;
        Options = options;
        _token = options.ApiToken!;
        _base = options.BaseAddress.ToString().TrimEnd('/');
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Builds a client with its own <see cref="HttpClient"/> (sockets handler, 10 s connect timeout, no global timeout).</summary>
    /// <param name="options">Settings (default <see cref="ReplicateClientOptions.FromEnvironment"/>).</param>
    /// <param name="timeProvider">Clock for polling, backoff, <c>Retry-After</c> and every timeout (default <see cref="TimeProvider.System"/>).</param>
    /// <exception cref="ReplicateTokenMissingException">No or malformed token; nothing is sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bad setting, e.g. a plain-http API root that is not loopback; nothing is sent.</exception>
    /// <example>
    /// <code>
    /// var options = ReplicateClientOptions.FromEnvironment();
    /// if (options.HasToken)
    ///     using (var client = ReplicateClient.Create(options))   // disposed when the weights are downloaded
    ///         await new LoraTrainer(client).TrainAsync("mels.zip", "weights");
    /// </code>
    /// Notebook: <c>notebooks/03-prepare-training.ipynb</c>.
    /// </example>
    public static ReplicateClient Create(ReplicateClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= ReplicateClientOptions.FromEnvironment();
        options.Validate();
        options.RequireToken();
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            AllowAutoRedirect = false,   // downloads follow redirects themselves (http(s) only, counted); API calls never do
        };
        return new ReplicateClient(new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, options, true, timeProvider);
    }

    /// <summary>The options in use.</summary>
    public ReplicateClientOptions Options { get; }

    /// <summary>The clock every wait and timeout runs on.</summary>
    public TimeProvider TimeProvider => _time;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    /// <summary>Describes the client with the token redacted.</summary>
    public override string ToString() => $"ReplicateClient {{ Options = {Options} }}";

    /// <summary>Removes the token from <paramref name="text"/> (for anything written or shown), in any letter case.</summary>
    public string Redact(string? text) => Secrets.Redact(text, _token);

    /// <summary>Server text made fit for a message: token removed, control characters made visible, at most <paramref name="max"/> characters.</summary>
    internal string Show(string? text, int max = 200) => Secrets.Show(text, _token, max);

    // ------------------------------------------------------------------ models

    /// <summary><c>GET /models/{owner}/{name}</c>.</summary>
    public async Task<ReplicateModel> GetModelAsync(string owner, string name, CancellationToken cancellationToken = default)
    {
        var json = await GetJsonAsync(Api($"models/{Esc(owner)}/{Esc(name)}"), null, cancellationToken).ConfigureAwait(false);
        return ReplicateModel.FromJson(json);
    }

    /// <summary><c>GET /models/{owner}/{name}/versions/{id}</c>, with the OpenAPI schema.</summary>
    public async Task<ModelVersion> GetVersionAsync(string owner, string name, string versionId, CancellationToken cancellationToken = default)
    {
        var json = await GetJsonAsync(Api($"models/{Esc(owner)}/{Esc(name)}/versions/{Esc(versionId)}"), null, cancellationToken).ConfigureAwait(false);
        return ModelVersion.FromJson(json);
    }

    /// <summary>Resolves <c>owner/name</c> (latest version) or <c>owner/name:version</c> to a version with its schema.</summary>
    /// <exception cref="ReplicateNotFoundException">Unknown model or version, or a model without versions.</exception>
    public async Task<ModelVersion> ResolveVersionAsync(string modelRef, CancellationToken cancellationToken = default)
    {
        var (owner, name, version) = ParseModelRef(modelRef);
        if (version != null) return await GetVersionAsync(owner, name, version, cancellationToken).ConfigureAwait(false);
        var model = await GetModelAsync(owner, name, cancellationToken).ConfigureAwait(false);
        if (model.LatestVersion is { } latest && latest.Id.Length > 0)
            return latest.OpenApiSchema != null ? latest : await GetVersionAsync(owner, name, latest.Id, cancellationToken).ConfigureAwait(false);
        var page = await GetJsonAsync(Api($"models/{Esc(owner)}/{Esc(name)}/versions"), null, cancellationToken).ConfigureAwait(false);
        if (page["results"] is JsonArray { Count: > 0 } results && results[0] is JsonObject first) return ModelVersion.FromJson(first);
        throw new ReplicateNotFoundException($"Model {owner}/{name} has no version yet; train or push one first, or pin a version as owner/name:<id>.", null, null);
    }

    /// <summary><c>POST /models</c>: creates a (training destination) model.</summary>
    /// <param name="owner">Must be the token's account.</param>
    /// <param name="name">Model name.</param>
    /// <param name="visibility"><c>private</c> or <c>public</c>.</param>
    /// <param name="hardware">Hardware SKU (see <c>GET /hardware</c>).</param>
    /// <param name="description">Optional description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ReplicateModel> CreateModelAsync(string owner, string name, string visibility = "private", string hardware = "gpu-t4", string? description = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["owner"] = owner, ["name"] = name, ["visibility"] = visibility, ["hardware"] = hardware };
        if (description != null) body["description"] = description;
        return ReplicateModel.FromJson(await SendCreateAsync(Api("models"), body, extraHeaders: null, cancellationToken).ConfigureAwait(false));
    }

    // ------------------------------------------------------------------ predictions

    /// <summary>
    /// <c>POST /predictions</c>, with <c>Prefer: wait=N</c> and <c>Cancel-After</c> from the options. Checks the
    /// input against the known ranges first. The returned prediction may still be running.
    /// </summary>
    /// <exception cref="ReplicateInputException">Bad input; nothing sent.</exception>
    public async Task<Prediction> CreatePredictionAsync(PredictionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Version);
        InputValidator.Validate(request.Input);
        var body = new JsonObject { ["version"] = request.Version, ["input"] = request.Input.DeepClone() };
        if (request.Webhook != null) body["webhook"] = request.Webhook.ToString();
        var headers = new List<(string, string)>();
        if (Options.PreferWaitSeconds is { } wait) headers.Add(("Prefer", $"wait={wait}"));
        if (Options.CancelAfter != null) headers.Add(("Cancel-After", Options.CancelAfterHeader));
        var t0 = _time.GetUtcNow();
        try
        {
            return Prediction.FromJson(await SendCreateAsync(Api("predictions"), body, headers, cancellationToken).ConfigureAwait(false));
        }
        catch (UnclearCreateException unclear)
        {
            // The POST may or may not have created a prediction: look before anything else (never create twice).
            var found = await FindCreatedAsync(request, t0, cancellationToken).ConfigureAwait(false);
            if (found != null) return found;
            throw unclear.Error;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while the server held the POST (Prefer: wait): the prediction may exist; cancel it there too.
            try
            {
                using var cleanup = new CancellationTokenSource(Options.RequestTimeout, _time);
                if (await FindCreatedAsync(request, t0, cleanup.Token).ConfigureAwait(false) is { IsTerminal: false } orphan)
                    await CancelPredictionAsync(orphan.Id, cleanup.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ReplicateApiException or OperationCanceledException or HttpRequestException) { /* best effort */ }
            throw;
        }
    }

    /// <summary><c>GET /predictions/{id}</c>.</summary>
    public async Task<Prediction> GetPredictionAsync(string id, CancellationToken cancellationToken = default)
        => Prediction.FromJson(await GetJsonAsync(Api($"predictions/{Id(id)}"), id, cancellationToken).ConfigureAwait(false));

    /// <summary><c>POST /predictions/{id}/cancel</c> (safe to retry). Cancelling a finished prediction returns it unchanged.</summary>
    public Task<Prediction> CancelPredictionAsync(string id, CancellationToken cancellationToken = default)
        => CancelAsync(Api($"predictions/{Id(id)}/cancel"), id, cancellationToken);

    /// <summary><c>GET /predictions</c>, following <c>next</c> cursors; newest first.</summary>
    /// <param name="createdAfter">Only predictions created after this time.</param>
    /// <param name="createdBefore">Only predictions created before this time.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    public async IAsyncEnumerable<Prediction> ListPredictionsAsync(DateTimeOffset? createdAfter = null, DateTimeOffset? createdBefore = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (createdAfter is { } a) query.Add("created_after=" + Uri.EscapeDataString(a.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        if (createdBefore is { } b) query.Add("created_before=" + Uri.EscapeDataString(b.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));
        Uri? next = Api("predictions" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        var seen = new HashSet<string>();
        while (next != null && seen.Add(next.ToString()))
        {
            var page = await GetJsonAsync(next, null, cancellationToken).ConfigureAwait(false);
            foreach (var item in (page["results"] as JsonArray) ?? new JsonArray())
                if (item is JsonObject o) yield return Prediction.FromJson(o);
            next = Prediction.Str(page, "next") is { } n && Uri.TryCreate(n, UriKind.Absolute, out var u) ? u : null;
        }
    }

    /// <summary>
    /// Polls until a terminal status (interval from <see cref="ReplicateClientOptions.PollInterval"/> growing to
    /// <see cref="ReplicateClientOptions.MaxPollInterval"/>), reporting progress. On cancellation or timeout the
    /// prediction is cancelled on the server.
    /// </summary>
    /// <exception cref="ReplicateTimeoutException">The overall timeout expired (the prediction was cancelled).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (the prediction was cancelled).</exception>
    public Task<Prediction> WaitAsync(Prediction prediction, IProgress<PredictionProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => WaitCoreAsync(prediction, false, progress, timeout ?? Options.Timeout, cancellationToken);

    /// <summary>Create, wait, and check success. Returns the terminal, succeeded prediction.</summary>
    /// <exception cref="ReplicatePredictionFailedException">Failed, canceled, aborted or unknown status; carries error and log tail.</exception>
    public async Task<Prediction> RunAsync(PredictionRequest request, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var created = await CreatePredictionAsync(request, cancellationToken).ConfigureAwait(false);
        var done = await WaitAsync(created, progress, null, cancellationToken).ConfigureAwait(false);
        return EnsureSucceeded(done, "prediction", Redact);
    }

    // ------------------------------------------------------------------ trainings

    /// <summary><c>POST /models/{o}/{n}/versions/{vid}/trainings</c> (the generic trainings API).</summary>
    /// <param name="trainerRef">Trainer <c>owner/name:version</c>.</param>
    /// <param name="destination">Destination model <c>owner/name</c> (must exist; see <see cref="CreateModelAsync"/>).</param>
    /// <param name="input">Trainer input.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Prediction> CreateTrainingAsync(string trainerRef, string destination, JsonObject input, CancellationToken cancellationToken = default)
    {
        var (owner, name, version) = ParseModelRef(trainerRef);
        if (version == null) throw new ArgumentException($"trainerRef={trainerRef} needs a version (owner/name:<version id>)", nameof(trainerRef));
        var body = new JsonObject { ["destination"] = destination, ["input"] = input.DeepClone() };
        return Prediction.FromJson(await SendCreateAsync(Api($"models/{Esc(owner)}/{Esc(name)}/versions/{Esc(version)}/trainings"), body, null, cancellationToken).ConfigureAwait(false));
    }

    /// <summary><c>GET /trainings/{id}</c>.</summary>
    public async Task<Prediction> GetTrainingAsync(string id, CancellationToken cancellationToken = default)
        => Prediction.FromJson(await GetJsonAsync(Api($"trainings/{Id(id)}"), id, cancellationToken).ConfigureAwait(false));

    /// <summary><c>POST /trainings/{id}/cancel</c>.</summary>
    public Task<Prediction> CancelTrainingAsync(string id, CancellationToken cancellationToken = default)
        => CancelAsync(Api($"trainings/{Id(id)}/cancel"), id, cancellationToken);

    /// <summary>Polls a training until terminal (overall limit <see cref="ReplicateClientOptions.TrainingTimeout"/>); cancels it on cancellation.</summary>
    public Task<Prediction> WaitForTrainingAsync(Prediction training, IProgress<PredictionProgress>? progress = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => WaitCoreAsync(training, true, progress, timeout ?? Options.TrainingTimeout, cancellationToken);

    // ------------------------------------------------------------------ files

    /// <summary><c>POST /files</c> (multipart). Files over 100 MiB are refused before anything is sent.</summary>
    /// <exception cref="ReplicateInputException">The file is over 100 MiB or missing.</exception>
    public async Task<ReplicateFile> UploadFileAsync(string path, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (RegularFile.NonRegularKind(path) is { } kind)
            throw new ReplicateInputException("file", $"{TerminalText.Visible(path)} is {kind}, not a file to upload; give the training zip itself.");
        var info = new FileInfo(path);
        if (!info.Exists) throw new ReplicateInputException("file", $"{TerminalText.Visible(path)} does not exist");
        if (info.Length > MaxFileBytes)
            throw new ReplicateInputException("file", $"{TerminalText.Visible(path)} is {info.Length / 1048576.0:F1} MiB; the Replicate Files API takes at most 100 MiB. Use fewer or smaller images, or host the file elsewhere.");
        contentType ??= info.Extension.ToLowerInvariant() switch { ".zip" => "application/zip", ".tar" => "application/x-tar", ".png" => "image/png", ".jpg" or ".jpeg" => "image/jpeg", _ => "application/octet-stream" };
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.Length > MaxFileBytes)
            throw new ReplicateInputException("file", $"{TerminalText.Visible(path)} grew to {bytes.Length / 1048576.0:F1} MiB while it was read; the Replicate Files API takes at most 100 MiB.");
        HttpContent MakeContent()
        {
            var form = new MultipartFormDataContent();
            var file = new TrackingContent(bytes, contentType);
            form.Add(file, "content", info.Name);
            form.Add(new StringContent(info.Name), "filename");
            form.Add(new StringContent(contentType), "type");
            return form;
        }
        var json = await SendPostAsync(Api("files"), MakeContent, null, Options.Timeout, cancellationToken).ConfigureAwait(false);
        return ReplicateFile.FromJson(json, s => Show(s));
    }

    // ------------------------------------------------------------------ downloads

    /// <summary>True when the token may be sent to <paramref name="uri"/>: over https to the configured API host,
    /// api.replicate.com or replicate.delivery hosts; over plain http only to a configured loopback host (127.0.0.0/8, ::1, localhost).</summary>
    public bool MaySendToken(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.IdnHost.ToLowerInvariant();
        // plain http only to a loopback host (local fake servers); anything else must be https
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && ReplicateClientOptions.IsLoopbackHost(uri))) return false;
        if (host == Options.BaseAddress.IdnHost.ToLowerInvariant() && uri.Port == Options.BaseAddress.Port) return true;
        if (uri.Scheme != Uri.UriSchemeHttps) return false;
        return host == "api.replicate.com" || host == "replicate.delivery" || host.EndsWith(".replicate.delivery", StringComparison.Ordinal);
    }

    /// <summary>
    /// Copies one output (an http(s) URL or a <c>data:</c> URI) into <paramref name="destination"/>, within
    /// <see cref="ReplicateClientOptions.Downloads"/>: a picture is at most 64 MiB, arrives within 5 min and must be a
    /// whole PNG, JPEG or WebP before a byte is written; another file (LoRA weights) is at most 4 GiB within 1 h and
    /// never an HTML page. Redirects are followed to http(s) only, at most 5; 5xx and timeouts are retried.
    /// </summary>
    /// <param name="url">The output's URL or data URI.</param>
    /// <param name="destination">Receives the bytes (on failure it may hold part of them: write into a temporary file).</param>
    /// <param name="predictionId">The prediction, for messages.</param>
    /// <param name="kind">Picture (default) or another file; decides the cap, the time limit and the check.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="ReplicateOutputExpiredException">404, 403 or 410: the output has expired (about 1 h after creation).</exception>
    /// <exception cref="ReplicateDownloadException">Over the cap, past the time limit, not a picture, cut off, a bad redirect or
    /// an unreadable data URI; the message says which.</exception>
    public Task DownloadAsync(string url, Stream destination, string? predictionId = null, OutputKind kind = OutputKind.Picture, CancellationToken cancellationToken = default)
        => OutputDownload.DownloadAsync(Transport, Options.Downloads, url, destination, predictionId, kind, cancellationToken);

    private OutputDownload.Transport Transport => _transport ??= new OutputDownload.Transport(
        _http, _time, uri => NewRequest(HttpMethod.Get, uri), Options.RequestTimeout, Options.MaxRetries, Backoff, s => Show(s), "Replicate");

    private OutputDownload.Transport? _transport;

    // ------------------------------------------------------------------ internals

    internal static (string Owner, string Name, string? Version) ParseModelRef(string modelRef)
    {
        var m = ModelRefRegex().Match(modelRef ?? "");
        if (!m.Success) throw new ArgumentException($"model={Secrets.Show(modelRef, null, 200)} must look like owner/name or owner/name:<version id>", nameof(modelRef));
        return (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Success ? m.Groups[3].Value : null);
    }

    [GeneratedRegex(@"^([\w.-]+)/([\w.-]+)(?::([0-9A-Za-z]+))?$")]
    private static partial Regex ModelRefRegex();

    [GeneratedRegex(@"~\s*(\d+(?:\.\d+)?)\s*s")]
    private static partial Regex DetailSeconds();

    /// <summary>Returns <paramref name="p"/> when it succeeded; else throws with the reason and the log tail. Every server
    /// string in the message (id, status, error, logs) is redacted with <paramref name="redact"/>, shown with its control
    /// characters visible and shortened; the exception carries the redacted prediction.</summary>
    internal static Prediction EnsureSucceeded(Prediction p, string what, Func<string?, string>? redact = null)
    {
        if (p.Status == PredictionStatus.Succeeded) return p;
        redact ??= s => s ?? "";
        p = p.Redacted(redact);
        var tail = string.Join('\n', p.LogTail().Split('\n').Select(l => Secrets.Show(l, null, Prediction.MaxLogLineChars)));
        var reason = p.Status switch
        {
            PredictionStatus.Failed => $"failed: {(p.Error is null ? "(no error message)" : Secrets.Show(p.Error, null, 2000))}",
            PredictionStatus.Canceled => "was canceled",
            PredictionStatus.Aborted => "was aborted before it started (Cancel-After deadline; not billed)",
            _ => $"ended with status '{Secrets.Show(p.Status, null, 100)}'",
        };
        throw new ReplicatePredictionFailedException(
            $"Replicate {what} {Secrets.Show(p.Id, null, 100)} {reason}" + (tail.Length > 0 ? $"\n--- last log lines ---\n{tail}" : ""), p);
    }

    /// <summary>A progress report fit to print: id, status and last log line redacted, made visible and shortened.</summary>
    private PredictionProgress Report(Prediction p)
    {
        var of = LogProgress.Of(p);
        return of with { PredictionId = Show(of.PredictionId, 100), Status = Show(of.Status, 100), LastLogLine = of.LastLogLine is null ? null : Show(of.LastLogLine, Prediction.MaxLogLineChars) };
    }

    private async Task<Prediction> WaitCoreAsync(Prediction prediction, bool training, IProgress<PredictionProgress>? progress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        using var timeoutCts = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var p = prediction;
        var interval = Options.PollInterval;
        try
        {
            while (true)
            {
                progress?.Report(Report(p));
                if (p.IsTerminal) return p;
                await Task.Delay(interval, _time, linked.Token).ConfigureAwait(false);
                p = training ? await GetTrainingAsync(p.Id, linked.Token).ConfigureAwait(false)
                             : await GetPredictionAsync(p.Id, linked.Token).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(Options.MaxPollInterval.Ticks, (long)(interval.Ticks * Options.PollBackoffFactor)));
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            try
            {
                using var cancelCts = new CancellationTokenSource(Options.RequestTimeout, _time);
                if (training) await CancelTrainingAsync(p.Id, cancelCts.Token).ConfigureAwait(false);
                else await CancelPredictionAsync(p.Id, cancelCts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ReplicateApiException or OperationCanceledException or HttpRequestException) { /* best effort */ }
            cancellationToken.ThrowIfCancellationRequested();
            throw new ReplicateTimeoutException($"Replicate {(training ? "training" : "prediction")} {Show(p.Id, 100)} did not finish within {timeout} (status {Show(p.Status, 100)}); it was cancelled on the server. Raise the timeout (ReplicateClientOptions.Timeout) for long cold boots.", Redact(p.Id));
        }
    }

    private Task<Prediction> CancelAsync(Uri uri, string id, CancellationToken cancellationToken)
        => SendIdempotentAsync(HttpMethod.Post, uri, id, async (resp, ct) => Prediction.FromJson(await ReadObjectAsync(resp, ct).ConfigureAwait(false)), cancellationToken);

    /// <summary>Pages of <c>GET /predictions</c> read when looking for a prediction an unclear create may have made (20):
    /// a server whose <c>next</c> cursor never ends cannot keep the client reading.</summary>
    internal const int MaxFindPages = 20;

    private async Task<Prediction?> FindCreatedAsync(PredictionRequest request, DateTimeOffset t0, CancellationToken cancellationToken)
    {
        var versionId = request.Version.Contains(':') ? request.Version[(request.Version.LastIndexOf(':') + 1)..] : request.Version;
        Prediction? match = null;
        try
        {
            var query = "created_after=" + Uri.EscapeDataString(t0.AddSeconds(-5).UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            Uri? next = Api("predictions?" + query);
            var seen = new HashSet<string>();
            for (var page = 0; next != null && page < MaxFindPages && seen.Add(next.ToString()); page++)
            {
                var json = await GetJsonAsync(next, null, cancellationToken).ConfigureAwait(false);
                foreach (var item in (json["results"] as JsonArray) ?? new JsonArray())
                {
                    if (item is not JsonObject o) continue;
                    var p = Prediction.FromJson(o);
                    if (p.Version != versionId && p.Version != request.Version) continue;
                    if (p.Input != null && !JsonNode.DeepEquals(p.Input, request.Input)) continue;
                    match = p; // newest first: keep the oldest match
                }
                next = Prediction.Str(json, "next") is { } n && Uri.TryCreate(n, UriKind.Absolute, out var u) ? u : null;
            }
        }
        catch (ReplicateApiException) { return null; }
        return match == null ? null : await GetPredictionAsync(match.Id, cancellationToken).ConfigureAwait(false);
    }

    private Uri Api(string relative) => new(_base + "/" + relative);

    private static string Esc(string s) => Uri.EscapeDataString(s);

    /// <summary>A prediction or training id as a URL path segment. Ids come from the server: one that is not an id (empty,
    /// over 128 characters, anything but letters, digits, '-' and '_', such as <c>../x</c>) is never put into a request.</summary>
    /// <exception cref="ReplicateServerException">Not an id.</exception>
    private string Id(string id)
    {
        if (IsId(id)) return id;
        throw new ReplicateServerException($"Replicate gave the prediction id \"{Show(id, 80)}\", which is not an id (letters, digits, '-' and '_', at most 128); it was not put into a request. "
            + "Check the prediction on https://replicate.com/predictions; if the server is not Replicate's, check REPLICATE_BASE_URL.", null, null, null);
    }

    /// <summary>True for a plausible prediction id: 1–128 ASCII letters, digits, '-' and '_'.</summary>
    internal static bool IsId(string? id) => id is { Length: > 0 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The URL without query, fragment or credentials, and without the token (for messages).</summary>
    private string SafeUrl(Uri u) => Show(OutputDownload.SafeUrl(u), 300);

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var req = new HttpRequestMessage(method, uri);
        req.Headers.UserAgent.ParseAdd(Options.UserAgent);
        req.Headers.Accept.ParseAdd("application/json");
        if (MaySendToken(uri)) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return req;
    }

    private Task<JsonObject> GetJsonAsync(Uri uri, string? id, CancellationToken cancellationToken)
        => SendIdempotentAsync(HttpMethod.Get, uri, id, ReadObjectAsync, cancellationToken);

    /// <summary>Reads at most <paramref name="max"/> bytes of <paramref name="content"/>; more is refused through
    /// <paramref name="tooLarge"/> (or, without it, cut at <paramref name="max"/>).</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, long max, Func<long, Exception>? tooLarge, CancellationToken cancellationToken)
    {
        if (tooLarge != null && content.Headers.ContentLength > max) throw tooLarge(content.Headers.ContentLength.Value);
        await using var s = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (ms.Length + n > max)
            {
                if (tooLarge != null) throw tooLarge(ms.Length + n);
                ms.Write(buffer, 0, (int)(max - ms.Length));
                break;
            }
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    /// <summary>The answer's JSON object, read under <see cref="ReplicateClientOptions.MaxJsonBytes"/> (100 MiB).</summary>
    /// <exception cref="ReplicateServerException">Larger, not JSON, or not an object.</exception>
    private async Task<JsonObject> ReadObjectAsync(HttpResponseMessage resp, CancellationToken cancellationToken)
    {
        var where = SafeUrl(resp.RequestMessage!.RequestUri!);
        var max = Options.MaxJsonBytes;
        var bytes = await ReadBoundedAsync(resp.Content, max, n => new ReplicateServerException(
            $"Replicate answered {where} with more than {OutputDownload.Size(max)} ({OutputDownload.Size(n)} so far); it was not read. A prediction's answer is far smaller: if the server is not Replicate's, check REPLICATE_BASE_URL.",
            resp.StatusCode, null, null), cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new ReplicateServerException($"Replicate returned an unreadable body ({OutputDownload.Size(bytes.Length)}, not a JSON object) for {where}; try again, and if it persists check REPLICATE_BASE_URL.", resp.StatusCode, null, null, e);
        }
    }

    /// <summary>GET or cancel: retried on 429, 5xx, timeouts, connection failures and answers cut off; <paramref name="read"/>
    /// reads a successful answer under the same per-request timeout.</summary>
    private async Task<T> SendIdempotentAsync<T>(HttpMethod method, Uri uri, string? id, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var req = NewRequest(method, uri);
            using var deadline = new CancellationTokenSource(Options.RequestTimeout, _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            HttpResponseMessage resp;
            try
            {
                resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NotSupportedException or UriFormatException)
            {
                throw new ReplicateServerException($"Replicate {method} {SafeUrl(uri)} was redirected to an address that is not http(s); it was not followed. Check REPLICATE_BASE_URL (it should be the API root, such as https://api.replicate.com/v1).", null, null, null, e);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
            {
                if (attempt >= Options.MaxRetries)
                    throw new ReplicateServerException($"Replicate {method} {SafeUrl(uri)} failed after {attempt + 1} attempt{(attempt == 0 ? "" : "s")}: {(e is OperationCanceledException ? $"no response within {Options.RequestTimeout}" : Show(FirstLine(e.Message), 300))}. Check the connection and try again.", null, null, null, e);
                await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (resp)
            {
                if (resp.IsSuccessStatusCode)
                {
                    try
                    {
                        return await read(resp, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        if (attempt >= Options.MaxRetries)
                            throw new ReplicateServerException($"Replicate {method} {SafeUrl(uri)} failed after {attempt + 1} attempt{(attempt == 0 ? "" : "s")}: the answer {(e is OperationCanceledException ? $"did not arrive in full within {Options.RequestTimeout}" : "was cut off")}. Check the connection and try again.", null, null, null, e);
                        await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                }
                var code = (int)resp.StatusCode;
                var retryable = code == 429 || code is 500 or 502 or 503 or 504 or 408;
                if (retryable && attempt < Options.MaxRetries)
                {
                    var hint = code == 429 ? await RetryHintAsync(resp, timeout.Token).ConfigureAwait(false) : null;
                    resp.Dispose();
                    await DelayBeforeRetryAsync(hint, attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                throw await MapErrorAsync(resp, method, uri, id, attempt, timeout.Token).ConfigureAwait(false);
            }
        }
    }

    private Task<JsonObject> SendCreateAsync(Uri uri, JsonObject body, IReadOnlyList<(string, string)>? extraHeaders, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString(Json));
        var timeout = Options.RequestTimeout + TimeSpan.FromSeconds((Options.PreferWaitSeconds ?? 0) + 0.5);
        return SendPostAsync(uri, () => new TrackingContent(bytes, "application/json"), extraHeaders, timeout, cancellationToken);
    }

    /// <summary>A non-idempotent POST: retried only on 429, or on a connection failure before any body byte was sent. The
    /// answer is read under the same timeout; one cut off after a success is an unclear create.</summary>
    private async Task<JsonObject> SendPostAsync(Uri uri, Func<HttpContent> makeContent, IReadOnlyList<(string, string)>? extraHeaders, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var req = NewRequest(HttpMethod.Post, uri);
            var content = makeContent();
            req.Content = content;
            foreach (var (k, v) in extraHeaders ?? []) req.Headers.TryAddWithoutValidation(k, v);
            using var deadline = new CancellationTokenSource(timeout, _time);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            HttpResponseMessage resp;
            try
            {
                resp = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NotSupportedException or UriFormatException)
            {
                throw new UnclearCreateException(new ReplicateServerException($"Replicate POST {SafeUrl(uri)} was redirected to an address that is not http(s); it was not followed, nor retried. Check REPLICATE_BASE_URL (it should be the API root, such as https://api.replicate.com/v1).", null, null, null, e));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
            {
                var notSent = !TrackingContent.AnyStarted(content) && e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
                if (notSent && attempt < Options.MaxRetries)
                {
                    await Task.Delay(Backoff(attempt), _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var what = e is OperationCanceledException ? $"no response within {timeout}" : Show(FirstLine(e.Message), 300);
                var error = new ReplicateServerException($"Replicate POST {SafeUrl(uri)} failed ({what}). It was not retried, so that nothing is created (and billed) twice.", null, null, null, e);
                if (notSent) throw error;
                throw new UnclearCreateException(error);
            }
            using (resp)
            {
                var code = (int)resp.StatusCode;
                if (resp.IsSuccessStatusCode)
                {
                    try
                    {
                        return await ReadObjectAsync(resp, cts.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or IOException)
                    {
                        throw new UnclearCreateException(new ReplicateServerException(
                            $"Replicate POST {SafeUrl(uri)} answered {code} but the answer {(e is OperationCanceledException ? $"did not arrive in full within {timeout}" : "was cut off")}. It was not retried, so that nothing is created (and billed) twice.", resp.StatusCode, null, null, e));
                    }
                }
                if (code == 429 && attempt < Options.MaxRetries)
                {
                    var hint = await RetryHintAsync(resp, cts.Token).ConfigureAwait(false);
                    resp.Dispose();
                    await DelayBeforeRetryAsync(hint, attempt, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var mapped = await MapErrorAsync(resp, HttpMethod.Post, uri, null, attempt, cts.Token).ConfigureAwait(false);
                if (code >= 500) throw new UnclearCreateException(mapped);
                throw mapped;
            }
        }
    }

    private sealed class UnclearCreateException(ReplicateApiException error) : Exception(error.Message)
    {
        public ReplicateApiException Error { get; } = error;
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)) * (0.8 + 0.4 * Random.Shared.NextDouble());
        return ms >= Options.MaxRetryDelay.TotalMilliseconds ? Options.MaxRetryDelay : TimeSpan.FromMilliseconds(ms);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Longest hint <see cref="RetryHint"/> returns (1 day); <see cref="ReplicateClientOptions.MaxRetryDelay"/> caps the wait further.</summary>
    internal static readonly TimeSpan MaxRetryHint = TimeSpan.FromDays(1);

    /// <summary>How long a 429 asks us to wait: Retry-After header (seconds, or a date compared with <paramref name="now"/>),
    /// then body <c>retry_after</c>, then <c>~Ns</c> in detail; at most <see cref="MaxRetryHint"/> (a server asking for ten
    /// years gets a day, and the caller's <see cref="ReplicateClientOptions.MaxRetryDelay"/> less).</summary>
    internal static TimeSpan? RetryHint(HttpResponseHeaders headers, string? body, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } ra)
        {
            if (ra.Delta is { } d) return d < TimeSpan.Zero ? TimeSpan.Zero : Min(d, MaxRetryHint);
            if (ra.Date is { } date) return date > now ? Min(date - now, MaxRetryHint) : TimeSpan.Zero;
        }
        JsonObject? json = null;
        try { json = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
        if (json?["retry_after"] is JsonValue v && v.TryGetValue<double>(out var secs) && secs >= 0) return Seconds(secs);
        if (Prediction.Str(json, "detail") is { } detail && DetailSeconds().Match(detail) is { Success: true } m
            && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var hinted))
            return Seconds(hinted);
        return null;

        static TimeSpan Seconds(double s) => !(s < MaxRetryHint.TotalSeconds) ? MaxRetryHint : TimeSpan.FromSeconds(s);
    }

    private async Task<TimeSpan?> RetryHintAsync(HttpResponseMessage resp, CancellationToken cancellationToken)
    {
        string body;
        try { body = Encoding.UTF8.GetString(await ReadBoundedAsync(resp.Content, 64 << 10, null, cancellationToken).ConfigureAwait(false)); }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException) { body = ""; }
        return RetryHint(resp.Headers, body, _time.GetUtcNow());
    }

    /// <summary>Waits before retry <paramref name="attempt"/>: the server's hint (capped at <see cref="ReplicateClientOptions.MaxRetryDelay"/>), else jittered backoff.</summary>
    private Task DelayBeforeRetryAsync(TimeSpan? hint, int attempt, CancellationToken cancellationToken) =>
        Task.Delay(hint is { } h ? Min(h, Options.MaxRetryDelay) : Backoff(attempt), _time, cancellationToken);

    private async Task<ReplicateApiException> MapErrorAsync(HttpResponseMessage resp, HttpMethod method, Uri uri, string? id, int retries, CancellationToken cancellationToken)
    {
        string body;
        try { body = Encoding.UTF8.GetString(await ReadBoundedAsync(resp.Content, 1 << 20, null, cancellationToken).ConfigureAwait(false)); }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException) { body = ""; }
        JsonObject? json = null;
        try { json = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject; } catch (JsonException) { }
        var title = Prediction.Str(json, "title") is { } t ? Show(t, 200) : null;
        var detail = Prediction.Str(json, "detail") is { } d ? Show(d, 2000) : json == null && body.Length > 0
            ? $"non-JSON {Show(resp.Content.Headers.ContentType?.MediaType ?? "body", 100)} of {body.Length} chars"
            : null;
        var code = (int)resp.StatusCode;
        var head = $"Replicate {method} {SafeUrl(uri)} → {code}{(title != null ? " " + title : "")}{(detail != null ? ": " + detail.TrimEnd().TrimEnd('.') : "")}";
        switch (code)
        {
            case >= 300 and < 400:
                return new ReplicateApiException($"Replicate {method} {SafeUrl(uri)} answered with a redirect ({code}) to {(resp.Headers.Location is { } l ? Show(l.IsAbsoluteUri ? OutputDownload.SafeUrl(l) : l.OriginalString, 300) : "nowhere")}, which API calls do not follow; check REPLICATE_BASE_URL (it should be the API root, such as https://api.replicate.com/v1).", resp.StatusCode, title, detail, id is null ? null : Redact(id));
            case 401:
                return new ReplicateAuthenticationException(head + ". The API token was rejected: check REPLICATE_API_TOKEN (create one at https://replicate.com/account/api-tokens).", title, detail);
            case 402:
                return new ReplicatePaymentRequiredException(head + ". Set up billing or add credit at https://replicate.com/account/billing.", title, detail);
            case 404:
                return new ReplicateNotFoundException(head + ". Check the model/version/prediction id; community models need a version (owner/name:<version id>).", title, detail, id is null ? null : Redact(id));
            case 422:
            {
                var fields = new List<InvalidField>();
                foreach (var f in (json?["invalid_fields"] as JsonArray) ?? new JsonArray())
                {
                    if (fields.Count >= 20) break;
                    if (f is JsonObject fo) fields.Add(new InvalidField(Show(Prediction.Str(fo, "type") ?? "", 100), Show(Prediction.Str(fo, "field") ?? "", 200), Show(Prediction.Str(fo, "description") ?? "", 500)));
                }
                var list = fields.Count > 0 ? " Fields: " + string.Join("; ", fields.Select(f => $"{f.Field} ({f.Type}) {f.Description}")) : "";
                return new ReplicateValidationException(head + "." + list, title, detail, fields);
            }
            case 429:
                return new ReplicateRateLimitException(head + $". Still throttled after {retries} retries; wait and try again (low credit lowers the limit to 6/min).", title, detail, RetryHint(resp.Headers, body, _time.GetUtcNow()));
            case >= 500:
                return new ReplicateServerException(head + (method == HttpMethod.Get ? $" (after {retries} retries)." : "."), resp.StatusCode, title, detail);
            default:
                return new ReplicateApiException(head, resp.StatusCode, title, detail, id is null ? null : Redact(id));
        }
    }

    private static string FirstLine(string s)
    {
        var i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }
}

/// <summary>Request content that records whether the HTTP stack started sending it.</summary>
internal sealed class TrackingContent : HttpContent
{
    private readonly byte[] _bytes;

    public TrackingContent(byte[] bytes, string mediaType)
    {
        _bytes = bytes;
        Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (mediaType == "application/json") Headers.ContentType.CharSet = "utf-8";
    }

    public bool Started { get; private set; }

    public static bool AnyStarted(HttpContent content) => content switch
    {
        TrackingContent t => t.Started,
        MultipartContent m => m.OfType<TrackingContent>().Any(t => t.Started),
        _ => true,
    };

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Started = true;
        await stream.WriteAsync(_bytes, cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes.Length;
        return true;
    }
}

/// <summary>Keeps secrets out of text: the token, and credentials written into a URL.</summary>
internal static partial class Secrets
{
    /// <summary><paramref name="text"/> with every occurrence of <paramref name="secret"/>, in any letter case, replaced by <c>***</c>.</summary>
    public static string Redact(string? text, string? secret)
    {
        if (string.IsNullOrEmpty(text)) return text ?? null!;
        if (string.IsNullOrEmpty(secret)) return text;
        return text.Replace(secret, "***", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Outside text made fit for a message: <paramref name="secret"/> removed, control characters made visible
    /// (<see cref="TerminalText.Visible"/>), at most <paramref name="max"/> characters (then "… (N more characters)").</summary>
    public static string Show(string? text, string? secret, int max = 200)
    {
        var shown = TerminalText.Visible(Redact(text, secret));
        return shown.Length <= max ? shown : string.Concat(shown.AsSpan(0, max), $"… ({(shown.Length - max).ToString("N0", CultureInfo.InvariantCulture)} more characters)");
    }

    /// <summary><paramref name="uri"/> as text with any <c>user:password@</c> replaced by <c>***@</c>.</summary>
    public static string Display(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri) return MaskUserInfo(uri.OriginalString);
        if (uri.UserInfo.Length == 0) return uri.ToString();
        var b = new UriBuilder(uri) { UserName = "", Password = "" };
        var text = b.Uri.ToString();
        var at = text.IndexOf("//", StringComparison.Ordinal);
        return at < 0 ? text : text[..(at + 2)] + "***@" + text[(at + 2)..];
    }

    /// <summary>Masks <c>user:password@</c> in free text that may not parse as a URI.</summary>
    public static string MaskUserInfo(string? text) => string.IsNullOrEmpty(text) ? text ?? "" : UserInfo().Replace(text, "$1***@");

    [GeneratedRegex(@"(^|//|\s)[^/\s@]+@")]
    private static partial Regex UserInfo();
}
