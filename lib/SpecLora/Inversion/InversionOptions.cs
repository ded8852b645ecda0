using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="MelInverter"/> and <see cref="ImageInversion"/>. Defaults: converged NNLS, the frames
/// between columns by a cubic on power^¼, PGHI + 32 mel-consistent FGLA iterations, 4 frames per column, peak −1 dBFS.
/// What changes for a picture without our metadata (12 iterations, a projection floor) is decided in one place,
/// <see cref="ImageInversion.Plan"/>.</summary>
/// <example>
/// <code>
/// var audio = ImageInversion.FromImage(decoded, new InversionOptions { DurationSeconds = 30 });
/// var exact = new MelInverter(new InversionOptions { FramesPerColumn = 1 }).FromMelPower(melPower);
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
/// </example>
public sealed record InversionOptions
{
    /// <summary>Phase reconstruction. Default <see cref="PhaseMethod.PghiFgla"/>.</summary>
    public PhaseMethod Method { get; init; } = PhaseMethod.PghiFgla;
    /// <summary>Phase iterations (librosa <c>n_iter</c>); null = automatic: <see cref="DefaultIterations"/> for a mel given
    /// as numbers or a picture with our metadata, <see cref="ImageInversion.PictureIterations"/> for other pictures inverted
    /// by <see cref="PhaseMethod.PghiFgla"/> (decided by <see cref="ImageInversion.Plan"/>).</summary>
    public int? Iterations { get; init; }
    /// <summary>Iterations when <see cref="Iterations"/> is null: 32, librosa's <c>n_iter</c>.</summary>
    public const int DefaultIterations = 32;
    /// <summary>The iterations a <see cref="MelInverter"/> runs: <see cref="Iterations"/>, else <see cref="DefaultIterations"/>.</summary>
    public int EffectiveIterations => Iterations ?? DefaultIterations;
    /// <summary>Seed for every random choice (initial phase, PGHI leftovers). Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT frames synthesised per mel column (an image column is one point-sampled frame); null = 4. 1 = the
    /// mel's frames are the true frames. Give at most one of this, <see cref="DurationSeconds"/> and <see cref="Frames"/>.</summary>
    public int? FramesPerColumn { get; init; }
    /// <summary>Target audio duration in seconds (e.g. the original track's): librosa's frame count for round(d·sr)
    /// samples, 1 + ⌊round(d·sr)/hop⌋ (<see cref="FrameAxis.ForDuration"/>).</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>The exact STFT frame count T of the audio the picture shows (librosa's <c>S.shape[1]</c>); column c of a
    /// W-column picture is then frame ⌊(c + 0.5)·T/W⌋.</summary>
    public int? Frames { get; init; }
    /// <summary>Frames per column used when neither <see cref="DurationSeconds"/> nor <see cref="Frames"/> is set.</summary>
    public const int DefaultFramesPerColumn = 4;
    /// <summary><see cref="FramesPerColumn"/>, or <see cref="DefaultFramesPerColumn"/> when unset.</summary>
    public int EffectiveFramesPerColumn => FramesPerColumn ?? DefaultFramesPerColumn;
    /// <summary>How the frames no column shows are filled in, both in the magnitude that starts the phase and in the mel
    /// the mel-consistent iterations are held to: the cubic on power^¼ (lib/SpecLora/Inversion/README.md §3), or linear in
    /// dB for the librosa-style baseline.</summary>
    internal BetweenColumns BetweenColumns { get; init; } = BetweenColumns.CubicQuarterPower;
    /// <summary>The mel → linear NNLS (FISTA): iterations (300), tolerance (−60 dB), initial estimate.</summary>
    public NnlsOptions Nnls { get; init; } = new();
    /// <summary>PGHI settings (tolerances, γ, gradients). Its <see cref="PghiOptions.Seed"/> and <see cref="PghiOptions.Stft"/>
    /// are taken from <see cref="Seed"/> and <see cref="Mel"/>.</summary>
    public PghiOptions Pghi { get; init; } = new();
    /// <summary>Momentum α of the fast Griffin-Lim iterations (<see cref="PhaseMethod.PghiFgla"/>, <see cref="PhaseMethod.Fgla"/>;
    /// librosa <c>griffinlim</c>'s <c>momentum</c>). <see cref="PhaseMethod.GriffinLim"/> runs without momentum. Default 0.99.</summary>
    public float Momentum { get; init; } = GriffinLimOptions.DefaultMomentum;
    /// <summary>Use librosa's clip(pinv(A)·M, 0) instead of the converged NNLS (baseline only). Default false.</summary>
    public bool PinvBaseline { get; init; }
    /// <summary>When inverting a mel, re-estimate the magnitude inside every phase iteration so the result matches the
    /// mel (one multiplicative step from the rebuilt |STFT|² towards the target mel) instead of holding the NNLS
    /// magnitude fixed. Ignored by <see cref="MelInverter.FromMagnitude"/> and the pinv baseline. Default true.</summary>
    public bool MelConsistent { get; init; } = true;
    /// <summary>With <see cref="MelConsistent"/>: a floor inside every mel-consistent projection, in dB below the band
    /// level (the band's power spread evenly over its bins), so the multiplicative updates cannot carve holes between
    /// partials. null = automatic: <see cref="ImageInversion.PictureProjectionFloorDb"/> for a picture without our metadata
    /// (decided by <see cref="ImageInversion.Plan"/>), none for a mel given as numbers or our metadata PNGs.
    /// <see cref="double.PositiveInfinity"/> = never. See lib/SpecLora/Inversion/README.md.</summary>
    public double? ProjectionFloorDb { get; init; }
    /// <summary>Power that 0 dB stands for in <see cref="MelInverter.FromMelDb"/> (librosa <c>ref</c>). Default 1.</summary>
    public float ReferencePower { get; init; } = 1f;
    /// <summary>Peak level of the output in dBFS; null = leave the level as reconstructed. Default −1.</summary>
    public double? PeakDbfs { get; init; } = -1.0;
    /// <summary>Mel and STFT settings of the spectrogram (librosa defaults).</summary>
    public MelOptions Mel { get; init; } = new();

