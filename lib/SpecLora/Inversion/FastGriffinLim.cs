using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// Fast Griffin-Lim (FGLA; Perraudin, Balazs, Søndergaard, WASPAA 2013): t_n = P_C1(c_{n−1}),
/// c_n = P_C2(t_n + α(t_n − t_{n−1})), α = 0.99, started from a given phase (e.g. <see cref="Pghi"/>) or a seeded random
/// one. It is the same iteration as <see cref="GriffinLim"/> (librosa's momentum form equals FGLA up to a scale that
/// the magnitude projection removes); this entry point exists to start from an arbitrary phase.
/// </summary>
public static class FastGriffinLim
{
    /// <summary>Default acceleration α (Perraudin et al.; α &gt; 1 is usually unstable).</summary>
    public const float DefaultAlpha = 0.99f;

    /// <summary>Reconstructs audio from a linear magnitude [1 + NFft/2 × T] starting from <paramref name="initialPhase"/>
    /// (radians, bin-major like the magnitude; null = seeded random phase). Output length hop·(T−1), not normalised.</summary>
    /// <exception cref="ArgumentException">Bad magnitude, or a phase array of the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">iterations &lt; 0 or alpha &lt; 0.</exception>
    public static AudioClip Reconstruct(Spectrogram magnitude, float[]? initialPhase = null, int iterations = 32,
        float alpha = DefaultAlpha, int seed = 0, StftOptions? stft = null,
        IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations={iterations} must be ≥ 0");
        if (!(alpha >= 0) || !float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"alpha={alpha} must be finite and ≥ 0");
        var plan = PhaseIteration.CreatePlan(stft);
        PhaseIteration.CheckMagnitude(magnitude, plan, nameof(magnitude));
        if (initialPhase != null && initialPhase.Length != magnitude.Data.Length)
            throw new ArgumentException($"initialPhase has {initialPhase.Length} values, the magnitude {magnitude.Data.Length}", nameof(initialPhase));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        var phase = initialPhase == null
            ? PhaseIteration.RandomPhase(mag.Length, seed)
            : PhaseIteration.ToFrameMajor(magnitude with { Data = initialPhase });
        return new AudioClip(Run(plan, mag, magnitude.Frames, phase, iterations, alpha, progress, ct), magnitude.SampleRate);
    }

    /// <summary>Frame-major core used by the pipeline.</summary>
    internal static float[] Run(Stft plan, float[] magFrameMajor, int frames, float[] phaseFrameMajor, int iterations,
        float alpha, IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? melTarget = null)
    {
        var (re, im) = PhaseIteration.FromPhase(magFrameMajor, phaseFrameMajor);
        return PhaseIteration.Run(plan, magFrameMajor, frames, re, im, iterations, alpha, progress, ct, melTarget);
    }
}
