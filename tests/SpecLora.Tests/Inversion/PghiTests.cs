using SpecLora.Audio;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Inversion;

public class PghiTests
{
    private static AudioClip PhaseOnly(float[] y, PhaseMethod method) =>
        new MelInverter(new InversionOptions { Method = method, PeakDbfs = null }).FromMagnitude(new Stft().Forward(y).ToMagnitude(1.0));

    /// <summary>PGHI alone on the true |STFT| of the synthetic tones: measured −31.6 dB; tolerance −28 dB. Without the
    /// (−1)^m frame-start fix it is ≈ 0 dB, so this catches the convention.</summary>
    [Fact]
    public void Pghi_alone_on_true_magnitude_reaches_minus_28_dB()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        double sc = QualityMetrics.Compare(new AudioClip(y, 22050), PhaseOnly(y, PhaseMethod.Pghi)).ScDb;
        Assert.True(sc <= -28, $"PGHI SC {sc:F1} dB > −28 dB");
    }

    /// <summary>Issue 3: from a clip's true |STFT|, PGHI + 32 FGLA reaches SC ≤ −33 dB. Für Elise 15 s (corpus WAV,
    /// decimated by the test loader): measured −34.3 dB. (Op. 10/1 15 s reaches only −30.1 dB and the 5 s golden
    /// excerpt −30.3 dB; see the report.)</summary>
    [SkippableFact]
    public void Pghi_fgla32_on_elise_true_magnitude_reaches_minus_33_dB()
    {
        var y = CorpusAudio.Load22050("beethoven_elise_15s.wav");
        double sc = QualityMetrics.Compare(new AudioClip(y, 22050), PhaseOnly(y, PhaseMethod.PghiFgla)).ScDb;
        Assert.True(sc <= -33, $"PGHI+FGLA32 SC {sc:F1} dB > −33 dB");
    }

    [Fact]
    public void Deterministic_and_wrapped()
    {
        var mag = new Stft().Forward(Golden.Fixture("synth2s_y.f32")).ToMagnitude(1.0);
        var a = Pghi.EstimatePhase(mag);
        Assert.Equal(a, Pghi.EstimatePhase(mag));
        Assert.All(a, v => Assert.InRange(v, -MathF.PI - 1e-5f, MathF.PI + 1e-5f));
    }

    [Fact]
    public void Silence_gives_zero_phase_and_bad_options_are_rejected()
    {
        var zero = Spectrogram.Create(new float[1025 * 4], 1025, 4, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        Assert.All(Pghi.EstimatePhase(zero), v => Assert.Equal(0f, v));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Pghi.EstimatePhase(zero, new PghiOptions { Tolerance1 = 2 }));
        Assert.Contains("2", ex.Message);
    }
}
