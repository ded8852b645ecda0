using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Inversion;

public class PhaseIterationTests
{
    [Fact]
    public void Layout_round_trip_is_exact()
    {
        var data = Enumerable.Range(0, 5 * 7).Select(i => (float)i).ToArray();
        var s = Spectrogram.Create(data, 5, 7, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        var fm = PhaseIteration.ToFrameMajor(s);
        Assert.Equal(s[3, 2], fm[2 * 5 + 3]);
        Assert.Equal(data, SpanMath.Transpose(fm, 7, 5));
    }

    [Fact]
    public void Project_imposes_the_magnitude_and_keeps_the_extrapolated_phase()
    {
        float[] mag = { 2f, 0f, 3f };
        float[] rRe = { 1f, 1f, 0f }, rIm = { 0f, 1f, 0f };
        float[] pRe = { 0f, 0f, 0f }, pIm = { 0f, 0f, 0f };
        PhaseIteration.Project(mag, rRe, rIm, pRe, pIm, 0, 3, 0.5f);
        Assert.Equal(2f, pRe[0], 6); Assert.Equal(0f, pIm[0], 6);
        Assert.Equal(0f, pRe[1]); Assert.Equal(0f, pIm[1]);            // zero magnitude → zero
        Assert.False(float.IsNaN(pRe[2]) || float.IsNaN(pIm[2]));      // zero direction → no NaN (librosa's tiny)
    }

    [Fact]
    public void Random_phase_is_deterministic_per_seed()
    {
        Assert.Equal(PhaseIteration.RandomPhase(100, 5), PhaseIteration.RandomPhase(100, 5));
        Assert.NotEqual(PhaseIteration.RandomPhase(100, 5), PhaseIteration.RandomPhase(100, 6));
        Assert.All(PhaseIteration.RandomPhase(100, 5), v => Assert.InRange(v, 0f, 2 * MathF.PI));
    }

    [Fact]
    public void CreatePlan_rejects_non_librosa_framing()
    {
        Assert.Throws<ArgumentException>(() => PhaseIteration.CreatePlan(new StftOptions { Center = false }));
        Assert.Throws<ArgumentException>(() => PhaseIteration.CreatePlan(new StftOptions { PadMode = PadMode.Reflect }));
        Assert.Equal(1025, PhaseIteration.CreatePlan(null).Bins);
    }
}
