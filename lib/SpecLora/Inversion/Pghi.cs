using System.Runtime.CompilerServices;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>Settings of <see cref="Pghi"/>. Defaults follow Průša et al. / ltfat <c>pghi</c>.</summary>
public sealed record PghiOptions
{
    /// <summary>First-pass tolerance: coefficients below Tol1·max are left for the second pass. Default 0.01 (ltfat uses
    /// 0.1; on true piano magnitudes 0.01 measured 0.2–0.4 dB better SC for PGHI alone, no worse from mel; 1e-3 adds
    /// ≤ 0.03 dB but is ≈ 40 % slower).</summary>
    public double Tolerance1 { get; init; } = 0.01;
    /// <summary>Second-pass tolerance: coefficients below Tol2·max get a random phase. Default 1e-10.</summary>
    public double Tolerance2 { get; init; } = 1e-10;
    /// <summary>Gaussian-equivalent γ of the window; null = 0.25645·winLength² (Hann, ltfat <c>pghi_findgamma</c>).</summary>
    public double? Gamma { get; init; }
    /// <summary>true (default): map the centred log-magnitude differences to phase steps through the exact Hann main lobe
    /// (frequency) and Hann window shape (time), tabulated once; their linearisation at 0 is the Gaussian model, which
    /// false uses throughout (ltfat). Measured 0.1–0.4 dB better SC for PGHI alone on true magnitudes, 0.2–0.5 dB from mel.
    /// Ignored when <see cref="Gamma"/> is set.</summary>
    public bool HannGradients { get; init; } = true;
    /// <summary>Seed for the phase of coefficients below <see cref="Tolerance2"/>. Default 0.</summary>
    public int Seed { get; init; }
    /// <summary>STFT settings the magnitude came from (librosa defaults).</summary>
    public StftOptions Stft { get; init; } = new();
    /// <summary>The heap integration runs in ⌊T/BlockFrames⌋ independent blocks of whole frames, in parallel (at least one);
    /// each block starts its own phase at its largest coefficient and is then rotated, per bin, by the magnitude-weighted
    /// mean mismatch over ±4 bins at its first frame, to meet the block before it (what is left at a boundary, e.g. where an
    /// onset or a glide crosses it, the FGLA iterations that follow smooth). The count depends on T only, so results do not depend on the machine.
    /// Default 512 (≈ 12 s at hop 512): a 30-s clip in 2 blocks.</summary>
    public int BlockFrames { get; init; } = 512;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every bad value, quoted.</summary>
    public PghiOptions Validate()
    {
        var p = new IO.Problems();
        p.Check(!(Tolerance1 > 0 && Tolerance1 < 1), $"Tolerance1={Tolerance1} must be in (0, 1)");
        p.Check(!(Tolerance2 > 0 && Tolerance2 <= Tolerance1), $"Tolerance2={Tolerance2} must be in (0, Tolerance1={Tolerance1}]");
        p.Check(BlockFrames < 1, $"BlockFrames={BlockFrames} must be ≥ 1");
        p.Check(Gamma is { } g && !(g > 0), $"Gamma={Gamma} must be > 0");
        p.Nested(Stft, nameof(Stft), () => Stft.Validate());
        p.ThrowIfAny("Invalid PGHI options");
        return this;
    }
}

/// <summary>
/// Phase Gradient Heap Integration (Průša, Balazs, Søndergaard, IEEE/ACM TASLP 25(5), 2017; ltfat/phaseret
/// <c>pghi.c</c>, <c>heapint.c</c>): phase derivatives from centred differences of the log-magnitude (ltfat's
/// ω = aN/(2γ)·Δₘs + 2πam/N rad per hop, τ = −γ/(2aN)·Δₙs rad per bin, γ = 0.25645·winLength²; by default mapped
/// through the exact Hann lobe instead of that Gaussian line, see <see cref="PghiOptions.HannGradients"/>), integrated
/// by the trapezoid rule from the largest coefficients down (two passes, tol 0.01 then 1e-10), then shifted by πm to
/// librosa's frame-start phase convention (a per-bin constant, so it fixes both directions at once). The "heap" is a bucket queue on quantised log-magnitude
/// (65 536 levels over the 1e-10 range, ≈ 3.5e-4 nepers each), so each coefficient costs O(1).
/// </summary>
public static class Pghi
{
    private const int Levels = 1 << 16;
    /// <summary>Half-width in bins of the neighbourhood whose mean rotation joins a block to the one before it (a
    /// partial's main lobe is 4 bins wide at n_fft = win).</summary>
    private const int JoinBins = 4;

