using System.Text.Json;
using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>One output file written to disk, with the manifest beside it.</summary>
/// <param name="Path">The output file.</param>
/// <param name="ManifestPath">Its JSON manifest (<c>&lt;file&gt;.json</c>).</param>
/// <param name="SourceUrl">Where it came from (data URIs shortened).</param>
/// <param name="Bytes">Size in bytes.</param>
public sealed record SavedOutput(string Path, string ManifestPath, string SourceUrl, long Bytes);

/// <summary>A finished prediction and its files on disk.</summary>
/// <param name="Prediction">The terminal prediction.</param>
/// <param name="Files">Files written (one per output).</param>
public sealed record PredictionResult(Prediction Prediction, IReadOnlyList<SavedOutput> Files);

/// <summary>
/// Downloads a prediction's outputs at once (they expire about 1 h after creation) and writes each atomically with a
/// JSON manifest beside it: backend, model, version, prediction id, the full input (with seed), status, timings,
/// metrics, log tail and source URLs. Names are unique: an earlier result is never overwritten.
/// </summary>
public static class PredictionManifest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Downloads and saves every output of <paramref name="prediction"/> into <paramref name="directory"/>.</summary>
    /// <param name="backend">Backend that ran it (downloads through it so auth rules apply).</param>
    /// <param name="prediction">A terminal prediction.</param>
    /// <param name="input">The input sent (recorded in full; the prediction's own copy may be removed).</param>
    /// <param name="directory">Output folder (created).</param>
    /// <param name="baseName">File name stem, e.g. <c>setting1</c>; the prediction id and an index are appended.</param>
    /// <param name="extra">Extra manifest fields (e.g. README setting, original image).</param>
    /// <param name="redact">Applied to every string written (removes secrets).</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <exception cref="ReplicateOutputExpiredException">An output URL has expired, or the prediction's data were removed.</exception>
    public static async Task<PredictionResult> SaveAsync(IPredictionBackend backend, Prediction prediction, JsonObject input, string directory, string baseName,
        JsonObject? extra = null, Func<string?, string>? redact = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(prediction);
        redact ??= s => s ?? "";
        var urls = prediction.OutputUrls();
        if (urls.Count == 0 && prediction.DataRemoved)
            throw new ReplicateOutputExpiredException($"Prediction {prediction.Id} has data_removed=true: its outputs were deleted (Replicate keeps API outputs about 1 hour). Run it again.", prediction.Id);
        if (urls.Count == 0)
            throw new ReplicateApiException($"Prediction {prediction.Id} ({prediction.Status}) has no output files.", null, predictionId: prediction.Id);
        Directory.CreateDirectory(directory);
        var files = new List<SavedOutput>();
        for (var i = 0; i < urls.Count; i++)
        {
            var url = urls[i];
            var ext = ExtensionOf(url);
            var path = UniquePath(directory, $"{Sanitize(baseName)}_{Sanitize(prediction.Id)}" + (urls.Count > 1 ? $"_{i}" : ""), ext);
            long bytes = 0;
            await AtomicFile.WriteAsync(path, async (s, ct) =>
            {
                await backend.DownloadAsync(url, s, prediction.Id, ct).ConfigureAwait(false);
                bytes = s.Length;
            }, overwrite: false, cancellationToken).ConfigureAwait(false);
            var source = ShortSource(url);
            var manifest = Build(backend, prediction, input, Path.GetFileName(path), i, urls.Select(ShortSource).ToArray(), extra, redact);
            var manifestPath = path + ".json";
            AtomicFile.WriteAllText(manifestPath, manifest.ToJsonString(Indented), overwrite: false);
            files.Add(new SavedOutput(path, manifestPath, source, bytes));
        }
        return new PredictionResult(prediction, files);
    }

    /// <summary>The manifest object for one output.</summary>
    public static JsonObject Build(IPredictionBackend backend, Prediction p, JsonObject input, string fileName, int index, IReadOnlyList<string> sourceUrls, JsonObject? extra, Func<string?, string> redact)
    {
        var sources = new JsonArray();
        foreach (var s in sourceUrls) sources.Add(redact(s));
        var m = new JsonObject
        {
            ["file"] = fileName,
            ["output_index"] = index,
            ["backend"] = backend.Name,
            ["model"] = p.Model ?? backend.ModelName,
            ["version"] = p.Version,
            ["prediction_id"] = p.Id,
            ["status"] = p.Status,
            ["input"] = JsonNode.Parse(redact(input.ToJsonString())),
            ["seed"] = input["seed"]?.DeepClone() ?? SeedFromLogs(p.Logs),
            ["error"] = p.Error == null ? null : redact(p.Error),
            ["created_at"] = p.CreatedAt?.ToString("O"),
            ["started_at"] = p.StartedAt?.ToString("O"),
            ["completed_at"] = p.CompletedAt?.ToString("O"),
            ["metrics"] = p.Metrics == null ? null : JsonNode.Parse(redact(p.Metrics.ToJsonString())),
            ["log_tail"] = redact(p.LogTail()),
            ["source_urls"] = sources,
            ["saved_at"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        if (extra != null)
            foreach (var (k, v) in extra) m[k] = v?.DeepClone();
        return m;
    }

    /// <summary>A path in <paramref name="directory"/> that does not exist yet: <c>stem.ext</c>, else <c>stem-2.ext</c>, …</summary>
    public static string UniquePath(string directory, string stem, string extension)
    {
        var path = Path.Combine(directory, stem + extension);
        for (var n = 2; File.Exists(path) || File.Exists(path + ".json"); n++)
            path = Path.Combine(directory, $"{stem}-{n}{extension}");
        return path;
    }

    private static JsonNode? SeedFromLogs(string logs)
    {
        var m = System.Text.RegularExpressions.Regex.Match(logs ?? "", @"[Uu]sing seed:?\s*(\d+)");
        return m.Success && long.TryParse(m.Groups[1].Value, out var s) ? s : null;
    }

    private static string ExtensionOf(string url)
    {
        if (DataUri.TryDecode(url.Length > 200 ? url[..url.IndexOf(',')] + "," : url, out _, out var mime)) return DataUri.Extension(mime);
        var ext = Path.GetExtension(new Uri(url).AbsolutePath);
        return string.IsNullOrEmpty(ext) || ext.Length > 6 ? ".bin" : ext.ToLowerInvariant();
    }

    private static string ShortSource(string url) =>
        url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? $"{url[..Math.Max(0, url.IndexOf(','))]},… ({url.Length} chars)" : url;

    private static string Sanitize(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
