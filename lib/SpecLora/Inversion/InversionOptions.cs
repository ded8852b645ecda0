using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="MelInverter"/>. Defaults: PGHI + 32 FGLA iterations, 4 frames per image column,
/// converged NNLS, peak −1 dBFS.</summary>
public sealed record InversionOptions
{
    /// <summary>Phase reconstruction. Default <see cref="PhaseMethod.PghiFgla"/>.</summary>
    public PhaseMethod Method { get; init; } = PhaseMethod.PghiFgla;
    /// <summary>Griffin-Lim / FGLA iterations (librosa <c>n_iter</c>). Default 32.</summary>
    public int Iterations { get; init; } = 32;
    /// <summary>Seed for every random choice (initial phase, PGHI leftovers). Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT frames synthesised per mel column (an image column is one point-sampled frame). 1 = the mel's
    /// frames are the true frames. Ignored when <see cref="DurationSeconds"/> is set. Default 4.</summary>
    public int FramesPerColumn { get; init; } = 4;
    /// <summary>Target audio duration in seconds (e.g. the original track's); overrides <see cref="FramesPerColumn"/>.</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>Maximum FISTA iterations of the mel → linear NNLS. Default 300.</summary>
    public int NnlsIterations { get; init; } = 300;
    /// <summary>NNLS stop once the mel residual is below this (dB). Default −60 (measured better than −40 on the corpus).</summary>
    public double NnlsToleranceDb { get; init; } = -60;
    /// <summary>Use librosa's clip(pinv(A)·M, 0) instead of the converged NNLS (baseline only). Default false.</summary>
    public bool PinvBaseline { get; init; }
    /// <summary>When inverting a mel, re-estimate the magnitude inside every phase iteration so the result matches the
    /// mel (one multiplicative step from the rebuilt |STFT|² towards the target mel) instead of holding the NNLS
    /// magnitude fixed. Ignored by <see cref="MelInverter.FromMagnitude"/> and the pinv baseline. Default true.</summary>
    public bool MelConsistent { get; init; } = true;
    /// <summary>Power that 0 dB stands for in <see cref="MelInverter.FromMelDb"/> (librosa <c>ref</c>). Default 1.</summary>
    public float ReferencePower { get; init; } = 1f;
    /// <summary>Peak level of the output in dBFS; null = leave the level as reconstructed. Default −1.</summary>
    public double? PeakDbfs { get; init; } = -1.0;
    /// <summary>Mel and STFT settings of the spectrogram (librosa defaults).</summary>
    public MelOptions Mel { get; init; } = new();

    /// <summary>librosa's <c>mel_to_audio</c> rebuilt with our code, for comparisons: clip(pinv(A)·M, 0) (what librosa's
    /// NNLS returns on image-scaled mels), then Griffin-Lim with momentum 0.99 from random phase, 32 iterations.</summary>
    public static InversionOptions LibrosaBaseline { get; } = new()
    {
        PinvBaseline = true, Method = PhaseMethod.GriffinLim, MelConsistent = false,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> quoting the first bad value.</summary>
    public InversionOptions Validate()
    {
        if (Iterations < 0 || Iterations > 100_000) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Iterations={Iterations} must be in 0..100000");
        if (FramesPerColumn <= 0) throw new ArgumentOutOfRangeException(nameof(FramesPerColumn), FramesPerColumn, $"FramesPerColumn={FramesPerColumn} must be > 0 (frames per image column)");
        if (FramesPerColumn > 10_000) throw new ArgumentOutOfRangeException(nameof(FramesPerColumn), FramesPerColumn, $"FramesPerColumn={FramesPerColumn} must be ≤ 10000");
        if (DurationSeconds is { } d && (!(d > 0) || !double.IsFinite(d) || d > 86400))
            throw new ArgumentOutOfRangeException(nameof(DurationSeconds), d, $"DurationSeconds={d} must be > 0 and ≤ 86400");
        if (NnlsIterations < 0) throw new ArgumentOutOfRangeException(nameof(NnlsIterations), NnlsIterations, $"NnlsIterations={NnlsIterations} must be ≥ 0");
        if (!(ReferencePower > 0) || !float.IsFinite(ReferencePower)) throw new ArgumentOutOfRangeException(nameof(ReferencePower), ReferencePower, $"ReferencePower={ReferencePower} must be finite and > 0");
        if (PeakDbfs is { } p && (!(p <= 0) || !double.IsFinite(p))) throw new ArgumentOutOfRangeException(nameof(PeakDbfs), p, $"PeakDbfs={p} must be finite and ≤ 0");
        Mel.Validate();
        return this;
    }
}
