using SpecLora.Analysis;
using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

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

    private static readonly Lazy<Spectrogram> Piece = new(() => SyntheticPieces.Mel640(9, 20));

    [Fact]
    public void Every_kind_keeps_the_shape_is_seeded_and_leaves_the_input_alone()
    {
        var s = Piece.Value;
        var before = (float[])s.Data.Clone();
        foreach (var kind in Enum.GetValues<ControlKind>())
        {
            var a = Controls.Make(s, kind, seed: 1);
            Assert.Equal((s.Bins, s.Frames), (a.Bins, a.Frames));
            Assert.Equal(a.Data, Controls.Make(s, kind, seed: 1).Data);
            Assert.NotEqual(s.Data, a.Data);
            Assert.Equal(SpectrogramScale.Db, a.Scale);
        }
        Assert.Equal(before, s.Data);
        Assert.NotEqual(Controls.Make(s, ControlKind.MatchedNoise, 1).Data, Controls.Make(s, ControlKind.MatchedNoise, 2).Data);
        Assert.Equal(["cols", "rows", "noise", "smear", "rot"], Controls.ScoreKinds.Select(Controls.ShortName));
        Assert.Equal(6, Enum.GetValues<ControlKind>().Select(Controls.ShortName).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => Controls.Make(s, (ControlKind)99));
    }

    [Fact]
    public void Rotation_moves_every_octave_circularly_and_keeps_neighbours()
    {
        var s = Ramp();
        var a = Controls.RotateRowsWithinOctaves(s, 4);
        foreach (var g in Controls.OctaveGroups(128, new MelOptions()).Where(g => g.Length >= 2))
        {
            // row g[i] of the control is row g[(i + shift) % n] of the input, shift ≥ 1, the same for every row of the octave
            int n = g.Length;
            int shift = Enumerable.Range(1, n - 1).Single(k => Enumerable.Range(0, n).All(i => a[g[i], 0] == s[g[(i + k) % n], 0]));
            Assert.InRange(shift, 1, n - 1);
            for (int t = 0; t < s.Frames; t += 7) Assert.Equal(s[g[shift % n], t], a[g[0], t]);
        }
    }

    [Fact]
    public void Matched_noise_has_the_picture_s_own_mean_spectrum()
    {
        var s = Piece.Value;
        var noise = Controls.MatchedNoise(s, seed: 3);
        var want = Controls.MeanSpectrumDb([s]);
        var got = Controls.MeanSpectrumDb([noise]);
        // where the spectrum is within 40 dB of its top (the rest sits near the 80 dB floor): the noise follows it, with
        // the piano's partials (peaks a band wide) smoothed by the interpolation to STFT bins and the mel filters
        var diffs = Enumerable.Range(10, 110).Where(b => want[b] > -40).Select(b => Math.Abs(got[b] - want[b])).Order().ToList();
        Assert.True(diffs.Count > 50, $"{diffs.Count} bands");
        Assert.True(diffs[diffs.Count / 2] < 1.5 && diffs[^1] < 6, $"|Δ| median {diffs[diffs.Count / 2]:F2} dB, max {diffs[^1]:F2} dB");
        Assert.Equal((s.SampleRate, s.HopLength), (noise.SampleRate, noise.HopLength));
    }

    [Fact]
    public void Smear_blurs_both_axes_and_checks_its_widths()
    {
        var s = Piece.Value;
        Assert.Equal(s.Data, Controls.Smear(s, 0, 0).Data);
        var flat = Spectrogram.Create(Enumerable.Repeat(-30f, 128 * 50).ToArray(), 128, 50, SpectrogramScale.Db, FrequencyAxis.Mel);
        Assert.All(Controls.Smear(flat, 2, 2).Data, v => Assert.Equal(-30f, v, 4));
        var before = PictureMeasures.Compute(s);
        var smeared = PictureMeasures.Compute(Controls.Make(s, ControlKind.Smeared));
        Assert.True(smeared.SpectralSharpness < before.SpectralSharpness, $"{smeared.SpectralSharpness:F3} vs {before.SpectralSharpness:F3}");
        Assert.True(smeared.TemporalSharpness < before.TemporalSharpness, $"{smeared.TemporalSharpness:F3} vs {before.TemporalSharpness:F3}");
        var e = Assert.Throws<ArgumentException>(() => Controls.Smear(s, -1, double.NaN));
        Assert.Contains("sigmaColumns=-1 must be a number ≥ 0", e.Message);
        Assert.Contains("sigmaBands=NaN must be a number ≥ 0", e.Message);
    }

    [Fact]
    public void Through_the_picture_keeps_the_layout_at_640_columns()
    {
        var s = Piece.Value;
        var drawn = Controls.ThroughPicture(s);
        Assert.Equal((128, 640), (drawn.Bins, drawn.Frames));
        // the JPEG and the colour decoding change the cells a little, not the picture
        double r = MusicMeasures.Pearson(s.Data.Select(v => (double)v).ToArray(), drawn.Data.Select(v => (double)v).ToArray());
        Assert.True(r > 0.97, $"correlation {r:F3}");
    }

    [Fact]
    public void The_pixel_blur_keeps_a_flat_picture_and_checks_its_width()
    {
        var flat = new RgbaImage(20, 10, Enumerable.Range(0, 800).Select(i => (byte)(i % 4 == 3 ? 255 : 90)).ToArray());
        Assert.Equal(flat.Pixels, Controls.BlurPixels(flat, 2).Pixels);
        var dot = new byte[800];
        for (int i = 3; i < 800; i += 4) dot[i] = 255;
        dot[4 * (5 * 20 + 10)] = 255;
        var blurred = Controls.BlurPixels(new RgbaImage(20, 10, dot), 1).Pixels;
        Assert.True(blurred[4 * (5 * 20 + 10)] is > 0 and < 255 && blurred[4 * (5 * 20 + 11)] > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Controls.BlurPixels(flat, 0));
    }
}
