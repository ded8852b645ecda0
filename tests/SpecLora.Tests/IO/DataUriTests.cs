using System.Text;
using SpecLora.IO;

namespace SpecLora.Tests.IO;

public class DataUriTests
{
    [Fact]
    public void Decodes_base64_and_percent_encoded_payloads_and_refuses_other_urls()
    {
        var png = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3 };
        Assert.True(DataUri.TryDecode(DataUri.Encode("image/png", png), out var bytes, out var mime));
        Assert.Equal(png, bytes);
        Assert.Equal("image/png", mime);
        Assert.True(DataUri.TryDecode("data:,hello%20world", out var text, out mime));
        Assert.Equal("hello world", Encoding.UTF8.GetString(text));
        Assert.Equal("text/plain", mime);
        Assert.True(DataUri.TryDecode("data:image/jpeg;charset=x;base64,AAE=", out bytes, out mime));
        Assert.Equal("image/jpeg", mime);
        Assert.Equal([0, 1], bytes);
        Assert.False(DataUri.TryDecode("https://x/y.png", out _, out _));
    }

    /// <summary>Issue 17: a data URI that is not base64 ended in "(unexpected; please report it…)"; a server's data URI
    /// may also be huge. Each is now one sentence, and the size is refused before anything is decoded.</summary>
    [Theory]
    [InlineData("data:no-comma", "no ','")]
    [InlineData("data:image/png;base64,@@@@", "not valid base64")]
    [InlineData("data:image/png;base64,AAAAAAAAAAAAAAAAAAAAAAAA", "more than the 8 bytes allowed")]
    [InlineData("data:text/plain,0123456789", "more than the 8 bytes allowed")]
    public void A_malformed_or_oversized_data_uri_is_one_sentence(string uri, string reason)
    {
        var e = Assert.Throws<FormatException>(() => DataUri.TryDecode(uri, 8, out _, out _));
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain("Exception", e.Message);
    }

    [Fact]
    public void Media_type_is_read_without_decoding()
    {
        Assert.Equal("image/png", DataUri.MediaTypeOf("data:image/png;base64,AAAA"));
        Assert.Equal("text/plain", DataUri.MediaTypeOf("data:,x"));
        Assert.Equal("", DataUri.MediaTypeOf("https://x/y.png"));
        Assert.True(DataUri.TryDecode("data:image/png;base64,AAE=", 2, out var two, out _));
        Assert.Equal([0, 1], two);
    }

    [Theory]
    [InlineData("image/png", ".png")]
    [InlineData("IMAGE/JPEG", ".jpg")]
    [InlineData("application/x-tar", ".tar")]
    [InlineData("video/mp4", ".bin")]
    [InlineData(null, ".bin")]
    public void Extension_follows_the_media_type(string? mime, string ext) => Assert.Equal(ext, DataUri.Extension(mime));
}
