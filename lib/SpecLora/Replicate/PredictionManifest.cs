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
/// metrics, log tail and source URLs. Names are unique: a file that exists (one this run did not make) is never
/// overwritten, and a failed download leaves nothing behind.
/// </summary>
/// <remarks>Every string that came from the server is redacted before it reaches a file name or the manifest; the
/// prediction id in a file name keeps only ASCII letters, digits, '-' and '_' (at most 64), so <c>../x</c>, <c>/</c> or a
/// 300-character id never becomes a path. A picture is named after the format it turned out to be (<c>.png</c>,
/// <c>.jpg</c>, <c>.webp</c>), whatever the server's URL says; another file keeps <c>.tar</c>, <c>.zip</c>,
/// <c>.safetensors</c> or <c>.json</c>, else <c>.bin</c>.</remarks>
internal static class PredictionManifest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Downloads and saves every output of <paramref name="prediction"/> into <paramref name="directory"/> as pictures.</summary>
    /// <param name="backend">Backend that ran it (downloads through it so auth rules and limits apply).</param>
    /// <param name="prediction">A terminal prediction.</param>
    /// <param name="input">The input sent (recorded in full; the prediction's own copy may be removed).</param>
    /// <param name="directory">Output folder (created).</param>
    /// <param name="baseName">File name stem, e.g. <c>setting1</c>; the prediction id and an index are appended.</param>
    /// <param name="extra">Extra manifest fields (e.g. README setting, original image).</param>
    /// <param name="redact">Applied to every string written (removes secrets).</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    /// <exception cref="ReplicateOutputExpiredException">An output URL has expired, or the prediction's data were removed.</exception>
    /// <exception cref="ReplicateDownloadException">An output was refused (too large, too slow, not a picture, …); nothing of it was saved.</exception>
    public static Task<PredictionResult> SaveAsync(IPredictionBackend backend, Prediction prediction, JsonObject input, string directory, string baseName,
        JsonObject? extra = null, Func<string?, string>? redact = null, CancellationToken cancellationToken = default)
        => SaveAsync(backend, prediction, input, directory, baseName, OutputKind.Picture, extra, redact, cancellationToken);

    /// <summary>As above, for outputs of <paramref name="kind"/> (<see cref="OutputKind.File"/> for trained weights).</summary>
    /// <param name="backend">Backend that ran it (downloads through it so auth rules and limits apply).</param>
    /// <param name="prediction">A terminal prediction.</param>
    /// <param name="input">The input sent.</param>
    /// <param name="directory">Output folder (created).</param>
    /// <param name="baseName">File name stem.</param>
    /// <param name="kind">What the outputs are: pictures (checked and named by their format) or other files.</param>
    /// <param name="extra">Extra manifest fields.</param>
    /// <param name="redact">Applied to every string written (removes secrets).</param>
    /// <param name="cancellationToken">Cancels the downloads.</param>
    public static async Task<PredictionResult> SaveAsync(IPredictionBackend backend, Prediction prediction, JsonObject input, string directory, string baseName,
        OutputKind kind, JsonObject? extra = null, Func<string?, string>? redact = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(input);
        redact ??= s => s ?? "";
        var shownId = Secrets.Show(redact(prediction.Id), null, 100);
        var urls = prediction.OutputUrls();
        var maxOutputs = (backend as ReplicateBackend)?.Limits.MaxOutputs ?? (backend as CogClient)?.Options.Downloads.MaxOutputs ?? new DownloadLimits().MaxOutputs;
        if (urls.Count == 0 && prediction.DataRemoved)
            throw new ReplicateOutputExpiredException($"Prediction {shownId} has data_removed=true: its outputs were deleted (Replicate keeps API outputs about 1 hour). Run it again.", redact(prediction.Id));
        if (urls.Count == 0)
            throw new ReplicateApiException($"Prediction {shownId} ({Secrets.Show(redact(prediction.Status), null, 100)}) has no output files.", null, predictionId: redact(prediction.Id));
        if (urls.Count > maxOutputs)
            throw new ReplicateDownloadException($"Prediction {shownId} lists {urls.Count} output files, more than the {maxOutputs} a prediction may have; none was downloaded and nothing was saved. Check the model and its num_outputs.", redact(prediction.Id));
        Directory.CreateDirectory(directory);
        var stem = $"{FileNamePart(baseName, 64, "output")}_{IdForFileName(prediction.Id, redact)}";
        var sources = urls.Select(u => ShortSource(redact(u))).ToArray();
        var files = new List<SavedOutput>();
        for (var i = 0; i < urls.Count; i++)
        {
            var url = urls[i];
            var name = stem + (urls.Count > 1 ? $"_{i}" : "");
            string path;
            long bytes;
            if (kind == OutputKind.Picture)
            {
                // the picture is checked in memory (≤ 64 MiB) and named after what it is, then written atomically
                using var buffer = new MemoryStream();
                await backend.DownloadAsync(url, buffer, prediction.Id, OutputKind.Picture, cancellationToken).ConfigureAwait(false);
                var data = buffer.ToArray();
                var ext = OutputDownload.PictureExtension(data);
                if (ext is null || (backend is not ReplicateBackend && backend is not CogClient && OutputDownload.PictureProblem(data) is not null))
                    throw new ReplicateDownloadException($"Output {i} of prediction {shownId} {OutputDownload.PictureProblem(data) ?? "is not a picture"}; nothing was saved.", redact(prediction.Id));
                path = UniquePath(directory, name, ext);
                AtomicFile.WriteAllBytes(path, data, overwrite: false);
                bytes = data.Length;
            }
            else
            {
                path = UniquePath(directory, name, FileExtension(url));
                long written = 0;
                await AtomicFile.WriteAsync(path, async (s, ct) =>
                {
                    await backend.DownloadAsync(url, s, prediction.Id, OutputKind.File, ct).ConfigureAwait(false);
                    written = s.Length;
                }, overwrite: false, cancellationToken).ConfigureAwait(false);
                bytes = written;
            }
            var manifest = Build(backend, prediction, input, Path.GetFileName(path), i, sources, extra, redact);
            var manifestPath = path + ".json";
            AtomicFile.WriteAllText(manifestPath, manifest.ToJsonString(Indented), overwrite: false);
            files.Add(new SavedOutput(path, manifestPath, sources[i], bytes));
        }
        return new PredictionResult(prediction.Redacted(redact), files);
    }

    /// <summary>The manifest object for one output. Every string from the server (model, version, prediction id, status,
    /// error, logs, metrics, source URLs) and everything else written passes through <paramref name="redact"/>.</summary>
    public static JsonObject Build(IPredictionBackend backend, Prediction p, JsonObject input, string fileName, int index, IReadOnlyList<string> sourceUrls, JsonObject? extra, Func<string?, string> redact)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(redact);
        var sources = new JsonArray();
        foreach (var s in sourceUrls) sources.Add(redact(s));
        var m = new JsonObject
        {
            ["file"] = redact(fileName),
            ["output_index"] = index,
            ["backend"] = backend.Name,
            ["model"] = Cut(redact(p.Model ?? backend.ModelName), 200),
            ["version"] = p.Version is null ? null : Cut(redact(p.Version), 200),
            ["prediction_id"] = Cut(redact(p.Id), 200),
            ["status"] = Cut(redact(p.Status), 100),
            ["input"] = JsonNode.Parse(redact(input.ToJsonString())),
            ["seed"] = input["seed"]?.DeepClone() ?? SeedFromLogs(p.Logs),
            ["error"] = p.Error == null ? null : Cut(redact(p.Error), 4000),
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
        // last pass over the whole text: nothing written may hold the token, whatever field it hid in
        return JsonNode.Parse(redact(m.ToJsonString()))!.AsObject();
    }

    /// <summary>A path in <paramref name="directory"/> that does not exist yet: <c>stem.ext</c>, else <c>stem-2.ext</c>, …</summary>
    public static string UniquePath(string directory, string stem, string extension)
    {
        var path = Path.Combine(directory, stem + extension);
        for (var n = 2; Taken(path) || Taken(path + ".json"); n++)
            path = Path.Combine(directory, $"{stem}-{n}{extension}");
        return path;

        // a dangling symbolic link or a folder also holds the name
        static bool Taken(string p) => File.Exists(p) || Directory.Exists(p) || new FileInfo(p).LinkTarget is not null;
    }

    /// <summary>The prediction id as it may appear in a file name: redacted (an id holding the token becomes <c>redacted</c>),
    /// then only ASCII letters, digits, '-' and '_', at most 64 characters (<c>noid</c> when nothing is left).</summary>
    internal static string IdForFileName(string? id, Func<string?, string> redact)
    {
        var r = redact(id);
        return r != (id ?? "") ? "redacted" : FileNamePart(id, 64, "noid");
    }

    /// <summary><paramref name="text"/> reduced to ASCII letters, digits, '-' and '_' (no dot, so never <c>..</c> or a hidden
    /// name; no separator), at most <paramref name="max"/> characters; <paramref name="fallback"/> when nothing is left.</summary>
    internal static string FileNamePart(string? text, int max, string fallback)
    {
        var kept = string.Concat((text ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        if (kept.Length > max) kept = kept[..max];
        return kept.Length == 0 ? fallback : kept;
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    private static JsonNode? SeedFromLogs(string logs)
    {
        var m = System.Text.RegularExpressions.Regex.Match(logs ?? "", @"[Uu]sing seed:?\s*(\d{1,18})");
        return m.Success && long.TryParse(m.Groups[1].Value, out var s) ? s : null;
    }

    /// <summary>The extension of a non-picture output: from a data URI's MIME type, else the URL's own when it is one we
    /// know (<c>.tar</c>, <c>.zip</c>, <c>.safetensors</c>, <c>.json</c>), else <c>.bin</c>.</summary>
    internal static string FileExtension(string url)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var e = DataUri.Extension(DataUri.MediaTypeOf(url));
            return e is ".tar" or ".zip" or ".json" ? e : ".bin";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u)) return ".bin";
        var ext = Path.GetExtension(u.AbsolutePath).ToLowerInvariant();
        return ext is ".tar" or ".zip" or ".safetensors" or ".json" ? ext : ".bin";
    }

    private static string ShortSource(string url) =>
        url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ? $"{(url.IndexOf(',') is > 0 and < 200 ? url[..url.IndexOf(',')] : "data:")},… ({url.Length} chars)"
        : url.Length > 2000 ? url[..2000] + "…" : url;
}
