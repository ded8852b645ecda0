using SkiaSharp;
using SpecLora.Notebook;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Notebook;

public class SpectrogramViewTests
{
    private static Spectrogram Ramp(int bins = 128, int frames = 44)
    {
        var data = new float[bins * frames];
        for (var b = 0; b < bins; b++)
            for (var t = 0; t < frames; t++) data[b * frames + t] = MathF.Pow(10, -b / 16f); // power falls 10 dB per 16 bins
        return Spectrogram.Create(data, bins, frames, SpectrogramScale.Power, FrequencyAxis.Mel);
    }

    [Fact]
    public void From_spectrogram_renders_magma_with_low_frequencies_at_the_bottom()
    {
        var view = SpectrogramView.FromSpectrogram(Ramp());
        using var bitmap = SKBitmap.Decode(view.Png);
        Assert.Equal(320, bitmap.Width);                  // 44 frames drawn at the 320 px minimum width
        Assert.Equal(256, bitmap.Height);                 // 128 mel bands × 2 px
        var top = SpecLora.Imaging.Colormap.Magma[255];   // bin 0 = loudest → last magma colour, bottom row
        var bottom = bitmap.GetPixel(0, bitmap.Height - 1);
        Assert.Equal((top.R, top.G, top.B), (bottom.Red, bottom.Green, bottom.Blue));
        Assert.True(bitmap.GetPixel(0, 0).Red < bitmap.GetPixel(0, 128).Red);
        Assert.Equal(0, view.Axes.DbMax, 3);
        Assert.Equal(SpecLora.Spectrograms.Decibels.PowerToDb(Ramp(), SpecLora.Spectrograms.DbOptions.MakeMels).Data.Min(), view.Axes.DbMin, 3); // bar = rendered range
    }

    [Fact]
    public void Html_has_axes_colour_bar_and_an_embedded_png_and_nothing_external()
    {
        var html = SpectrogramView.FromSpectrogram(Ramp(), "ramp").ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Contains("Time (s)", html);
        Assert.Contains(">Hz<", html);
        Assert.Contains(" dB<", html);
        var png = Assert.Single(HtmlAssert.DataUris(html, "image/png"));
        Assert.NotNull(SKBitmap.Decode(png));
        Assert.Contains("<img", html);
    }

    [Fact]
    public void Mel_ticks_sit_where_the_mel_scale_puts_them()
    {
        var view = new SpectrogramView(SpectrogramView.FromSpectrogram(Ramp()).Png, new SpectrogramAxes { DurationSeconds = 1, FMaxHz = 11025 });
        var ticks = view.FrequencyTicks(480).ToDictionary(t => t.Hz, t => t.Y);
        Assert.Contains(1024.0, ticks.Keys);
        var expected = 480 - MelFilterBank.HzToMel(1024) / MelFilterBank.HzToMel(11025) * 480;
        Assert.Equal(expected, ticks[1024.0], 6);
        Assert.Equal(480, ticks[0.0], 6);
        var linear = new SpectrogramView(view.Png, new SpectrogramAxes { FMaxHz = 10000, Axis = FrequencyAxis.Linear }).FrequencyTicks(500).ToDictionary(t => t.Hz, t => t.Y);
        Assert.Equal(250, linear[5000.0], 6);
    }

    [Fact]
    public void Colour_bar_follows_the_given_colormap()
    {
        var axes = new SpectrogramAxes { Colormap = [0x000004, 0xfcfdbf] };
        var html = new SpectrogramView(SpectrogramView.FromSpectrogram(Ramp()).Png, axes).ToHtml();
        Assert.Contains("fill=\"#000004\"", html);
        Assert.Contains("fill=\"#fcfdbf\"", html);
    }

    [Fact]
    public void Rejects_bytes_that_are_not_png()
    {
        var e = Assert.Throws<ArgumentException>(() => new SpectrogramView([1, 2, 3], new SpectrogramAxes()));
        Assert.Contains("PNG", e.Message);
    }
}
