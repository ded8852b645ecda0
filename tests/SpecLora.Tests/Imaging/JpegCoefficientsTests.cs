using SkiaSharp;
using SpecLora.Imaging;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Imaging;

public class JpegCoefficientsTests
{
    // ITU-T T.81 Annex K luma table (natural order), which libjpeg scales by quality.
    private static readonly int[] AnnexKLuma =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>A gray 640×480 picture with texture in every direction (R = G = B: the chroma planes are flat).</summary>
    private static RgbaImage GrayPicture()
    {
        int w = 640, h = 480;
        var px = new byte[4 * w * h];
        var rng = new Random(7);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                int v = (int)Math.Clamp(128 + 60 * Math.Sin(c * 0.05) * Math.Cos(r * 0.031) + (r / 4 % 3) * 20 + rng.Next(-10, 11), 0, 255);
                int i = 4 * (r * w + c);
                px[i] = px[i + 1] = px[i + 2] = (byte)v; px[i + 3] = 255;
            }
        return new RgbaImage(w, h, px);
    }

    [Fact]
    public void Luma_quant_table_is_libjpegs_quality_scaled_annex_k_table()
    {
        var jpeg = MelImage.EncodeJpeg(GrayPicture(), quality: 75);
        var q = JpegCoefficients.ReadLumaQuantTable(jpeg);
        Assert.NotNull(q);
        // libjpeg: quality 75 → scale 50 %, entry = clamp((base·50 + 50) / 100, 1, 255)
        for (int k = 0; k < 64; k++) Assert.Equal(Math.Clamp((AnnexKLuma[k] * 50 + 50) / 100, 1, 255), q![k]);
        var jc = JpegCoefficients.TryRead(jpeg);
        Assert.NotNull(jc);
        Assert.Equal(q, jc!.Quant);
        Assert.Equal((640, 480, 80, 60), (jc.Width, jc.Height, jc.BlocksX, jc.BlocksY));
    }

    [Fact]
    public void Dequantised_coefficients_reproduce_the_decoders_luma_within_rounding()
    {
        var image = GrayPicture();
        var jpeg = MelImage.EncodeJpeg(image, quality: 75);
        var jc = JpegCoefficients.TryRead(jpeg)!;
        using var decoded = SKBitmap.Decode(jpeg);
        int stride = jc.BlocksX * 8, far = 0, off1 = 0;
        var y = new float[stride * jc.BlocksY * 8];
        Span<float> f = stackalloc float[64];
        for (int b = 0; b < jc.BlocksX * jc.BlocksY; b++)
        {
            for (int k = 0; k < 64; k++) f[k] = jc.Coefficients[64 * b + k] * jc.Quant[k];
            JpegRestoration.InverseDct(f, y.AsSpan(b / jc.BlocksX * 8 * stride + b % jc.BlocksX * 8), stride);
        }
        for (int r = 0; r < 480; r++)
            for (int c = 0; c < 640; c++)
            {
                double ours = Math.Clamp(y[r * stride + c] + 128, 0, 255);
                double d = Math.Abs(ours - decoded.GetPixel(c, r).Red);
                if (d > 1) far++;
                if (d > 0.5) off1++;
            }
        // libjpeg-turbo's integer IDCT rounds; our float IDCT of the same coefficients differs by at most ~1
        Assert.True(far == 0, $"{far} pixels differ by more than 1 from SkiaSharp's decode");
        Assert.True(off1 < 640 * 480 / 20, $"{off1} pixels differ by more than 0.5");
    }

    [Fact]
    public void Golden_synth2s_jpeg_reads_pillows_quality_75_table_and_420_grid()
    {
        var jc = JpegCoefficients.TryRead(File.ReadAllBytes(Path.Combine(Golden.FixtureDir, "synth2s_makemels.jpg")));
        Assert.NotNull(jc);
        Assert.Equal((80, 60), (jc!.BlocksX, jc.BlocksY));
        Assert.Equal(8, jc.Quant[0]);
    }

    [Fact]
    public void Png_progressive_and_garbage_are_not_read()
    {
        var png = MelImage.EncodePng(GrayPicture());
        Assert.Null(JpegCoefficients.ReadLumaQuantTable(png));
        Assert.Null(JpegCoefficients.TryRead(png));
        var jpeg = MelImage.EncodeJpeg(GrayPicture());
        // the same file marked progressive (SOF2) is not a file this reader handles
        var progressive = (byte[])jpeg.Clone();
        int sof = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0);
        progressive[sof + 1] = 0xC2;
        Assert.Null(JpegCoefficients.TryRead(progressive));
        // component ids 'R', 'G', 'B': an RGB-coded file, whose first plane is not luma
        var rgb = (byte[])jpeg.Clone();
        rgb[sof + 10] = 82; rgb[sof + 13] = 71; rgb[sof + 16] = 66;
        int sos = Enumerable.Range(0, jpeg.Length - 1).First(i => jpeg[i] == 0xFF && jpeg[i + 1] == 0xDA);
        rgb[sos + 5] = 82; rgb[sos + 7] = 71; rgb[sos + 9] = 66;
        Assert.NotNull(JpegCoefficients.TryRead(jpeg));
        Assert.Null(JpegCoefficients.TryRead(rgb));
        Assert.Null(JpegCoefficients.TryRead([0xFF, 0xD8, 0xFF, 0xDB, 0x00]));
        Assert.Null(JpegCoefficients.TryRead([]));
        var garbage = (byte[])jpeg.Clone();
        new Random(3).NextBytes(garbage.AsSpan(jpeg.Length / 2));
        _ = JpegCoefficients.TryRead(garbage); // no exception, whatever it makes of it
    }
}
