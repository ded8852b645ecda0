using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>How <see cref="MelInverter"/> fills in the STFT frames that no picture column showed.</summary>
public enum BetweenColumns
{
    /// <summary>Linear in the logarithm of the NNLS magnitude between the frames shown (linear in dB).</summary>
    LogLinear,
    /// <summary>Onset-aware: a level that rises between two shown frames is interpolated linearly in power (the window
    /// slides onto a new note: energy grows with the overlap), a level that falls linearly in dB (a decay).</summary>
    OnsetAware,
    /// <summary>Linear in power between the frames shown (the mean power of a ramp, not its geometric mean).</summary>
    LinearPower,
    /// <summary>Linear in dB on the mel itself, then NNLS on every frame (each frame its own non-negative fit).</summary>
    MelDb,
    /// <summary>A Catmull-Rom cubic through the four nearest frames shown, on the amplitude (√power), clipped at 0: the
    /// standard interpolating cubic, which follows a level that keeps rising or falling across several columns instead of
    /// bending at every column. The lowest mel error of these modes, but in dB it spreads an attack backwards (the quiet
    /// frame before it is raised): the time-axis check then finds the reconstruction one frame early in a third of
    /// vibeace_60s jpg.</summary>
    CubicAmplitude,
    /// <summary>The same cubic on power^¼ (the square root of the amplitude), half-way between the amplitude (the power-domain
    /// error, mel-SC) and dB (no bias in the log domain: LSD, and the time axis); see lib/SpecLora/Inversion/README.md.</summary>
    CubicQuarterPower,
}

