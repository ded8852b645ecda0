using SpecLora.Analysis;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Analysis;

public class ControlsTests
{
    private static Spectrogram Ramp(int bins = 128, int frames = 50)
    {
        var d = new float[bins * frames];
        for (int b = 0; b < bins; b++) for (int t = 0; t < frames; t++) d[b * frames + t] = -(b + t * 0.01f);
        return Spectrogram.Create(d, bins, frames, SpectrogramScale.Db, FrequencyAxis.Mel);
    }

    [Fact]
    public void Column_shuffle_keeps_every_column_and_is_seeded()
    {
        var s = Ramp();
        var a = Controls.ShuffleColumns(s, 1);
        Assert.Equal(Controls.ShuffleColumns(s, 1).Data, a.Data);
        Assert.NotEqual(s.Data, a.Data);
        var cols = Enumerable.Range(0, s.Frames).Select(t => a[5, t]).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, s.Frames).Select(t => s[5, t]).Order().ToArray(), cols);
        Assert.Equal(-0.01f * 7, s.Data[7] + 0f);   // the input is untouched
    }

    [Fact]
    public void Row_shuffle_stays_within_octaves()
    {
        var s = Ramp();
        var a = Controls.ShuffleRowsWithinOctaves(s, 2);
        var groups = Controls.OctaveGroups(128, new MelOptions());
        Assert.True(groups.Length >= 7);
        foreach (var g in groups)
            Assert.Equal(g.Select(b => s[b, 0]).Order().ToArray(), g.Select(b => a[b, 0]).Order().ToArray());
        Assert.NotEqual(s.Data, a.Data);
    }

    [Fact]
    public void Time_reversal_reverses_and_noise_has_the_mean_spectrum()
    {
        var s = Ramp();
        Assert.Equal(s[3, 0], Controls.TimeReverse(s)[3, s.Frames - 1]);
        var mean = Enumerable.Range(0, 128).Select(b => -0.3 * b).ToArray();   // falling 0.3 dB per band
        var noise = Controls.ColouredNoise(mean, 400, seed: 5);
        var measured = Controls.MeanSpectrumDb([noise]);
        // within 1.5 dB in the middle bands (edges interpolate across few FFT bins)
        for (int b = 20; b < 110; b++) Assert.True(Math.Abs(measured[b] - mean[b]) < 1.5, $"band {b}: {measured[b]:F2} vs {mean[b]:F2}");
        Assert.Equal(Controls.ColouredNoise(mean, 10, seed: 5).Data, Controls.ColouredNoise(mean, 10, seed: 5).Data);
    }

    [Fact]
    public void Four_controls_of_the_same_shape()
    {
        var s = Ramp();
        var c = Controls.For(s, Enumerable.Repeat(0.0, 128).ToArray(), seed: 3);
        Assert.Equal(["columns shuffled", "rows shuffled within octaves", "time-reversed", "coloured noise"], c.Select(x => x.Name).ToArray());
        Assert.All(c, x => Assert.Equal((s.Bins, s.Frames), (x.Db.Bins, x.Db.Frames)));
    }
}
