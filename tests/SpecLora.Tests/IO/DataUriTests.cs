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
        Assert.False(DataUri.TryDecode("data:no-comma", out _, out _));
    }

    [Theory]
    [InlineData("image/png", ".png")]
    [InlineData("IMAGE/JPEG", ".jpg")]
    [InlineData("application/x-tar", ".tar")]
    [InlineData("video/mp4", ".bin")]
    [InlineData(null, ".bin")]
    public void Extension_follows_the_media_type(string? mime, string ext) => Assert.Equal(ext, DataUri.Extension(mime));
}
