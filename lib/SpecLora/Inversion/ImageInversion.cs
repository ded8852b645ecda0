using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>What <see cref="ImageInversion.Plan"/> decided for one picture: the time axis it is inverted on and the
/// options, with the iterations, the projection floor and the reference power filled in.</summary>
/// <param name="Axis">The frames the picture's columns show (from its metadata, the options, or assumed).</param>
/// <param name="Options">The options the inversion runs with: <see cref="InversionOptions.Iterations"/>,
/// <see cref="InversionOptions.ProjectionFloorDb"/> and <see cref="InversionOptions.ReferencePower"/> set.</param>
public sealed record PicturePlan(FrameAxis Axis, InversionOptions Options)
{
    /// <summary>True when the axis and level came from the picture's own metadata (an exact round trip).</summary>
    public bool FromMetadata => Axis.Source == FrameAxisSource.Metadata;

    /// <summary>The phase iterations that will run.</summary>
    public int Iterations => Options.Method == PhaseMethod.Pghi ? 0 : Options.EffectiveIterations;

    /// <summary>One line for people: the time axis and where it came from, and the iterations.</summary>
    public string Describe() => $"{Axis.Describe()}; {Iterations} phase iterations";
}

/// <summary>
/// A decoded spectrogram picture → audio: the one place that decides what happens to a picture (<see cref="Plan"/>),
/// called by <c>speclora invert</c>, the notebooks, the sweep and the analysis alike, so one picture and one set of
/// options give the same audio everywhere. Pictures we wrote (PNG with metadata) are inverted at their true frame
/// count, duration and level, with the options as given. Other pictures (makeMels JPEGs, SDXL outputs) become
/// <see cref="InversionOptions.Frames"/> frames, <see cref="InversionOptions.DurationSeconds"/> of audio, or
/// <see cref="InversionOptions.FramesPerColumn"/> frames per column (4 assumed when none is given, and said so), with
/// <see cref="PictureIterations"/> iterations and the <see cref="PictureProjectionFloorDb"/> floor unless the options set
/// them. Column c of W shows frame ⌊(c + 0.5)·T/W⌋; the columns that show one frame are averaged and the frames no
/// column shows are filled in by <see cref="MelInverter"/>.
/// </summary>
/// <example>
/// <code>
/// var decoded = SpectrogramImageDecoder.Decode("mel0.jpg");
/// var plan = ImageInversion.Plan(decoded, new InversionOptions { DurationSeconds = 30 });
/// Console.WriteLine(plan.Describe());          // 1292 frames (30.00 s) in 640 columns, 2.02 per column, …
/// AudioClip audio = ImageInversion.FromPlan(decoded, plan);
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
/// </example>
public static class ImageInversion
{
    /// <summary>Iterations for a picture without our metadata (makeMels pictures, SDXL outputs) inverted by
    /// <see cref="PhaseMethod.PghiFgla"/> when <see cref="InversionOptions.Iterations"/> is null: 12. Measured on the ten
    /// real-picture cases (lib/SpecLora/Inversion/README.md §6): 12 instead of 32 cost at most 0.006 mel-SC_gain and
    /// 0.08 dB LSD_gain at three-eighths of the phase time. From a random phase (Fgla, GriffinLim) they keep 32.</summary>
    public const int PictureIterations = 12;

    /// <summary>The projection floor for a picture without our metadata when
    /// <see cref="InversionOptions.ProjectionFloorDb"/> is null: 10 dB below each band's level (measured on real pictures:
    /// LSD_gain −0.4 to −0.8 dB at unchanged mel-SC_gain; on exact mels it would cost mel accuracy, so they get none).</summary>
    public const double PictureProjectionFloorDb = 10;