/// <summary>Settings of <see cref="MelInverter"/>. Defaults: converged NNLS, the frames between columns by a cubic on
/// power^¼, PGHI + 32 mel-consistent FGLA iterations (pictures inverted without their metadata: 12, with a floor 10 dB
/// below each band's level), 4 frames per image column, peak −1 dBFS.</summary>
public sealed record InversionOptions
{
    /// <summary>Phase reconstruction. Default <see cref="PhaseMethod.PghiFgla"/>.</summary>
    public PhaseMethod Method { get; init; } = PhaseMethod.PghiFgla;
    /// <summary>Griffin-Lim / FGLA iterations (librosa <c>n_iter</c>); null = automatic (<see cref="EffectiveIterations"/>):
    /// 32 (<see cref="DefaultIterations"/>), or <see cref="PictureIterations"/> for a picture without our metadata inverted by
    /// PGHI + FGLA.</summary>
    public int? Iterations { get; init; }
    /// <summary>Iterations when <see cref="Iterations"/> is null: 32, librosa's <c>n_iter</c>.</summary>
    public const int DefaultIterations = 32;
    /// <summary>Iterations when <see cref="Iterations"/> is null for a picture without our metadata (makeMels pictures, SDXL
    /// outputs) inverted by <see cref="PhaseMethod.PghiFgla"/>: 12. Measured on the ten real-picture cases
    /// (lib/SpecLora/Inversion/README.md §6): 12 instead of 32 iterations cost at most 0.006 mel-SC_gain and 0.08 dB LSD_gain,
    /// at three-eighths of the phase-iteration time; the frames between columns, not the phase, limit those pictures.
    /// From a random phase (Fgla, GriffinLim) 16 were already worse than 32, so those keep 32.</summary>
    public const int PictureIterations = 12;
    /// <summary>The iterations run: <see cref="Iterations"/>, else <see cref="PictureIterations"/> when <paramref name="picture"/>
    /// (a picture without our metadata) and the method is PGHI + FGLA, else <see cref="DefaultIterations"/>.</summary>
    public int EffectiveIterations(bool picture = false) =>
        Iterations ?? (picture && Method == PhaseMethod.PghiFgla ? PictureIterations : DefaultIterations);
    /// <summary>Seed for every random choice (initial phase, PGHI leftovers). Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT frames synthesised per mel column (an image column is one point-sampled frame); null = 4. 1 = the
    /// mel's frames are the true frames. Give at most one of this, <see cref="DurationSeconds"/> and <see cref="Frames"/>.</summary>
    public int? FramesPerColumn { get; init; }
    /// <summary>Target audio duration in seconds (e.g. the original track's): librosa's frame count for round(d·sr)
    /// samples, 1 + ⌊round(d·sr)/hop⌋ (<see cref="ColumnUpsampler.FramesForDuration"/>).</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>The exact STFT frame count T of the audio the picture shows (librosa's <c>S.shape[1]</c>); column c of a
    /// W-column picture is then frame ⌊(c + 0.5)·T/W⌋.</summary>
    public int? Frames { get; init; }
    /// <summary>Frames per column used when neither <see cref="DurationSeconds"/> nor <see cref="Frames"/> is set.</summary>
    public const int DefaultFramesPerColumn = 4;
    /// <summary><see cref="FramesPerColumn"/>, or <see cref="DefaultFramesPerColumn"/> when unset.</summary>
    public int EffectiveFramesPerColumn => FramesPerColumn ?? DefaultFramesPerColumn;
    /// <summary>How the frames no column shows are filled in, both in the magnitude that starts the phase and in the mel
    /// the mel-consistent iterations are held to. Default <see cref="BetweenColumns.CubicQuarterPower"/>: on the ten real-picture
    /// cases lower mel-SC_gain than linear in dB at 2–4 frames per column (see
    /// <c>lib/SpecLora/Inversion/README.md</c> for what each approach measured).</summary>
    public BetweenColumns BetweenColumns { get; init; } = BetweenColumns.CubicQuarterPower;
    /// <summary>How strongly the phase iteration holds the frames no column showed to their interpolated mel, 0…1:
    /// 1 = like the shown frames; smaller lets STFT consistency pull them away (the magnitude is |t|·G^w, G the
    /// mel-consistent gain). Default 1.</summary>
    public float UnseenFrameWeight { get; init; } = 1f;
    /// <summary>A floor on the NNLS power that follows the band's level, in dB below the smooth band-level estimate
    /// (flat-equivalent transpose of the mel); null = no floor (the converged NNLS as it is). Default null.</summary>
    public double? NnlsFloorDb { get; init; }
    /// <summary>The mel → linear NNLS (FISTA): iterations (300), tolerance (−60 dB, measured better than −40 on the
    /// corpus), initial estimate.</summary>
    public NnlsOptions Nnls { get; init; } = new();
    /// <summary>PGHI settings (tolerances, γ, gradients). Its <see cref="PghiOptions.Seed"/> and <see cref="PghiOptions.Stft"/>
    /// are taken from <see cref="Seed"/> and <see cref="Mel"/>.</summary>
    public PghiOptions Pghi { get; init; } = new();
    /// <summary>Momentum of the phase iteration: FGLA's α (Perraudin et al.), librosa's <c>momentum</c> for
    /// <see cref="PhaseMethod.GriffinLim"/>. Default 0.99.</summary>
    public float Momentum { get; init; } = FastGriffinLim.DefaultAlpha;
    /// <summary>Use librosa's clip(pinv(A)·M, 0) instead of the converged NNLS (baseline only). Default false.</summary>
    public bool PinvBaseline { get; init; }
    /// <summary>When inverting a mel, re-estimate the magnitude inside every phase iteration so the result matches the
    /// mel (one multiplicative step from the rebuilt |STFT|² towards the target mel) instead of holding the NNLS
    /// magnitude fixed. Ignored by <see cref="MelInverter.FromMagnitude"/> and the pinv baseline. Default true.</summary>
    public bool MelConsistent { get; init; } = true;
    /// <summary>With <see cref="MelConsistent"/>: the last this many phase iterations project onto the fixed NNLS magnitude
    /// instead, so the fine structure inside each mel band comes from the NNLS rather than drifting with the mel-consistent
    /// updates (which only constrain band sums). Default 0.</summary>
    public int FixedMagnitudeFinalIterations { get; init; }
    /// <summary>With <see cref="MelConsistent"/>: a floor inside every mel-consistent projection, in dB below the band
    /// level (the band's power spread evenly over its bins, M_m/Σ_k A_mk; for a bin two bands cover, the quieter one),
    /// so the multiplicative updates cannot carve holes between partials. null = automatic:
    /// <see cref="PictureProjectionFloorDb"/> when inverting a picture without our metadata (<see cref="ImageInversion"/>:
    /// makeMels and SDXL pictures; measured on real pictures LSD_gain −0.4 to −0.8 dB at unchanged mel-SC_gain), none
    /// for a mel given as numbers (<see cref="MelInverter.FromMelPower"/>) or our exact metadata PNGs: there it would cost
    /// mel accuracy (0.026 → 0.031 mel-SC on the exact Für Elise mel; SC 0.233 → 0.239 on the PNG round trip). <see cref="double.PositiveInfinity"/> = never. See lib/SpecLora/Inversion/README.md.</summary>
    public double? ProjectionFloorDb { get; init; }
    /// <summary>The automatic <see cref="ProjectionFloorDb"/> for pictures: 10 dB.</summary>
    public const double PictureProjectionFloorDb = 10;
    /// <summary>Power that 0 dB stands for in <see cref="MelInverter.FromMelDb"/> (librosa <c>ref</c>). Default 1.</summary>
    public float ReferencePower { get; init; } = 1f;
    /// <summary>Peak level of the output in dBFS; null = leave the level as reconstructed. Default −1.</summary>
    public double? PeakDbfs { get; init; } = -1.0;
    /// <summary>Mel and STFT settings of the spectrogram (librosa defaults).</summary>
    public MelOptions Mel { get; init; } = new();

