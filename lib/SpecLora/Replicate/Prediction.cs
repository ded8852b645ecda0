using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SpecLora.Replicate;

/// <summary>Status strings of a prediction or training. Anything else (e.g. <c>aborted</c>, future values) is terminal.</summary>
public static class PredictionStatus
{
    /// <summary>Queued or cold-booting.</summary>
    public const string Starting = "starting";
    /// <summary>Running.</summary>
    public const string Processing = "processing";
    /// <summary>Done, output available.</summary>
    public const string Succeeded = "succeeded";
    /// <summary>Model error (served as HTTP 200).</summary>
    public const string Failed = "failed";
    /// <summary>Cancelled (by the caller or by <c>Cancel-After</c> while running).</summary>
    public const string Canceled = "canceled";
    /// <summary><c>Cancel-After</c> expired before start; not billed.</summary>
    public const string Aborted = "aborted";

    /// <summary>True for every status except <c>starting</c> and <c>processing</c> (unknown statuses are terminal).</summary>
    public static bool IsTerminal(string? status) => status is not (Starting or Processing);
}

/// <summary>A Replicate prediction or training (same shape; trainings add <see cref="Destination"/>), or a Cog result.</summary>
/// <remarks>Everything in it came from a server: <see cref="Logs"/> keeps the last 64 KiB, <see cref="Error"/> the first
/// 16 KiB and <see cref="Status"/> the first 100 characters; before any of it is shown, written or used in a file name it is
/// redacted for the token and its control characters are made visible (the clients and <see cref="PredictionManifest"/>
/// do that).</remarks>
public sealed record Prediction
{
    /// <summary>Characters of <see cref="Logs"/> kept (the last 64 Ki).</summary>
    internal const int MaxLogChars = 64 << 10;

    /// <summary>Characters of <see cref="Error"/> kept (the first 16 Ki).</summary>
    internal const int MaxErrorChars = 16 << 10;

    /// <summary>Characters of one log line shown in a log tail (500).</summary>
    internal const int MaxLogLineChars = 500;

