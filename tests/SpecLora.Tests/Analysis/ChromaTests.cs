using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class ChromaTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Chroma_stft_with_estimated_tuning_matches_librosa_within_1e5(string input)
    {
        var summary = AnalysisGolden.Summary(input);
        var expected = AnalysisGolden.Array(input, "chroma");
        var chroma = Chroma.Stft(AnalysisGolden.Input(input));
        Assert.Equal(expected.Length, chroma.Data.Length);
        double max = Golden.MaxAbsDiff(chroma.Data, expected);
        var mean = chroma.Mean();
        var goldenMean = summary.GetProperty("chroma_mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double meanErr = mean.Zip(goldenMean, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{input}: tuning {chroma.TuningBins}, max |Δ| {max:E2}, chroma_mean max |Δ| {meanErr:E2}");
        Assert.True(max <= 1e-5, $"{input}: chroma max abs difference {max:E3} > 1e-5 (values in [0, 1])");
        Assert.True(meanErr <= 1e-5, $"{input}: chroma_mean max abs difference {meanErr:E3} > 1e-5");
    }

    [Fact]
    public void Filterbank_columns_peak_at_their_pitch_class()
    {
        var fb = Chroma.FilterBank(22050, 2048);
        int bins = 1025;
        // bin of A4 (440 Hz) ≈ 40.9: the A row (index 9 with C first) dominates
        int k = (int)Math.Round(440.0 / (22050.0 / 2048));
        int best = Enumerable.Range(0, 12).MaxBy(c => fb[c * bins + k]);
        Assert.Equal(9, best);
    }

    [Fact]
    public void A_sine_at_a440_lights_the_a_bin()
    {
        var y = new float[22050];
        for (int i = 0; i < y.Length; i++) y[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 22050.0));
        var chroma = Chroma.Stft(new AudioClip(y, 22050));
        var mean = chroma.Mean();
        Assert.Equal(9, Array.IndexOf(mean, mean.Max()));
        Assert.True(Math.Abs(chroma.TuningBins) <= 0.05, $"tuning {chroma.TuningBins}");
    }
}