    /// <summary>Estimates the phase (radians, in [−π, π], bin-major like the input) of a linear magnitude spectrogram.
    /// Deterministic for a given <see cref="PghiOptions.Seed"/>.</summary>
    public static float[] EstimatePhase(Spectrogram magnitude, PghiOptions? options = null)
    {
        var o = (options ?? new PghiOptions()).Validate();
        var plan = PhaseIteration.CreatePlan(o.Stft);
        PhaseIteration.CheckMagnitude(magnitude, plan, nameof(magnitude));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        var phase = Estimate(mag, magnitude.Frames, plan.Bins, plan.Options.NFft, plan.Options.EffectiveHopLength, o);
        return SpanMath.Transpose(phase, magnitude.Frames, magnitude.Bins);
    }

    /// <summary>Frame-major core: <paramref name="mag"/> [frames × bins] → phase [frames × bins].</summary>
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

        // One cell per coefficient (20 bytes: gradients, phase, queue link, key, state) so that visiting a coefficient in
        // magnitude order touches one cache line instead of seven arrays.
        // tg: time-direction phase step (rad per hop) with the carrier 2πam/N folded in (wrapped to one representative per
        // bin; both ends of a time step share it, so ½(tg_i + tg_j) = carrier + ½(dev_i + dev_j) exactly);
        // fg: frequency-direction step (rad per bin), centred difference s[t+1] − s[t−1] (ltfat), one-sided at the ends.
        var cells = new Cell[total];
        double tMul = hop * (double)nFft / (2 * gamma), fMul = -gamma / (2.0 * hop * nFft);
        var carrier = new double[bins];
        for (int m = 1; m < bins - 1; m++) carrier[m] = Wrap(2 * Math.PI * hop * m / nFft);
        double logMax = Math.Log(max), logLow = Math.Log(max * o.Tolerance2);
        double q = (Levels - 1) / (logMax - logLow);
        float tol1 = (float)(max * o.Tolerance1), tol2 = (float)(max * o.Tolerance2);
        int win = o.Stft.EffectiveWinLength;
        bool hann = o.HannGradients && o.Gamma is null && 2 * hop < win;
        var freqTable = hann ? GradientTable.Frequency(win, nFft, hop) : null;
        var timeTable = hann ? GradientTable.Time(win, nFft, hop) : null;
        Parallel.For(0, frames, t =>
        {
            int row = t * bins;
            int prev = Math.Max(t - 1, 0) * bins, next = Math.Min(t + 1, frames - 1) * bins;
            double scale = fMul * (2.0 / Math.Max(1, Math.Min(t + 1, frames - 1) - Math.Max(t - 1, 0)));
            bool centred = next - prev == 2 * bins;   // the one-sided end frames keep the Gaussian line
            for (int m = 0; m < bins; m++)
            {
                ref var c = ref cells[row + m];
                if (m == 0 || m == bins - 1) c.Tg = 0f;
                else
                {
                    double dm = s[row + m + 1] - s[row + m - 1];
                    c.Tg = (float)((freqTable is null ? tMul * dm : freqTable.Map(dm)) + carrier[m]);
                }
                double dt = s[next + m] - s[prev + m];
                c.Fg = (float)(timeTable is not null && centred ? timeTable.Map(dt) : scale * dt);
                c.Key = (ushort)Math.Clamp((s[row + m] - logLow) * q, 0, Levels - 1);
                c.State = mag[row + m] > tol1 ? (byte)0 : (byte)2;   // 0 unknown this pass, 1 done, 2 not yet eligible
            }
        });
        // Integration in independent blocks of whole frames, in parallel (the heap walk itself is serial and bound by cache
        // misses); the block count depends on the frame count only, so the phase does not depend on the machine.
        int blocks = Math.Max(1, frames / Math.Max(1, o.BlockFrames));
        Parallel.For(0, blocks, blk =>
        {
            int lo = (int)((long)frames * blk / blocks) * bins, hi = (int)((long)frames * (blk + 1) / blocks) * bins;
            var queue = new BucketQueue(cells, Levels);
            Integrate(queue, cells, lo, hi, bins, SortedUnknown(cells, lo, hi));

            // second pass: admit everything above tol2, seed from the border of the done region
            for (int i = lo; i < hi; i++) if (cells[i].State == 2 && mag[i] > tol2) cells[i].State = 0;
            for (int i = lo, m = 0; i < hi; i++, m = m == bins - 1 ? 0 : m + 1)
                if (cells[i].State == 1 && HasUnknownNeighbour(cells, i, m, lo, hi, bins)) queue.Push(i);
            Drain(queue, cells, lo, hi, bins);
            Integrate(queue, cells, lo, hi, bins, SortedUnknown(cells, lo, hi));
        });
        // Join the blocks: within one connected region a block's phase is fixed up to one constant (its start phase); a
        // block holds several regions (separate partials), so rotate block b per bin to meet the frame before it: per bin, the magnitude-weighted circular mean over ±JoinBins bins of
        // how far its first frame is from the time-direction step of the last frame before it (the trapezoid rule across
        // the boundary). Separate partials (separate regions) get their own rotation; block after block.
        if (blocks > 1)
        {
            var zr = new double[bins]; var zi = new double[bins]; var shift = new float[bins];
            for (int blk = 1; blk < blocks; blk++)
            {
                int s0 = (int)((long)frames * blk / blocks), end = (int)((long)frames * (blk + 1) / blocks);
                for (int m = 0, ia = (s0 - 1) * bins, ib = s0 * bins; m < bins; m++, ia++, ib++)
                {
                    zr[m] = zi[m] = 0;
                    if (cells[ia].State != 1 || cells[ib].State != 1) continue;
                    double e = cells[ia].Phase + 0.5 * (cells[ia].Tg + cells[ib].Tg) - cells[ib].Phase, w = (double)mag[ia] * mag[ib];
                    zr[m] = w * Math.Cos(e); zi[m] = w * Math.Sin(e);
                }
                double sr = 0, si = 0;
                for (int m = 0; m < Math.Min(bins, JoinBins); m++) { sr += zr[m]; si += zi[m]; }
                for (int m = 0; m < bins; m++)
                {
                    if (m + JoinBins < bins) { sr += zr[m + JoinBins]; si += zi[m + JoinBins]; }
                    if (m - JoinBins - 1 >= 0) { sr -= zr[m - JoinBins - 1]; si -= zi[m - JoinBins - 1]; }
                    shift[m] = sr == 0 && si == 0 ? 0f : (float)Math.Atan2(si, sr);
                }
                for (int t = s0; t < end; t++)
                    for (int m = 0, i = t * bins; m < bins; m++, i++)
                        if (cells[i].State == 1) cells[i].Phase = (float)Wrap(cells[i].Phase + shift[m]);
            }
        }

