using SpecLora.Analysis;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class RhythmTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Tempogram_matches_librosa_within_1e5(string input)
    {
        var env = AnalysisGolden.Array(input, "onset");
        var expected = AnalysisGolden.Array(input, "tempogram");
        var tg = Rhythm.ComputeTempogram(env);
        Assert.Equal(384, tg.WinLength);
        Assert.Equal(env.Length, tg.Frames);
        double max = Golden.MaxAbsDiff(tg.Data, expected);
        output.WriteLine($"{input}: max |Δ| {max:E2}, relative Frobenius {Golden.RelFrobenius(tg.Data, expected):E2}");
        Assert.True(max <= 1e-5, $"{input}: max abs difference {max:E3} > 1e-5 (values are in [−1, 1])");
    }

    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Tempo_matches_librosa_within_0_01_bpm(string input)
    {
        double expected = AnalysisGolden.Summary(input).GetProperty("tempo_bpm").GetDouble();
        double tempo = Rhythm.Tempo(AnalysisGolden.Array(input, "onset"));
        output.WriteLine($"{input}: {tempo:F6} BPM vs librosa {expected:F6}");
        Assert.True(Math.Abs(tempo - expected) <= 0.01, $"{input}: {tempo} BPM vs librosa {expected}");
    }

    [Fact]
    public void Tempo_frequencies_and_window_are_librosas()
    {
        var f = Rhythm.TempoFrequencies(4);
        Assert.True(double.IsPositiveInfinity(f[0]));
        Assert.Equal(60.0 * 22050 / 512, f[1], 9);
        Assert.Equal(344, Rhythm.AcWindowFrames(8.0, 22050, 512));
    }

    [Fact]
    public void A_click_train_has_its_period_as_tempo_and_a_unit_lag_zero()
    {
        var env = new float[600];
        for (int t = 10; t < env.Length; t += 20) env[t] = 1f;   // 20 frames per beat = 129.2 BPM
        var tg = Rhythm.ComputeTempogram(env);
        Assert.Equal(1f, tg[0, 300], 5);
        Assert.True(tg[20, 300] > 0.9f && tg[10, 300] < 0.01f);
        Assert.Equal(60.0 * 22050 / 512 / 20, Rhythm.Tempo(env), 6);
    }
}
