using System.Text;

namespace SpecLora.IO;

/// <summary><c>data:[mime][;base64],…</c> URIs (RFC 2397): what Cog returns for file outputs (and Replicate's sync
/// mode briefly did), and what HTML pages embed pictures and sounds with.</summary>
public static class DataUri
{
    /// <summary>True when <paramref name="uri"/> is a data URI; gives its bytes and MIME type (<c>text/plain</c> when absent).</summary>
    /// <exception cref="FormatException">A <c>;base64</c> payload that is not valid base64.</exception>
    public static bool TryDecode(string uri, out byte[] bytes, out string mediaType)
    {
        bytes = [];
        mediaType = "";
        if (uri is null || !uri.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return false;
        var comma = uri.IndexOf(',');
        if (comma < 0) return false;
        var meta = uri[5..comma];
        var payload = uri[(comma + 1)..];
        var isBase64 = meta.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
        mediaType = (isBase64 ? meta[..^7] : meta).Split(';')[0];
        if (mediaType.Length == 0) mediaType = "text/plain";
        bytes = isBase64 ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(Uri.UnescapeDataString(payload));
        return true;
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
}
