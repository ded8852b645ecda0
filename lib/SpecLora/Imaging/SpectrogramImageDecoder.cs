using SkiaSharp;
using SpecLora.Spectrograms;

namespace SpecLora.Imaging;

/// <summary>
/// Reads a mel spectrogram picture back into a dB mel matrix: our PNGs (exactly, from their metadata), makeMels.py
/// 640×480 JPEG/PNG originals (specshow geometry; luma for JPEG, read from the file's own quantised DCT coefficients and
/// restored by <see cref="ImageDecodeOptions.RestoreJpeg"/>), and SDXL outputs (CIELAB projection onto the
/// colormap polyline, distance-weighted medians over uniform bins, inpainting of off-map cells).
/// </summary>
/// <remarks>
/// Index k (continuous t) becomes dB = vmin + (t + 0.5)·(vmax − vmin)/256, the centre of the k-th colour's range.
/// The result has one column per pixel column. Dimensions are checked from the header (SKCodec) before any pixel is
/// decoded: each side must be 8…16384 px.
/// </remarks>
/// <example>
/// <code>
/// var decoded = SpectrogramImageDecoder.Decode("../results/02-make-spectrograms/fur-elise-theme.jpg");
/// Console.WriteLine($"{decoded.Kind}: {decoded.Db.Bins}×{decoded.Db.Frames}, off-colormap {decoded.OffColormapFraction:P1}");
/// </code>
/// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
/// </example>
public static class SpectrogramImageDecoder
{
    private const double InpaintDeltaE = 25;
    private const double WeightScaleDeltaE = 12;
    private const double StrictOffFraction = 0.95;
    private const double WarnOffFraction = 0.25;

    /// <summary>Decodes the picture file at <paramref name="path"/>.</summary>
    /// <exception cref="SpectrogramImageException">Missing file, not an image, truncated, bad size, or strict and off the
    /// colormap.</exception>
    public static DecodedSpectrogramImage Decode(string path, ImageDecodeOptions? options = null) => Decode(ReadFile(path), options, path);

    /// <summary>Checks that <paramref name="path"/> holds a whole picture (PNG, JPEG, …) of a size the decoder accepts,
    /// by decoding every pixel; what the training zip and the decoder refuse alike.</summary>
    /// <exception cref="SpectrogramImageException">Missing file, not an image, truncated, or a bad size; the message names
    /// the file and says what to do.</exception>
    public static void CheckPicture(string path)
    {
        var limits = new ImageDecodeOptions();
        ReadPixels(ReadFile(path), path, limits.MaxSize, out _, out _, limits.MaxPixels);
    }

