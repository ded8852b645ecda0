using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>
/// Draws a spectrogram exactly as makeMels.py's <c>librosa.display.specshow</c> + <c>savefig</c> does (verified on
/// every pixel of the golden PNGs): matplotlib's float32 <c>Normalize</c>, a 256-entry LUT, point-sampled bins and
/// frames (pcolormesh without antialiasing), low frequencies at the bottom.
/// </summary>
/// <remarks>
/// The rule, for pixel row r (from the top) and column c of a W×H picture of a [B × T] matrix S:
/// <code>
/// x = (S − vmin) / float32(vmax − vmin)            (float32)
/// k = floor(256·x); k = 255 where x == 1; clip to 0…255
/// b = clip(floor(B − (r + 0.5)·B/H), 0, B−1)
/// f = clip(floor((c + 0.5)·T/W), 0, T−1)
/// RGB = LUT[k[b, f]], A = 255
/// </code>
/// NaN values (matplotlib's "bad" colour) are drawn with entry 0 and are ignored by the autoscale.
/// When vmax == vmin every value maps to entry 0, as matplotlib's Normalize does.
/// </remarks>
/// <example>
/// <code>
/// RgbaImage picture = SpectrogramRenderer.Render(melDb);   // 640×480, magma, low frequencies at the bottom
/// Console.WriteLine($"{melDb.Frames} frames in {picture.Width} columns");
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public static class SpectrogramRenderer
{
    /// <summary>The vmin/vmax a render with <paramref name="options"/> uses: the given values, or the data range.</summary>
    public static (float VMin, float VMax) ResolveRange(Spectrogram spectrogram, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        options ??= new RenderOptions();
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        if (options.VMin is null || options.VMax is null)
        {
            foreach (var v in spectrogram.Data)
            {
                if (float.IsNaN(v)) continue;
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            if (float.IsInfinity(lo)) lo = hi = 0f; // all NaN
        }
        return (options.VMin ?? lo, options.VMax ?? hi);
    }

    /// <summary>
    /// The LUT index (0…255) of every value, [Bins × Frames] row-major, following matplotlib's
    /// <c>Normalize</c> + <c>Colormap.__call__</c> in float32.
    /// </summary>
    public static byte[] ColormapIndices(Spectrogram spectrogram, float vmin, float vmax)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        var data = spectrogram.Data;
        var k = new byte[data.Length];
        float range = vmax - vmin;
        for (int i = 0; i < data.Length; i++) k[i] = IndexOf(data[i], vmin, range);
        return k;
    }

    /// <summary>The LUT index of one value given vmin and the float32 range vmax − vmin.</summary>
    internal static byte IndexOf(float value, float vmin, float range)
    {
        if (float.IsNaN(value)) return 0;
        float x = range == 0f ? 0f : (value - vmin) / range;
        if (x == 1f) return 255;
        float scaled = x * 256f;
        if (!(scaled >= 0f)) return 0;
        if (scaled >= 255f) return 255;
        return (byte)(int)scaled;
    }

    /// <summary>Renders <paramref name="db"/> (usually a dB mel spectrogram, [Bins × Frames]) to RGBA pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Width or height is 0 or above 16384.</exception>
    public static RgbaImage Render(Spectrogram db, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        options = (options ?? new RenderOptions()).Validate();
        var (vmin, vmax) = ResolveRange(db, options);
        var lut = Colormap.ByName(options.Colormap).Rgb;
        int w = options.Width, h = options.Height, bins = db.Bins, frames = db.Frames;

        var frameOf = new int[w];
        for (int c = 0; c < w; c++) frameOf[c] = Math.Clamp((int)Math.Floor((c + 0.5) * frames / w), 0, frames - 1);

        var pixels = new byte[4L * w * h > int.MaxValue ? throw new ArgumentOutOfRangeException(nameof(options), $"{w}×{h} pixels is too large for one buffer") : 4 * w * h];
        var rowIdx = new byte[w];
        var data = db.Data;
        float range = vmax - vmin;
        int lastBin = -1;
        for (int r = 0; r < h; r++)
        {
            int b = Math.Clamp((int)Math.Floor(bins - (r + 0.5) * bins / h), 0, bins - 1);
            if (b != lastBin)
            {
                int off = b * frames;
                for (int c = 0; c < w; c++) rowIdx[c] = IndexOf(data[off + frameOf[c]], vmin, range);
                lastBin = b;
            }
            var row = pixels.AsSpan(4 * r * w, 4 * w);
            for (int c = 0; c < w; c++)
            {
                int k = 3 * rowIdx[c];
                row[4 * c] = lut[k];
                row[4 * c + 1] = lut[k + 1];
                row[4 * c + 2] = lut[k + 2];
                row[4 * c + 3] = 255;
            }
        }
        return new RgbaImage(w, h, pixels);
    }
}
