using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Imaging;

public class JpegRestorationTests(ITestOutputHelper output)
{
    private static double IndexRms(float[] got, float[] want)
    {
        double s = 0;
        for (int i = 0; i < got.Length; i++) s += (got[i] - want[i]) * (got[i] - want[i]);
        return Math.Sqrt(s / got.Length);
    }

    /// <summary>Per-cell index RMS against the lossless decode, plain luma decode vs restored.</summary>
    private static (double Plain, double Restored) Errors(byte[] jpeg, float[] truth)
    {
        var plain = SpectrogramImageDecoder.Decode(jpeg, new ImageDecodeOptions { RestoreJpeg = false });
        var restored = SpectrogramImageDecoder.Decode(jpeg);
        Assert.Equal(ColorDecodeMethod.Luma, restored.Method);
        Assert.Equal(ImageGeometry.Specshow, restored.Geometry);
        return (IndexRms(plain.ColormapIndex, truth), IndexRms(restored.ColormapIndex, truth));
    }

    [SkippableFact]
    public void Golden_elise5s_jpeg_restored_cells_are_closer_to_the_png_than_the_plain_luma_decode()
    {
        var jpeg = File.ReadAllBytes(Golden.RequireShared("golden", "elise5s_makemels.jpg"));
        var truth = SpectrogramImageDecoder.Decode(Golden.RequireShared("golden", "elise5s_makemels.png")).ColormapIndex;
        var (plain, restored) = Errors(jpeg, truth);
        output.WriteLine($"elise5s JPEG vs PNG, index RMS: plain {plain:F3}, restored {restored:F3}");
        // measured 2.213 → 1.966
        Assert.True(restored <= 0.92 * plain, $"restored {restored:F3} vs plain {plain:F3}: not 8 % better");
    }

    [Fact]
    public void Golden_synth2s_jpeg_restored_cells_are_closer_to_the_png_than_the_plain_luma_decode()
    {
        var dir = Golden.FixtureDir;
        var jpeg = File.ReadAllBytes(Path.Combine(dir, "synth2s_makemels.jpg"));
        var truth = SpectrogramImageDecoder.Decode(File.ReadAllBytes(Path.Combine(dir, "synth2s_makemels.png"))).ColormapIndex;
        var (plain, restored) = Errors(jpeg, truth);
        output.WriteLine($"synth2s JPEG vs PNG, index RMS: plain {plain:F3}, restored {restored:F3}");
        // measured 1.199 → 0.681
        Assert.True(restored <= 0.7 * plain, $"restored {restored:F3} vs plain {plain:F3}: not 30 % better");
    }

    [Fact]
    public void Own_render_saved_as_jpeg_is_restored_closer_to_its_colour_indices()
    {
        var db = SpectrogramRendererTests.GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var image = SpectrogramRenderer.Render(db, new RenderOptions { VMin = -80, VMax = 0 });
        var truth = SpectrogramImageDecoder.Decode(MelImage.EncodePng(image)).ColormapIndex;
        var (plain, restored) = Errors(MelImage.EncodeJpeg(image), truth);
        output.WriteLine($"synth2s rendered by us, SkiaSharp JPEG vs PNG, index RMS: plain {plain:F3}, restored {restored:F3}");
        Assert.True(restored < 0.9 * plain, $"restored {restored:F3} vs plain {plain:F3}: not 10 % better");
    }

    [Fact]
    public void Png_and_lab_decodes_are_untouched_by_the_option()
    {
        var dir = Golden.FixtureDir;
        var png = File.ReadAllBytes(Path.Combine(dir, "synth2s_makemels.png"));
        Assert.Equal(SpectrogramImageDecoder.Decode(png, new ImageDecodeOptions { RestoreJpeg = false }).ColormapIndex,
            SpectrogramImageDecoder.Decode(png).ColormapIndex);
        var jpeg = File.ReadAllBytes(Path.Combine(dir, "synth2s_makemels.jpg"));
        var lab = new ImageDecodeOptions { Method = ColorDecodeMethod.Lab };
        Assert.Equal(SpectrogramImageDecoder.Decode(jpeg, lab with { RestoreJpeg = false }).ColormapIndex, SpectrogramImageDecoder.Decode(jpeg, lab).ColormapIndex);
    }

    [Fact]
    public void Cells_satisfy_both_constraints_after_the_iterations()
    {
        // A picture that is exactly piecewise constant per bin: its restored cells reproduce the stored coefficients.
        var db = SpectrogramRendererTests.GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var jpeg = MelImage.EncodeJpeg(SpectrogramRenderer.Render(db, new RenderOptions { VMin = -80, VMax = 0 }));
        var jc = JpegCoefficients.TryRead(jpeg)!;
        var (rs, re) = SpectrogramImageDecoder.SpecshowRows(128, 480);
        var start = JpegRestoration.RestoreCells(jc, 640, 480, rs, re, 0)!;
        var cells = JpegRestoration.RestoreCells(jc, 640, 480, rs, re, 20)!;
        Assert.Null(JpegRestoration.RestoreCells(jc, 640, 240, rs, re, 1));
        var (rsFew, reFew) = SpectrogramImageDecoder.SpecshowRows(600, 480); // more bins than rows: bins share rows
        Assert.Null(JpegRestoration.RestoreCells(jc, 640, 480, rsFew, reFew, 1));
        double Violation(float[] v)
        {
            int stride = jc.BlocksX * 8;
            var y = new float[stride * jc.BlocksY * 8];
            for (int b = 0; b < 128; b++)
                for (int c = 0; c < 640; c++)
                    for (int r = rs[b]; r < re[b]; r++) y[r * stride + c] = v[b * 640 + c] - 128;
            Span<float> f = stackalloc float[64];
            double sum = 0;
            for (int bi = 0; bi < jc.BlocksX * jc.BlocksY; bi++)
            {
                JpegRestoration.ForwardDct(y.AsSpan(bi / jc.BlocksX * 8 * stride + bi % jc.BlocksX * 8), stride, f);
                for (int k = 0; k < 64; k++)
                {
                    double e = Math.Abs(f[k] / jc.Quant[k] - jc.Coefficients[64 * bi + k]) - 0.5;
                    if (e > 0) sum += e * e;
                }
            }
            return Math.Sqrt(sum);
        }
        double v0 = Violation(start), v20 = Violation(cells);
        output.WriteLine($"quantisation-interval violation of the structured cells: start {v0:F2}, after 20 rounds {v20:F2}");
        Assert.True(v20 < 0.5 * v0, $"violation {v20:F2} not halved from {v0:F2}");
    }
}
