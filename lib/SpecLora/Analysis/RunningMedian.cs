namespace SpecLora.Analysis;

/// <summary>
/// Sliding-window median of odd width over a vector with scipy's "reflect" boundary (d c b a | a b c d | d c b a),
/// i.e. <c>scipy.ndimage.median_filter(x, size=w, mode="reflect")</c> along one axis. The window is kept sorted: each
/// step finds the leaving value and the entering value's place by binary search and moves the values between them
/// by one (a memmove of ≈ w/3 floats), so a row costs O(n·(log w + w/3)) with a tiny constant. The reflected row is
/// built once in a caller-owned buffer: no allocation per call.
/// </summary>
internal static class RunningMedian
{
    /// <summary>Floats of scratch <see cref="Filter"/> needs for a row of <paramref name="n"/> and width <paramref name="width"/>.</summary>
    public static int ScratchLength(int n, int width) => width + n + width - 1;

    /// <summary>dst[i] = median of x[reflect(i − w/2 … i + w/2)]; <paramref name="scratch"/> holds ≥
    /// <see cref="ScratchLength"/> floats.</summary>
    public static void Filter(ReadOnlySpan<float> x, Span<float> dst, int width, Span<float> scratch)
    {
        int n = x.Length, h = width / 2;
        if (n == 0) return;
        var sorted = scratch[..width];
        var padded = scratch.Slice(width, n + width - 1);
        if (n > h)
        {
            for (int j = 0; j < h; j++) { padded[j] = x[Onset.Reflect(j - h, n)]; padded[h + n + j] = x[Onset.Reflect(n + j, n)]; }
            x.CopyTo(padded[h..]);
        }
        else for (int j = 0; j < padded.Length; j++) padded[j] = x[Onset.Reflect(j - h, n)];
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