    /// <summary>Prediction id.</summary>
    public required string Id { get; init; }
    /// <summary><c>owner/name</c> of the model.</summary>
    public string? Model { get; init; }
    /// <summary>Version id (or <c>hidden</c>).</summary>
    public string? Version { get; init; }
    /// <summary>Input as sent.</summary>
    public JsonObject? Input { get; init; }
    /// <summary>Output: a URL, a list of URLs / data URIs, an object (trainings) or null.</summary>
    public JsonNode? Output { get; init; }
    /// <summary>Logs so far.</summary>
    public string Logs { get; init; } = "";
    /// <summary>Error text when failed.</summary>
    public string? Error { get; init; }
    /// <summary>Status string; see <see cref="PredictionStatus"/>.</summary>
    public required string Status { get; init; }
    /// <summary>True when inputs/outputs were deleted (about 1 h after an API prediction).</summary>
    public bool DataRemoved { get; init; }
    /// <summary>Training destination (<c>owner/name</c>).</summary>
    public string? Destination { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Start time.</summary>
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>Completion time.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>Metrics (<c>predict_time</c>, <c>total_time</c>…), terminal states only.</summary>
    public JsonObject? Metrics { get; init; }
    /// <summary><c>urls.get</c>.</summary>
    public Uri? GetUrl { get; init; }
    /// <summary><c>urls.cancel</c>.</summary>
    public Uri? CancelUrl { get; init; }

    /// <summary>True when <see cref="Status"/> is terminal.</summary>
    public bool IsTerminal => PredictionStatus.IsTerminal(Status);

    /// <summary>Every output file reference (https URLs and data URIs) found in <see cref="Output"/>, in order.</summary>
    public IReadOnlyList<string> OutputUrls()
    {
        var list = new List<string>();
        Collect(Output, list);
        return list;

        static void Collect(JsonNode? node, List<string> into)
        {
            switch (node)
            {
                case JsonValue v when v.TryGetValue<string>(out var s):
                    if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                        into.Add(s);
                    break;
                case JsonArray a:
                    foreach (var item in a) Collect(item, into);
                    break;
                case JsonObject o:
                    foreach (var kv in o) Collect(kv.Value, into);
                    break;
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> log lines (tqdm carriage returns folded), each cut at
    /// <see cref="MaxLogLineChars"/> characters.</summary>
    public string LogTail(int lines = 20)
    {
        if (string.IsNullOrEmpty(Logs)) return "";
        var all = Logs.Replace("\r\n", "\n").Split('\n').Select(l => l.Contains('\r') ? l[(l.LastIndexOf('\r') + 1)..] : l).Where(l => l.Length > 0).ToArray();
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.Length <= MaxLogLineChars ? l : l[..MaxLogLineChars] + "…"));
    }

    /// <summary>A copy with every string from the server passed through <paramref name="redact"/> (id, model, version,
    /// status, logs, error, destination, input, output, metrics, URLs), for anything shown or written.</summary>
    internal Prediction Redacted(Func<string?, string> redact)
    {
        ArgumentNullException.ThrowIfNull(redact);
        static JsonNode? Json(JsonNode? n, Func<string?, string> redact)
        {
            if (n is null) return null;
            try { return JsonNode.Parse(redact(n.ToJsonString())); }
            catch (System.Text.Json.JsonException) { return null; }
        }
        return this with
        {
            Id = redact(Id),
            Model = Model is null ? null : redact(Model),
            Version = Version is null ? null : redact(Version),
            Status = redact(Status),
            Logs = redact(Logs),
            Error = Error is null ? null : redact(Error),
            Destination = Destination is null ? null : redact(Destination),
            Input = Json(Input, redact) as JsonObject,
            Output = Json(Output, redact),
            Metrics = Json(Metrics, redact) as JsonObject,
            GetUrl = GetUrl is null || !Uri.TryCreate(redact(GetUrl.ToString()), UriKind.Absolute, out var g) ? null : g,
            CancelUrl = CancelUrl is null || !Uri.TryCreate(redact(CancelUrl.ToString()), UriKind.Absolute, out var c) ? null : c,
        };
    }

    /// <summary>Progress in percent from the last tqdm-style log line (<c>45%|██ | 23/50</c>), or null.</summary>
    public double? ProgressPercent() => LogProgress.ParsePercent(Logs);

    /// <summary>Parses the JSON object the API returns.</summary>
    public static Prediction FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var urls = json["urls"] as JsonObject;
        return new Prediction
        {
            Id = Str(json, "id") ?? "",
            Model = Str(json, "model"),
            Version = Str(json, "version"),
            Input = json["input"]?.DeepClone() as JsonObject,
            Output = json["output"]?.DeepClone(),
            Logs = Last(Str(json, "logs") ?? "", MaxLogChars),
            Error = First(json["error"] switch { null => null, JsonValue v when v.TryGetValue<string>(out var s) => s, var n => n.ToJsonString() }, MaxErrorChars),
            Status = First(Str(json, "status"), 100) ?? "unknown",
            DataRemoved = json["data_removed"] is JsonValue dv && dv.TryGetValue<bool>(out var b) && b,
            Destination = Str(json, "destination"),
            CreatedAt = Time(json, "created_at"),
            StartedAt = Time(json, "started_at"),
            CompletedAt = Time(json, "completed_at"),
            Metrics = json["metrics"]?.DeepClone() as JsonObject,
            GetUrl = Url(urls, "get"),
            CancelUrl = Url(urls, "cancel"),
        };
    }

    internal static string? Str(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary><paramref name="o"/>'s member <paramref name="name"/> when it is an object, else null (never throws on a
    /// server's array or value where an object was expected).</summary>
    internal static JsonObject? Obj(JsonNode? o, string name) => o is JsonObject obj && obj[name] is JsonObject child ? child : null;

    private static string Last(string s, int max) => s.Length <= max ? s : s[^max..];

    private static string? First(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    private static DateTimeOffset? Time(JsonObject o, string name) =>
        Str(o, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static Uri? Url(JsonObject? o, string name) => Str(o, name) is { } s && Uri.TryCreate(s, UriKind.Absolute, out var u) ? u : null;
}

/// <summary>A progress report while waiting: status, percentage parsed from the logs, last log line.</summary>
/// <param name="PredictionId">Prediction or training id.</param>
/// <param name="Status">Current status.</param>
/// <param name="Percent">0–100 from the last tqdm line, or null.</param>
/// <param name="LastLogLine">Last non-empty log line.</param>
public sealed record PredictionProgress(string PredictionId, string Status, double? Percent, string? LastLogLine);

/// <summary>Parses progress from model logs (tqdm lines such as <c> 45%|████▌     | 23/50 [00:05&lt;00:06]</c>).</summary>
internal static partial class LogProgress
{
    [GeneratedRegex(@"(\d{1,3}(?:\.\d+)?)%\|")]
    private static partial Regex PercentBar();

    [GeneratedRegex(@"\b(\d+)/(\d+)\s*\[")]
    private static partial Regex StepCount();

    /// <summary>The last percentage in <paramref name="logs"/> (0–100), or null when there is none.</summary>
    public static double? ParsePercent(string? logs)
    {
        if (string.IsNullOrEmpty(logs)) return null;
        var matches = PercentBar().Matches(logs);
        if (matches.Count > 0 && double.TryParse(matches[^1].Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p))
            return Math.Clamp(p, 0, 100);
        var steps = StepCount().Matches(logs);
        if (steps.Count > 0)
        {
            var m = steps[^1];
            if (long.TryParse(m.Groups[1].Value, out var n) && long.TryParse(m.Groups[2].Value, out var total) && total > 0)
                return Math.Clamp(100.0 * n / total, 0, 100);
        }
        return null;
    }

    /// <summary>The progress report for <paramref name="prediction"/>.</summary>
    public static PredictionProgress Of(Prediction prediction)
    {
        var tail = prediction.LogTail(1);
        return new PredictionProgress(prediction.Id, prediction.Status, ParsePercent(prediction.Logs), tail.Length == 0 ? null : tail);
    }
}
