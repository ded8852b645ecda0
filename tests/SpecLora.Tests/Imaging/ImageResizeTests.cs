using SkiaSharp;
using SpecLora.Imaging;

namespace SpecLora.Tests.Imaging;

public class ImageResizeTests
{
    /// <summary>A left-to-right gray ramp, so resampling errors show as a wrong mean per column.</summary>
    private static byte[] Ramp(int w, int h, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bmp = new SKBitmap(w, h, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (var x = 0; x < w; x++)
            for (var y = 0; y < h; y++)
            {
                var v = (byte)(255 * x / (w - 1));
                bmp.SetPixel(x, y, new SKColor(v, v, v));
            }
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(format, 100);
        return data.ToArray();
    }

    [Fact]
    public void Stretches_to_the_exact_size_as_png_keeping_the_picture()
    {
        var png = ImageResize.TryResize(Ramp(64, 48), 128, 128, MelImageFormat.Png)!;
        Assert.True(ImageResize.TryGetSize(png, out var w, out var h));
        Assert.Equal((128, 128), (w, h));
        using var bmp = SKBitmap.Decode(png);
        Assert.InRange(bmp.GetPixel(2, 64).Red, 0, 12);      // left stays dark
        Assert.InRange(bmp.GetPixel(125, 64).Red, 243, 255); // right stays bright
        Assert.InRange(bmp.GetPixel(64, 64).Red, 118, 138);  // the middle is mid-gray
        Assert.Equal(0x89, png[0]);
    }

    [Fact]
    public void Encodes_jpeg_at_the_given_width_keeping_the_aspect_ratio()
    {
        Assert.True(ImageResize.TryGetSize(Ramp(300, 100), out var w0, out var h0));
        var (w, h) = ImageResize.FitWidth(w0, h0, 120);
        Assert.Equal((120, 40), (w, h));
        var jpg = ImageResize.TryResize(Ramp(300, 100), w, h, MelImageFormat.Jpeg, 80)!;
        Assert.Equal([0xFF, 0xD8, 0xFF], jpg[..3]);
        Assert.True(ImageResize.TryGetSize(jpg, out var w1, out var h1));
        Assert.Equal((120, 40), (w1, h1));
    }

    [Fact]
    public void Bytes_that_are_not_a_picture_give_null_and_bad_sizes_throw()
    {
        Assert.Null(ImageResize.TryResize("not a picture"u8.ToArray(), 10, 10, MelImageFormat.Png));
        Assert.Null(ImageResize.TryResize([], 10, 10, MelImageFormat.Png));
        Assert.False(ImageResize.TryGetSize("nope"u8.ToArray(), out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResize.TryResize(Ramp(8, 8), 0, 10, MelImageFormat.Png));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResize.TryResize(Ramp(8, 8), 10, 10, MelImageFormat.Jpeg, 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResize.FitWidth(0, 10, 5));
    }
}
