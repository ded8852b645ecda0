using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// The time axis of a picture. One rule everywhere: a duration d is librosa's frame count for a clip of round(d·sr)
/// samples, 1 + ⌊round(d·sr)/hop⌋ (<see cref="FramesForDuration"/>); pixel column c of a W-column picture of T frames
/// shows frame ⌊(c + 0.5)·T/W⌋ (<see cref="SpectrogramImageDecoder.ColumnFrames"/>). Columns that show one frame are
/// averaged; frames no column shows are interpolated between the frames shown (<see cref="Place"/>: by the
/// inversion's <see cref="BetweenColumns"/> mode for power and magnitude data, linear in dB for dB data), and frames
/// before the first / after the last shown repeat it.
/// </summary>
public static class ColumnUpsampler
{
    /// <summary>Largest frame count any inversion accepts (about 17 min of audio at the defaults is the memory limit;
    /// see <see cref="MelInverter.MaxCoefficients"/>).</summary>
    public const int MaxFrames = 50_000_000;

    /// <summary>Frames for <paramref name="columns"/> columns at <paramref name="framesPerColumn"/> frames each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">framesPerColumn ≤ 0, columns ≤ 0, or too many frames.</exception>
    public static int FramesFor(int columns, int framesPerColumn)
    {
        if (framesPerColumn <= 0) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"framesPerColumn={framesPerColumn} must be > 0");
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns={columns} must be > 0");
        long t = (long)columns * framesPerColumn;
        if (t > MaxFrames) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"framesPerColumn={framesPerColumn} gives {t} frames; at most {MaxFrames}");
        return (int)t;
    }

    /// <summary>librosa's frame count for <paramref name="durationSeconds"/> of audio: a centred STFT of
    /// n = round(d·sr) samples has 1 + ⌊n/hop⌋ frames (30 s at 22050 Hz, hop 512 → 1292).</summary>
    /// <exception cref="ArgumentOutOfRangeException">duration ≤ 0, not finite, or longer than 24 h.</exception>
    public static int FramesForDuration(double durationSeconds, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength)
    {
        if (!(durationSeconds > 0) || !double.IsFinite(durationSeconds) || durationSeconds > 86400)
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, $"durationSeconds={durationSeconds} must be > 0 and ≤ 86400");
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate={sampleRate} must be > 0");
        if (hopLength <= 0) throw new ArgumentOutOfRangeException(nameof(hopLength), hopLength, $"hopLength={hopLength} must be > 0");
        long n = (long)Math.Round(durationSeconds * sampleRate);
        return (int)Math.Min(int.MaxValue, 1 + n / hopLength);
    }

    /// <summary>Resamples the C columns of <paramref name="s"/> to <paramref name="targetFrames"/> frames by the picture rule:
    /// column c is frame ⌊(c + 0.5)·T/C⌋. The input is not modified; the same instance is returned when T = C.</summary>
    public static Spectrogram Upsample(Spectrogram s, int targetFrames)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (targetFrames <= 0) throw new ArgumentOutOfRangeException(nameof(targetFrames), targetFrames, $"targetFrames={targetFrames} must be > 0");
        if (targetFrames == s.Frames) return s;
        var (columns, frames) = Collapse(s, SpectrogramImageDecoder.ColumnFrames(s.Frames, targetFrames));
        return Place(columns, frames, targetFrames);
    }

    /// <summary>Columns that show one frame (<paramref name="columnFrames"/>, non-decreasing) averaged into one: returns
    /// one column per distinct frame and the frame of each. Returns <paramref name="s"/> itself when all are distinct.</summary>
    internal static (Spectrogram Columns, int[] Frames) Collapse(Spectrogram s, int[] columnFrames)
    {
        if (columnFrames.Length != s.Frames) throw new ArgumentException($"{columnFrames.Length} frame indices for {s.Frames} columns", nameof(columnFrames));
        int w = s.Frames, bins = s.Bins;
        int n = 0;
        for (int c = 0; c < w; c++)
        {
            if (c > 0 && columnFrames[c] < columnFrames[c - 1]) throw new ArgumentException("column frames must be non-decreasing", nameof(columnFrames));
            if (c == 0 || columnFrames[c] != columnFrames[c - 1]) n++;
        }
        if (n == w) return (s, columnFrames);
        var frames = new int[n]; var start = new int[n + 1];
        for (int c = 0, j = -1; c < w; c++)
            if (c == 0 || columnFrames[c] != columnFrames[c - 1]) { frames[++j] = columnFrames[c]; start[j] = c; }
        start[n] = w;
        var data = new float[bins * n];
        for (int b = 0; b < bins; b++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int c = start[j]; c < start[j + 1]; c++) sum += s.Data[b * w + c];
                data[b * n + j] = (float)(sum / (start[j + 1] - start[j]));
            }
        return (s with { Data = data, Frames = n }, frames);
    }

    /// <summary>Columns known to show frames <paramref name="frames"/> (strictly ascending) → [bins × <paramref name="totalFrames"/>]:
    /// the known frames as given, the frames between filled in by <paramref name="mode"/>, held constant beyond the first
    /// and last. dB data are always interpolated linearly in dB. For power and magnitude data: <see cref="BetweenColumns.LogLinear"/>
    /// = linear in the logarithm (floored 200 dB below the maximum so that zeros stay finite and come back as zeros);
    /// <see cref="BetweenColumns.OnsetAware"/> = a level that rises from one shown frame to the next linearly in power (the
    /// window slides onto a new sound, so its energy grows with the overlap), a falling one linearly in dB (a decay);
    /// <see cref="BetweenColumns.LinearPower"/> = linear in power; <see cref="BetweenColumns.CubicQuarterPower"/> and
    /// <see cref="BetweenColumns.CubicAmplitude"/> = a Catmull-Rom cubic through the four nearest shown frames on power^¼ or
    /// on the amplitude √power, on the true positions of the shown frames (for the first and last gap, the tangent of the
    /// line through its two ends), clipped at 0. <see cref="BetweenColumns.MelDb"/> places like LogLinear.</summary>
    internal static Spectrogram Place(Spectrogram columns, int[] frames, int totalFrames, BetweenColumns mode = BetweenColumns.LogLinear)
    {
        if (frames.Length != columns.Frames) throw new ArgumentException($"{frames.Length} frame indices for {columns.Frames} columns", nameof(frames));
        if (totalFrames < 1) throw new ArgumentOutOfRangeException(nameof(totalFrames), totalFrames, $"totalFrames={totalFrames} must be ≥ 1");
        int bins = columns.Bins, n = frames.Length, t = totalFrames;
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
        bool log = columns.Scale != SpectrogramScale.Db;
        if (!log) mode = BetweenColumns.LogLinear;
        float p = columns.Scale == SpectrogramScale.Magnitude ? 2f : 1f; // exponent from the data to power
        var data = new float[bins * t];
        if (mode is BetweenColumns.CubicAmplitude or BetweenColumns.CubicQuarterPower)
        {
            // the cubic runs on power^γ: γ = 1/2 (amplitude) or 1/4; the data are power (exponent 1) or magnitude (1/2)
            float gamma = mode == BetweenColumns.CubicAmplitude ? 0.5f : 0.25f;
            float toCurve = gamma / (columns.Scale == SpectrogramScale.Power ? 1f : 0.5f), back = 1f / toCurve;
            Parallel.For(0, bins, () => new float[n], (k, _, amp) =>
            {
                var src = columns.Data.AsSpan(k * n, n);
                for (int i = 0; i < n; i++) amp[i] = toCurve == 1f ? src[i] : MathF.Pow(src[i], toCurve);
                var dst = data.AsSpan(k * t, t);
                for (int f = 0; f < t; f++)
                {
                    int i = left[f]; float w = frac[f];
                    if (w == 0) { dst[f] = src[i]; continue; }
                    // Catmull-Rom on the true knot positions (shown frames 2 and 3 apart at 2.02 frames per column):
                    // tangents (p2 − p0)/(t2 − t0) and (p3 − p1)/(t3 − t1) per frame; beyond the ends the line continues
                    float p1 = amp[i], p2 = amp[i + 1];
                    float t1 = frames[i], t2 = frames[i + 1], h = t2 - t1;
                    float p0 = i > 0 ? amp[i - 1] : 2 * p1 - p2, p3 = i + 2 < n ? amp[i + 2] : 2 * p2 - p1;
                    float t0 = i > 0 ? frames[i - 1] : t1 - h, t3 = i + 2 < n ? frames[i + 2] : t2 + h;
                    float m1 = h * (p2 - p0) / (t2 - t0), m2 = h * (p3 - p1) / (t3 - t1);
                    float w2 = w * w, w3 = w2 * w;
                    float v = (2 * w3 - 3 * w2 + 1) * p1 + (w3 - 2 * w2 + w) * m1 + (3 * w2 - 2 * w3) * p2 + (w3 - w2) * m2;
                    v = Math.Max(0f, v);
                    dst[f] = back == 1f ? v : back == 2f ? v * v : back == 4f ? v * v * (v * v) : MathF.Pow(v, back);
                }
                return amp;
            }, _ => { });
            return columns with { Data = data, Frames = t };
        }
        bool onsetAware = mode == BetweenColumns.OnsetAware, linearPower = mode == BetweenColumns.LinearPower;
        float max = 0;
        if (log) foreach (var v in columns.Data) if (v > max) max = v;
        double floor = max * (columns.Scale == SpectrogramScale.Power ? 1e-20 : 1e-10); // 200 dB below the maximum
        float logFloor = floor > 0 ? (float)Math.Log(floor) : 0;
        Parallel.For(0, bins, () => new float[n], (k, _, row) =>
        {
            var src = columns.Data.AsSpan(k * n, n);
            if (log) for (int i = 0; i < n; i++) row[i] = src[i] > floor ? MathF.Log(src[i]) : float.NaN;
            else src.CopyTo(row);
            var dst = data.AsSpan(k * t, t);
            for (int f = 0; f < t; f++)
            {
                int i = left[f]; float w = frac[f];
                if (!log) { float a0 = row[i]; dst[f] = w == 0 ? a0 : a0 + w * (row[i + 1] - a0); continue; }
                float a = row[i], b = w == 0 ? a : row[i + 1];
                if (float.IsNaN(a) && float.IsNaN(b)) { dst[f] = 0; continue; }
                if (w == 0) { dst[f] = src[i]; continue; }
                if (float.IsNaN(a)) a = logFloor; if (float.IsNaN(b)) b = logFloor;
                if ((onsetAware && b > a) || linearPower)
                {
                    float pa = MathF.Exp(p * a), pb = MathF.Exp(p * b); // power
                    dst[f] = MathF.Pow(pa + w * (pb - pa), 1f / p);
                    continue;
                }
                float v = MathF.Exp(a + w * (b - a));
                dst[f] = v > floor ? v : 0f;
            }
            return row;
        }, _ => { });
        return columns with { Data = data, Frames = t };
    }
}
