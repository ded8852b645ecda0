namespace SpecLora.Analysis;

/// <summary>
/// Sliding-window median of odd width over a vector with scipy's "reflect" boundary (d c b a | a b c d | d c b a),
/// i.e. <c>scipy.ndimage.median_filter(x, size=w, mode="reflect")</c> along one axis. The window is kept sorted: each
/// step removes the leaving value and inserts the entering one with a single shift between their positions
/// (≈ w/3 moves), so a row costs O(n·w) with a tiny constant and no allocation (the caller owns the window buffer).
/// </summary>
internal static class RunningMedian
{
    /// <summary>dst[i] = median of x[reflect(i − w/2 … i + w/2)]; <paramref name="window"/> holds ≥ w floats.</summary>
    public static void Filter(ReadOnlySpan<float> x, Span<float> dst, int width, Span<float> window)
    {
        int n = x.Length, h = width / 2;
        if (n == 0) return;
        var sorted = window[..width];
        for (int j = 0; j < width; j++) sorted[j] = x[Onset.Reflect(j - h, n)];
        sorted.Sort();
        dst[0] = sorted[h];
        for (int i = 1; i < n; i++)
        {
            float outV = x[Onset.Reflect(i - 1 - h, n)];
            float inV = x[Onset.Reflect(i + h, n)];
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
            while (pos + 1 < sorted.Length && sorted[pos + 1] < inV) { sorted[pos] = sorted[pos + 1]; pos++; }
        }
        else
        {
            while (pos > 0 && sorted[pos - 1] > inV) { sorted[pos] = sorted[pos - 1]; pos--; }
        }
        sorted[pos] = inV;
    }
}
