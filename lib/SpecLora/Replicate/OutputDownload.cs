using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;
using SkiaSharp;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>What an output file is: it decides the download's size cap, its time limit and the check of its content.</summary>
public enum OutputKind
{
    /// <summary>A generated picture: at most <see cref="DownloadLimits.MaxPictureBytes"/> (64 MiB) within
    /// <see cref="DownloadLimits.PictureTimeout"/> (5 min), and a whole PNG, JPEG or WebP (signature, header and every
    /// pixel decode) before anything is saved.</summary>
    Picture,
    /// <summary>Any other file, such as trained LoRA weights (<c>.tar</c>): at most <see cref="DownloadLimits.MaxFileBytes"/>
    /// (4 GiB) within <see cref="DownloadLimits.FileTimeout"/> (1 h); a <c>.tar</c>, <c>.zip</c> or <c>.safetensors</c> must
    /// carry its format's signature, and no file may be an HTML page.</summary>
    File,
}

/// <summary>
/// Bounds on every output download (Replicate and Cog alike): a size cap, a time limit that covers the whole body, a
/// stall limit, how many outputs one prediction may list, and how many redirects are followed. A download that breaks one
/// stops there: nothing is saved (the temporary file is deleted) and the message says what the server did.
/// </summary>
/// <remarks>The defaults are generous for what the models return: an SDXL 1024×1024 PNG is 1.5–3 MiB (the model's
/// largest, 4096×4096, about 25–40 MiB), the trainer's <c>trained_model.tar</c> about 200 MiB.</remarks>
public sealed record DownloadLimits
{
    /// <summary>Default <see cref="MaxPictureBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxPictureBytes = 64L << 20;

    /// <summary>Default <see cref="MaxFileBytes"/>: 4 GiB.</summary>
    public const long DefaultMaxFileBytes = 4L << 30;

    /// <summary>Largest picture decoded to check it: 4096×4096 pixels (the model's largest <c>outWidth</c>×<c>outHeight</c>),
    /// a 64 MiB pixel buffer.</summary>
    public const long MaxPicturePixels = 4096L * 4096;

    /// <summary>Largest side of a picture accepted: 16384 px.</summary>
    public const int MaxPictureSide = 16384;

    /// <summary>Largest picture download, in bytes (64 MiB); a picture held in a <c>data:</c> URI likewise.</summary>
    public long MaxPictureBytes { get; init; } = DefaultMaxPictureBytes;

    /// <summary>Largest download of any other file, such as LoRA weights, in bytes (4 GiB).</summary>
    public long MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>Time limit on one picture download, headers, redirects and body together (5 min).</summary>
    public TimeSpan PictureTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time limit on one other download, headers, redirects and body together (1 h: 4 GiB at 1.2 MB/s).</summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A body that sends nothing for this long is given up (60 s).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most output files one prediction may list (16; the model makes at most 4); more is refused before any download.</summary>
    public int MaxOutputs { get; init; } = 16;

    /// <summary>Redirects followed per download (5); only to http(s), never from https down to plain http except loopback.</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Checks every limit and reports every bad one at once, quoting each value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One or more limits are out of range (the message lists them all).</exception>
    public DownloadLimits Validate()
    {
        var p = new OptionProblems();
        Check(p);
        p.ThrowIfAny();
        return this;
    }

    internal void Check(OptionProblems p, string prefix = "")
    {
        if (MaxPictureBytes is < 1 or > 1L << 30) p.Range(prefix + nameof(MaxPictureBytes), $"{prefix}MaxPictureBytes={MaxPictureBytes} must be 1…{1L << 30} (1 GiB)");
        if (MaxFileBytes < 1) p.Range(prefix + nameof(MaxFileBytes), $"{prefix}MaxFileBytes={MaxFileBytes} must be ≥ 1");
        if (PictureTimeout <= TimeSpan.Zero) p.Range(prefix + nameof(PictureTimeout), $"{prefix}PictureTimeout={PictureTimeout} must be > 0");
        if (FileTimeout <= TimeSpan.Zero) p.Range(prefix + nameof(FileTimeout), $"{prefix}FileTimeout={FileTimeout} must be > 0");
        if (StallTimeout <= TimeSpan.Zero) p.Range(prefix + nameof(StallTimeout), $"{prefix}StallTimeout={StallTimeout} must be > 0");
        if (MaxOutputs is < 1 or > 1000) p.Range(prefix + nameof(MaxOutputs), $"{prefix}MaxOutputs={MaxOutputs} must be 1…1000");
        if (MaxRedirects is < 0 or > 20) p.Range(prefix + nameof(MaxRedirects), $"{prefix}MaxRedirects={MaxRedirects} must be 0…20");
    }

