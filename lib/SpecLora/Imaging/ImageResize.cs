using SkiaSharp;

namespace SpecLora.Imaging;

/// <summary>
/// Resamples an encoded picture (PNG, JPEG, WebP, …) to another size and encodes it again: the one place outside
/// the renderer that resizes with SkiaSharp (training zips stretch mels to a square; notebooks embed thumbnails).
/// Resampling is Mitchell–Netravali cubic (B = C = 1/3), which neither rings much nor blurs much.
/// </summary>
internal static class ImageResize
{
    /// <summary>JPEG quality used when none is given (90).</summary>
    public const int DefaultJpegQuality = 90;

    /// <summary>Reads the size of an encoded picture from its header, without decoding pixels.</summary>
    /// <returns>False when SkiaSharp cannot read the bytes as a picture.</returns>
    public static bool TryGetSize(byte[] encoded, out int width, out int height)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        width = height = 0;
        if (encoded.Length == 0) return false;
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null) return false;
        (width, height) = (codec.Info.Width, codec.Info.Height);
        return true;
    }

    /// <summary>The size that scales <paramref name="width"/>×<paramref name="height"/> to <paramref name="targetWidth"/> wide, keeping the aspect ratio (height ≥ 1).</summary>
    public static (int Width, int Height) FitWidth(int width, int height, int targetWidth)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"size {width}×{height} must be positive");
        if (targetWidth <= 0) throw new ArgumentOutOfRangeException(nameof(targetWidth), targetWidth, $"targetWidth={targetWidth} must be > 0");
        return (targetWidth, Math.Max(1, (int)Math.Round((double)height * targetWidth / width)));
    }

    /// <summary>
    /// Decodes <paramref name="encoded"/>, resamples it to exactly <paramref name="width"/>×<paramref name="height"/>
    /// (stretching when the aspect ratio differs, so a mel's time and frequency axes stay aligned with the pixels) and
    /// encodes it as <paramref name="format"/>.
    /// </summary>
    /// <param name="encoded">The picture file's bytes.</param>
    /// <param name="width">New width in pixels (1…<see cref="RenderOptions.MaxSize"/>).</param>
    /// <param name="height">New height in pixels (1…<see cref="RenderOptions.MaxSize"/>).</param>
    /// <param name="format">PNG (lossless) or JPEG (<paramref name="jpegQuality"/>, 4:2:0).</param>
    /// <param name="jpegQuality">JPEG quality 1…100 (default <see cref="DefaultJpegQuality"/>); ignored for PNG.</param>
    /// <returns>The new file's bytes, or null when the bytes are not a picture SkiaSharp can decode.</returns>
    public static byte[]? TryResize(byte[] encoded, int width, int height, MelImageFormat format, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (width is < 1 or > RenderOptions.MaxSize) throw new ArgumentOutOfRangeException(nameof(width), width, $"width={width} must be 1…{RenderOptions.MaxSize} px");
        if (height is < 1 or > RenderOptions.MaxSize) throw new ArgumentOutOfRangeException(nameof(height), height, $"height={height} must be 1…{RenderOptions.MaxSize} px");
        if (jpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(jpegQuality), jpegQuality, $"jpegQuality={jpegQuality} must be 1…100");
        if (encoded.Length == 0) return null;
        using var data0 = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data0);
        if (codec is null) return null;
        using var source = SKBitmap.Decode(codec);
        if (source is null) return null;
        return Encode(source, width, height, format, jpegQuality);
    }

    /// <summary>As <see cref="TryResize(byte[], int, int, MelImageFormat, int)"/> from pixels already decoded (the training
    /// zip decodes each picture once, to check it, and resizes those same pixels).</summary>
    internal static byte[]? TryResize(RgbaImage image, int width, int height, MelImageFormat format, int jpegQuality = DefaultJpegQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var source = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        System.Runtime.InteropServices.Marshal.Copy(image.Pixels, 0, source.GetPixels(), image.Pixels.Length);
        return Encode(source, width, height, format, jpegQuality);
    }

    private static byte[]? Encode(SKBitmap source, int width, int height, MelImageFormat format, int jpegQuality)
    {
        if (width is < 1 or > RenderOptions.MaxSize) throw new ArgumentOutOfRangeException(nameof(width), width, $"width={width} must be 1…{RenderOptions.MaxSize} px");
        if (height is < 1 or > RenderOptions.MaxSize) throw new ArgumentOutOfRangeException(nameof(height), height, $"height={height} must be 1…{RenderOptions.MaxSize} px");
        if (jpegQuality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(jpegQuality), jpegQuality, $"jpegQuality={jpegQuality} must be 1…100");
        using var scaled = source.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        if (scaled is null) return null;
        using var image = SKImage.FromBitmap(scaled);
        using var data = format == MelImageFormat.Jpeg
            ? image.Encode(SKEncodedImageFormat.Jpeg, jpegQuality)
            : image.Encode(SKEncodedImageFormat.Png, 100);
        return data?.ToArray();
    }
}
