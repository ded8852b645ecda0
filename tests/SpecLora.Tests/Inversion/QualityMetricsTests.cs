using SpecLora.Audio;
using SpecLora.Cli.Bench;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Inversion;

public class QualityMetricsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static AudioClip Synth() => new(Golden.Fixture("synth2s_y.f32"), 22050);

    [Fact]
    public void Identical_signals_score_zero()
    {
        var m = QualityMetrics.Compare(Synth(), Synth());
        Assert.Equal(0, m.Sc, 12); Assert.Equal(0, m.ScGain, 6); Assert.Equal(0, m.LsdDb, 12);
        Assert.Equal(0, m.MelSc, 12); Assert.Equal(0, m.MelLsdDb, 12);
    }

    [Fact]
    public void Silence_scores_sc_one_and_gain_is_level_invariant()
    {
        var y = Synth();
        Assert.Equal(1.0, QualityMetrics.Compare(y, new AudioClip(new float[y.Length], 22050)).Sc, 9);
        var half = new AudioClip(y.Samples.Select(v => v * 0.5f).ToArray(), 22050);
        var m = QualityMetrics.Compare(y, half);
        Assert.Equal(0.5, m.Sc, 5);
        Assert.True(m.ScGain < 1e-3, $"SC_gain {m.ScGain:E2} of a scaled copy should be ≈ 0");
        Assert.Equal(20 * Math.Log10(0.5), m.ScDb, 4);
    }

    /// <summary>Metric parity with golden_summary.json / README: librosa's GL from the true magnitude (zero init) scores
    /// SC 0.114, LSD 0.90 dB; mel_to_audio with zero init SC 0.353. Tolerance ±0.005 / ±0.05 dB (rounding of the README).</summary>
    [Fact]
    public void Reproduces_the_golden_summary_numbers()
    {
        var gl = QualityMetrics.Compare(Synth(), new AudioClip(Golden.Fixture("synth2s_gl_true_mag_zero_init.f32"), 22050));
        Assert.InRange(gl.Sc, 0.109, 0.119);
        Assert.InRange(gl.LsdDb, 0.85, 0.95);
        var m2a = QualityMetrics.Compare(Synth(), new AudioClip(Golden.Fixture("synth2s_m2a_zero_init.f32"), 22050));
        Assert.InRange(m2a.Sc, 0.348, 0.358);
    }

    [Fact]
    public void Image_consistency_removes_a_constant_offset()
    {
        var mel = MelSpectrogram.Compute(Synth());
        var db = Decibels.PowerToDb(mel, DbOptions.MakeMels);
        double c = QualityMetrics.ImageConsistency(db, mel, out double offset);
        Assert.True(c < 0.01, $"consistency {c:F4} dB of the exact mel should be ≈ 0");
        Assert.Equal(-10 * Math.Log10(mel.Data.Max()), offset, 1);
        var shifted = db with { Data = db.Data.Select(v => v - 6f).ToArray() };
        Assert.True(QualityMetrics.ImageConsistency(shifted, mel, out _) < 0.01);
    }

    [Fact]
    public void Rejects_mismatched_inputs()
    {
        Assert.Throws<ArgumentException>(() => QualityMetrics.Compare(Synth(), new AudioClip(Synth().Samples, 44100)));
        var a = Spectrogram.Create(new float[4], 2, 2, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        Assert.Throws<ArgumentException>(() => QualityMetrics.SpectralConvergence(a, Spectrogram.Create(new float[6], 3, 2, SpectrogramScale.Magnitude, FrequencyAxis.Linear)));
    }

    [SkippableFact]
    public void Reproduces_librosas_recorded_metrics_on_the_real_pictures()
    {
        // Our metrics on (original, KEY_FMT_librosa.wav), both loaded like librosa.load (22050 Hz mono, soxr-HQ-like
        // resampling, the first 30 s for the 30-s keys), against ref/librosa_metrics.json: one measure.
        var dir = Golden.RequireShared("corpus", "real");
        var originals = new Dictionary<string, AudioClip>();
        var cases = PictureEvaluation.LoadCases(dir);
        Assert.Equal(10, cases.Count);
        foreach (var c in cases)
        {
            var key = c.OriginalPath + c.OriginalDurationSeconds;
            if (!originals.TryGetValue(key, out var original)) originals[key] = original = PictureEvaluation.LoadOriginal(c);
            var m = QualityMetrics.Compare(original, PictureEvaluation.LoadLibrosaEstimate(c));
            output.WriteLine($"{c.Name}: mel-SC_gain {m.MelScGain:F5}/{c.Librosa.MelScGain:F5} SC_gain {m.ScGain:F5}/{c.Librosa.ScGain:F5} LSD {m.LsdDb:F5}/{c.Librosa.LsdDb:F5} LSD_gain {m.LsdGainDb:F5}/{c.Librosa.LsdGainDb:F5} mel-LSD {m.MelLsdDb:F5}/{c.Librosa.MelLsdDb:F5}");
            Assert.Equal(c.Librosa.MelScGain, m.MelScGain, 1e-3);
            Assert.Equal(c.Librosa.ScGain, m.ScGain, 1e-3);
            Assert.Equal(c.Librosa.LsdDb, m.LsdDb, 1e-3);
            Assert.Equal(c.Librosa.LsdGainDb, m.LsdGainDb, 1e-3);
            Assert.Equal(c.Librosa.MelLsdDb, m.MelLsdDb, 1e-3);
        }
    }

    [Fact]
    public void Gain_free_measures_ignore_the_level()
    {
        var y = Synth();
        var quiet = new AudioClip(y.Samples.Select(v => 0.1f * v).ToArray(), y.SampleRate);
        var m = QualityMetrics.Compare(y, quiet);
        Assert.True(m.LsdDb > 3, $"LSD {m.LsdDb} should see the 20 dB level difference");
        Assert.Equal(0, m.LsdGainDb, 2);
        Assert.Equal(0, m.MelScGain, 3);
        Assert.Equal(0, m.ScGain, 3);
        Assert.Equal(10, m.Gain, 2);
    }
}