    internal (long Cap, TimeSpan Timeout) For(OutputKind kind) =>
        kind == OutputKind.Picture ? (MaxPictureBytes, PictureTimeout) : (MaxFileBytes, FileTimeout);
}

/// <summary>
/// The download path both clients share: <c>data:</c> URIs decoded under the cap, http(s) fetched with redirects followed
/// by hand (http(s) only, counted), a body read under the cap, the time limit and the stall limit, and the content check
/// of <see cref="OutputKind"/>. Every failure is a <see cref="ReplicateDownloadException"/> with one sentence.
/// </summary>
internal static class OutputDownload
{
    /// <summary>How a client sends one GET of a download (its headers, its token rule, its per-request timeout).</summary>
    internal sealed record Transport(
        HttpClient Http,
        TimeProvider Time,
        Func<Uri, HttpRequestMessage> NewRequest,
        TimeSpan HeaderTimeout,
        int MaxRetries,
        Func<int, TimeSpan> Backoff,
        Func<string?, string> Show,
        string Service);

    /// <summary>Copies the output at <paramref name="url"/> into <paramref name="destination"/> within <paramref name="limits"/>.</summary>
    public static async Task DownloadAsync(Transport t, DownloadLimits limits, string url, Stream destination, string? predictionId, OutputKind kind, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(destination);
        var (cap, timeout) = limits.For(kind);
        predictionId = predictionId is null ? null : t.Show(predictionId);   // from the server: redacted before it is shown or carried
        var of = $"of prediction {predictionId ?? "?"}";
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            byte[] data;
            try { DataUri.TryDecode(url, cap, out data, out _); }
            catch (FormatException e)
            {
                throw new ReplicateDownloadException($"The output {of} is a data: URI that cannot be read: {e.Message.TrimEnd('.')}; nothing was saved. Run the prediction again; if it happens again the server is sending broken outputs.", predictionId);
            }
            await WriteCheckedAsync(data, destination, kind, $"The data: URI output {of}", UrlPath(url), predictionId, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new ReplicateDownloadException($"The output {of} is not a web address ({t.Show(url)}), so it was not downloaded; nothing was saved. Run the prediction again; if it happens again, report it to whoever runs the server.", predictionId);

        using var deadline = new CancellationTokenSource(timeout, t.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked.Token;
        var current = uri;
        var received = new long[1];   // bytes of the body so far, for the time-limit message
        try
        {
            for (int attempt = 0, redirects = 0; ;)
            {
                HttpResponseMessage resp;
                using (var req = t.NewRequest(current))
                {
                    req.Headers.Accept.Clear();
                    req.Headers.Accept.ParseAdd("*/*");
                    try
                    {
                        using var headers = new CancellationTokenSource(t.HeaderTimeout, t.Time);
                        using var headerToken = CancellationTokenSource.CreateLinkedTokenSource(token, headers.Token);
                        resp = await t.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, headerToken.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is NotSupportedException or UriFormatException)
                    {
                        // an HttpClient that follows redirects itself (not ours: ReplicateClient.Create turns that off)
                        // fails this way on a redirect to file:, ftp:, … ("The hostname could not be parsed")
                        throw new ReplicateDownloadException($"The server redirected the output {of} ({t.Show(SafeUrl(uri))}) to an address that is not http(s); it was not followed and nothing was saved. Report it to whoever runs the server.", predictionId);
                    }
                    catch (Exception e) when (!token.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
                    {
                        if (++attempt > t.MaxRetries)
                            throw new ReplicateDownloadException($"The output {of} at {t.Show(SafeUrl(current))} could not be fetched after {attempt} attempts ({(e is OperationCanceledException ? $"no answer within {t.HeaderTimeout}" : t.Show(FirstLine(e.Message)))}); nothing was saved. Check the connection and run again.", predictionId);
                        await Task.Delay(t.Backoff(attempt - 1), t.Time, token).ConfigureAwait(false);
                        continue;
                    }
                }
                using (resp)
                {
                    var code = (int)resp.StatusCode;
                    if (code is >= 300 and < 400 && code != 304)
                    {
                        current = NextHop(current, resp.Headers.Location, ++redirects, limits.MaxRedirects, of, t.Show, predictionId);
                        continue;
                    }
                    if (resp.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
                        throw new ReplicateOutputExpiredException(t.Service == "Replicate"
                            ? $"Output {t.Show(SafeUrl(current))} {of} is gone (HTTP {code}): Replicate deletes API outputs about 1 hour after creation. Run the prediction again; outputs are downloaded at once to avoid this."
                            : $"Output {t.Show(SafeUrl(current))} {of} is gone (HTTP {code}) on {t.Service}; run the prediction again.", predictionId);
                    if ((code is 408 or 429 || code >= 500) && attempt < t.MaxRetries)
                    {
                        await Task.Delay(t.Backoff(attempt++), t.Time, token).ConfigureAwait(false);
                        continue;
                    }
                    if (!resp.IsSuccessStatusCode)
                        throw new ReplicateDownloadException($"The server answered HTTP {code} for the output {of} ({t.Show(SafeUrl(current))}) after {attempt + 1} attempt{(attempt == 0 ? "" : "s")}; nothing was saved. Run again later.", predictionId);
                    var what = $"The output {of} ({t.Show(SafeUrl(current))})";
                    var announced = resp.Content.Headers.ContentLength;
                    if (announced > cap)
                        throw new ReplicateDownloadException($"{what} announces {Size(announced.Value)}, more than the {Size(cap)} a {(kind == OutputKind.Picture ? "picture" : "file")} may be; it was not downloaded and nothing was saved.", predictionId);
                    if (kind == OutputKind.Picture && resp.Content.Headers.ContentType?.MediaType is { } mt && mt.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
                        throw new ReplicateDownloadException($"{what} is a {t.Show(mt)} page, not a picture; nothing was saved. The server sent something else than the image: run the prediction again.", predictionId);
                    await using var body = await resp.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                    if (kind == OutputKind.Picture)
                    {
                        using var buffer = new MemoryStream();
                        await CopyBoundedAsync(body, buffer, cap, limits.StallTimeout, t.Time, what, announced, null, predictionId, token, received).ConfigureAwait(false);
                        await WriteCheckedAsync(buffer.ToArray(), destination, kind, what, current.AbsolutePath, predictionId, token).ConfigureAwait(false);
                    }
                    else
                    {
                        var path = current.AbsolutePath;
                        await CopyBoundedAsync(body, destination, cap, limits.StallTimeout, t.Time, what, announced,
                            head => FileProblem(head, path), predictionId, token, received).ConfigureAwait(false);
                    }
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ReplicateDownloadException($"The output {of} at {t.Show(SafeUrl(current))} did not arrive within {timeout}{(received[0] > 0 ? $" ({Size(received[0])} received)" : "")}; it was given up and nothing was saved. Check the connection and run again.", predictionId);
        }
    }

    /// <summary>Where a redirect leads: an absolute http(s) address, never https → plain http except to loopback, at most
    /// <paramref name="max"/> hops.</summary>
    internal static Uri NextHop(Uri from, Uri? location, int hop, int max, string of, Func<string?, string> show, string? predictionId)
    {
        if (location is null)
            throw new ReplicateDownloadException($"The server answered the output {of} with a redirect that says nowhere to go; nothing was saved. Run the prediction again.", predictionId);
        var next = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
            throw new ReplicateDownloadException($"The server redirected the output {of} to {show(next.Scheme)}: {show(FirstLine(next.OriginalString)).Split('?')[0]}, which is not a web address; it was not followed and nothing was saved. Report it to whoever runs the server.", predictionId);
        if (from.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !ReplicateClientOptions.IsLoopbackHost(next))
            throw new ReplicateDownloadException($"The server redirected the output {of} from https to plain http ({show(SafeUrl(next))}); it was not followed and nothing was saved.", predictionId);
        if (hop > max)
            throw new ReplicateDownloadException($"The server redirected the output {of} more than {max} times (last to {show(SafeUrl(next))}), a loop; nothing was saved. Run again later.", predictionId);
        return next;
    }

    /// <summary>Copies at most <paramref name="cap"/> bytes; more, a stall or a cut body is an error. <paramref name="headCheck"/>
    /// sees the first 512 bytes (or all, when shorter) before any of them is written.</summary>
    internal static async Task<long> CopyBoundedAsync(Stream source, Stream destination, long cap, TimeSpan stall, TimeProvider time, string what,
        long? announced, Func<ReadOnlySpan<byte>, string?>? headCheck, string? predictionId, CancellationToken cancellationToken, long[]? progress = null)
    {
        const int HeadBytes = 512;
        var buffer = new byte[81920];
        var head = headCheck is null ? null : new MemoryStream();
        long total = 0;
        using var stallCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var readCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stallCts.Token);
        try
        {
            while (true)
            {
                stallCts.CancelAfter(stall);
                int n;
                try { n = await source.ReadAsync(buffer, readCts.Token).ConfigureAwait(false); }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw new ReplicateDownloadException($"{what} was cut off after {Size(total)}{(announced is { } a ? $" of the {Size(a)} announced" : "")}; nothing was saved. Run again.", predictionId);
                }
                if (n == 0) break;
                total += n;
                if (progress is not null) progress[0] = total;
                if (total > cap)
                    throw new ReplicateDownloadException($"{what} went on past {Size(cap)}, the most it may be; the download was stopped and nothing was saved.", predictionId);
                if (head is not null)
                {
                    head.Write(buffer, 0, n);
                    if (head.Length < HeadBytes) continue;
                    if (headCheck!(head.GetBuffer().AsSpan(0, (int)head.Length)) is { } problem)
                        throw new ReplicateDownloadException($"{what} {problem}; nothing was saved.", predictionId);
                    await destination.WriteAsync(head.GetBuffer().AsMemory(0, (int)head.Length), cancellationToken).ConfigureAwait(false);
                    head = null;
                    continue;
                }
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stallCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ReplicateDownloadException($"{what} stopped sending after {Size(total)} (nothing for {stall}); it was given up and nothing was saved. Run again.", predictionId);
        }
        if (head is not null)
        {
            if (headCheck!(head.GetBuffer().AsSpan(0, (int)head.Length)) is { } problem)
                throw new ReplicateDownloadException($"{what} {problem}; nothing was saved.", predictionId);
            await destination.WriteAsync(head.GetBuffer().AsMemory(0, (int)head.Length), cancellationToken).ConfigureAwait(false);
        }
        if (announced is { } expected && expected != total)
            throw new ReplicateDownloadException($"{what} was cut off after {Size(total)} of the {Size(expected)} announced; nothing was saved. Run again.", predictionId);
        return total;
    }

    private static async Task WriteCheckedAsync(byte[] bytes, Stream destination, OutputKind kind, string what, string path, string? predictionId, CancellationToken cancellationToken)
    {
        if (kind == OutputKind.Picture)
        {
            if (PictureProblem(bytes) is { } problem)
                throw new ReplicateDownloadException($"{what} {problem}; nothing was saved. The server sent something else than the image: run the prediction again.", predictionId);
        }
        else if (FileProblem(bytes.AsSpan(0, Math.Min(bytes.Length, 512)), path) is { } fileProblem)
            throw new ReplicateDownloadException($"{what} {fileProblem}; nothing was saved.", predictionId);
        await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The extension of a checked picture's format (<c>.png</c>, <c>.jpg</c>, <c>.webp</c>), from its signature; null otherwise.</summary>
    internal static string? PictureExtension(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return ".png";
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ".jpg";
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return ".webp";
        return null;
    }

    /// <summary>Null when <paramref name="bytes"/> hold a whole PNG, JPEG or WebP picture of at most
    /// <see cref="DownloadLimits.MaxPicturePixels"/> pixels (signature, header, every pixel decoded); else what they are
    /// instead, as the end of a sentence ("is an HTML page, not a picture").</summary>
    internal static string? PictureProblem(byte[] bytes)
    {
        if (bytes.Length == 0) return "is empty, not a picture";
        if (PictureExtension(bytes) is null) return $"is {Describe(bytes)}, not a PNG, JPEG or WebP picture";
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null) return "starts like a picture but its header does not decode (a damaged file)";
        int w = codec.Info.Width, h = codec.Info.Height;
        if (w < 1 || h < 1 || w > DownloadLimits.MaxPictureSide || h > DownloadLimits.MaxPictureSide || (long)w * h > DownloadLimits.MaxPicturePixels)
            return $"says it is a {w}×{h} px picture, outside what is accepted (each side 1…{DownloadLimits.MaxPictureSide} px, at most 4096×4096 px in all)";
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[4L * w * h];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        SKCodecResult result;
        try { result = codec.GetPixels(info, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        return result switch
        {
            SKCodecResult.Success => null,
            SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => $"ends early or is damaged: its {Size(bytes.Length)} hold only part of a {w}×{h} picture",
            _ => "is a picture whose pixels could not be decoded (a damaged file)",
        };
    }

    /// <summary>Null when the first bytes of a non-picture file are plausible for its name; else what is wrong. An HTML
    /// page is never a file we want; <c>.tar</c>, <c>.zip</c> and <c>.safetensors</c> must carry their signature.</summary>
    internal static string? FileProblem(ReadOnlySpan<byte> head, string path)
    {
        if (head.Length == 0) return "is empty";
        if (LooksLikeMarkup(head)) return "is an HTML or XML page, not the file";
        var ext = Path.GetExtension(path).ToLowerInvariant();
        switch (ext)
        {
            case ".tar":
                // POSIX/GNU tar: "ustar" at offset 257 of the first 512-byte header block
                if (head.Length < 262 || !head.Slice(257, 5).SequenceEqual("ustar"u8)) return "is not a tar archive (no tar header), although its name ends in .tar";
                break;
            case ".zip":
                if (head.Length < 4 || !head[..4].SequenceEqual("PK\u0003\u0004"u8)) return "is not a zip archive, although its name ends in .zip";
                break;
            case ".safetensors":
                if (head.Length < 9 || BinaryPrimitives.ReadUInt64LittleEndian(head) is 0 or > 100_000_000 || head[8] != (byte)'{')
                    return "is not a safetensors file, although its name ends in .safetensors";
                break;
        }
        return null;
    }

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> b)
    {
        int i = 0;
        if (b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) i = 3;
        while (i < b.Length && b[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i < b.Length && b[i] == (byte)'<';
    }

    /// <summary>"an HTML page", "text (…)" or "unknown data", for a message.</summary>
    private static string Describe(byte[] b)
    {
        var head = b.AsSpan(0, Math.Min(b.Length, 512));
        if (LooksLikeMarkup(head)) return "an HTML or XML page";
        var printable = 0;
        foreach (var x in head) if (x is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t') printable++;
        return printable >= head.Length * 0.95 ? "text" : $"{Size(b.Length)} of unknown data";
    }

    /// <summary>The URL without query, fragment or credentials.</summary>
    internal static string SafeUrl(Uri u) => u.UserInfo.Length == 0 ? u.GetLeftPart(UriPartial.Path) : Secrets.Display(new Uri(u.GetLeftPart(UriPartial.Path)));

    private static string UrlPath(string dataUri) => dataUri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
        ? DataUri.Extension(DataUri.MediaTypeOf(dataUri)) switch { ".bin" => "", var e => "x" + e }
        : dataUri;

    private static string FirstLine(string s)
    {
        var i = s.IndexOfAny(['\r', '\n']);
        return i < 0 ? s : s[..i];
    }

    /// <summary>A byte count for a message: "812 bytes", "3.2 MiB", "4 GiB".</summary>
    internal static string Size(long bytes) => bytes switch
    {
        1 => "1 byte",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1073741824.0:0.##} GiB"),
    };
}
