using SpecLora.Analysis;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class OnsetTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Onset_strength_of_the_makemels_db_mel_matches_librosa_within_1e4_relative(string input)
    {
        var expected = AnalysisGolden.Array(input, "onset");
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(AnalysisGolden.Input(input)), DbOptions.MakeMels);
        var env = Onset.Strength(db);
        Assert.Equal(expected.Length, env.Length);
        double rel = Golden.RelFrobenius(env, expected), peak = AnalysisGolden.MaxRelToPeak(env, expected);
        output.WriteLine($"{input}: relative Frobenius {rel:E2}, max |Δ|/max {peak:E2}");
        double tolerance = AnalysisGolden.InputTolerance(input, 1e-4);
        Assert.True(rel <= tolerance, $"{input}: relative Frobenius error {rel:E3} > {tolerance:E0}");
    }

    [SkippableTheory]
    [InlineData("synth2s")]
    [InlineData("elise5s")]
    public void Onset_strength_of_librosas_own_db_mel_matches_within_1e5_relative(string input)
    {
        // the algorithm alone: librosa's power_to_db(melspectrogram(y), ref=np.max) in, librosa's envelope out
        var path = input == "synth2s" ? System.IO.Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32") : Golden.RequireShared("golden", "elise5s_mel_db.f32");
        var data = Golden.ReadF32(path);
        var db = Spectrogram.Create(data, 128, data.Length / 128, SpectrogramScale.Db, FrequencyAxis.Mel);
        var expected = AnalysisGolden.Array(input, "onset");
        double rel = Golden.RelFrobenius(Onset.Strength(db), expected);
        output.WriteLine($"{input}: relative Frobenius {rel:E2}");
        Assert.True(rel <= 1e-5, $"{input}: relative Frobenius error {rel:E3} > 1e-5");
    }

    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Onset_strength_from_audio_matches_librosa_within_1e4_relative(string input)
    {
        var y = AnalysisGolden.Input(input);
        var expected = AnalysisGolden.Array(input, "onset_y");
        var env = Onset.Strength(y);
        Assert.Equal(expected.Length, env.Length);
        double rel = Golden.RelFrobenius(env, expected);
        output.WriteLine($"{input}: relative Frobenius {rel:E2}, max |Δ|/max {AnalysisGolden.MaxRelToPeak(env, expected):E2}");
        double tolerance = AnalysisGolden.InputTolerance(input, 1e-4);
        Assert.True(rel <= tolerance, $"{input}: relative Frobenius error {rel:E3} > {tolerance:E0}");
    }

    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Onset_detect_on_the_golden_envelope_gives_librosas_frames(string input)
    {
        var onsets = Onset.Detect(AnalysisGolden.Array(input, "onset"));
        Assert.Equal(AnalysisGolden.Frames(input, "onset_frames"), onsets);
    }

    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Onset_detect_on_our_envelope_gives_librosas_frames(string input)
    {
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(AnalysisGolden.Input(input)), DbOptions.MakeMels);
        Assert.Equal(AnalysisGolden.Frames(input, "onset_frames"), Onset.Detect(Onset.Strength(db)));
    }

    [Fact]
    public void Strength_is_zero_for_the_first_lag_plus_centre_frames_and_rectified()
    {
        // a single step up at frame 5 in every band: flux 10 dB at frame 5, shifted by lag 1 + 2048/(2·512) = 3 frames
        var data = new float[4 * 12];
        for (int b = 0; b < 4; b++) for (int t = 5; t < 12; t++) data[b * 12 + t] = 10f;
        var env = Onset.Strength(Spectrogram.Create(data, 4, 12, SpectrogramScale.Db, FrequencyAxis.Mel));
        Assert.Equal(12, env.Length);
        for (int t = 0; t < 12; t++) Assert.Equal(t == 4 + 3 ? 10f : 0f, env[t]);
        // a step down is rectified away
        var down = data.Select(v => 10f - v).ToArray();
        Assert.All(Onset.Strength(Spectrogram.Create(down, 4, 12, SpectrogramScale.Db, FrequencyAxis.Mel)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Strength_refuses_a_power_spectrogram_with_a_sentence()
    {
        var s = Spectrogram.Create(new float[8], 2, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        var e = Assert.Throws<ArgumentException>(() => Onset.Strength(s));
        Assert.Contains("dB", e.Message);
    }

    [Fact]
    public void Peak_pick_follows_the_greedy_rules()
    {
        float[] x = [0, 1, 0, 0, 0.9f, 0.95f, 0, 0, 0, 0];
        // post_max 1 = the window ends at n: 1 and 4 are maxima of x[n−1..n] above their local mean + 0.07;
        // wait 1 then skips 5 (the larger value, but one frame after a peak)
        Assert.Equal([1, 4], Onset.PeakPick(x, 1, 1, 4, 5, 0.07, 1));
        Assert.Equal([1, 5], Onset.PeakPick(x, 1, 2, 4, 5, 0.07, 1));
        Assert.Empty(Onset.Detect(new float[10]));
    }

    [Fact]
    public void Detect_options_resolve_to_librosas_frames_at_22050_hz()
    {
        Assert.Equal((1, 1, 4, 5, 1), new OnsetDetectOptions().Resolve(22050, 512));
        var e = Assert.Throws<ArgumentException>(() => new OnsetDetectOptions { PostMax = 0 }.Resolve(22050, 512));
        Assert.Contains("PostMax=0", e.Message);
    }
}
