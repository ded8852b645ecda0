using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// The time axis of an image: each pixel column is one point-sampled STFT frame, so C columns are stretched to
/// T frames by interpolating linearly between column centres in the log (dB) domain. Column c sits at frame
/// position (c + 0.5)·T/C − 0.5; frames outside the first and last centre repeat the edge column.
/// </summary>
public static class ColumnUpsampler
{
    /// <summary>Frames for <paramref name="columns"/> columns at <paramref name="framesPerColumn"/> frames each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">framesPerColumn ≤ 0 or columns ≤ 0.</exception>
    public static int FramesFor(int columns, int framesPerColumn)
    {
        if (framesPerColumn <= 0) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"framesPerColumn={framesPerColumn} must be > 0");
        if (columns <= 0) throw new ArgumentOutOfRangeException(nameof(columns), columns, $"columns={columns} must be > 0");
        long t = (long)columns * framesPerColumn;
        if (t > 50_000_000) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"framesPerColumn={framesPerColumn} gives {t} frames; at most 50 000 000");
        return (int)t;
    }

    /// <summary>Frames of a centred STFT of <paramref name="durationSeconds"/> of audio: 1 + round(duration·sr/hop).</summary>
    /// <exception cref="ArgumentOutOfRangeException">duration ≤ 0, not finite, or longer than 24 h.</exception>
    public static int FramesForDuration(double durationSeconds, int sampleRate = 22050, int hopLength = 512)
    {
        if (!(durationSeconds > 0) || !double.IsFinite(durationSeconds) || durationSeconds > 86400)
            throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, $"durationSeconds={durationSeconds} must be > 0 and ≤ 86400");
        return 1 + (int)Math.Round(durationSeconds * sampleRate / hopLength);
    }

    /// <summary>Resamples the frames of <paramref name="s"/> to <paramref name="targetFrames"/>. dB data is interpolated
    /// linearly; power and magnitude data linearly in their logarithm (floored 200 dB below the maximum, so zeros stay
    /// finite and come back as zeros). The input is not modified; the same instance is returned when T is unchanged.</summary>
    public static Spectrogram Upsample(Spectrogram s, int targetFrames)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (targetFrames <= 0) throw new ArgumentOutOfRangeException(nameof(targetFrames), targetFrames, $"targetFrames={targetFrames} must be > 0");
        if (targetFrames == s.Frames) return s;
        int c = s.Frames, bins = s.Bins, t = targetFrames;
        var pos0 = new int[t]; var frac = new float[t];
        for (int f = 0; f < t; f++)
        {
            double u = (f + 0.5) * c / t - 0.5;
            u = Math.Clamp(u, 0, c - 1);
            int i = Math.Min((int)Math.Floor(u), Math.Max(0, c - 2));
            pos0[f] = i; frac[f] = c == 1 ? 0f : (float)(u - i);
        }
        bool log = s.Scale != SpectrogramScale.Db;
        float max = 0;
        if (log) foreach (var v in s.Data) if (v > max) max = v;
        double floor = max * (s.Scale == SpectrogramScale.Power ? 1e-20 : 1e-10); // 200 dB below the maximum
        var data = new float[bins * t];
        Parallel.For(0, bins, new ParallelOptions(), () => new float[c], (k, _, row) =>
        {
            var src = s.Data.AsSpan(k * c, c);
            if (log) for (int i = 0; i < c; i++) row[i] = src[i] > floor ? MathF.Log(src[i]) : float.NaN;
            else src.CopyTo(row);
            var dst = data.AsSpan(k * t, t);
            float logFloor = floor > 0 ? (float)Math.Log(floor) : 0;
            for (int f = 0; f < t; f++)
            {
                int i = pos0[f];
                float a = row[i], b = c > 1 ? row[i + 1] : a, w = frac[f];
                if (!log) { dst[f] = a + w * (b - a); continue; }
                if (float.IsNaN(a) && float.IsNaN(b)) { dst[f] = 0; continue; }
                if (float.IsNaN(a)) a = logFloor; if (float.IsNaN(b)) b = logFloor;
                float v = MathF.Exp(a + w * (b - a));
                dst[f] = v > floor ? v : 0f;
            }
            return row;
        }, _ => { });
        return s with { Data = data, Frames = t };
    }
}
