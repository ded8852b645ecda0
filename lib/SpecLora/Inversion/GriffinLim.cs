using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="GriffinLim"/>; defaults are librosa 0.10 <c>griffinlim</c>'s
/// (n_iter 32, momentum 0.99, init "random"), with an explicit seed so runs repeat.</summary>
public sealed record GriffinLimOptions
{
    /// <summary>Number of iterations (librosa <c>n_iter</c>). Default 32.</summary>
    public int Iterations { get; init; } = 32;
    /// <summary>Momentum α (librosa <c>momentum</c>); the update subtracts α/(1+α)·t_prev. 0 = classic Griffin-Lim. Default 0.99.</summary>
    public float Momentum { get; init; } = 0.99f;
    /// <summary>Initial phase (librosa <c>init</c>). Default <see cref="PhaseInit.Random"/>.</summary>
    public PhaseInit Init { get; init; } = PhaseInit.Random;
    /// <summary>Seed of the random initial phase (librosa <c>random_state</c>). Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT settings (librosa defaults).</summary>
    public StftOptions Stft { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> quoting the first bad value.</summary>
    public GriffinLimOptions Validate()
    {
        if (Iterations < 0) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Iterations={Iterations} must be ≥ 0 (librosa n_iter)");
        if (!(Momentum >= 0) || !float.IsFinite(Momentum)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, $"Momentum={Momentum} must be finite and ≥ 0 (librosa momentum)");
        Stft.Validate();
        return this;
    }
}

/// <summary>
/// librosa-compatible Griffin-Lim (<c>librosa.griffinlim</c>): the same update order, momentum and window-sum
/// normalisation, so zero-init runs match librosa to float precision. Output length hop·(T−1) (librosa length=None),
/// not normalised.
/// </summary>
public static class GriffinLim
{
    /// <summary>Reconstructs audio from a linear magnitude spectrogram [1 + NFft/2 × T]. The input is not modified.</summary>
    /// <exception cref="ArgumentException">Not a linear magnitude spectrogram, wrong bin count, fewer than 2 frames or non-finite values.</exception>
    public static AudioClip Reconstruct(Spectrogram magnitude, GriffinLimOptions? options = null,
        IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        var o = (options ?? new GriffinLimOptions()).Validate();
        var plan = PhaseIteration.CreatePlan(o.Stft);
        PhaseIteration.CheckMagnitude(magnitude, plan, nameof(magnitude));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        var phase = o.Init == PhaseInit.Random ? PhaseIteration.RandomPhase(mag.Length, o.Seed) : null;
        var (re, im) = PhaseIteration.FromPhase(mag, phase);
        var y = PhaseIteration.Run(plan, mag, magnitude.Frames, re, im, o.Iterations, o.Momentum, progress, ct);
        return new AudioClip(y, magnitude.SampleRate);
    }
}
