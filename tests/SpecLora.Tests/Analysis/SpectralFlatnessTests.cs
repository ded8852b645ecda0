using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class SpectralFlatnessTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Flatness_matches_librosa_within_1e5_relative_2e3_on_our_own_decoding(string input)
    {
        var expected = AnalysisGolden.Array(input, "flatness");
        var f = SpectralFlatness.Compute(AnalysisGolden.Input(input));
        Assert.Equal(expected.Length, f.Length);
        double rel = Golden.RelFrobenius(f, expected);
        double mean = f.Average(v => (double)v), golden = AnalysisGolden.Summary(input).GetProperty("flatness_mean").GetDouble();
        output.WriteLine($"{input}: relative Frobenius {rel:E2}, mean {mean:E6} vs {golden:E6}");
        double tolerance = AnalysisGolden.InputTolerance(input, 1e-5, 200);
        Assert.True(rel <= tolerance, $"{input}: relative Frobenius error {rel:E3} > {tolerance:E0}");
        Assert.True(Math.Abs(mean - golden) <= tolerance * golden, $"{input}: mean {mean} vs librosa {golden}");
    }

    [Fact]
    public void White_noise_is_flat_and_a_sine_is_not()
    {
        var rng = new Random(1);
        var noise = new float[22050];
        for (int i = 0; i < noise.Length; i++) noise[i] = (float)(rng.NextDouble() * 2 - 1);
        var sine = new float[22050];
        for (int i = 0; i < sine.Length; i++) sine[i] = (float)Math.Sin(2 * Math.PI * 1000 * i / 22050.0);
        double fn = SpectralFlatness.Compute(new AudioClip(noise, 22050)).Skip(5).SkipLast(5).Average(v => v);
        double fs = SpectralFlatness.Compute(new AudioClip(sine, 22050)).Skip(5).SkipLast(5).Average(v => v);
        Assert.InRange(fn, 0.4, 0.8);   // ≈ 0.56 = e^−γ for a periodogram of white noise
        Assert.True(fs < 1e-3, $"sine flatness {fs}");
    }
}
