using System.Runtime.CompilerServices;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="Pghi"/>. Defaults follow Průša et al. / ltfat <c>pghi</c>.</summary>
public sealed record PghiOptions
{
    /// <summary>First-pass tolerance: coefficients below Tol1·max are left for the second pass. Default 0.1.</summary>
    public double Tolerance1 { get; init; } = 0.1;
    /// <summary>Second-pass tolerance: coefficients below Tol2·max get a random phase. Default 1e-10.</summary>
    public double Tolerance2 { get; init; } = 1e-10;
    /// <summary>Gaussian-equivalent γ of the window; null = 0.25645·winLength² (Hann, ltfat <c>pghi_findgamma</c>).</summary>
    public double? Gamma { get; init; }
    /// <summary>Seed for the phase of coefficients below <see cref="Tolerance2"/>. Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT settings the magnitude came from (librosa defaults).</summary>
    public StftOptions Stft { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> quoting the first bad value.</summary>
    public PghiOptions Validate()
    {
        if (!(Tolerance1 > 0 && Tolerance1 < 1)) throw new ArgumentOutOfRangeException(nameof(Tolerance1), Tolerance1, $"Tolerance1={Tolerance1} must be in (0, 1)");
        if (!(Tolerance2 > 0 && Tolerance2 <= Tolerance1)) throw new ArgumentOutOfRangeException(nameof(Tolerance2), Tolerance2, $"Tolerance2={Tolerance2} must be in (0, Tolerance1={Tolerance1}]");
        if (Gamma is { } g && !(g > 0)) throw new ArgumentOutOfRangeException(nameof(Gamma), g, $"Gamma={g} must be > 0");
        Stft.Validate();
        return this;
    }
}

/// <summary>
/// Phase Gradient Heap Integration (Průša, Balazs, Søndergaard, IEEE/ACM TASLP 25(5), 2017; ltfat/phaseret
/// <c>pghi.c</c>, <c>heapint.c</c>): phase derivatives from the log-magnitude of a Gaussian-equivalent window,
/// integrated by the trapezoid rule from the largest coefficients down (two passes, tol 0.1 then 1e-10), then
/// shifted by πm to librosa's frame-start phase convention. The "heap" is a bucket queue on quantised log-magnitude
/// (65 536 levels over the 1e-10 range, ≈ 3.5e-4 nepers each), so each coefficient costs O(1).
/// </summary>
public static class Pghi
{
    private const int Levels = 1 << 16;

    /// <summary>Estimates the phase (radians, in [−π, π], bin-major like the input) of a linear magnitude spectrogram.
    /// Deterministic for a given <see cref="PghiOptions.Seed"/>.</summary>
    public static float[] EstimatePhase(Spectrogram magnitude, PghiOptions? options = null)
    {
        var o = (options ?? new PghiOptions()).Validate();
        var engine = new StftEngine(o.Stft);
        PhaseIteration.CheckMagnitude(magnitude, engine, nameof(magnitude));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        var phase = Estimate(mag, magnitude.Frames, engine.Bins, engine.NFft, engine.Hop, o);
        return PhaseIteration.ToBinMajor(phase, magnitude.Bins, magnitude.Frames);
    }

    /// <summary>Frame-major core: <paramref name="mag"/> [frames × bins] → phase [frames × bins].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float[] Estimate(float[] mag, int frames, int bins, int nFft, int hop, PghiOptions o)
    {
        int total = frames * bins;
        double gamma = o.Gamma ?? 0.25645 * (double)o.Stft.EffectiveWinLength * o.Stft.EffectiveWinLength;
        float max = 0;
        foreach (var v in mag) if (v > max) max = v;
        var phase = new float[total];
        if (!(max > 0)) return phase;

        // log-magnitude in double (log(0) guarded), stored as float: |s| ≤ ~100, float is ample.
        var s = new float[total];
        double floorLog = Math.Log(max * o.Tolerance2 * 1e-3);
        Parallel.For(0, (total + 65535) / 65536, b =>
        {
            int i0 = b * 65536, i1 = Math.Min(total, i0 + 65536);
            for (int i = i0; i < i1; i++) s[i] = mag[i] > 0 ? (float)Math.Max(Math.Log(mag[i]), floorLog) : (float)floorLog;
        });

        // Phase derivatives. tg: time direction (rad per hop), carrier added below; fg: frequency direction (rad per bin).
        var tg = new float[total];
        var fg = new float[total];
        double tMul = hop * (double)nFft / (2 * gamma), fMul = -gamma / (2.0 * hop * nFft);
        Parallel.For(0, frames, t =>
        {
            int row = t * bins;
            for (int m = 1; m < bins - 1; m++) tg[row + m] = (float)(tMul * (s[row + m + 1] - s[row + m - 1]));
            int prev = Math.Max(t - 1, 0) * bins, next = Math.Min(t + 1, frames - 1) * bins;
            // centred difference s[t+1] − s[t−1] (ltfat); one-sided at the ends, scaled to the same step
            double scale = fMul * (2.0 / Math.Max(1, Math.Min(t + 1, frames - 1) - Math.Max(t - 1, 0)));
            for (int m = 0; m < bins; m++) fg[row + m] = (float)(scale * (s[next + m] - s[prev + m]));
        });
        // Fold the carrier 2πam/N (wrapped to one representative per bin) into tg: both ends of a time step share it,
        // so ½(tg[i] + tg[j]) still equals carrier + ½(dev_i + dev_j) exactly.
        Parallel.For(0, frames, t =>
        {
            int row = t * bins;
            for (int m = 1; m < bins - 1; m++) tg[row + m] = (float)(tg[row + m] + Wrap(2 * Math.PI * hop * m / nFft));
        });

        // state: 0 unknown (to integrate this pass), 1 done, 2 not yet eligible
        var state = new byte[total];
        double logMax = Math.Log(max), logLow = Math.Log(max * o.Tolerance2);
        double q = (Levels - 1) / (logMax - logLow);
        var key = new int[total];
        Parallel.For(0, (total + 65535) / 65536, b =>
        {
            int i0 = b * 65536, i1 = Math.Min(total, i0 + 65536);
            for (int i = i0; i < i1; i++) key[i] = (int)Math.Clamp((s[i] - logLow) * q, 0, Levels - 1);
        });
        var queue = new BucketQueue(total, Levels, key);

        float tol1 = (float)(max * o.Tolerance1), tol2 = (float)(max * o.Tolerance2);
        for (int i = 0; i < total; i++) state[i] = mag[i] > tol1 ? (byte)0 : (byte)2;
        Integrate(queue, state, phase, tg, fg, frames, bins, SortedUnknown(state, key, total));

        // second pass: admit everything above tol2, seed from the border of the done region
        for (int i = 0; i < total; i++) if (state[i] == 2 && mag[i] > tol2) state[i] = 0;
        for (int i = 0; i < total; i++)
            if (state[i] == 1 && HasUnknownNeighbour(state, i, frames, bins)) queue.Push(i);
        Drain(queue, state, phase, tg, fg, frames, bins);
        Integrate(queue, state, phase, tg, fg, frames, bins, SortedUnknown(state, key, total));

        // leftovers (below tol2): random phase; then librosa's frame-start convention: + πm.
        var rng = new Random(o.Seed);
        for (int i = 0; i < total; i++)
            if (state[i] != 1) phase[i] = (float)(Math.PI * (2 * rng.NextDouble() - 1));
        Parallel.For(0, frames, t =>
        {
            int row = t * bins;
            for (int m = 1; m < bins; m += 2) phase[row + m] = (float)Wrap(phase[row + m] + Math.PI);
        });
        return phase;
    }

