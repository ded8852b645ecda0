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
        var o = (options ?? new InversionOptions()).Validate();
        int width = decoded.Db.Frames, sr = o.Mel.SampleRate;
        int? frames = null, samples = null;
        bool exact = false;
        if (useMetadata && decoded.Metadata is { Frames: > 0 } meta && o.DurationSeconds is null && o.Frames is null)
        {
            frames = meta.Frames;
            samples = meta.DurationSeconds > 0 ? (int)Math.Round(meta.DurationSeconds * sr) : null;
            o = o with { FramesPerColumn = null, ReferencePower = (float)(meta.ReferencePower ?? o.ReferencePower) };
            exact = true;
        }
        var inverter = new MelInverter(o);
        if (frames is null)
        {
            frames = inverter.TargetFrames(width);
            samples = o.DurationSeconds is { } d ? (int)Math.Round(d * sr) : null;
        }
        MelInverter.CheckSize(frames.Value, o.Mel);
        var columns = (decoded with { ColumnFrames = SpectrogramImageDecoder.ColumnFrames(width, frames.Value) }).CollapseToFrames(out var shown);
        // A picture without signal (one level everywhere: silence, or a blank picture) is zero mel power of the same
        // shape, so its length follows the same rules and it comes out silent (silence in, silence out).
        var power = decoded.NoSignal ? columns with { Data = new float[columns.Data.Length], Scale = SpectrogramScale.Power }
            : Decibels.DbToPower(columns, o.ReferencePower);
        return inverter.FromColumns(power, shown, frames.Value, samples, !exact, progress, cancellationToken);
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
