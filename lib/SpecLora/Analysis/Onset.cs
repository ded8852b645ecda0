using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// Onset strength and onset detection (librosa 0.10 <c>onset.onset_strength</c>, <c>onset.onset_detect</c>).
/// The envelope is the half-wave rectified spectral flux of a dB spectrogram, averaged over bands, one value per frame;
/// arithmetic is float32 and band sums run in band order, as numpy's axis reduction does.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class Onset
{
    /// <summary>numpy <c>finfo(float32).tiny</c> (librosa <c>util.tiny</c> of a float32 array).</summary>
    internal const float Tiny32 = 1.17549435e-38f;
    /// <summary>numpy <c>finfo(float64).tiny</c>.</summary>
    internal const double Tiny64 = 2.2250738585072014e-308;

    /// <summary>Onset strength of a dB spectrogram (librosa <c>onset_strength(S=S_db)</c>): for each frame t,
    /// aggregate over bands of max(0, S[b, t] − ref[b, t − lag]), shifted right by lag (+ n_fft/(2·hop) when centred)
    /// and cut to the input's frame count. Works on mel or linear dB data; the input is not modified.</summary>
    /// <param name="db">A dB spectrogram, e.g. <c>power_to_db(melspectrogram(y), ref=np.max)</c> or a decoded picture.</param>
    /// <param name="options">librosa defaults when null.</param>
    /// <returns>One value per frame of <paramref name="db"/>.</returns>
    public static float[] Strength(Spectrogram db, OnsetStrengthOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var o = (options ?? new OnsetStrengthOptions()).Validate();
        if (db.Scale != SpectrogramScale.Db) throw new ArgumentException($"onset strength expects a dB spectrogram, got Scale={db.Scale} (use Decibels.PowerToDb first)", nameof(db));
        int bins = db.Bins, frames = db.Frames, lag = o.Lag;
        var s = db.Data;
        float[] reference = o.MaxSize == 1 ? s : MaximumFilterBands(s, bins, frames, o.MaxSize);
        int pad = lag + (o.Center ? db.NFft / (2 * db.HopLength) : 0);
        int fluxFrames = Math.Max(0, frames - lag);
        int total = fluxFrames + pad;
        var env = new float[total];
        if (fluxFrames > 0)
        {
            var outSpan = env.AsSpan(pad, fluxFrames);
            if (o.Aggregate == OnsetAggregate.Mean)
            {
                for (int b = 0; b < bins; b++)
                {
                    var cur = s.AsSpan(b * frames + lag, fluxFrames);
                    var prev = reference.AsSpan(b * frames, fluxFrames);
                    for (int t = 0; t < fluxFrames; t++) outSpan[t] += MathF.Max(0f, cur[t] - prev[t]);
                }
                float n = bins;
                for (int t = 0; t < fluxFrames; t++) outSpan[t] /= n;
            }
            else
            {
                var column = new float[bins];
                for (int t = 0; t < fluxFrames; t++)
                {
                    for (int b = 0; b < bins; b++) column[b] = MathF.Max(0f, s[b * frames + lag + t] - reference[b * frames + t]);
                    outSpan[t] = Median(column);
                }
            }
        }
        if (o.Detrend)
        {
            double yPrev = 0, xPrev = 0;
            for (int t = 0; t < total; t++) { double y = env[t] - xPrev + 0.99 * yPrev; xPrev = env[t]; yPrev = y; env[t] = (float)y; }
        }
        if (o.Center && total > frames) Array.Resize(ref env, frames);
        return env;
    }

    /// <summary>Onset strength from audio (librosa <c>onset_strength(y=y, sr=sr)</c>): the mel power spectrogram
    /// (<paramref name="mel"/>, librosa defaults: 128 bands, fmax sr/2), <c>power_to_db</c> with ref 1, then
    /// <see cref="Strength(Spectrogram, OnsetStrengthOptions?)"/>.</summary>
    public static float[] Strength(AudioClip audio, OnsetStrengthOptions? options = null, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var m = (mel ?? new MelOptions()) with { SampleRate = audio.SampleRate };
        return Strength(Decibels.PowerToDb(MelSpectrogram.Compute(audio, m)), options);
    }

    /// <summary>Onset frames (librosa <c>onset_detect(onset_envelope=env, sr=sr, hop_length=hop)</c>, sparse, in
    /// frames): the envelope is shifted to start at 0 and scaled by its maximum, then <see cref="PeakPick"/> with the
    /// resolved options. An all-zero or non-finite envelope has no onsets.</summary>
    public static int[] Detect(ReadOnlySpan<float> envelope, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength, OnsetDetectOptions? options = null)
    {
        var o = options ?? new OnsetDetectOptions();
        var (preMax, postMax, preAvg, postAvg, wait) = o.Resolve(sampleRate, hopLength);
        if (envelope.Length == 0) return [];
        var x = envelope.ToArray();
        if (o.Normalize)
        {
            float min = float.PositiveInfinity;
            foreach (var v in x) min = MathF.Min(min, v);
            float max = float.NegativeInfinity;
            for (int i = 0; i < x.Length; i++) { x[i] -= min; max = MathF.Max(max, x[i]); }
            float den = max + Tiny32;   // + util.tiny(float32)
            for (int i = 0; i < x.Length; i++) x[i] /= den;
        }
        bool any = false, finite = true;
        foreach (var v in x) { if (v != 0) any = true; if (!float.IsFinite(v)) finite = false; }
        if (!any || !finite) return [];
        return PeakPick(x, preMax, postMax, preAvg, postAvg, o.Delta, wait);
    }

    /// <summary>librosa <c>util.peak_pick</c> (greedy, Böck et al. 2012): n is a peak when
    /// x[n] = max(x[n − pre_max : n + post_max]), x[n] ≥ mean(x[n − pre_avg : n + post_avg]) + delta, and n is more
    /// than <paramref name="wait"/> frames after the previous peak. Windows are cut at the array's ends.</summary>
    public static int[] PeakPick(ReadOnlySpan<float> x, int preMax, int postMax, int preAvg, int postAvg, double delta, int wait)
    {
        int n = x.Length;
        var peaks = new List<int>();
        if (n == 0) return [];
        static float Max(ReadOnlySpan<float> s) { float m = float.NegativeInfinity; foreach (var v in s) if (v > m) m = v; return m; }
        static float Mean(ReadOnlySpan<float> s) { float sum = 0; foreach (var v in s) sum += v; return sum / s.Length; }
        bool first = x[0] >= Max(x[..Math.Min(postMax, n)]) && x[0] >= Mean(x[..Math.Min(postAvg, n)]) + delta;
        int i;
        if (first) { peaks.Add(0); i = wait + 1; } else i = 1;
        while (i < n)
        {
            float maxn = Max(x[Math.Max(0, i - preMax)..Math.Min(i + postMax, n)]);
            if (x[i] != maxn) { i++; continue; }
            float avg = Mean(x[Math.Max(0, i - preAvg)..Math.Min(i + postAvg, n)]);
            if (!(x[i] >= avg + delta)) { i++; continue; }
            peaks.Add(i);
            i += wait + 1;
        }
        return peaks.ToArray();
    }

    /// <summary>scipy <c>ndimage.maximum_filter1d(S, size, axis=-2)</c> (mode reflect, centred) over bands.</summary>
    private static float[] MaximumFilterBands(float[] s, int bins, int frames, int size)
    {
        var r = new float[s.Length];
        int left = size / 2;
        for (int b = 0; b < bins; b++)
        {
            var dst = r.AsSpan(b * frames, frames);
            dst.Fill(float.NegativeInfinity);
            for (int j = 0; j < size; j++)
            {
                int src = Reflect(b - left + j, bins);
                var row = s.AsSpan(src * frames, frames);
                for (int t = 0; t < frames; t++) if (row[t] > dst[t]) dst[t] = row[t];
            }
        }
        return r;
    }

    /// <summary>scipy's "reflect" boundary (d c b a | a b c d | d c b a) for index <paramref name="i"/> in 0…n−1.</summary>
    internal static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }

    /// <summary>numpy median (mean of the two middle values for an even count). Sorts <paramref name="values"/>.</summary>
    internal static float Median(Span<float> values)
    {
        values.Sort();
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2f;
    }
}
