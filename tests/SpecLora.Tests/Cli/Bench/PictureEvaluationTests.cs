using SpecLora.Spectrograms;
using SpecLora.Audio;
using SpecLora.Cli.Bench;
using SpecLora.Inversion;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Bench;

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
            Assert.Equal(c.Frames, FrameAxis.ForDuration(640, original.DurationSeconds).Frames);
        }
    }

    /// <summary>The oracle reference on signals whose answer is known: a steady tone (every frame alike: nothing to miss
    /// between the drawn frames) is close to 0 (0.013); clicks every 0.37 s over 60 s (4 frames per column: most clicks fall
    /// between drawn frames) are far from it (0.81); a clip with fewer frames than columns (every frame drawn) is exactly 0.</summary>
    [Fact]
    public void Interpolation_bound_is_near_zero_for_a_steady_tone_large_for_clicks_and_zero_when_every_frame_is_shown()
    {
        const int sr = 22050;
        var tone = new float[60 * sr];
        for (int i = 0; i < tone.Length; i++) tone[i] = 0.5f * MathF.Sin(2 * MathF.PI * 440f * i / sr);
        var clicks = new float[60 * sr];
        for (double t = 0.1; t < 59.9; t += 0.37) for (int j = 0; j < 64; j++) clicks[(int)(t * sr) + j] = 0.9f * MathF.Exp(-j / 8f);
        double steady = PictureEvaluation.InterpolationBound(new AudioClip(tone, sr));
        double sparse = PictureEvaluation.InterpolationBound(new AudioClip(clicks, sr));
        output.WriteLine($"steady tone {steady:F4}, clicks {sparse:F4}");
        Assert.InRange(steady, 0, 0.05);   // measured 0.013: the two frames before the first drawn one (half zero padding) are held
        Assert.True(sparse > 0.3, $"clicks: {sparse:F3}");
        Assert.Equal(0, PictureEvaluation.InterpolationBound(new AudioClip(tone.AsSpan(0, 5 * sr).ToArray(), sr)));
    }

    /// <summary>Issue 8's target (mel-SC_gain ≤ 0.8× librosa's and LSD_gain ≤ 1×) in every case where the picture holds
    /// the information for it: where even <see cref="PictureEvaluation.InterpolationBound"/> (the best linear interpolation
    /// of the shown frames, fitted on the original itself) is above 0.8× librosa's mel-SC_gain, no interpolation can meet it,
    /// and the case is held to the regression guard only (mel-SC_gain below librosa's, LSD_gain ≤ 1.05×). Measured: the
    /// target holds in 8 of 10; the bound exempts vibeace_60s png and jpg (0.429 = 0.91× and 0.82× librosa's; ours 0.437 / 0.450).
    /// The bound is an oracle reference fitted to the answer, not a proof (see its doc).</summary>
    [SkippableFact]
    public void Meets_the_target_wherever_the_picture_holds_the_information()
    {
        var bounds = new Dictionary<string, double>();
        int met = 0;
        foreach (var c in Cases())
        {
            var original = Original(c);
            if (!bounds.TryGetValue(c.Key, out double bound)) bounds[c.Key] = bound = PictureEvaluation.InterpolationBound(original);
            var s = PictureEvaluation.Evaluate(c, original);
            bool exempt = bound > 0.8 * c.Librosa.MelScGain;
            output.WriteLine($"{c.Name}: mel-SC_gain {s.Ours.MelScGain:F3} ({s.MelScGainRatio:F2}×), LSD_gain {s.Ours.LsdGainDb:F2} dB ({s.LsdGainRatio:F3}×), interpolation bound {bound:F3}{(exempt ? " (target out of reach)" : "")}");
            // the bound is a bound: our whole pipeline (decoded picture, an interpolation not fitted to the answer, phase) is no better
            Assert.True(bound <= s.Ours.MelScGain, $"{c.Name}: bound {bound:F3} above what we reach, {s.Ours.MelScGain:F3}");
            Assert.True(s.MelScGainRatio < 1, $"{c.Name}: mel-SC_gain {s.Ours.MelScGain:F3} ≥ librosa's {c.Librosa.MelScGain:F3}");
            Assert.True(s.LsdGainRatio <= 1.05, $"{c.Name}: LSD_gain {s.Ours.LsdGainDb:F2} dB > 1.05 × librosa's {c.Librosa.LsdGainDb:F2} dB");
            if (exempt) continue;
            Assert.True(s.MelScGainRatio <= 0.8, $"{c.Name}: mel-SC_gain {s.Ours.MelScGain:F3} > 0.8 × librosa's {c.Librosa.MelScGain:F3}");
            Assert.True(s.LsdGainRatio <= 1, $"{c.Name}: LSD_gain {s.Ours.LsdGainDb:F2} dB > librosa's {c.Librosa.LsdGainDb:F2} dB");
            met++;
        }
        Assert.Equal(0, bounds["trumpet"]);   // 230 frames on 640 columns: every frame shown
        Assert.True(met >= 8, $"target met in {met} of 10");
    }
}
