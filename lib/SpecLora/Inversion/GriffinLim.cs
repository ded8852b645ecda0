using SpecLora.Audio;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="GriffinLim"/>; defaults are librosa 0.10 <c>griffinlim</c>'s
/// (n_iter 32, momentum 0.99, init "random"), with an explicit seed so runs repeat.</summary>
public sealed record GriffinLimOptions
{
    /// <summary>librosa's default momentum, 0.99: the fast Griffin-Lim of Perraudin, Balazs and Søndergaard (WASPAA
    /// 2013), whose α librosa's momentum is.</summary>
    public const float DefaultMomentum = 0.99f;
    /// <summary>Number of iterations (librosa <c>n_iter</c>). Default 32.</summary>
    public int Iterations { get; init; } = 32;
    /// <summary>Momentum α (librosa <c>momentum</c>): the update subtracts α/(1+α)·t_prev. 0 = the classic Griffin-Lim
    /// (Griffin and Lim 1984); 0.99 = fast Griffin-Lim. Default 0.99.</summary>
    public float Momentum { get; init; } = DefaultMomentum;
    /// <summary>Initial phase (librosa <c>init</c>) when no phase is given to <see cref="GriffinLim.Reconstruct"/>.
    /// Default <see cref="PhaseInit.Random"/>.</summary>
    public PhaseInit Init { get; init; } = PhaseInit.Random;
    /// <summary>Seed of the random initial phase (librosa <c>random_state</c>). Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT settings (librosa defaults; inversion needs Center = true, zero padding, hop ≤ n_fft).</summary>
    public StftOptions Stft { get; init; } = new();

    /// <summary>Throws one <see cref="ArgumentException"/> listing every bad value, quoted.</summary>
    public GriffinLimOptions Validate()
    {
        var p = new Problems();
        p.Check(Iterations < 0, $"Iterations={Iterations} must be ≥ 0 (librosa n_iter)");
        p.Check(!(Momentum >= 0) || !float.IsFinite(Momentum), $"Momentum={Momentum} must be finite and ≥ 0 (librosa momentum)");
        p.Check(!Enum.IsDefined(Init), $"Init={Init} is not an initial phase");
        p.Nested(Stft, nameof(Stft), () => Stft.Validate());
        p.ThrowIfAny("Invalid Griffin-Lim options");
        return this;
    }
}

/// <summary>
/// Griffin-Lim as librosa runs it (<c>librosa.griffinlim</c>): t = stft(istft(c)); a = t − β·t_prev (β = α/(1+α),
/// skipped on the first iteration); c = S·a/(|a| + tiny) — the same update order, momentum and window-sum
/// normalisation, so zero-init runs match librosa to float precision. With momentum this is the fast Griffin-Lim
/// (FGLA; Perraudin et al. 2013) up to a scale the magnitude projection removes; with momentum 0 the classic one.
/// A plan object: it holds the STFT plan and its buffers' sizes, so reuse it for many magnitudes of one setting.
/// </summary>
/// <example>
/// <code>
/// var gl = new GriffinLim(new GriffinLimOptions { Iterations = 32 });
/// AudioClip y = gl.Reconstruct(magnitude);                    // from a seeded random phase
/// AudioClip z = gl.Reconstruct(magnitude, Pghi.EstimatePhase(magnitude));
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
/// </example>
public sealed class GriffinLim
{
    private readonly Stft _plan;

    /// <summary>The validated options.</summary>
    public GriffinLimOptions Options { get; }

    /// <summary>Creates the plan (librosa defaults when <paramref name="options"/> is null).</summary>
    /// <exception cref="ArgumentException">A bad option, or framing other than librosa's default.</exception>
    public GriffinLim(GriffinLimOptions? options = null)
    {
        Options = (options ?? new GriffinLimOptions()).Validate();
        _plan = PhaseIteration.CreatePlan(Options.Stft);
    }

    /// <summary>Reconstructs audio from a linear magnitude spectrogram [1 + NFft/2 × T], starting from
    /// <paramref name="initialPhase"/> (radians, bin-major like the magnitude) or, when null, from
    /// <see cref="GriffinLimOptions.Init"/>. Output length hop·(T−1) (librosa <c>length=None</c>), not normalised. The
    /// input is not modified.</summary>
    /// <exception cref="ArgumentException">Not a linear magnitude spectrogram of this plan's bins, fewer than 2 frames,
    /// non-finite values, or a phase of the wrong length.</exception>
    public AudioClip Reconstruct(Spectrogram magnitude, float[]? initialPhase = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        PhaseIteration.CheckMagnitude(magnitude, _plan, nameof(magnitude));
        if (initialPhase != null && initialPhase.Length != magnitude.Data.Length)
            throw new ArgumentException($"initialPhase has {initialPhase.Length} values, the magnitude {magnitude.Data.Length}", nameof(initialPhase));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        float[]? phase = initialPhase != null ? SpanMath.Transpose(initialPhase, magnitude.Bins, magnitude.Frames)
            : Options.Init == PhaseInit.Random ? PhaseIteration.RandomPhase(mag.Length, Options.Seed) : null;
        return new AudioClip(Run(mag, magnitude.Frames, phase, Options.Iterations, Options.Momentum, progress, cancellationToken), magnitude.SampleRate);
    }

    /// <summary>The frame-major core the inversion pipeline calls: magnitude [T × bins], phase [T × bins] (null = zero),
    /// optionally holding every iteration to a mel target instead of the fixed magnitude.</summary>
    internal float[] Run(float[] magFrameMajor, int frames, float[]? phaseFrameMajor, int iterations, float momentum,
        IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? melTarget = null)
    {
        var (re, im) = PhaseIteration.FromPhase(magFrameMajor, phaseFrameMajor);
        return PhaseIteration.Run(_plan, magFrameMajor, frames, re, im, iterations, momentum, progress, ct, melTarget);
    }
}
