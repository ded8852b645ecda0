using SpecLora.Audio;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Inversion;

public class GriffinLimTests
{
    private static Spectrogram SynthMagnitude() =>
        Spectrogram.Create(Golden.Fixture("synth2s_stft_mag.f32"), 1025, 87, SpectrogramScale.Magnitude, FrequencyAxis.Linear);

    /// <summary>
    /// librosa parity on synth2s_gl_true_mag_zero_init (zero init, 32 iterations, momentum 0.99). The waveforms do NOT
    /// agree to 1e-4: we measured 0.17 relative. The four tones are separated in time-frequency, so each can drift in
    /// phase without changing |STFT| (a neutral direction GL never corrects); float32 vs numpy's float64 FFT rounding
    /// moves along it. So parity is checked where it is defined: |STFT| of the two outputs agree to SC ≤ 0.05
    /// (measured 0.034; mel-SC 0.005), and both reach the same quality against the truth (librosa 0.114; ours within ±10 %).
    /// </summary>
    [Fact]
    public void Zero_init_matches_librosa_in_the_spectral_domain_sc_0_05()
    {
        var ours = GriffinLim.Reconstruct(SynthMagnitude(), new GriffinLimOptions { Init = PhaseInit.Zero });
        var librosa = new AudioClip(Golden.Fixture("synth2s_gl_true_mag_zero_init.f32"), 22050);
        Assert.Equal(librosa.Length, ours.Length);
        var m = QualityMetrics.Compare(librosa, ours);
        Assert.True(m.Sc <= 0.05, $"SC between |STFT| of ours and librosa's = {m.Sc:F4} > 0.05");
        var truth = new AudioClip(Golden.Fixture("synth2s_y.f32"), 22050);
        double scOurs = QualityMetrics.Compare(truth, ours).Sc, scLibrosa = QualityMetrics.Compare(truth, librosa).Sc;
        Assert.InRange(scLibrosa, 0.110, 0.118); // golden README: 0.114
        Assert.True(Math.Abs(scOurs - scLibrosa) <= 0.1 * scLibrosa, $"SC vs truth: ours {scOurs:F4}, librosa {scLibrosa:F4} (±10 %)");
    }

    [Fact]
    public void Same_seed_same_output_other_seed_differs()
    {
        var mag = SynthMagnitude();
        var o = new GriffinLimOptions { Iterations = 4, Seed = 3 };
        var a = GriffinLim.Reconstruct(mag, o).Samples;
        var b = GriffinLim.Reconstruct(mag, o).Samples;
        var c = GriffinLim.Reconstruct(mag, o with { Seed = 4 }).Samples;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Rejects_bad_input()
    {
        var mag = SynthMagnitude();
        Assert.Throws<ArgumentException>(() => GriffinLim.Reconstruct(mag with { Scale = SpectrogramScale.Power }));
        Assert.Throws<ArgumentException>(() => GriffinLim.Reconstruct(mag with { Axis = FrequencyAxis.Mel }));
        var nan = (float[])mag.Data.Clone(); nan[5] = float.NaN;
        Assert.Throws<ArgumentException>(() => GriffinLim.Reconstruct(mag with { Data = nan }));
        Assert.Throws<ArgumentException>(() => GriffinLim.Reconstruct(Spectrogram.Create(new float[1025], 1025, 1, SpectrogramScale.Magnitude, FrequencyAxis.Linear)));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => GriffinLim.Reconstruct(mag, new GriffinLimOptions { Iterations = -1 }));
        Assert.Contains("-1", ex.Message);
    }
}
