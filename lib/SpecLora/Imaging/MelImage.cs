using SkiaSharp;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>Picture file formats <see cref="MelImage"/> writes.</summary>
public enum MelImageFormat
{
    /// <summary>JPEG, quality 75, 4:2:0 chroma: what makeMels.py (Pillow's defaults) writes.</summary>
    Jpeg,
    /// <summary>Lossless PNG carrying a "speclora" <c>tEXt</c> chunk with <see cref="MelImageMetadata"/>.</summary>
    Png,
}

/// <summary>
/// Encodes rendered mel pictures (SkiaSharp) and writes them atomically: the one call the <c>mels</c> verb needs is
/// <see cref="Save(string, Spectrogram, RenderOptions?, MelImageMetadata?)"/>.
/// </summary>
public static class MelImage
{
    /// <summary>makeMels.py's JPEG quality (Pillow's default).</summary>
    public const int DefaultJpegQuality = 75;

    /// <summary>The format implied by a file extension: .jpg/.jpeg → JPEG, .png → PNG.</summary>
    /// <exception cref="ArgumentException">Any other extension.</exception>
    public static MelImageFormat FormatFromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => MelImageFormat.Jpeg,
            ".png" => MelImageFormat.Png,
            var e => throw new ArgumentException($"'{path}': extension '{e}' is not supported; use .jpg, .jpeg or .png", nameof(path)),
        };
    }

    /// <summary>Encodes as JPEG with 4:2:0 chroma subsampling (Pillow's default, as makeMels.py wrote).</summary>
    /// <param name="image">The picture; alpha is ignored.</param>
    /// <param name="quality">JPEG quality 1…100 (default 75).</param>
    public static byte[] EncodeJpeg(RgbaImage image, int quality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, $"quality={quality} must be 1…100");
        using var pixmap = Pixmap(image, SKAlphaType.Opaque, out var handle);
        try
        {
            using var data = pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore))
                ?? throw new SpecLoraException($"SkiaSharp could not encode a {image.Width}×{image.Height} JPEG");
            return data.ToArray();
        }
        finally { handle.Free(); }
    }

    /// <summary>Encodes as PNG (8-bit RGBA); with <paramref name="metadata"/>, adds the "speclora" tEXt chunk after IHDR.</summary>
    public static byte[] EncodePng(RgbaImage image, MelImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var pixmap = Pixmap(image, SKAlphaType.Unpremul, out var handle);
        try
        {
            using var data = pixmap.Encode(SKPngEncoderOptions.Default)
                ?? throw new SpecLoraException($"SkiaSharp could not encode a {image.Width}×{image.Height} PNG");
            var png = data.ToArray();
            return metadata is null ? png : metadata.EmbedInPng(png);
        }
        finally { handle.Free(); }
    }

    /// <summary>Encodes in <paramref name="format"/> (PNG with <paramref name="metadata"/> when given).</summary>
    public static byte[] Encode(RgbaImage image, MelImageFormat format, MelImageMetadata? metadata = null)
        => format == MelImageFormat.Jpeg ? EncodeJpeg(image) : EncodePng(image, metadata);

    /// <summary>
    /// Renders <paramref name="db"/> and writes it to <paramref name="path"/> atomically, as JPEG or PNG by extension.
    /// PNGs carry metadata: <paramref name="metadata"/> when given (its vmin/vmax/colormap/frames are replaced by
    /// what was actually rendered), otherwise <see cref="MelImageMetadata.From"/> with librosa's defaults.
    /// </summary>
    /// <returns>The metadata describing the picture (also for JPEG, which does not store it).</returns>
    /// <example>
    /// <code>
    /// MelImage.Save("../results/02-make-spectrograms/fur-elise-theme.jpg", melDb);   // 640×480 magma, as makeMels
    /// MelImage.Save("fur-elise-theme.png", melDb);   // a PNG also carries its metadata
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static MelImageMetadata Save(string path, Spectrogram db, RenderOptions? options = null, MelImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var format = FormatFromPath(path);
        options = (options ?? new RenderOptions()).Validate();
        var image = SpectrogramRenderer.Render(db, options);
        var auto = MelImageMetadata.From(db, options);
        var meta = metadata is null ? auto : metadata with
        {
            VMin = auto.VMin, VMax = auto.VMax, Colormap = auto.Colormap, Frames = auto.Frames, NMels = auto.NMels,
        };
        var bytes = Encode(image, format, meta);
        AtomicFile.WriteAllBytes(path, bytes);
        return meta;
    }

    /// <summary>Writes an already rendered picture to <paramref name="path"/> atomically, JPEG or PNG by extension
    /// (PNG with <paramref name="metadata"/> when given).</summary>
    public static void Write(string path, RgbaImage image, MelImageMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var bytes = Encode(image, FormatFromPath(path), metadata);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>What <c>Jobs.MelBatch</c> reports for silent audio.</summary>
    public const string SilentAudioWarning = "no signal: the audio is silent, so the picture is one colour (makeMels draws silence black); it inverts to silence";

    /// <summary>What the decoder reports for a picture of one level.</summary>
    public const string NoSignalPictureWarning = "no signal in this picture: every cell shows the same level (a picture of silence, or a blank image); it inverts to silence";

    /// <summary>
    /// True when every cell of the dB matrix <paramref name="db"/> has the same level (within 1e-3 dB). Such a matrix
    /// holds no signal: <c>power_to_db(ref=max)</c> of silence is 0 dB everywhere, and a picture of it is one colour
    /// (specshow with vmin = vmax draws the first colour), as is any blank picture. Nothing in it tells a level or a
    /// spectrum apart, so it stands for silence.
    /// </summary>
    public static bool HasNoSignal(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Data.Length == 0) return true;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in db.Data) { if (v < min) min = v; if (v > max) max = v; }
        return max - min <= 1e-3f;
    }

    /// <summary>Decodes any image SkiaSharp reads into 8-bit RGBA (straight alpha).</summary>
    /// <exception cref="SpectrogramImageException">Not a decodable image.</exception>
    public static RgbaImage DecodeRgba(byte[] bytes, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return SpectrogramImageDecoder.ReadPixels(bytes, sourceName ?? "image", maxSide: RenderOptions.MaxSize, out _, out _);
    }

    private static SKPixmap Pixmap(RgbaImage image, SKAlphaType alpha, out System.Runtime.InteropServices.GCHandle handle)
    {
        if (image.Pixels.Length != 4L * image.Width * image.Height)
            throw new ArgumentException($"image has {image.Pixels.Length} bytes but {image.Width}×{image.Height}×4 = {4L * image.Width * image.Height}", nameof(image));
        handle = System.Runtime.InteropServices.GCHandle.Alloc(image.Pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, alpha);
        return new SKPixmap(info, handle.AddrOfPinnedObject(), image.Width * 4);
    }
}
