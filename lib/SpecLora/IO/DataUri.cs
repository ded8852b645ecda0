using System.Globalization;
using System.Text;

namespace SpecLora.IO;

/// <summary><c>data:[mime][;base64],…</c> URIs (RFC 2397): what Cog returns for file outputs (and Replicate's sync
/// mode briefly did), and what HTML pages embed pictures and sounds with.</summary>
internal static class DataUri
{
    /// <summary>True when <paramref name="uri"/> is a data URI; gives its bytes and MIME type (<c>text/plain</c> when absent).</summary>
    /// <exception cref="FormatException">A data URI without a comma, or a <c>;base64</c> payload that is not valid base64;
    /// the message is one sentence saying which.</exception>
    public static bool TryDecode(string uri, out byte[] bytes, out string mediaType) => TryDecode(uri, long.MaxValue, out bytes, out mediaType);

    /// <summary>As <see cref="TryDecode(string, out byte[], out string)"/>, refusing a payload of more than
    /// <paramref name="maxBytes"/> decoded bytes before decoding it (its size is known from its length).</summary>
    /// <exception cref="FormatException">No comma, not valid base64, or more than <paramref name="maxBytes"/>; one sentence.</exception>
    public static bool TryDecode(string uri, long maxBytes, out byte[] bytes, out string mediaType)
    {
        bytes = [];
        mediaType = "";
        if (uri is null || !uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return false;
        var comma = uri.IndexOf(',');
        if (comma < 0) throw new FormatException("it has no ',' between its media type and its payload");
        var meta = uri[5..comma];
        var isBase64 = meta.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        mediaType = MediaTypeOf(uri);
        var payload = uri.AsSpan(comma + 1);
        if (isBase64)
        {
            var trimmed = payload.TrimEnd();
            int padding = trimmed.EndsWith("==") ? 2 : trimmed.EndsWith("=") ? 1 : 0;
            long decoded = Math.Max(0, (long)payload.Length * 3 / 4 - padding);   // an upper bound (whitespace counts too)
            if ((long)trimmed.Length * 3 / 4 - padding > maxBytes) throw new FormatException(TooLarge((long)trimmed.Length * 3 / 4 - padding, maxBytes));
            var buffer = new byte[decoded + 3];
            if (!Convert.TryFromBase64Chars(payload, buffer, out var written))
                throw new FormatException($"its payload ({payload.Length.ToString("N0", CultureInfo.InvariantCulture)} characters) is marked base64 but is not valid base64");
            if (written > maxBytes) throw new FormatException(TooLarge(written, maxBytes));
            bytes = buffer[..written];
            return true;
        }
        if (payload.Length > maxBytes) throw new FormatException(TooLarge(payload.Length, maxBytes));
        bytes = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload.ToString()));
        if (bytes.Length > maxBytes) throw new FormatException(TooLarge(bytes.Length, maxBytes));
        return true;
    }

    /// <summary>The MIME type a data URI declares (<c>text/plain</c> when it declares none), without decoding its payload;
    /// "" for anything else.</summary>
    public static string MediaTypeOf(string? uri)
    {
        if (uri is null || !uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return "";
        var end = uri.IndexOf(',');
        var meta = end < 0 ? uri[5..Math.Min(uri.Length, 200)] : uri[5..end];
        var type = meta.Split(';')[0].Trim();
        return type.Length == 0 ? "text/plain" : type;
    }

    /// <summary>A base64 data URI: <c>data:{mediaType};base64,…</c>.</summary>
    public static string Encode(string mediaType, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        return "data:" + mediaType + ";base64," + Convert.ToBase64String(bytes);
    }

    /// <summary>File extension for a MIME type (<c>.png</c>, <c>.jpg</c>, <c>.webp</c>, <c>.tar</c>, …), or <c>.bin</c>.</summary>
    public static string Extension(string? mediaType) => mediaType?.ToLowerInvariant() switch
    {
        "image/png" => ".png",
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/webp" => ".webp",
        "application/x-tar" => ".tar",
        "application/zip" => ".zip",
        "application/json" => ".json",
        _ => ".bin",
    };

    private static string TooLarge(long bytes, long max) => $"it holds about {Size(bytes)}, more than the {Size(max)} allowed";

    private static string Size(long bytes) => bytes < 1L << 20
        ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB");
}
