using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// A decoded spectrogram picture → audio. Pictures we wrote (PNG with metadata) are inverted at their true frame
/// count and level: each distinct frame shown is placed at its frame index and the frames between are interpolated
/// in dB. Other pictures (makeMels JPEGs, SDXL outputs) become <see cref="InversionOptions.FramesPerColumn"/> frames
/// per column, or <see cref="InversionOptions.DurationSeconds"/> of audio.
/// </summary>
/// <remarks>Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.</remarks>
public static class ImageInversion
{
    /// <summary>Inverts <paramref name="decoded"/> with <paramref name="options"/> (defaults when null).</summary>
    /// <param name="decoded">From <see cref="SpectrogramImageDecoder.Decode(string, ImageDecodeOptions?)"/>.</param>
    /// <param name="options">Inversion settings.</param>
    /// <param name="useMetadata">When the picture carries our metadata, use its frame count and reference power
    /// (exact round trip) unless <see cref="InversionOptions.DurationSeconds"/> is set. Default true.</param>
    /// <param name="progress">Stage progress.</param>
    /// <param name="cancellationToken">Cancels between stages and iterations.</param>
    public static AudioClip FromImage(DecodedSpectrogramImage decoded, InversionOptions? options = null, bool useMetadata = true,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = (options ?? new InversionOptions()).Validate();
        if (useMetadata && decoded.Metadata is { Frames: > 1 } meta && decoded.ColumnFrames is not null && o.DurationSeconds is null)
        {
            var columns = decoded.CollapseToFrames(out var frames);
            var db = PlaceFrames(columns, frames, meta.Frames);
            var exact = o with { FramesPerColumn = 1, ReferencePower = (float)(meta.ReferencePower ?? o.ReferencePower) };
            return Invert(new MelInverter(exact), db, decoded.NoSignal, progress, cancellationToken);
        }
        return Invert(new MelInverter(o), decoded.Db, decoded.NoSignal, progress, cancellationToken);
    }

    /// <summary>A picture without signal (one level everywhere: silence, or a blank picture) is inverted as zero mel
    /// power of the same shape, so its length follows the same rules and it comes out silent (silence in, silence out).</summary>
    private static AudioClip Invert(MelInverter inverter, Spectrogram db, bool noSignal, IProgress<InversionProgress>? progress, CancellationToken ct) =>
        noSignal ? inverter.FromMelPower(db with { Data = new float[db.Data.Length], Scale = SpectrogramScale.Power }, progress, ct)
            : inverter.FromMelDb(db, progress, ct);

    /// <summary>Decodes and inverts a picture file in one call.</summary>
    public static AudioClip FromFile(string path, InversionOptions? options = null, ImageDecodeOptions? decodeOptions = null,
        IProgress<InversionProgress>? progress = null, CancellationToken cancellationToken = default)
        => FromImage(SpectrogramImageDecoder.Decode(path, decodeOptions), options, true, progress, cancellationToken);

    /// <summary>Columns known to show frames <paramref name="frames"/> (ascending) → a [bins × <paramref name="totalFrames"/>]
    /// dB matrix, linear in dB between known frames and held constant beyond the first and last.</summary>
    internal static Spectrogram PlaceFrames(Spectrogram columns, int[] frames, int totalFrames)
    {
        if (frames.Length != columns.Frames) throw new ArgumentException($"{frames.Length} frame indices for {columns.Frames} columns", nameof(frames));
        if (totalFrames < 1) throw new ArgumentOutOfRangeException(nameof(totalFrames), totalFrames, $"totalFrames={totalFrames} must be ≥ 1");
        int bins = columns.Bins, n = frames.Length;
        var data = new float[bins * totalFrames];
        int j = 0;
        for (int t = 0; t < totalFrames; t++)
        {
            while (j < n - 1 && frames[j + 1] <= t) j++;
            int a = j, b = Math.Min(j + 1, n - 1);
            float w = (b == a || t <= frames[a]) ? 0f : Math.Min(1f, (float)(t - frames[a]) / (frames[b] - frames[a]));
            for (int bin = 0; bin < bins; bin++)
            {
                float va = columns.Data[bin * n + a], vb = columns.Data[bin * n + b];
                data[bin * totalFrames + t] = va + w * (vb - va);
            }
        }
        return columns with { Data = data, Frames = totalFrames };
    }
}
