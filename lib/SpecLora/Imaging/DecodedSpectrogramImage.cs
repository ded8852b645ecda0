using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>
/// A picture read back into a dB mel matrix. <see cref="Db"/> has one column per pixel column of the picture
/// (a specshow column is one point-sampled STFT frame); <see cref="Axis"/> says which frame each column shows when the
/// picture's metadata gives the frame count, and <see cref="CollapseToFrames"/> keeps one column per distinct frame.
/// </summary>
public sealed record DecodedSpectrogramImage
{
    /// <summary>dB mel matrix [NMels × source width], bin 0 = lowest band; values in vmin…vmax.</summary>
    public required Spectrogram Db { get; init; }
    /// <summary>Continuous colormap index (0…255) behind each value of <see cref="Db"/>, same layout; integers for exact decoding.</summary>
    public required float[] ColormapIndex { get; init; }
    /// <summary>The colormap used (given, from metadata, or detected).</summary>
    public required Colormap Colormap { get; init; }
    /// <summary>The picture's metadata (our PNGs), else null.</summary>
    public MelImageMetadata? Metadata { get; init; }
    /// <summary>Fraction of pixels whose CIELAB distance (ΔE76) to the colormap polyline exceeds the option's threshold (20),
    /// estimated from a fixed sample of about 20 000 pixels spread over the picture.</summary>
    public double OffColormapFraction { get; init; }
    /// <summary>Median ΔE76 of the pixels to the colormap polyline (≈ 0 for lossless renders, ≈ 3 for JPEG originals), from the
    /// same sample as <see cref="OffColormapFraction"/>.</summary>
    public double MedianDeltaE { get; init; }
    /// <summary>Where the picture seems to come from.</summary>
    public ImageKind Kind { get; init; }
    /// <summary>How colours were turned into indices.</summary>
    public ColorDecodeMethod Method { get; init; }
    /// <summary>The row geometry actually used (never Auto).</summary>
    public ImageGeometry Geometry { get; init; }
    /// <summary>Picture width in pixels.</summary>
    public int SourceWidth { get; init; }
    /// <summary>Picture height in pixels.</summary>
    public int SourceHeight { get; init; }
    /// <summary>The picture's time axis when its metadata gives the frame count (our PNGs); null when the picture does not
    /// say (makeMels JPEGs, SDXL outputs): the inversion's picture policy then decides (<c>ImageInversion.Plan</c>).</summary>
    public FrameAxis? Axis { get; init; }
    /// <summary>File path or name of the picture.</summary>
    public string Source { get; init; } = "";
    /// <summary>True when every cell shows the same level (<see cref="MelImage.HasNoSignal"/>): a picture of silence
    /// or a blank picture; the inversion (<c>ImageInversion</c>) turns it into silence.</summary>
    public bool NoSignal { get; init; }
    /// <summary>Things the caller should know (off-colormap pixels, gray input, alpha ignored, …).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// One column per distinct frame shown (frames ascending), using <see cref="Axis"/>; the columns that show
    /// one frame are averaged (they are identical in a lossless picture). Without frame information returns
    /// <see cref="Db"/> and frames 0…W−1.
    /// </summary>
    /// <param name="frames">The STFT frame index of each returned column.</param>
    public Spectrogram CollapseToFrames(out int[] frames)
    {
        if (Axis is null)
        {
            frames = Enumerable.Range(0, Db.Frames).ToArray();
            return Db;
        }
        return Axis.Collapse(Db, out frames);
    }
}
