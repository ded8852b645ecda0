using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Imaging;

public class SpectrogramRendererTests(ITestOutputHelper output)
{
    internal static Spectrogram GoldenDb(string f32Path)
    {
        var shape = Golden.Shape(f32Path);
        return Spectrogram.Create(Golden.ReadF32(f32Path), shape[0], shape[1], SpectrogramScale.Db, FrequencyAxis.Mel);
    }

    /// <summary>Counts pixels whose RGB differs, and checks our alpha is 255.</summary>
    private int DifferingPixels(RgbaImage ours, RgbaImage golden)
    {
        Assert.Equal(golden.Width, ours.Width);
        Assert.Equal(golden.Height, ours.Height);
        int diff = 0;
        for (int i = 0; i < ours.Width * ours.Height; i++)
        {
            if (ours.Pixels[4 * i] != golden.Pixels[4 * i] || ours.Pixels[4 * i + 1] != golden.Pixels[4 * i + 1] || ours.Pixels[4 * i + 2] != golden.Pixels[4 * i + 2]) diff++;
            Assert.Equal(255, ours.Pixels[4 * i + 3]);
            Assert.Equal(255, golden.Pixels[4 * i + 3]);
        }
        return diff;
    }

    private void AssertPngEqualsGolden(string dbPath, string pngPath)
    {
        var db = GoldenDb(dbPath);
        var image = SpectrogramRenderer.Render(db);
        // through our PNG encoder and Skia's decoder, with metadata
        var png = MelImage.EncodePng(image, MelImageMetadata.From(db));
        var ours = MelImage.DecodeRgba(png);
        var golden = MelImage.DecodeRgba(File.ReadAllBytes(pngPath));
        int diff = DifferingPixels(ours, golden);
        output.WriteLine($"{Path.GetFileName(pngPath)}: {diff} of {golden.Width * golden.Height} pixels differ");
        Assert.Equal(0, diff);
    }

    [Fact]
    public void Synth2s_png_equals_golden_makemels_png_in_every_pixel()
        => AssertPngEqualsGolden(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"), Path.Combine(Golden.FixtureDir, "synth2s_makemels.png"));

    [SkippableFact]
    public void Elise5s_png_equals_golden_makemels_png_in_every_pixel()
        => AssertPngEqualsGolden(Golden.RequireShared("golden", "elise5s_mel_db.f32"), Golden.RequireShared("golden", "elise5s_makemels.png"));

    [Fact]
    public void Indices_follow_matplotlib_normalize_edges()
    {
        // x == 1 → 255; x just below 1 → 255; 0 → 0; values outside [vmin, vmax] clip; NaN → 0; vmin == vmax → 0.
        var s = Spectrogram.Create([-80f, 0f, -40f, -0.0001f, 10f, -100f, float.NaN, -79.99f], 1, 8, SpectrogramScale.Db, FrequencyAxis.Mel);
        var k = SpectrogramRenderer.ColormapIndices(s, -80f, 0f);
        Assert.Equal(new byte[] { 0, 255, 128, 255, 255, 0, 0, 0 }, k);
        Assert.All(SpectrogramRenderer.ColormapIndices(s, 3f, 3f), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Low_frequencies_are_at_the_bottom_and_frames_point_sampled()
    {
        // 2 bins × 3 frames: bin 0 = min everywhere except frame 2; bin 1 = max
        var s = Spectrogram.Create([-80f, -80f, 0f, 0f, 0f, 0f], 2, 3, SpectrogramScale.Db, FrequencyAxis.Mel);
        var img = SpectrogramRenderer.Render(s, new RenderOptions { Width = 6, Height = 4 });
        var top = Colormap.Magma[255];
        var bottom = Colormap.Magma[0];
        Assert.Equal((top.R, top.G, top.B, (byte)255), img[0, 0]);
        Assert.Equal((bottom.R, bottom.G, bottom.B, (byte)255), img[3, 0]);
        Assert.Equal((bottom.R, bottom.G, bottom.B, (byte)255), img[3, 3]); // column 3 → frame floor(3.5·3/6) = 1
        Assert.Equal((top.R, top.G, top.B, (byte)255), img[3, 4]);          // column 4 → frame 2
    }

    [Theory]
    [InlineData(0, 480)]
    [InlineData(640, 0)]
    [InlineData(16385, 480)]
    [InlineData(640, 20000)]
    [InlineData(-1, 480)]
    public void Size_outside_1_to_16384_is_rejected_quoting_the_value(int width, int height)
    {
        var db = GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var e = Assert.ThrowsAny<ArgumentException>(() => SpectrogramRenderer.Render(db, new RenderOptions { Width = width, Height = height }));
        int bad = width is < 1 or > 16384 ? width : height;
        Assert.Contains(bad.ToString(), e.Message);
        Assert.Contains("1…16384", e.Message);
    }

    [Fact]
    public void Extreme_sizes_render()
    {
        var db = GoldenDb(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
        var tiny = SpectrogramRenderer.Render(db, new RenderOptions { Width = 1, Height = 1 });
        Assert.Equal(4, tiny.Pixels.Length);
        var tall = SpectrogramRenderer.Render(db, new RenderOptions { Width = 2, Height = 16384 });
        Assert.Equal(2 * 16384 * 4, tall.Pixels.Length);
    }

    [Fact]
    public void Given_vmin_vmax_and_colormap_are_used()
    {
        var s = Spectrogram.Create([-40f, -20f], 1, 2, SpectrogramScale.Db, FrequencyAxis.Mel);
        var img = SpectrogramRenderer.Render(s, new RenderOptions { Width = 2, Height = 1, VMin = -80, VMax = 0, Colormap = "gray" });
        Assert.Equal(128, img.Pixels[0]); // floor(256·0.5)
        Assert.Equal(192, img.Pixels[4]); // floor(256·0.75)
        Assert.Equal((-80f, 0f), SpectrogramRenderer.ResolveRange(s, new RenderOptions { VMin = -80, VMax = 0 }));
        Assert.Equal((-40f, -20f), SpectrogramRenderer.ResolveRange(s));
    }
}
