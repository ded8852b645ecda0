using SpecLora.Imaging;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class ImageViewTests
{
    private static RgbaImage Gradient(int w, int h)
    {
        var px = new byte[4 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = 4 * (y * w + x);
                px[i] = (byte)(255 * x / w); px[i + 1] = (byte)(255 * y / h); px[i + 2] = 128; px[i + 3] = 255;
            }
        return new RgbaImage(w, h, px);
    }

    [Fact]
    public void A_picture_wider_than_twice_the_display_width_is_embedded_as_a_jpeg_at_twice_that_width()
    {
        var png = MelImage.EncodePng(Gradient(640, 480));
        var view = new ImageView(png, "wide", maxWidth: 100);
        Assert.Equal("image/jpeg", view.MimeType);
        var decoded = MelImage.DecodeRgba(view.Bytes);
        Assert.Equal((200, 150), (decoded.Width, decoded.Height));
        Assert.True(view.Bytes.Length < png.Length);
        // The content survives the resize: left edge dark red, right edge bright red (the gradient).
        Assert.True(decoded.Pixels[4 * (75 * 200 + 2)] < 20 && decoded.Pixels[4 * (75 * 200 + 197)] > 230);
        Assert.Contains("max-width:100px", view.ToHtml());
    }

    [Fact]
    public void A_small_picture_is_kept_byte_for_byte_and_non_pictures_are_refused()
    {
        var png = MelImage.EncodePng(Gradient(150, 100));
        Assert.Same(png, new ImageView(png, maxWidth: 100).Bytes);
        Assert.Equal("image/png", new ImageView(png).MimeType);
        Assert.Contains("not a PNG, JPEG, GIF or WebP", Assert.Throws<ArgumentException>(() => new ImageView("hello"u8.ToArray(), "text")).Message);
    }
}
