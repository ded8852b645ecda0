using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>How <see cref="MelInverter"/> fills in the STFT frames that no picture column showed.</summary>
internal enum BetweenColumns
{
    /// <summary>Linear in the logarithm of the level between the frames shown (linear in dB): what librosa's
    /// <c>mel_to_audio</c> of a stretched picture amounts to; our librosa-style baseline keeps it.</summary>
    LogLinear,
    /// <summary>A Catmull-Rom cubic through the four nearest frames shown, on power^¼: the default. The other approaches
    /// measured (onset-aware, linear power, linear dB on the mel, the cubic on the amplitude) and their numbers are in
    /// lib/SpecLora/Inversion/README.md §3.</summary>
    CubicQuarterPower,
}

/// <summary>
/// Fills in the frames between the columns of a picture on its <see cref="FrameAxis"/>: columns known to show some
/// frames (ascending) → every frame, by <see cref="BetweenColumns"/> for power and magnitude data and linearly in dB
/// for dB data; frames before the first / after the last shown repeat it.
/// </summary>
internal static class ColumnUpsampler
{
    /// <summary>Resamples the C columns of <paramref name="s"/> [bins × C] onto <paramref name="axis"/> (C columns, T
    /// frames) by the picture rule: column c is frame ⌊(c + 0.5)·T/C⌋. The input is not modified; the same instance is
    /// returned when T = C.</summary>
    public static Spectrogram Upsample(Spectrogram s, FrameAxis axis, BetweenColumns mode = BetweenColumns.LogLinear)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(axis);
        if (axis.Frames == s.Frames && axis.Columns == s.Frames) return s;
        var columns = axis.Collapse(s, out var frames);
        return Place(columns, frames, axis.Frames, mode);
    }

    /// <summary>Bin-major form of <see cref="PlaceFrameMajor"/>: columns [bins × n] known to show <paramref name="frames"/> →
    /// [bins × <paramref name="totalFrames"/>].</summary>
    public static Spectrogram Place(Spectrogram columns, int[] frames, int totalFrames, BetweenColumns mode = BetweenColumns.LogLinear)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var placed = PlaceFrameMajor(SpanMath.Transpose(columns.Data, columns.Bins, columns.Frames), columns.Bins, columns.Scale, frames, totalFrames, mode);
        return columns with { Data = SpanMath.Transpose(placed, totalFrames, columns.Bins), Frames = totalFrames };
    }

    /// <summary>
    /// Columns known to show frames <paramref name="frames"/> (strictly ascending), frame-major [n × <paramref name="bins"/>]
    /// → frame-major [<paramref name="totalFrames"/> × bins]: the known frames as given, the frames between filled in,
    /// held constant beyond the first and last. dB data are interpolated linearly in dB. Power and magnitude data:
    /// <see cref="BetweenColumns.LogLinear"/> = linear in the logarithm (floored 200 dB below the maximum so that zeros
    /// stay finite and come back as zeros); <see cref="BetweenColumns.CubicQuarterPower"/> = a Catmull-Rom cubic through
    /// the four nearest shown frames on power^¼, on the true positions of the shown frames (for the first and last gap,
    /// the tangent of the line through its two ends), clipped at 0.
    /// </summary>
    public static float[] PlaceFrameMajor(float[] columns, int bins, SpectrogramScale scale, int[] frames, int totalFrames, BetweenColumns mode)
    {
        int n = frames.Length, t = totalFrames;
        if (columns.Length != n * bins) throw new ArgumentException($"{frames.Length} frame indices for {columns.Length / Math.Max(1, bins)} columns", nameof(frames));
        if (totalFrames < 1) throw new ArgumentOutOfRangeException(nameof(totalFrames), totalFrames, $"totalFrames={totalFrames} must be ≥ 1");
        if (n == 0) throw new ArgumentException("no columns", nameof(columns));
        for (int j = 0; j < n; j++)
            if (frames[j] < 0 || frames[j] >= t || (j > 0 && frames[j] <= frames[j - 1]))
                throw new ArgumentException($"frame indices must be strictly ascending in 0…{t - 1}; index {j} is {frames[j]}", nameof(frames));
        // per target frame: left known column and weight of the right one
        var left = new int[t]; var frac = new float[t];
        for (int f = 0, j = 0; f < t; f++)
        {
            while (j < n - 1 && frames[j + 1] <= f) j++;
            left[f] = j;
            frac[f] = j == n - 1 || f <= frames[j] ? 0f : (float)(f - frames[j]) / (frames[j + 1] - frames[j]);
        }
        var data = new float[t * bins];
        const int Block = 64;
        int blocks = (t + Block - 1) / Block;
        if (scale == SpectrogramScale.Db)
        {
            Parallel.For(0, blocks, blk =>
            {
                for (int f = blk * Block; f < Math.Min(t, blk * Block + Block); f++)
                {
                    int i = left[f]; float w = frac[f];
                    var a = columns.AsSpan(i * bins, bins); var dst = data.AsSpan(f * bins, bins);
                    if (w == 0) { a.CopyTo(dst); continue; }
                    var b = columns.AsSpan((i + 1) * bins, bins);
                    for (int k = 0; k < bins; k++) dst[k] = a[k] + w * (b[k] - a[k]);
                }
            });
            return data;
        }
        if (mode == BetweenColumns.CubicQuarterPower)
        {
            // the cubic runs on power^¼; the data are power (exponent 1) or magnitude (1/2)
            float toCurve = 0.25f / (scale == SpectrogramScale.Power ? 1f : 0.5f), back = 1f / toCurve;
            var curve = new float[columns.Length];
            Parallel.For(0, n, i => { for (int k = i * bins; k < (i + 1) * bins; k++) curve[k] = MathF.Pow(columns[k], toCurve); });
            Parallel.For(0, blocks, blk =>
            {
                for (int f = blk * Block; f < Math.Min(t, blk * Block + Block); f++)
                {
                    int i = left[f]; float w = frac[f];
                    var dst = data.AsSpan(f * bins, bins);
                    if (w == 0) { columns.AsSpan(i * bins, bins).CopyTo(dst); continue; }
                    // Catmull-Rom on the true knot positions (shown frames 2 and 3 apart at 2.02 frames per column):
                    // tangents (p2 − p0)/(t2 − t0) and (p3 − p1)/(t3 − t1) per frame; beyond the ends the line continues
                    float t1 = frames[i], t2 = frames[i + 1], h = t2 - t1;
                    float t0 = i > 0 ? frames[i - 1] : t1 - h, t3 = i + 2 < n ? frames[i + 2] : t2 + h;
                    float w2 = w * w, w3 = w2 * w;
                    float h00 = 2 * w3 - 3 * w2 + 1, h10 = w3 - 2 * w2 + w, h01 = 3 * w2 - 2 * w3, h11 = w3 - w2;
                    var c1 = curve.AsSpan(i * bins, bins); var c2 = curve.AsSpan((i + 1) * bins, bins);
                    var c0 = i > 0 ? curve.AsSpan((i - 1) * bins, bins) : default;
                    var c3 = i + 2 < n ? curve.AsSpan((i + 2) * bins, bins) : default;
                    for (int k = 0; k < bins; k++)
                    {
                        float p1 = c1[k], p2 = c2[k];
                        float p0 = i > 0 ? c0[k] : 2 * p1 - p2, p3 = i + 2 < n ? c3[k] : 2 * p2 - p1;
                        float m1 = h * (p2 - p0) / (t2 - t0), m2 = h * (p3 - p1) / (t3 - t1);
                        float v = h00 * p1 + h10 * m1 + h01 * p2 + h11 * m2;
                        v = Math.Max(0f, v);
                        dst[k] = back == 4f ? v * v * (v * v) : v * v;
                    }
                }
            });
            return data;
        }
        float max = 0;
        foreach (var v in columns) if (v > max) max = v;
        double floor = max * (scale == SpectrogramScale.Power ? 1e-20 : 1e-10); // 200 dB below the maximum
        float logFloor = floor > 0 ? (float)Math.Log(floor) : 0;
        var logs = new float[columns.Length];
        Parallel.For(0, n, i => { for (int k = i * bins; k < (i + 1) * bins; k++) logs[k] = columns[k] > floor ? MathF.Log(columns[k]) : float.NaN; });
        Parallel.For(0, blocks, blk =>
        {
            for (int f = blk * Block; f < Math.Min(t, blk * Block + Block); f++)
            {
                int i = left[f]; float w = frac[f];
                var dst = data.AsSpan(f * bins, bins);
                var la = logs.AsSpan(i * bins, bins);
                if (w == 0)
                {
                    var src = columns.AsSpan(i * bins, bins);
                    for (int k = 0; k < bins; k++) dst[k] = float.IsNaN(la[k]) ? 0f : src[k];   // at or below the floor: 0
                    continue;
                }
                var lb = logs.AsSpan((i + 1) * bins, bins);
                for (int k = 0; k < bins; k++)
                {
                    float a = la[k], b = lb[k];
                    if (float.IsNaN(a) && float.IsNaN(b)) { dst[k] = 0; continue; }
                    if (float.IsNaN(a)) a = logFloor; if (float.IsNaN(b)) b = logFloor;
                    float v = MathF.Exp(a + w * (b - a));
                    dst[k] = v > floor ? v : 0f;
                }
            }
        });
        return data;
    }
}