        // leftovers (below tol2): random phase; then librosa's frame-start convention: + πm.
        var rng = new Random(o.Seed);
        for (int i = 0; i < total; i++)
            phase[i] = cells[i].State == 1 ? cells[i].Phase : (float)(Math.PI * (2 * rng.NextDouble() - 1));
        Parallel.For(0, frames, t =>
        {
            int row = t * bins;
            for (int m = 1; m < bins; m += 2) phase[row + m] = (float)Wrap(phase[row + m] + Math.PI);
        });
        return phase;
    }

    private static double Wrap(double x) => x - 2 * Math.PI * Math.Round(x / (2 * Math.PI));

    private static bool HasUnknownNeighbour(Cell[] cells, int i, int m, int lo, int hi, int bins)
    {
        return (m > 0 && cells[i - 1].State == 0) || (m < bins - 1 && cells[i + 1].State == 0)
            || (i - bins >= lo && cells[i - bins].State == 0) || (i + bins < hi && cells[i + bins].State == 0);
    }

    /// <summary>Indices in [lo, hi) with state 0, largest key first (counting sort on the quantised key).</summary>
    private static int[] SortedUnknown(Cell[] cells, int lo, int hi)
    {
        var counts = new int[Levels + 1];
        int n = 0;
        for (int i = lo; i < hi; i++) if (cells[i].State == 0) { counts[Levels - cells[i].Key]++; n++; }
        for (int l = 1; l <= Levels; l++) counts[l] += counts[l - 1];
        var order = new int[n];
        for (int i = lo; i < hi; i++) if (cells[i].State == 0) order[counts[Levels - 1 - cells[i].Key]++] = i;
        return order;
    }

    private static void Integrate(BucketQueue queue, Cell[] cells, int lo, int hi, int bins, int[] order)
    {
        foreach (int start in order)
        {
            if (cells[start].State != 0) continue;
            cells[start].State = 1; cells[start].Phase = 0;
            queue.Push(start);
            Drain(queue, cells, lo, hi, bins);
        }
    }

    /// <summary>Pops in decreasing key order (LIFO within a key) and sets each unknown neighbour's phase by the trapezoid
    /// rule. Pointer code: the loop is bound by cache misses on the 20-byte cells, so the next cell of the popped bucket and
    /// its time neighbours are prefetched while the current one is processed; the order of work is unchanged.</summary>
    private static unsafe void Drain(BucketQueue queue, Cell[] cells, int lo, int hi, int bins)
    {
        ulong fastMod = ulong.MaxValue / (uint)bins + 1;   // Lemire's fastmod: i % bins without a division
        int count = queue.Count, top = queue.Top;
        fixed (Cell* c = cells)
        fixed (int* head = queue.Head)
        fixed (ulong* l1 = queue.L1, l0 = queue.L0)
        {
            while (count > 0)
            {
                // pop the largest key
                while (l0[top] == 0) top--;
                int w1 = (top << 6) + 63 - System.Numerics.BitOperations.LeadingZeroCount(l0[top]);
                int key = (w1 << 6) + 63 - System.Numerics.BitOperations.LeadingZeroCount(l1[w1]);
                int i = head[key];
                Cell* ci = c + i;
                int nx = ci->Next;
                head[key] = nx;
                if (nx < 0)
                {
                    l1[w1] &= ~(1UL << (key & 63));
                    if (l1[w1] == 0) l0[top] &= ~(1UL << (w1 & 63));
                }
                else if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
                {
                    Cell* p = c + nx;
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(p);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(p + bins);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(p - bins);
                }
                count--;

                int m = (int)Math.BigMul(fastMod * (uint)i, (ulong)(uint)bins, out _);
                double ph = ci->Phase, wHere = ci->Tg, fHere = ci->Fg;
                if (i + bins < hi) Visit(c + i + bins, i + bins, ph + 0.5 * wHere, +0.5, true, head, l1, l0, ref count, ref top);
                if (i - bins >= lo) Visit(c + i - bins, i - bins, ph - 0.5 * wHere, -0.5, true, head, l1, l0, ref count, ref top);
                if (m < bins - 1) Visit(c + i + 1, i + 1, ph + 0.5 * fHere, +0.5, false, head, l1, l0, ref count, ref top);
                if (m > 0) Visit(c + i - 1, i - 1, ph - 0.5 * fHere, -0.5, false, head, l1, l0, ref count, ref top);

            }
        }
        queue.Count = count; queue.Top = top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Visit(Cell* d, int j, double basePhase, double half, bool time, int* head, ulong* l1, ulong* l0, ref int count, ref int top)
    {
        if (d->State != 0) return;
        d->State = 1;
        d->Phase = (float)Wrap(basePhase + half * (time ? d->Tg : d->Fg));
        int b = d->Key, h = head[b];
        if (h < 0)
        {
            l1[b >> 6] |= 1UL << (b & 63);
            l0[b >> 12] |= 1UL << ((b >> 6) & 63);
            if ((b >> 12) > top) top = b >> 12;
        }
        d->Next = h; head[b] = j;
        count++;
    }

    /// <summary>Monotone map from a centred log-magnitude difference d to a phase step, tabulated by inverting the
    /// exact Hann relation (the Gaussian model is its linearisation at d = 0).</summary>
    private sealed class GradientTable
    {
        private const int Size = 8192;
        private readonly double[] _y = new double[Size + 1];
        private readonly double _dMax, _step, _invStep;

        private GradientTable(Func<double, double> d, double xLo, double xHi, Func<double, double> phaseStep, double dMax)
        {
            _dMax = dMax; _step = 2 * dMax / Size; _invStep = 1 / _step;
            // Invert the increasing d(x) on [xLo, xHi]: sample it on a grid 16× finer than the table (131 072 evaluations,
            // in parallel), then for each target find its grid interval and interpolate linearly (where d is steep, as
            // near the ends, the grid is what limits; its error in x is below 2e-5 of the range, far below the float the
            // phase steps are stored in). Once per process and STFT setting.
            const int grid = 16 * Size;
            var xs = new double[grid + 1]; var ds = new double[grid + 1];
            Parallel.For(0, 8, part =>
            {
                for (int i = part; i <= grid; i += 8) { xs[i] = xLo + (xHi - xLo) * i / grid; ds[i] = d(xs[i]); }
            });
            for (int k = 0, i = 0; k <= Size; k++)
            {
                double target = -dMax + k * _step;
                while (i < grid && ds[i + 1] < target) i++;
                double x = target <= ds[0] ? xs[0] : i >= grid ? xs[grid]
                    : xs[i] + (xs[i + 1] - xs[i]) * Math.Clamp((target - ds[i]) / (ds[i + 1] - ds[i]), 0, 1);
                _y[k] = phaseStep(x);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public double Map(double d)
        {
            double u = (Math.Clamp(d, -_dMax, _dMax) + _dMax) * _invStep;
            int k = Math.Min((int)u, Size - 1);
            double f = u - k;
            return _y[k] + f * (_y[k + 1] - _y[k]);
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(bool Time, int Win, int NFft, int Hop), GradientTable> Cache = new();

        /// <summary>Sinusoid δ bins above bin m: d = ln|Ŵ(1−δ)| − ln|Ŵ(1+δ)|, step 2πaδ/N per hop.</summary>
        public static GradientTable Frequency(int win, int nFft, int hop) =>
            Cache.GetOrAdd((false, win, nFft, hop), k => BuildFrequency(k.Win, k.NFft, k.Hop));

        /// <summary>Impulse u samples after the frame centre: d = ln w(u − a) − ln w(u + a), step −2πu/N per bin.</summary>
        public static GradientTable Time(int win, int nFft, int hop) =>
            Cache.GetOrAdd((true, win, nFft, hop), k => BuildTime(k.Win, k.NFft, k.Hop));

        private static GradientTable BuildFrequency(int win, int nFft, int hop)
        {
            double r = (double)win / nFft;   // window-length bins per FFT bin
            static double LogHann(double x)
            {
                x = Math.Abs(x);
                if (Math.Abs(x - 1) < 1e-9) return Math.Log(0.25);
                if (x < 1e-12) return Math.Log(0.5);
                return Math.Log(Math.Abs(Math.Sin(Math.PI * x) / (Math.PI * x) * 0.5 / (1 - x * x)) + 1e-300);
            }
            double Dd(double delta) => LogHann(r * (1 - delta)) - LogHann(r * (1 + delta));
            double lim = 2 / r - 1 - 1e-6;
            return new GradientTable(Dd, -lim, lim, delta => 2 * Math.PI * hop * delta / nFft, 30);
        }

        private static GradientTable BuildTime(int win, int nFft, int hop)
        {
            static double LogW(double x, int win) => Math.Log(Math.Max(Math.Cos(Math.PI * x / win), 1e-150)) * 2;
            double Dd(double u) => LogW(u - hop, win) - LogW(u + hop, win);
            double lim = win / 2.0 - hop - 1e-6;
            return new GradientTable(Dd, -lim, lim, u => -2 * Math.PI * u / nFft, 30);
        }
    }

    /// <summary>Per-coefficient integration state.</summary>
    private struct Cell
    {
        public float Tg, Fg, Phase;
        public int Next;
        public ushort Key;
        public byte State;
    }

    /// <summary>Max-priority bucket queue with intrusive LIFO lists (each index is pushed at most once per drain) and a
    /// two-level bitmap of non-empty buckets, so finding the maximum costs a few leading-zero counts, not a scan.
    /// <see cref="Drain"/> pops and pushes inline on these arrays.</summary>
    private sealed class BucketQueue
    {
        public readonly int[] Head;
        public readonly ulong[] L1, L0;
        private readonly Cell[] _cells;
        /// <summary>Entries queued.</summary>
        public int Count;
        /// <summary>An index of <see cref="L0"/> at or above the highest non-zero word.</summary>
        public int Top;

        public BucketQueue(Cell[] cells, int levels)
        {
            Head = new int[levels]; Array.Fill(Head, -1);
            _cells = cells;
            L1 = new ulong[(levels + 63) / 64];
            L0 = new ulong[(L1.Length + 63) / 64];
        }

        public void Push(int i)
        {
            int b = _cells[i].Key;
            if (Head[b] < 0)
            {
                L1[b >> 6] |= 1UL << (b & 63);
                L0[b >> 12] |= 1UL << ((b >> 6) & 63);
                if ((b >> 12) > Top) Top = b >> 12;
            }
            _cells[i].Next = Head[b]; Head[b] = i;
            Count++;
        }
    }
}
