using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// A decoded spectrogram picture → audio. Pictures we wrote (PNG with metadata) are inverted at their true frame
/// count, duration and level. Other pictures (makeMels JPEGs, SDXL outputs) become <see cref="InversionOptions.Frames"/>
/// frames, <see cref="InversionOptions.DurationSeconds"/> of audio, or <see cref="InversionOptions.FramesPerColumn"/>
/// frames per column. Either way column c of W shows frame ⌊(c + 0.5)·T/W⌋; the columns that show one frame are
/// averaged and the frames no column shows are filled in by <see cref="MelInverter"/>.
/// </summary>
/// <remarks>Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.</remarks>
public static class ImageInversion
{
    /// <summary>Inverts <paramref name="decoded"/> with <paramref name="options"/> (defaults when null).</summary>
    /// <param name="decoded">From <see cref="SpectrogramImageDecoder.Decode(string, ImageDecodeOptions?)"/>.</param>
    /// <param name="options">Inversion settings.</param>
    /// <param name="useMetadata">When the picture carries our metadata, use its frame count, duration and reference
    /// power (exact round trip) unless <see cref="InversionOptions.DurationSeconds"/> or <see cref="InversionOptions.Frames"/>
    /// is set. Default true.</param>
    /// <param name="progress">Stage progress.</param>
    /// <param name="cancellationToken">Cancels between stages and iterations.</param>
    /// <exception cref="InversionException">The job is too large (the message says what to lower), or it diverged.</exception>
    public static AudioClip FromImage(DecodedSpectrogramImage decoded, InversionOptions? options = null, bool useMetadata = true,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var axis = TimeAxis(decoded, (options ?? new InversionOptions()).Validate(), useMetadata);
        var o = axis.Options;
        var inverter = new MelInverter(o);
        var columns = ColumnsOnAxis(decoded, axis.Frames, out var shown);
        // A picture without signal (one level everywhere: silence, or a blank picture) is zero mel power of the same
        // shape, so its length follows the same rules and it comes out silent (silence in, silence out).
        var power = decoded.NoSignal ? columns with { Data = new float[columns.Data.Length], Scale = SpectrogramScale.Power }
            : Decibels.DbToPower(columns, o.ReferencePower);
        return inverter.FromColumns(power, shown, axis.Frames, axis.Samples, !axis.Exact, progress, cancellationToken);
    }

    /// <summary>The time axis <see cref="FromImage"/> inverts to: with <paramref name="useMetadata"/> our PNGs' true
    /// frame count, duration and reference power (unless DurationSeconds or Frames is set), otherwise
    /// <see cref="InversionOptions.Frames"/>, the frames of <see cref="InversionOptions.DurationSeconds"/> or
    /// FramesPerColumn·W. Checks that the job fits in memory.</summary>
    private static (InversionOptions Options, int Frames, int? Samples, bool Exact) TimeAxis(DecodedSpectrogramImage decoded, InversionOptions o, bool useMetadata)
    {
        int sr = o.Mel.SampleRate;
        if (UsesPictureMetadata(decoded, o, useMetadata) && decoded.Metadata is { } meta)
        {
            var exact = o with { FramesPerColumn = null, ReferencePower = (float)(meta.ReferencePower ?? o.ReferencePower) };
            MelInverter.CheckSize(meta.Frames, o.Mel);
            return (exact, meta.Frames, meta.DurationSeconds > 0 ? (int)Math.Round(meta.DurationSeconds * sr) : null, true);
        }
        int frames = MelInverter.TargetFrames(o, decoded.Db.Frames);   // checks the size
        return (o, frames, o.DurationSeconds is { } d ? (int)Math.Round(d * sr) : null, false);
    }

    /// <summary>True when <see cref="FromImage"/> takes the time axis and level from the picture's own metadata (our PNGs,
    /// unless <see cref="InversionOptions.DurationSeconds"/> or <see cref="InversionOptions.Frames"/> is set): an exact round
    /// trip. Otherwise the picture is inverted as a picture (<see cref="InversionOptions.PictureIterations"/>, the picture
    /// projection floor).</summary>
    public static bool UsesPictureMetadata(DecodedSpectrogramImage decoded, InversionOptions? options, bool useMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = options ?? new InversionOptions();
        return useMetadata && decoded.Metadata is { Frames: > 0 } && o.DurationSeconds is null && o.Frames is null;
    }

    /// <summary>The picture's columns, one per distinct frame they show on a <paramref name="frames"/>-frame axis
    /// (column c → frame ⌊(c + 0.5)·T/W⌋); <paramref name="shown"/> gets those frames.</summary>
    private static Spectrogram ColumnsOnAxis(DecodedSpectrogramImage decoded, int frames, out int[] shown) =>
        (decoded with { ColumnFrames = SpectrogramImageDecoder.ColumnFrames(decoded.Db.Frames, frames) }).CollapseToFrames(out shown);

    /// <summary>The decoded dB mel on the frame axis <see cref="FromImage"/> inverts to (same rule, same options):
    /// each shown frame from its columns, dB-linear between them. This is what a picture allows an analysis to see.</summary>
    /// <param name="decoded">The decoded picture.</param>
    /// <param name="options">Time axis and STFT settings; defaults as <see cref="InversionOptions"/>.</param>
    /// <param name="useMetadata">As in <see cref="FromImage"/>.</param>
    /// <param name="exact">True when the frame count came from the picture's own metadata.</param>
    public static Spectrogram MelOnFrameAxis(DecodedSpectrogramImage decoded, InversionOptions? options, bool useMetadata, out bool exact)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var axis = TimeAxis(decoded, (options ?? new InversionOptions()).Validate(), useMetadata);
        exact = axis.Exact;
        var mel = axis.Options.Mel;
        return PlaceFrames(ColumnsOnAxis(decoded, axis.Frames, out var shown), shown, axis.Frames) with
        {
            SampleRate = mel.SampleRate, HopLength = mel.Stft.EffectiveHopLength, NFft = mel.Stft.NFft,
        };
    }

    /// <summary>Decodes and inverts a picture file in one call.</summary>
    public static AudioClip FromFile(string path, InversionOptions? options = null, ImageDecodeOptions? decodeOptions = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
        => FromImage(SpectrogramImageDecoder.Decode(path, decodeOptions), options, true, progress, cancellationToken);

    /// <summary>Columns known to show frames <paramref name="frames"/> (ascending) → a [bins × <paramref name="totalFrames"/>]
    /// dB matrix, linear in dB between known frames and held constant beyond the first and last
    /// (<see cref="ColumnUpsampler.Place"/>).</summary>
    internal static Spectrogram PlaceFrames(Spectrogram columns, int[] frames, int totalFrames) => ColumnUpsampler.Place(columns, frames, totalFrames);
}
