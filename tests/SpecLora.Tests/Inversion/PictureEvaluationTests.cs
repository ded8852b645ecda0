using SpecLora.Audio;
using SpecLora.Inversion;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Inversion;

/// <summary>Pictures of real recordings (../shared/corpus/real): our inversion at the true frame count against librosa's,
/// by the gain-free measures of specs/metrics.md. Skips when ../shared is absent.</summary>
public class PictureEvaluationTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, AudioClip> Originals = new();

    private static AudioClip Original(PictureCase c)
    {
        lock (Originals)
        {
            var key = c.OriginalPath + c.OriginalDurationSeconds;
            if (!Originals.TryGetValue(key, out var clip)) Originals[key] = clip = PictureEvaluation.LoadOriginal(c);
            return clip;
        }
    }

    private static IReadOnlyList<PictureCase> Cases()
    {
        var cases = PictureEvaluation.LoadCases(Golden.RequireShared("corpus", "real"));
        Assert.Equal(10, cases.Count);
        return cases;
    }

    [SkippableFact]
    public void Time_axis_has_no_drift_in_any_third_of_any_case()
    {
        foreach (var c in Cases())
        {
            var original = Original(c);
            var ours = PictureEvaluation.Invert(c, new InversionOptions { Frames = c.Frames });
            Assert.Equal(512 * (c.Frames - 1), ours.Length);
            var shifts = PictureEvaluation.BestShifts(original, ours);
            output.WriteLine($"{c.Name}: best shift per third {string.Join(", ", shifts)}");
            Assert.All(shifts, s => Assert.Equal(0, s));
        }
    }

    [SkippableFact]
    public void The_true_duration_gives_the_true_frame_count()
    {
        foreach (var c in Cases().Where(c => c.Format == "png"))
        {
            var original = Original(c);
            Assert.Equal(c.Frames, new MelInverter(new InversionOptions { DurationSeconds = original.DurationSeconds }).TargetFrames(640));
        }
    }

    [SkippableFact]
    public void Beats_librosa_on_mel_sc_in_every_case_and_never_loses_lsd_by_more_than_5_percent()
    {
        // The regression guard for what is achieved today (worst cases 0.95× mel-SC_gain, 1.02× LSD_gain). Issue 8's target
        // (≤ 0.8× mel-SC_gain and ≤ 1× LSD_gain in every case) is not met in 4 of 10: `speclora bench` prints the ratios.
        foreach (var c in Cases())
        {
            var s = PictureEvaluation.Evaluate(c, Original(c));
            output.WriteLine($"{c.Name}: {s.MelScGainRatio:F2}× / {s.LsdGainRatio:F2}×");
            Assert.True(s.MelScGainRatio < 1, $"{c.Name}: mel-SC_gain {s.Ours.MelScGain:F3} ≥ librosa's {c.Librosa.MelScGain:F3}");
            Assert.True(s.LsdGainRatio <= 1.05, $"{c.Name}: LSD_gain {s.Ours.LsdGainDb:F2} dB > 1.05 × librosa's {c.Librosa.LsdGainDb:F2} dB");
        }
    }
}