    private static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpectrogramImageException(path, $"cannot read the file ({e.Message}); check the path", e);
        }
    }

    /// <summary>Decodes picture bytes (PNG, JPEG, WebP, …); <paramref name="sourceName"/> names them in messages.</summary>
    /// <exception cref="SpectrogramImageException">Not an image, bad size, or strict and off the colormap.</exception>
    public static DecodedSpectrogramImage Decode(byte[] bytes, ImageDecodeOptions? options = null, string sourceName = "image")
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options = (options ?? new ImageDecodeOptions()).Validate();
        var warnings = new List<string>();

        var image = ReadPixels(bytes, sourceName, options.MaxSize, out bool grayEncoded, out bool isJpeg, options.MaxPixels);
        int w = image.Width, h = image.Height, n = w * h;
        var px = image.Pixels;

        // Packed colours, alpha ignored; gray detection.
        var packed = new int[n];
        bool allGray = true, anyAlpha = false;
        for (int i = 0; i < n; i++)
        {
            int r = px[4 * i], g = px[4 * i + 1], b = px[4 * i + 2];
            packed[i] = r << 16 | g << 8 | b;
            if (r != g || g != b) allGray = false;
            if (px[4 * i + 3] != 255) anyAlpha = true;
        }
        if (anyAlpha) warnings.Add("the picture has transparent pixels; alpha was ignored (colours decoded as stored)");
        bool gray = allGray || grayEncoded;

        // our metadata only when it passes every limit (MelImageMetadata.ReadTrusted); forged metadata is ignored, and said so
        var metadata = PngChunks.IsPng(bytes) ? MelImageMetadata.ReadTrusted(bytes, h, warnings) : null;
        // Our PNG of silent audio records ref_power = 0 (the maximum of an all-zero power): no level to restore.
        if (metadata is { ReferencePower: { } rp } && !(rp > 0 && double.IsFinite(rp))) metadata = metadata with { ReferencePower = null };
        int nMels = metadata?.NMels ?? options.NMels;
        float vmin = metadata?.VMin ?? options.VMin, vmax = metadata?.VMax ?? options.VMax;
        if (!(vmax > vmin)) { vmax = vmin + 1e-6f; }

        // Colormap.
        Colormap map;
        bool autoMap = string.Equals(options.Colormap, "auto", StringComparison.OrdinalIgnoreCase);
        if (!autoMap) map = Colormap.ByName(options.Colormap);
        else if (metadata is not null) map = TryColormap(metadata.Colormap) ?? DetectColormap(packed, gray);
        else map = DetectColormap(packed, gray);
        if (gray && map != Colormap.Gray) warnings.Add($"the picture is grayscale; decoded by luma along the {map.Name} colormap");
        var proj = ColormapProjector.For(map);

        // Distinct colours → projections.
        var (distinct, slots) = DistinctColours(packed);
        int m = distinct.Length;
        var labT = new float[m];
        var labE = new float[m];
        var exact = new int[m];
        var projected = new bool[m];
        for (int j = 0; j < m; j++) exact[j] = proj.ExactIndex(distinct[j]);
        // Statistics: exactness over every pixel; the distance to the colormap (CIELAB projection, the costly part) over a
        // fixed subsample of at most ~20 000 pixels, enough for a fraction and a median. The remaining colours are
        // projected below only when the chosen method needs them (Lab decoding, or colours off the exact LUT).
        long off = 0, onExact = 0, sampled = 0;
        for (int i = 0; i < n; i++) if (exact[slots[i]] >= 0) onExact++;
        int stride = Math.Max(1, n / 20_000);
        if (stride > 1 && w % stride == 0) stride++;   // not a divisor of the width: the sample walks across the columns
        var sample = new List<int>(n / stride + 1);
        for (int i = 0; i < n; i += stride) { int sl = slots[i]; if (!projected[sl]) { projected[sl] = true; sample.Add(sl); } }
        ProjectColours(proj, distinct, sample, labT, labE);
        var hist = new int[1001];
        for (int i = 0; i < n; i += stride)
        {
            int sl = slots[i];
            if (labE[sl] > options.OffColormapDeltaE) off++;
            hist[Math.Min(1000, (int)(labE[sl] * 10))]++;
            sampled++;
        }
        double offFraction = (double)off / sampled, exactFraction = (double)onExact / n;
        double medianDe = HistMedian(hist, (int)sampled) / 10.0;

        // Grayscale pictures are decoded by luma along any map, so strict mode does not reject them for their colours.
        if (offFraction > StrictOffFraction && options.Strict && !gray)
            throw new SpectrogramImageException(sourceName,
                $"{offFraction:P1} of the pixels are off the {map.Name} colormap (ΔE76 > {options.OffColormapDeltaE}); this does not look like a mel spectrogram picture. Pass another --colormap, or decode without strict mode to get audio anyway");
        if (offFraction > WarnOffFraction)
            warnings.Add($"{offFraction:P1} of the pixels are off the {map.Name} colormap (ΔE76 > {options.OffColormapDeltaE}, median ΔE {medianDe:F1}); decoded levels there are estimates");

        // Method, kind, geometry.
        ColorDecodeMethod method = options.Method ?? (
            metadata is not null || exactFraction >= 0.98 ? ColorDecodeMethod.ExactLut
            : gray ? ColorDecodeMethod.Luma
            : isJpeg && medianDe <= 8 ? ColorDecodeMethod.Luma
            : ColorDecodeMethod.Lab);
        if (gray && method == ColorDecodeMethod.Lab && map != Colormap.Gray) method = ColorDecodeMethod.Luma;
        ImageKind kind = metadata is not null ? ImageKind.SpecLoraPng
            : w == 640 && h == 480 && method != ColorDecodeMethod.Lab ? ImageKind.MakeMels
            : ImageKind.Generic;
        // A lossless on-map picture is a specshow render whatever its size: its rows follow the specshow rule exactly.
        ImageGeometry geometry = options.Geometry != ImageGeometry.Auto ? options.Geometry
            : kind == ImageKind.Generic && method != ColorDecodeMethod.ExactLut ? ImageGeometry.Uniform : ImageGeometry.Specshow;

        // The colours the chosen method reads a CIELAB projection of: all for Lab, those off the exact LUT for ExactLut.
        if (method != ColorDecodeMethod.Luma)
        {
            var rest = new List<int>();
            for (int j = 0; j < m; j++) if (!projected[j] && (method == ColorDecodeMethod.Lab || exact[j] < 0)) { projected[j] = true; rest.Add(j); }
            ProjectColours(proj, distinct, rest, labT, labE);
        }

        // Rows of each bin (bin 0 at the bottom).
        var (rowStart, rowEnd) = geometry == ImageGeometry.Specshow ? SpecshowRows(nMels, h) : UniformRows(nMels, h);
        // Specshow rows are exact (every row of a bin shows the same value): pool them all. Measured on the golden
        // elise5s JPEG (luma): all rows 0.71 dB RMS, interior rows only 0.78 dB. Uniform bands of SDXL pictures are
        // not exact: their 1-px borders are skipped.
        if (geometry == ImageGeometry.Uniform) TrimBorders(rowStart, rowEnd);

        // Pool.
        var index = new float[nMels * w];
        var invalid = method == ColorDecodeMethod.Lab ? new bool[nMels * w] : null;
        float[]? restored = isJpeg && method == ColorDecodeMethod.Luma && geometry == ImageGeometry.Specshow && options.RestoreJpeg
            ? RestoreJpegLuma(bytes, proj, w, h, rowStart, rowEnd) : null;
        if (restored is not null)
            Parallel.For(0, nMels, b =>
            {
                for (int c = 0; c < w; c++) index[b * w + c] = proj.InvertLumaTabled(restored[b * w + c]);
            });
        else
        {
            var (value, weight) = ColourValues(method, proj, distinct, exact, labT, labE);
            Parallel.For(0, nMels, b =>
            {
                int r0 = rowStart[b], r1 = rowEnd[b];
                int cnt = r1 - r0;
                var vals = new float[cnt];
                var wts = new float[cnt];
                for (int c = 0; c < w; c++)
                {
                    bool allOff = true;
                    for (int k = 0; k < cnt; k++)
                    {
                        int s = slots[(r0 + k) * w + c];
                        vals[k] = value[s];
                        wts[k] = weight[s];
                        if (labE[s] <= InpaintDeltaE) allOff = false;
                    }
                    index[b * w + c] = WeightedMedian(vals, wts);
                    if (invalid is not null) invalid[b * w + c] = allOff;
                }
            });
        }
        if (invalid is not null)
        {
            int inpainted = Inpaint(index, invalid, nMels, w);
            if (inpainted > 0) warnings.Add($"{inpainted} of {nMels * w} bin cells ({(double)inpainted / (nMels * w):P1}) had no pixel within ΔE {InpaintDeltaE} of the colormap and were inpainted from a ±2-column median");
        }

        var db = new float[index.Length];
        double step = ((double)vmax - vmin) / Colormap.Size;
        for (int i = 0; i < db.Length; i++) db[i] = (float)(vmin + (index[i] + 0.5) * step);

        var dbMatrix = Spectrogram.Create(db, nMels, w, SpectrogramScale.Db, FrequencyAxis.Mel,
            metadata?.SampleRate ?? LibrosaDefaults.SampleRate, metadata?.HopLength ?? LibrosaDefaults.HopLength, metadata?.NFft ?? LibrosaDefaults.NFft);
        bool noSignal = MelImage.HasNoSignal(dbMatrix);
        if (noSignal) warnings.Add(MelImage.NoSignalPictureWarning);

        FrameAxis? axis = metadata is { Frames: > 0 } ? FrameAxis.ForFrames(w, metadata.Frames, metadata.SampleRate, metadata.HopLength,
            metadata.DurationSeconds > 0 ? (int)Math.Min(int.MaxValue, Math.Round(metadata.DurationSeconds * metadata.SampleRate)) : null, FrameAxisSource.Metadata) : null;

        return new DecodedSpectrogramImage
        {
            Db = dbMatrix,
            NoSignal = noSignal,
            ColormapIndex = index,
            Colormap = map,
            Metadata = metadata,
            OffColormapFraction = offFraction,
            MedianDeltaE = medianDe,
            Kind = kind,
            Method = method,
            Geometry = geometry,
            SourceWidth = w,
            SourceHeight = h,
            Axis = axis,
            Source = sourceName,
            Warnings = warnings,
        };
    }

    /// <summary>Per distinct colour, the index value and pooling weight the chosen method reads (the pixels' rows of a
    /// bin cell are pooled by weighted median of these).</summary>
    private static (float[] Value, float[] Weight) ColourValues(ColorDecodeMethod method, ColormapProjector proj, int[] distinct,
        int[] exact, float[] labT, float[] labE)
    {
        int m = distinct.Length;
        var value = new float[m];
        var weight = new float[m];
        for (int j = 0; j < m; j++)
        {
            int c = distinct[j];
            switch (method)
            {
                case ColorDecodeMethod.ExactLut:
                    value[j] = exact[j] >= 0 ? exact[j] : MathF.Round(labT[j]);
                    weight[j] = 1;
                    break;
                case ColorDecodeMethod.Luma:
                    value[j] = proj.InvertLuma(c >> 16 & 255, c >> 8 & 255, c & 255);
                    weight[j] = 1;
                    break;
                default:
                    value[j] = labT[j];
                    double e = labE[j] / WeightScaleDeltaE;
                    weight[j] = (float)Math.Max(Math.Exp(-e * e), 1e-12);
                    break;
            }
        }
        return (value, weight);
    }

    /// <summary>The JPEG's luma per cell restored by <see cref="JpegRestoration"/> from the file's own quantised
    /// coefficients, or null when the file is not a baseline JPEG this reader handles.</summary>
    private static float[]? RestoreJpegLuma(byte[] bytes, ColormapProjector proj, int w, int h, int[] rowStart, int[] rowEnd)
    {
        var jc = JpegCoefficients.TryRead(bytes);
        if (jc is null) return null;
        var (yMin, yMax) = proj.LumaRange;
        return JpegRestoration.RestoreCells(jc, w, h, rowStart, rowEnd, JpegRestoration.DefaultIterations, yMin, yMax);
    }

    /// <summary>CIELAB projections (continuous index, ΔE76) of the colours <paramref name="which"/>, in parallel.</summary>
    private static void ProjectColours(ColormapProjector proj, int[] distinct, List<int> which, float[] labT, float[] labE)
    {
        int count = which.Count;
        if (count == 0) return;
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, count, Math.Max(1024, count / (4 * Environment.ProcessorCount) + 1)), range =>
        {
            for (int q = range.Item1; q < range.Item2; q++)
            {
                int j = which[q], c = distinct[j];
                (labT[j], labE[j]) = proj.ProjectLab(c >> 16 & 255, c >> 8 & 255, c & 255);
            }
        });
    }

    /// <summary>The distinct packed colours (ascending) and, per pixel, the slot of its colour; a 2 MB presence
    /// bitset over all 2²⁴ colours with per-word ranks, O(pixels).</summary>
    internal static (int[] Distinct, int[] Slots) DistinctColours(int[] packed)
    {
        var bits = new ulong[1 << 18];
        foreach (int c in packed) bits[c >> 6] |= 1UL << (c & 63);
        var rank = new int[bits.Length];
        int total = 0;
        for (int i = 0; i < bits.Length; i++) { rank[i] = total; total += System.Numerics.BitOperations.PopCount(bits[i]); }
        var distinct = new int[total];
        for (int i = 0, k = 0; i < bits.Length; i++)
        {
            ulong w = bits[i];
            while (w != 0) { int bit = System.Numerics.BitOperations.TrailingZeroCount(w); distinct[k++] = i << 6 | bit; w &= w - 1; }
        }
        var slots = new int[packed.Length];
        for (int p = 0; p < packed.Length; p++)
        {
            int c = packed[p];
            ulong below = bits[c >> 6] & ((1UL << (c & 63)) - 1);
            slots[p] = rank[c >> 6] + System.Numerics.BitOperations.PopCount(below);
        }
        return (distinct, slots);
    }

    /// <summary>Reads the header, checks the size, then decodes 8-bit RGBA pixels (straight alpha).</summary>
    internal static RgbaImage ReadPixels(byte[] bytes, string sourceName, int maxSide, out bool grayEncoded, out bool isJpeg)
        => ReadPixels(bytes, sourceName, maxSide, out grayEncoded, out isJpeg, (long)maxSide * maxSide);

    /// <summary>As above with a pixel-count limit. A file that ends before its last pixel (a cut download, a partial copy)
    /// is an error, not a picture: the decoder would fill the missing rows with its own colour, which inverts to loud
    /// noise.</summary>
    internal static RgbaImage ReadPixels(byte[] bytes, string sourceName, int maxSide, out bool grayEncoded, out bool isJpeg, long maxPixels)
    {
        if (bytes.Length == 0) throw new SpectrogramImageException(sourceName, "the file is empty; give a PNG or JPEG picture");
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new SpectrogramImageException(sourceName, "not a picture SkiaSharp can decode (expected PNG or JPEG; also WebP, GIF, BMP)");
        int w = codec.Info.Width, h = codec.Info.Height;
        if (w < ImageDecodeOptions.MinSize || h < ImageDecodeOptions.MinSize)
            throw new SpectrogramImageException(sourceName, $"the picture is {w}×{h} px, too small to hold a spectrogram: each side must be {ImageDecodeOptions.MinSize}…{maxSide} px");
        if (w > maxSide || h > maxSide)
            throw new SpectrogramImageException(sourceName, $"the picture is {w}×{h} px, too large: each side must be {ImageDecodeOptions.MinSize}…{maxSide} px; downscale it first");
        if ((long)w * h > Math.Min(maxPixels, int.MaxValue / 4))
            throw new SpectrogramImageException(sourceName, $"the picture is {w}×{h} = {(long)w * h} px, too large: at most {Math.Min(maxPixels, int.MaxValue / 4)} px are decoded; downscale it first");
        grayEncoded = codec.Info.ColorType == SKColorType.Gray8;
        isJpeg = codec.EncodedFormat == SKEncodedImageFormat.Jpeg;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[4 * w * h];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(pixels, System.Runtime.InteropServices.GCHandleType.Pinned);
        SKCodecResult result;
        try { result = codec.GetPixels(info, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        if (result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)
            throw new SpectrogramImageException(sourceName,
                $"the {FormatName(codec.EncodedFormat)} data ends early or is damaged: the file ({bytes.Length:N0} bytes) holds only part of its {w}×{h} picture; copy or download it again");
        if (result is not SKCodecResult.Success)
            throw new SpectrogramImageException(sourceName, $"the picture's pixels could not be decoded ({result}); the file may be corrupt: copy or download it again");
        return new RgbaImage(w, h, pixels);
    }

    private static string FormatName(SKEncodedImageFormat f) => f switch
    {
        SKEncodedImageFormat.Png => "PNG", SKEncodedImageFormat.Jpeg => "JPEG", SKEncodedImageFormat.Webp => "WebP",
        _ => f.ToString().ToUpperInvariant(),
    };

    private static Colormap? TryColormap(string? name)
    {
        try { return name is null ? null : Colormap.ByName(name); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>
    /// The colormap that fits a pixel sample best: score = mean of min(ΔE76, 30) to each map's polyline. Magma (what
    /// makeMels and the LoRA use) wins unless another map scores below 60 % of magma's, so SDXL pictures whose colours
    /// drift between magma and inferno stay magma. Gray pictures → gray.
    /// </summary>
    internal static Colormap DetectColormap(int[] packed, bool gray) => DetectColormap(packed, gray, out _);

    internal static Colormap DetectColormap(int[] packed, bool gray, out Dictionary<string, double> scores)
    {
        scores = new Dictionary<string, double>();
        if (gray) return Colormap.Gray;
        int stride = Math.Max(1, packed.Length / 8000);
        var counts = new Dictionary<int, int>();
        int total = 0;
        for (int i = 0; i < packed.Length; i += stride) { counts[packed[i]] = counts.GetValueOrDefault(packed[i]) + 1; total++; }
        foreach (var map in new[] { Colormap.Magma, Colormap.Viridis, Colormap.Inferno })
        {
            var p = ColormapProjector.For(map);
            double sum = 0;
            foreach (var (c, k) in counts) sum += k * Math.Min(30.0, p.ProjectLab(c >> 16 & 255, c >> 8 & 255, c & 255).DeltaE);
            scores[map.Name] = sum / total;
        }
        double magma = scores["magma"];
        var best = scores.Where(kv => kv.Key != "magma").MinBy(kv => kv.Value);
        return best.Value < 0.6 * magma ? Colormap.ByName(best.Key) : Colormap.Magma;
    }

    private static double HistMedian(int[] hist, int n)
    {
        long acc = 0;
        for (int i = 0; i < hist.Length; i++) { acc += hist[i]; if (2 * acc >= n) return i + 0.5; }
        return hist.Length;
    }

    /// <summary>Specshow rows: row r (from the top) shows bin clip(floor(B − (r+0.5)·B/H)); [start, end) per bin.
    /// A bin that no row shows (H &lt; B) takes the row nearest its centre.</summary>
    internal static (int[] Start, int[] End) SpecshowRows(int bins, int h)
    {
        var start = new int[bins];
        var end = new int[bins];
        Array.Fill(start, -1);
        for (int r = 0; r < h; r++)
        {
            int b = Math.Clamp((int)Math.Floor(bins - (r + 0.5) * bins / h), 0, bins - 1);
            if (start[b] < 0) start[b] = r;
            end[b] = r + 1;
        }
        for (int b = 0; b < bins; b++)
        {
            if (start[b] >= 0) continue;
            int r = Math.Clamp((int)Math.Floor((bins - b - 0.5) * h / bins), 0, h - 1);
            start[b] = r; end[b] = r + 1;
        }
        return (start, end);
    }

    /// <summary>Uniform rows: bin b spans rows [round(H − (b+1)·H/B), round(H − b·H/B)), at least one row.</summary>
    internal static (int[] Start, int[] End) UniformRows(int bins, int h)
    {
        var start = new int[bins];
        var end = new int[bins];
        for (int b = 0; b < bins; b++)
        {
            int r0 = (int)Math.Round(h - (b + 1.0) * h / bins), r1 = (int)Math.Round(h - (double)b * h / bins);
            r0 = Math.Clamp(r0, 0, h - 1);
            r1 = Math.Clamp(Math.Max(r1, r0 + 1), r0 + 1, h);
            start[b] = r0; end[b] = r1;
        }
        return (start, end);
    }

    /// <summary>Keeps interior rows: drops the 1-px border rows of a band of at least 4 rows (1024-px pictures keep 6 of 8).</summary>
    private static void TrimBorders(int[] start, int[] end)
    {
        for (int b = 0; b < start.Length; b++)
            if (end[b] - start[b] >= 4) { start[b]++; end[b]--; }
    }

    /// <summary>Weighted median (the mean of the two middle values when the weight splits evenly); the arrays are reordered.</summary>
    internal static float WeightedMedian(Span<float> values, Span<float> weights)
    {
        int n = values.Length;
        if (n == 1) return values[0];
        // insertion sort by value (n is small: a bin's rows)
        for (int i = 1; i < n; i++)
        {
            float v = values[i], wv = weights[i];
            int j = i - 1;
            while (j >= 0 && values[j] > v) { values[j + 1] = values[j]; weights[j + 1] = weights[j]; j--; }
            values[j + 1] = v; weights[j + 1] = wv;
        }
        double total = 0;
        for (int i = 0; i < n; i++) total += weights[i];
        double half = total / 2, acc = 0;
        for (int i = 0; i < n; i++)
        {
            acc += weights[i];
            if (acc > half + 1e-12 * total) return values[i];
            if (Math.Abs(acc - half) <= 1e-12 * total && i + 1 < n) return 0.5f * (values[i] + values[i + 1]);
        }
        return values[n - 1];
    }

    /// <summary>Replaces invalid cells by the median of valid cells of the same bin within ±2 columns.</summary>
    private static int Inpaint(float[] index, bool[] invalid, int bins, int w)
    {
        int count = 0;
        var buf = new float[5];
        var source = (float[])index.Clone();
        for (int b = 0; b < bins; b++)
            for (int c = 0; c < w; c++)
            {
                if (!invalid[b * w + c]) continue;
                int k = 0;
                for (int d = -2; d <= 2; d++)
                {
                    int cc = c + d;
                    if (cc < 0 || cc >= w || invalid[b * w + cc]) continue;
                    buf[k++] = source[b * w + cc];
                }
                if (k == 0) continue;
                Array.Sort(buf, 0, k);
                index[b * w + c] = k % 2 == 1 ? buf[k / 2] : 0.5f * (buf[k / 2 - 1] + buf[k / 2]);
                count++;
            }
        return count;
    }
}
