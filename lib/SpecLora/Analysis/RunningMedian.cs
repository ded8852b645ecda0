using System.Numerics;
using System.Runtime.Intrinsics;

namespace SpecLora.Analysis;

/// <summary>
/// Sliding-window median of odd width over a vector with scipy's "reflect" boundary (d c b a | a b c d | d c b a),
/// i.e. <c>scipy.ndimage.median_filter(x, size=w, mode="reflect")</c> along one axis. The window is kept sorted: each
/// step finds the leaving value and the entering value's place by binary search and moves the values between them
/// by one (a memmove of ≈ w/3 floats), so a row costs O(n·(log w + w/3)) with a tiny constant. The reflected row is
/// built once in a caller-owned buffer: no allocation per call. With 256-bit vectors and w ≤ 63 the step is
/// branch-free: the two positions are counts of smaller values (vector compares + popcount) and the shift is a
/// blend of the window with itself moved by one, written into a second buffer.
/// </summary>
internal static class RunningMedian
{
    /// <summary>Floats of scratch <see cref="Filter"/> needs for a row of <paramref name="n"/> and width <paramref name="width"/>.</summary>
    public static int ScratchLength(int n, int width) => 2 * (VectorLength(width) + 16) + n + width - 1;

    private static int VectorLength(int width) => (width + 7) / 8 * 8;

    /// <summary>dst[i] = median of x[reflect(i − w/2 … i + w/2)]; <paramref name="scratch"/> holds ≥
    /// <see cref="ScratchLength"/> floats.</summary>
    public static void Filter(ReadOnlySpan<float> x, Span<float> dst, int width, Span<float> scratch)
    {
        int n = x.Length, h = width / 2;
        if (n == 0) return;
        int L = VectorLength(width);
        var padded = scratch.Slice(2 * (L + 16), n + width - 1);
        if (n > h)
        {
            for (int j = 0; j < h; j++) { padded[j] = x[Onset.Reflect(j - h, n)]; padded[h + n + j] = x[Onset.Reflect(n + j, n)]; }
            x.CopyTo(padded[h..]);
        }
        else for (int j = 0; j < padded.Length; j++) padded[j] = x[Onset.Reflect(j - h, n)];
        if (Vector256.IsHardwareAccelerated && width <= 63 && width > 1)
        {
            FilterVector(padded, dst, n, width, scratch[..(L + 16)], scratch.Slice(L + 16, L + 16));
            return;
        }
        var sorted = scratch[..width];
        padded[..width].CopyTo(sorted);
        sorted.Sort();
        dst[0] = sorted[h];
        for (int i = 1; i < n; i++)
        {
            float outV = padded[i - 1], inV = padded[i - 1 + width];
            if (outV != inV) Replace(sorted, outV, inV);
            dst[i] = sorted[h];
        }
    }

    /// <summary>The branch-free vector variant: windows at offset 8 of <paramref name="a"/> and <paramref name="b"/>
    /// (L + 16 floats each; −∞ before, +∞ after the w values).</summary>
    private static void FilterVector(ReadOnlySpan<float> padded, Span<float> dst, int n, int width, Span<float> a, Span<float> b)
    {
        int h = width / 2, L = VectorLength(width), chunks = L / 8;
        a.Fill(float.PositiveInfinity); b.Fill(float.PositiveInfinity);
        a[7] = b[7] = float.NegativeInfinity;
        var cur = a; var next = b;
        padded[..width].CopyTo(cur.Slice(8, width));
        cur.Slice(8, width).Sort();
        dst[0] = cur[8 + h];
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (int i = 1; i < n; i++)
        {
            float outV = padded[i - 1], inV = padded[i - 1 + width];
            if (outV != inV)
            {
                var vo = Vector256.Create(outV); var vi = Vector256.Create(inV);
                int p = 0, q = 0;
                for (int c = 0; c < chunks; c++)
                {
                    var v = Vector256.Create<float>(cur.Slice(8 + 8 * c, 8));
                    p += BitOperations.PopCount(Vector256.LessThan(v, vo).ExtractMostSignificantBits());
                    q += BitOperations.PopCount(Vector256.LessThan(v, vi).ExtractMostSignificantBits());
                }
                bool up = inV > outV;
                int lo = up ? p : q + 1, hi = up ? q - 2 : p, ins = up ? q - 1 : q, shift = up ? 1 : -1;
                var vlo = Vector256.Create(lo); var vhi = Vector256.Create(hi); var vins = Vector256.Create(ins);
                for (int c = 0; c < chunks; c++)
                {
                    var idx = lane + Vector256.Create(8 * c);
                    var v = Vector256.Create<float>(cur.Slice(8 + 8 * c, 8));
                    var moved = Vector256.Create<float>(cur.Slice(8 + 8 * c + shift, 8));
                    var mShift = (Vector256.GreaterThanOrEqual(idx, vlo) & Vector256.LessThanOrEqual(idx, vhi)).AsSingle();
                    var r = Vector256.ConditionalSelect(mShift, moved, v);
                    r = Vector256.ConditionalSelect(Vector256.Equals(idx, vins).AsSingle(), vi, r);
                    r.CopyTo(next.Slice(8 + 8 * c, 8));
                }
                // lanes ≥ width keep +∞ (idx ≥ width is never in the shift range nor the insert slot)
                var t = cur; cur = next; next = t;
            }
            dst[i] = cur[8 + h];
        }
    }

    /// <summary>Replaces one occurrence of <paramref name="outV"/> in the sorted window by <paramref name="inV"/>.</summary>
    private static void Replace(Span<float> sorted, float outV, float inV)
    {
        int lo = 0, hi = sorted.Length - 1, pos = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            float m = sorted[mid];
            if (m < outV) lo = mid + 1;
            else if (m > outV) hi = mid - 1;
            else { pos = mid; break; }
        }
        if (pos < 0) throw new InvalidOperationException("running median lost track of its window (NaN in the input?)");
        if (inV > outV)
        {
            // first index > pos whose value is ≥ inV; the values in between move down by one
            lo = pos + 1; hi = sorted.Length;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (sorted[mid] < inV) lo = mid + 1; else hi = mid; }
            sorted.Slice(pos + 1, lo - pos - 1).CopyTo(sorted[pos..]);
            sorted[lo - 1] = inV;
        }
        else
        {
            // first index ≤ pos whose value is > inV; the values from there to pos − 1 move up by one
            lo = 0; hi = pos;
            while (lo < hi) { int mid = (lo + hi) >> 1; if (sorted[mid] <= inV) lo = mid + 1; else hi = mid; }
            sorted.Slice(lo, pos - lo).CopyTo(sorted[(lo + 1)..]);
            sorted[lo] = inV;
        }
    }
}