    /// <summary>The picture policy: the time axis, iterations, floor and level <paramref name="decoded"/> is inverted with.
    /// With <paramref name="useMetadata"/> and a picture that carries our metadata (and no
    /// <see cref="InversionOptions.DurationSeconds"/> / <see cref="InversionOptions.Frames"/> given): its own axis and
    /// reference power, the options otherwise as given (32 iterations, no floor). Otherwise the axis of the options (4
    /// frames per column assumed when none is given), <see cref="PictureIterations"/> for PGHI + FGLA and the
    /// <see cref="PictureProjectionFloorDb"/> floor, unless the options set them.</summary>
    /// <param name="decoded">From <see cref="SpectrogramImageDecoder.Decode(string, ImageDecodeOptions?)"/>.</param>
    /// <param name="options">Inversion settings (defaults when null).</param>
    /// <param name="useMetadata">Use our PNGs' metadata (default true).</param>
    /// <exception cref="ArgumentException">A bad option (all are quoted).</exception>
    /// <exception cref="InversionException">The job would not fit in memory (the message says what to lower).</exception>
    public static PicturePlan Plan(DecodedSpectrogramImage decoded, InversionOptions? options = null, bool useMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = (options ?? new InversionOptions()).Validate();
        PicturePlan plan;
        if (useMetadata && decoded.Axis is { Source: FrameAxisSource.Metadata } own && o.DurationSeconds is null && o.Frames is null)
            plan = new(own, o with { ReferencePower = (float)(decoded.Metadata?.ReferencePower ?? o.ReferencePower), Iterations = o.EffectiveIterations });
        else
            plan = new(o.AxisFor(decoded.Db.Frames), o with
            {
                Iterations = o.Iterations ?? (o.Method == PhaseMethod.PghiFgla ? PictureIterations : InversionOptions.DefaultIterations),
                ProjectionFloorDb = o.ProjectionFloorDb ?? PictureProjectionFloorDb,
            });
        if (plan.Axis.TooLarge(o.Mel.Stft.NFft) is { } why) throw new InversionException(why);
        return plan;
    }

    /// <summary>Inverts <paramref name="decoded"/> as <see cref="Plan"/> decides.</summary>
    /// <param name="decoded">From <see cref="SpectrogramImageDecoder.Decode(string, ImageDecodeOptions?)"/>.</param>
    /// <param name="options">Inversion settings (defaults when null).</param>
    /// <param name="useMetadata">Use our PNGs' metadata (default true).</param>
    /// <param name="progress">Stage progress.</param>
    /// <param name="cancellationToken">Cancels between stages and iterations.</param>
    /// <exception cref="InversionException">The job is too large (the message says what to lower), or it diverged.</exception>
    /// <example>
    /// <code>
    /// var decoded = SpectrogramImageDecoder.Decode("res5.png");
    /// AudioClip audio = ImageInversion.FromImage(decoded);   // Plan, then FromPlan; no metadata: 4 frames per column assumed
    /// </code>
    /// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
    /// </example>
    public static AudioClip FromImage(DecodedSpectrogramImage decoded, InversionOptions? options = null, bool useMetadata = true,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
        => FromPlan(decoded, Plan(decoded, options, useMetadata), progress, cancellationToken);

    /// <summary>Inverts <paramref name="decoded"/> with a plan <see cref="Plan"/> made for it.</summary>
    public static AudioClip FromPlan(DecodedSpectrogramImage decoded, PicturePlan plan, IProgress<InversionProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(plan);
        var columns = plan.Axis.Collapse(decoded.Db, out var shown);
        // A picture without signal (one level everywhere: silence, or a blank picture) is zero mel power of the same
        // shape, so its length follows the same rules and it comes out silent (silence in, silence out).
        var power = decoded.NoSignal ? columns with { Data = new float[columns.Data.Length], Scale = SpectrogramScale.Power }
            : Decibels.DbToPower(columns, plan.Options.ReferencePower);
        return new MelInverter(plan.Options).FromColumns(power, shown, plan.Axis, progress, cancellationToken);
    }

    /// <summary>The decoded dB mel on the frame axis <see cref="Plan"/> gives the picture: each shown frame from its
    /// columns, linear in dB between them, held beyond the first and last. What the picture lets an analysis see on the
    /// reconstruction's frame axis.</summary>
    /// <param name="decoded">The decoded picture.</param>
    /// <param name="plan">From <see cref="Plan"/>.</param>
    public static Spectrogram MelOnFrameAxis(DecodedSpectrogramImage decoded, PicturePlan plan)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(plan);
        var mel = plan.Options.Mel;
        var columns = plan.Axis.Collapse(decoded.Db, out var shown);
        return ColumnUpsampler.Place(columns, shown, plan.Axis.Frames) with
        {
            SampleRate = mel.SampleRate, HopLength = mel.Stft.EffectiveHopLength, NFft = mel.Stft.NFft,
        };
    }

    /// <summary>Decodes and inverts a picture file in one call.</summary>
    public static AudioClip FromFile(string path, InversionOptions? options = null, ImageDecodeOptions? decodeOptions = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
        => FromImage(SpectrogramImageDecoder.Decode(path, decodeOptions), options, true, progress, cancellationToken);
}