    private static double Wrap(double x) => x - 2 * Math.PI * Math.Round(x / (2 * Math.PI));

    private static bool HasUnknownNeighbour(byte[] state, int i, int frames, int bins)
    {
        int m = i % bins, t = i / bins;
        return (m > 0 && state[i - 1] == 0) || (m < bins - 1 && state[i + 1] == 0)
            || (t > 0 && state[i - bins] == 0) || (t < frames - 1 && state[i + bins] == 0);
    }

    /// <summary>Indices with state 0, largest key first (counting sort on the quantised key).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] SortedUnknown(byte[] state, int[] key, int total)
    {
        var counts = new int[Levels + 1];
        int n = 0;
        for (int i = 0; i < total; i++) if (state[i] == 0) { counts[Levels - 1 - key[i] + 1]++; n++; }
        for (int l = 1; l <= Levels; l++) counts[l] += counts[l - 1];
        var order = new int[n];
        for (int i = 0; i < total; i++) if (state[i] == 0) order[counts[Levels - 1 - key[i]]++] = i;
        return order;
    }

    private static void Integrate(BucketQueue queue, byte[] state, float[] phase, float[] tg, float[] fg,
        int frames, int bins, int[] order)
    {
        foreach (int start in order)
        {
            if (state[start] != 0) continue;
            state[start] = 1; phase[start] = 0;
            queue.Push(start);
            Drain(queue, state, phase, tg, fg, frames, bins);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Drain(BucketQueue queue, byte[] state, float[] phase, float[] tg, float[] fg,
        int frames, int bins)
    {
        while (queue.TryPop(out int i))
        {
            int m = i % bins, t = i / bins;
            double ph = phase[i];
            double wHere = tg[i], fHere = fg[i];
            if (t < frames - 1) Visit(i + bins, ph + 0.5 * (wHere + tg[i + bins]));
            if (t > 0) Visit(i - bins, ph - 0.5 * (wHere + tg[i - bins]));
            if (m < bins - 1) Visit(i + 1, ph + 0.5 * (fHere + fg[i + 1]));
            if (m > 0) Visit(i - 1, ph - 0.5 * (fHere + fg[i - 1]));
        }

        void Visit(int j, double value)
        {
            if (state[j] != 0) return;
            state[j] = 1;
            phase[j] = (float)Wrap(value);
            queue.Push(j);
        }
    }

    /// <summary>Max-priority bucket queue with intrusive LIFO lists (each index is pushed at most once per drain).</summary>
    private sealed class BucketQueue
    {
        private readonly int[] _head, _next, _key;
        private int _top = -1, _count;

        public BucketQueue(int total, int levels, int[] key)
        {
            _head = new int[levels]; Array.Fill(_head, -1);
            _next = new int[total]; _key = key;
        }

        public void Push(int i)
        {
            int b = _key[i];
            _next[i] = _head[b]; _head[b] = i;
            if (b > _top) _top = b;
            _count++;
        }

        public bool TryPop(out int i)
        {
            if (_count == 0) { i = -1; _top = -1; return false; }
            while (_head[_top] < 0) _top--;
            i = _head[_top]; _head[_top] = _next[i];
            _count--;
            return true;
        }
    }
}
