namespace SpecLora.Analysis;

/// <summary>The result of <see cref="BeatTracker.Track"/>: the tempo used and the beat frames.</summary>
/// <param name="TempoBpm">Tempo in BPM (estimated unless given); 0 when the envelope is all zero.</param>
/// <param name="BeatFrames">Frame index of each beat, ascending.</param>
public sealed record BeatTrack(double TempoBpm, int[] BeatFrames);

/// <summary>
/// Dynamic-programming beat tracker (Ellis 2007, "Beat tracking by dynamic programming", J. New Music Res. 36(1)),
/// exactly as librosa 0.10 <c>beat.beat_track(onset_envelope=…)</c>: the envelope scaled by its standard deviation,
/// smoothed by a Gaussian of ±1 beat (the local score), a cumulative score that rewards beats one period apart
/// (penalty tightness·(log(Δ/period))²), the last beat chosen among local maxima of the cumulative score above half
/// their median, backtracked, and weak leading/trailing beats trimmed. Arrays are float32 like librosa's, including
/// its same-mode convolution (which never reads envelope frame 0) and its trimming threshold.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class BeatTracker
{
    /// <summary>Tracks beats in <paramref name="envelope"/> (one value per frame at sr/hop frames per second).</summary>
    public static BeatTrack Track(ReadOnlySpan<float> envelope, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength, BeatTrackOptions? options = null)
    {
        var o = (options ?? new BeatTrackOptions()).Validate();
        bool any = false;
        foreach (var v in envelope) if (v != 0) { any = true; break; }
        if (!any) return new BeatTrack(0, []);
        double bpm = o.Bpm ?? Rhythm.Tempo(envelope, sampleRate, hopLength, o.Tempo);
        double frameRate = (double)sampleRate / hopLength;
        float fpb = (float)Math.Round(frameRate * 60.0 / bpm, MidpointRounding.ToEven);
        var local = LocalScore(NormalizeOnsets(envelope), fpb);
        var (backlink, cumscore) = Dp(local, fpb, (float)o.Tightness);
        int tail = LastBeat(cumscore);
        var beats = new bool[envelope.Length];
        for (int n = tail; n >= 0; n = backlink[n]) beats[n] = true;
        TrimBeats(local, beats, o.Trim);
        var frames = new List<int>();
        for (int i = 0; i < beats.Length; i++) if (beats[i]) frames.Add(i);
        return new BeatTrack(bpm, frames.ToArray());
    }

    /// <summary>onsets / (std(onsets, ddof=1) + tiny), float32.</summary>
    private static float[] NormalizeOnsets(ReadOnlySpan<float> onsets)
    {
        int n = onsets.Length;
        double mean = 0;
        foreach (var v in onsets) mean += v;
        mean /= n;
        double ss = 0;
        foreach (var v in onsets) { double d = v - mean; ss += d * d; }
        float std = n > 1 ? (float)Math.Sqrt(ss / (n - 1)) : float.NaN;
        float den = std + Onset.Tiny32;
        var r = new float[n];
        for (int i = 0; i < n; i++) r[i] = onsets[i] / den;
        return r;
    }

    /// <summary>librosa's <c>__beat_local_score</c> (static tempo): Σ_k window[k]·onset[i + K/2 − k] over
    /// k in [max(0, i + K/2 − N + 1), min(i + K/2, K)), window = exp(−½(32·j/fpb)²), j = −fpb…fpb.</summary>
    private static float[] LocalScore(float[] onset, float fpb)
    {
        int n = onset.Length, half = (int)fpb, kLen = 2 * half + 1;
        var window = new double[kLen];
        for (int j = 0; j < kLen; j++) { double x = (j - fpb) * 32.0 / fpb; window[j] = Math.Exp(-0.5 * x * x); }
        var score = new float[n];
        int k2 = kLen / 2;
        for (int i = 0; i < n; i++)
        {
            float acc = 0f;
            int k0 = Math.Max(0, i + k2 - n + 1), k1 = Math.Min(i + k2, kLen);
            for (int k = k0; k < k1; k++) acc = (float)(acc + window[k] * onset[i + k2 - k]);
            score[i] = acc;
        }
        return score;
    }

    /// <summary>librosa's <c>__beat_track_dp</c>: backlinks and cumulative score (float32).</summary>
    private static (int[] Backlink, float[] Cumscore) Dp(float[] local, float fpb, float tightness)
    {
        int n = local.Length;
        var backlink = new int[n];
        var cum = new float[n];
        float max = float.NegativeInfinity;
        foreach (var v in local) max = MathF.Max(max, v);
        float thresh = 0.01f * max;
        bool firstBeat = true;
        int start = (int)Math.Round(fpb / 2.0, MidpointRounding.ToEven), stop = (int)(2 * fpb);   // loc ∈ [i − 2·fpb, i − round(fpb/2)]
        double logFpb = MathF.Log(fpb);   // numba: np.log of a float32 is float32
        for (int i = 0; i < n; i++)
        {
            double best = double.NegativeInfinity;
            int beatLocation = -1;
            for (int loc = i - start; loc >= i - stop; loc--)
            {
                if (loc < 0) break;
                double d = Math.Log(i - loc) - logFpb;
                double score = cum[loc] - tightness * d * d;
                if (score > best) { best = score; beatLocation = loc; }
            }
            cum[i] = beatLocation >= 0 ? (float)(local[i] + best) : local[i];
            if (firstBeat && local[i] < thresh) backlink[i] = -1;
            else { backlink[i] = beatLocation; firstBeat = false; }
        }
        return (backlink, cum);
    }

    /// <summary>librosa's <c>__last_beat</c>: the last local maximum of the cumulative score that reaches half the
    /// median of all its local maxima (the last frame when there is none).</summary>
    private static int LastBeat(float[] cum)
    {
        var isMax = LocalMax(cum);
        var values = new List<float>();
        for (int i = 0; i < cum.Length; i++) if (isMax[i]) values.Add(cum[i]);
        if (values.Count == 0) return cum.Length - 1;
        var arr = values.ToArray();
        Array.Sort(arr);
        int m = arr.Length;
        float median = m % 2 == 1 ? arr[m / 2] : (arr[m / 2 - 1] + arr[m / 2]) / 2f;   // np.ma.median of float32
        float threshold = (float)(0.5 * median);
        for (int n = cum.Length - 1; n >= 0; n--) if (isMax[n] && cum[n] >= threshold) return n;
        return cum.Length - 1;
    }

    /// <summary>librosa <c>util.localmax</c> along a vector: x[i] &gt; x[i−1] and x[i] ≥ x[i+1]; the first element is
    /// never a maximum (numba stencil border), the last is one when it exceeds its neighbour.</summary>
    public static bool[] LocalMax(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        var r = new bool[n];
        for (int i = 1; i < n - 1; i++) r[i] = x[i] > x[i - 1] && x[i] >= x[i + 1];
        if (n >= 2) r[n - 1] = x[n - 1] > x[n - 2];
        return r;
    }

    /// <summary>librosa's <c>__trim_beats</c>: threshold ½·RMS of the beats' local scores smoothed by hanning(5)
    /// (its slice of the full convolution, nb + 2 values), then frames from each end are cleared while their local
    /// score is ≤ the threshold.</summary>
    private static void TrimBeats(float[] local, bool[] beats, bool trim)
    {
        int n = local.Length;
        double threshold = 0;
        if (trim)
        {
            var x = new List<double>();
            for (int i = 0; i < n; i++) if (beats[i]) x.Add(local[i]);
            int nb = x.Count;
            double[] w = [0.0, 0.5, 1.0, 0.5, 0.0];   // np.hanning(5)
            int full = nb + w.Length - 1;
            int from = w.Length / 2, to = Math.Min(n + w.Length / 2, full);
            double ss = 0; int count = 0;
            for (int m = from; m < to; m++)
            {
                double c = 0;
                for (int j = 0; j < w.Length; j++) { int idx = m - j; if (idx >= 0 && idx < nb) c += w[j] * x[idx]; }
                ss += c * c; count++;
            }
            threshold = count > 0 ? 0.5 * Math.Sqrt(ss / count) : 0;
        }
        for (int i = 0; i < n && local[i] <= threshold; i++) beats[i] = false;
        for (int i = n - 1; i >= 0 && local[i] <= threshold; i--) beats[i] = false;
    }
}
