using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class HpssTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("synth2s")]
    [InlineData("elise5s")]
    public void Hpss_matches_librosa_within_1e5_relative_and_the_ratio_within_1e6(string input)
    {
        var h = AnalysisGolden.Array(input, "hpss_h");
        var p = AnalysisGolden.Array(input, "hpss_p");
        var r = Hpss.Separate(AnalysisGolden.Input(input));
        double eh = Golden.RelFrobenius(r.Harmonic.Data, h), ep = Golden.RelFrobenius(r.Percussive.Data, p);
        double ratio = AnalysisGolden.Summary(input).GetProperty("harmonic_ratio").GetDouble();
        output.WriteLine($"{input}: H rel {eh:E2}, P rel {ep:E2}, ratio {r.HarmonicRatio:F7} vs {ratio:F7}");
        Assert.True(eh <= 1e-5, $"{input}: harmonic relative Frobenius {eh:E3} > 1e-5");
        Assert.True(ep <= 1e-5, $"{input}: percussive relative Frobenius {ep:E3} > 1e-5");
        Assert.True(Math.Abs(r.HarmonicRatio - ratio) <= 1e-6, $"{input}: harmonic ratio {r.HarmonicRatio} vs {ratio}");
    }

    [Fact]
    public void A_sustained_tone_is_harmonic_and_a_click_is_percussive()
    {
        var y = new float[22050];
        for (int i = 0; i < y.Length; i++) y[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 523.25 * i / 22050.0));
        Assert.True(Hpss.Separate(new AudioClip(y, 22050)).HarmonicRatio > 0.95);
        var clicks = new float[22050];
        for (int i = 1000; i < clicks.Length; i += 2205) clicks[i] = 1f;
        Assert.True(Hpss.Separate(new AudioClip(clicks, 22050)).HarmonicRatio < 0.2);
    }

    [Fact]
    public void Silence_splits_evenly_and_a_power_input_is_refused()
    {
        var s = Spectrogram.Create(new float[1025 * 4], 1025, 4, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        var r = Hpss.Separate(s);
        Assert.All(r.Harmonic.Data, v => Assert.Equal(0f, v));
        Assert.Equal(0.5f, Hpss.SoftMask(0, 0, 2, true));
        Assert.Throws<ArgumentException>(() => Hpss.Separate(s with { Scale = SpectrogramScale.Power }));
    }
}