    /// <summary>librosa's <c>mel_to_audio</c> rebuilt with our code, for comparisons: clip(pinv(A)·M, 0) (what librosa's
    /// NNLS returns on image-scaled mels), then Griffin-Lim with momentum 0.99 from random phase, 32 iterations; frames
    /// between columns linear in dB (as our pipeline did before the cubic, so the reference stays what it was).</summary>
    public static InversionOptions LibrosaBaseline { get; } = new()
    {
        PinvBaseline = true, Method = PhaseMethod.GriffinLim, MelConsistent = false, BetweenColumns = BetweenColumns.LogLinear,
    };

    /// <summary>Checks every setting before any work: <see cref="ArgumentOutOfRangeException"/> quoting the first bad
    /// value, <see cref="ArgumentException"/> when more than one time axis is given, <see cref="InversionException"/>
    /// when the frames of <see cref="Frames"/> / <see cref="DurationSeconds"/> would not fit in memory (the message
    /// says what to lower).</summary>
    public InversionOptions Validate()
    {
        if (Iterations is < 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"Iterations={Iterations} must be in 0..100000");
        int given = (FramesPerColumn is null ? 0 : 1) + (DurationSeconds is null ? 0 : 1) + (Frames is null ? 0 : 1);
        if (given > 1)
            throw new ArgumentException($"give one time axis, not {given}: FramesPerColumn={Show(FramesPerColumn)}, DurationSeconds={Show(DurationSeconds)}, Frames={Show(Frames)}");
        if (FramesPerColumn is <= 0) throw new ArgumentOutOfRangeException(nameof(FramesPerColumn), FramesPerColumn, $"FramesPerColumn={FramesPerColumn} must be > 0 (frames per image column)");
        if (FramesPerColumn > 10_000) throw new ArgumentOutOfRangeException(nameof(FramesPerColumn), FramesPerColumn, $"FramesPerColumn={FramesPerColumn} must be ≤ 10000");
        if (DurationSeconds is { } d && (!(d > 0) || !double.IsFinite(d) || d > 86400))
            throw new ArgumentOutOfRangeException(nameof(DurationSeconds), d, $"DurationSeconds={d} must be > 0 and ≤ 86400");
        if (ProjectionFloorDb is { } pf && !double.IsPositiveInfinity(pf) && (!double.IsFinite(pf) || pf < 0 || pf > 200)) throw new ArgumentOutOfRangeException(nameof(ProjectionFloorDb), pf, $"ProjectionFloorDb={pf} must be in 0…200 dB (or +∞ for none)");
        if (FixedMagnitudeFinalIterations < 0) throw new ArgumentOutOfRangeException(nameof(FixedMagnitudeFinalIterations), FixedMagnitudeFinalIterations, $"FixedMagnitudeFinalIterations={FixedMagnitudeFinalIterations} must be ≥ 0");
        if (Frames is <= 0) throw new ArgumentOutOfRangeException(nameof(Frames), Frames, $"Frames={Frames} must be > 0 (the STFT frame count)");
        if (!(UnseenFrameWeight >= 0 && UnseenFrameWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(UnseenFrameWeight), UnseenFrameWeight, $"UnseenFrameWeight={UnseenFrameWeight} must be in 0…1");
        if (NnlsFloorDb is { } fl && (!double.IsFinite(fl) || fl < 0 || fl > 200)) throw new ArgumentOutOfRangeException(nameof(NnlsFloorDb), fl, $"NnlsFloorDb={fl} must be in 0…200 dB");
        if (!Enum.IsDefined(BetweenColumns)) throw new ArgumentOutOfRangeException(nameof(BetweenColumns), BetweenColumns, $"BetweenColumns={BetweenColumns} is not a known approach");
        ArgumentNullException.ThrowIfNull(Nnls); ArgumentNullException.ThrowIfNull(Pghi);
        Nnls.Validate();
        Pghi.Validate();
        if (!(Momentum >= 0) || !float.IsFinite(Momentum)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, $"Momentum={Momentum} must be finite and ≥ 0");
        if (!(ReferencePower > 0) || !float.IsFinite(ReferencePower)) throw new ArgumentOutOfRangeException(nameof(ReferencePower), ReferencePower, $"ReferencePower={ReferencePower} must be finite and > 0");
        if (PeakDbfs is { } p && (!(p <= 0) || !double.IsFinite(p))) throw new ArgumentOutOfRangeException(nameof(PeakDbfs), p, $"PeakDbfs={p} must be finite and ≤ 0");
        Mel.Validate();
        int hop = Mel.Stft.EffectiveHopLength;
        long frames = Frames ?? (DurationSeconds is { } ds ? ColumnUpsampler.FramesForDuration(ds, Mel.SampleRate, hop) : 0);
        if (frames > 0) MelInverter.CheckSize(frames, Mel);
        return this;
    }

    private static string Show<T>(T? v) where T : struct => v?.ToString() ?? "null";
}
