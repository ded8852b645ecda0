using SpecLora.Audio;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Inversion;

public class FastGriffinLimTests
{
    [Fact]
    public void True_phase_with_zero_iterations_gives_the_signal_back_atol_1e5()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var c = new Stft().Forward(y, LibrosaDefaults.SampleRate);
        var mag = c.ToMagnitude(1.0);
        var phaseFm = new float[c.Real.Length];
        for (int i = 0; i < phaseFm.Length; i++) phaseFm[i] = MathF.Atan2(c.Imag[i], c.Real[i]);
        var phase = PhaseIteration.ToBinMajor(phaseFm, c.Bins, c.Frames);
        var r = FastGriffinLim.Reconstruct(mag, phase, iterations: 0);
        double err = Golden.MaxAbsDiff(r.Samples, y.AsSpan(0, r.Length));
        Assert.True(err < 1e-5, $"max abs diff {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Iterations_reduce_inconsistency_from_random_phase()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var mag = new Stft().Forward(y, LibrosaDefaults.SampleRate).ToMagnitude(1.0);
        var truth = new AudioClip(y, 22050);
        double sc0 = QualityMetrics.Compare(truth, FastGriffinLim.Reconstruct(mag, iterations: 0, seed: 1)).Sc;
        double sc16 = QualityMetrics.Compare(truth, FastGriffinLim.Reconstruct(mag, iterations: 16, seed: 1)).Sc;
        Assert.True(sc16 < 0.5 * sc0, $"SC after 16 iterations {sc16:F3} is not below half of the initial {sc0:F3}");
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        var mag = Spectrogram.Create(Golden.Fixture("synth2s_stft_mag.f32"), 1025, 87, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        Assert.Throws<ArgumentOutOfRangeException>(() => FastGriffinLim.Reconstruct(mag, iterations: -2));
        Assert.Throws<ArgumentOutOfRangeException>(() => FastGriffinLim.Reconstruct(mag, alpha: float.NaN));
        Assert.Throws<ArgumentException>(() => FastGriffinLim.Reconstruct(mag, new float[10]));
    }
}