    /// <summary>librosa's <c>mel_to_audio</c> rebuilt with our code, for comparisons: clip(pinv(A)·M, 0) (what librosa's
    /// NNLS returns on image-scaled mels), then librosa's <c>griffinlim</c> (fast Griffin-Lim, momentum 0.99, from a
    /// random phase, 32 iterations) on the fixed magnitude; frames between columns linear in dB.</summary>
    public static InversionOptions LibrosaBaseline { get; } = new()
    {
        PinvBaseline = true, Method = PhaseMethod.Fgla, MelConsistent = false, BetweenColumns = BetweenColumns.LogLinear,
    };

    /// <summary>The time axis these options give a mel of <paramref name="columns"/> columns: <see cref="Frames"/>, the
    /// frames of <see cref="DurationSeconds"/>, <see cref="FramesPerColumn"/>·C, or <see cref="DefaultFramesPerColumn"/>·C
    /// (marked <see cref="FrameAxisSource.Assumed"/>).</summary>
    internal FrameAxis AxisFor(int columns)
    {
        int sr = Mel.SampleRate, hop = Mel.Stft.EffectiveHopLength;
        return Frames is { } f ? FrameAxis.ForFrames(columns, f, sr, hop)
            : DurationSeconds is { } d ? FrameAxis.ForDuration(columns, d, sr, hop)
            : FrameAxis.ForFramesPerColumn(columns, EffectiveFramesPerColumn, sr, hop, assumed: FramesPerColumn is null);
    }

    /// <summary>Checks every setting before any work: one <see cref="ArgumentException"/> listing every bad value, quoted;
    /// then an <see cref="InversionException"/> when the frames of <see cref="Frames"/> / <see cref="DurationSeconds"/>
    /// would not fit in memory (<see cref="FrameAxis.MaxCoefficients"/>; the message says what to lower).</summary>
    public InversionOptions Validate()
    {
        var p = new Problems();
        p.Check(Iterations is < 0 or > 100_000, $"Iterations={Iterations} must be in 0..100000");
        int given = (FramesPerColumn is null ? 0 : 1) + (DurationSeconds is null ? 0 : 1) + (Frames is null ? 0 : 1);
        p.Check(given > 1, $"give one time axis, not {given}: FramesPerColumn={Show(FramesPerColumn)}, DurationSeconds={Show(DurationSeconds)}, Frames={Show(Frames)}");
        p.Check(FramesPerColumn is <= 0 or > 10_000, $"FramesPerColumn={FramesPerColumn} must be in 1..10000 (frames per image column)");
        p.Check(DurationSeconds is { } d && (!(d > 0) || !double.IsFinite(d) || d > 86400), $"DurationSeconds={DurationSeconds} must be > 0 and ≤ 86400");
        p.Check(Frames is <= 0, $"Frames={Frames} must be > 0 (the STFT frame count)");
        p.Check(ProjectionFloorDb is { } pf && !double.IsPositiveInfinity(pf) && (!double.IsFinite(pf) || pf < 0 || pf > 200), $"ProjectionFloorDb={ProjectionFloorDb} must be in 0…200 dB (or +∞ for none)");
        p.Check(!Enum.IsDefined(Method), $"Method={Method} is not a phase method");
        p.Check(!(Momentum >= 0) || !float.IsFinite(Momentum), $"Momentum={Momentum} must be finite and ≥ 0");
        p.Check(!(ReferencePower > 0) || !float.IsFinite(ReferencePower), $"ReferencePower={ReferencePower} must be finite and > 0");
        p.Check(PeakDbfs is { } pk && (!(pk <= 0) || !double.IsFinite(pk)), $"PeakDbfs={PeakDbfs} must be finite and ≤ 0");
        p.Nested(Nnls, nameof(Nnls), () => Nnls.Validate());
        p.Nested(Pghi, nameof(Pghi), () => Pghi.Validate());
        p.Nested(Mel, nameof(Mel), () => Mel.Validate());
        p.ThrowIfAny("Invalid inversion options");
        if (Frames is not null || DurationSeconds is not null)
        {
            long frames = Frames ?? FrameAxis.FramesForDuration(DurationSeconds!.Value, Mel.SampleRate, Mel.Stft.EffectiveHopLength);
            if (FrameAxis.TooLarge(frames, Mel.Stft.NFft, Mel.SampleRate, Mel.Stft.EffectiveHopLength) is { } why) throw new InversionException(why);
        }
        return this;
    }

    private static string Show<T>(T? v) where T : struct => v?.ToString() ?? "null";
}
