using System.Text.RegularExpressions;

namespace SpecLora.Tests.Notebook;

/// <summary>Checks shared by the display tests: self-contained HTML and embedded WAV players.</summary>
internal static class HtmlAssert
{
    /// <summary>No external src/href, no scripts, balanced svg/figure tags.</summary>
    public static void SelfContained(string html)
    {
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*""(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        foreach (var tag in new[] { "svg", "figure", "table", "div" })
            Assert.Equal(Regex.Matches(html, $"<{tag}[ >]").Count, Regex.Matches(html, $"</{tag}>").Count);
    }

    /// <summary>The bytes of every data URI with this MIME type.</summary>
    public static List<byte[]> DataUris(string html, string mime)
        => Regex.Matches(html, $@"data:{Regex.Escape(mime)};base64,([A-Za-z0-9+/=]+)").Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();

    /// <summary>Parses a 16-bit PCM mono WAV: (sample rate, samples).</summary>
    public static (int SampleRate, short[] Samples) Wav(byte[] bytes)
    {
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(bytes.Length - 8, BitConverter.ToInt32(bytes, 4));
        Assert.Equal(1, BitConverter.ToInt16(bytes, 20)); // PCM
        Assert.Equal(1, BitConverter.ToInt16(bytes, 22)); // mono
        Assert.Equal(16, BitConverter.ToInt16(bytes, 34));
        var sr = BitConverter.ToInt32(bytes, 24);
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(bytes, 36, 4));
        var n = BitConverter.ToInt32(bytes, 40) / 2;
        Assert.Equal(44 + 2 * n, bytes.Length);
        var samples = new short[n];
        Buffer.BlockCopy(bytes, 44, samples, 0, 2 * n);
        return (sr, samples);
    }
}
