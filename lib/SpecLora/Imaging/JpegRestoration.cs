using System.Runtime.Intrinsics;

namespace SpecLora.Imaging;

/// <summary>
/// Restores the luma of a specshow picture stored as JPEG by projections onto convex sets (Zakhor 1992): the true
/// luma is constant over the pixel rows of each mel bin within a column (specshow point-samples), and each 8×8 block's
/// DCT coefficient of the true luma lay within half a quantiser step of what the file stores. Alternating the two
/// projections (row means per bin; clamp of each block's coefficients to its quantisation interval) removes much of
/// the quantisation noise that a per-pixel decode keeps.
/// </summary>
/// <remarks>What it gains and what else was tried, measured: lib/SpecLora/Imaging/README.md (JPEG pictures).</remarks>
internal static class JpegRestoration
{
    /// <summary>Projection rounds after the start (≈ 3 ms each on a 640×480 picture).</summary>
    internal const int DefaultIterations = 5;

    /// <summary>Orthonormal 8-point DCT-II basis B[u, x] (JPEG's FDCT is B·X·Bᵀ).</summary>
    private static readonly float[] Basis = BuildBasis();

    private static float[] BuildBasis()
    {
        var b = new float[64];
        for (int u = 0; u < 8; u++)
            for (int x = 0; x < 8; x++)
                b[u * 8 + x] = (float)((u == 0 ? Math.Sqrt(0.125) : 0.5) * Math.Cos((2 * x + 1) * u * Math.PI / 16));
        return b;
    }

    /// <summary>
    /// The restored luma Y′ (0…255) of each cell (bin b, column c), at <c>[b·width + c]</c>, for a picture whose rows
    /// [<paramref name="rowStart"/>[b], <paramref name="rowEnd"/>[b]) show bin b; null when the coefficient grid does
    /// not cover the picture or bins share rows.
    /// </summary>
    internal static float[]? RestoreCells(JpegCoefficients jc, int width, int height, int[] rowStart, int[] rowEnd,
        int iterations, float yMin = 0, float yMax = 255)
    {
        int bins = rowStart.Length;
        if (jc.Width != width || jc.Height != height || jc.BlocksX * 8 < width || jc.BlocksY * 8 < height) return null;
        // Each pixel row belongs to one bin at most (not so when the picture has fewer rows than bins).
        var owner = new bool[height];
        for (int b = 0; b < bins; b++)
            for (int r = rowStart[b]; r < Math.Min(rowEnd[b], height); r++)
            {
                if (owner[r]) return null;
                owner[r] = true;
            }
        int bx = jc.BlocksX, by = jc.BlocksY, stride = bx * 8;
        var x = new float[stride * by * 8];
        var lo = new float[jc.Coefficients.Length];
        var hi = new float[jc.Coefficients.Length];
        var q = jc.Quant;
        var n = jc.Coefficients;
        for (int i = 0; i < n.Length; i++)
        {
            float qq = q[i & 63];
            lo[i] = (n[i] - 0.5f) * qq;
            hi[i] = (n[i] + 0.5f) * qq;
        }
        // Start: the standard decode (coefficient centres), level-shifted (−128).
        Parallel.For(0, by, row =>
        {
            Span<float> f = stackalloc float[64];
            for (int col = 0; col < bx; col++)
            {
                int bi = row * bx + col;
                for (int k = 0; k < 64; k++) f[k] = n[64 * bi + k] * q[k];
                InverseDct(f, x.AsSpan(row * 8 * stride + col * 8), stride);
            }
        });
        float lowShift = yMin - 128, highShift = yMax - 128;
        var cells = new float[bins * width];
        for (int it = 0; ; it++)
        {
            // Structure: every row of a bin shows the cell's value (the mean is the L2 projection), within the map's range.
            Parallel.For(0, bins, b =>
            {
                int r0 = rowStart[b], r1 = Math.Min(rowEnd[b], height);
                float inv = 1f / (r1 - r0);
                for (int c = 0; c < width; c++)
                {
                    float s = 0;
                    for (int r = r0; r < r1; r++) s += x[r * stride + c];
                    float v = Math.Clamp(s * inv, lowShift, highShift);
                    cells[b * width + c] = v;
                    for (int r = r0; r < r1; r++) x[r * stride + c] = v;
                }
            });
            if (it == iterations) break;
            // Quantisation constraint: each block's coefficients back into their intervals.
            Parallel.For(0, by, row =>
            {
                Span<float> f = stackalloc float[64];
                for (int col = 0; col < bx; col++)
                {
                    int bi = row * bx + col;
                    var px = x.AsSpan(row * 8 * stride + col * 8);
                    ForwardDct(px, stride, f);
                    bool changed = false;
                    for (int k = 0; k < 64; k++)
                    {
                        float v = f[k], l = lo[64 * bi + k], h = hi[64 * bi + k];
                        float d = v < l ? l - v : v > h ? h - v : 0;
                        if (d != 0) changed = true;
                        f[k] = d;
                    }
                    if (changed) InverseDctAdd(f, px, stride);
                }
            });
        }
        for (int i = 0; i < cells.Length; i++) cells[i] += 128;
        return cells;
    }

    /// <summary>F = B·X·Bᵀ of the 8×8 block at <paramref name="px"/> (row stride <paramref name="stride"/>).</summary>
    internal static void ForwardDct(ReadOnlySpan<float> px, int stride, Span<float> f)
    {
        var b = Basis;
        Span<float> t = stackalloc float[64];
        // T = B·X: T[v, :] = Σ_y B[v, y]·X[y, :]
        for (int v = 0; v < 8; v++)
        {
            var acc = Vector256<float>.Zero;
            for (int y = 0; y < 8; y++) acc += Vector256.Create(b[v * 8 + y]) * Vector256.Create(px.Slice(y * stride, 8));
            acc.CopyTo(t.Slice(v * 8, 8));
        }
        // F = T·Bᵀ: F[v, :] = Σ_x T[v, x]·B[:, x]
        for (int v = 0; v < 8; v++)
        {
            var acc = Vector256<float>.Zero;
            for (int xx = 0; xx < 8; xx++) acc += Vector256.Create(t[v * 8 + xx]) * BasisColumn[xx];
            acc.CopyTo(f.Slice(v * 8, 8));
        }
    }

    private static readonly Vector256<float>[] BasisColumn = Enumerable.Range(0, 8)
        .Select(xx => Vector256.Create(Enumerable.Range(0, 8).Select(u => Basis[u * 8 + xx]).ToArray())).ToArray();

    private static readonly Vector256<float>[] BasisRow = Enumerable.Range(0, 8)
        .Select(u => Vector256.Create(Basis.AsSpan(u * 8, 8))).ToArray();

    /// <summary>X = Bᵀ·F·B written to the block at <paramref name="px"/>.</summary>
    internal static void InverseDct(ReadOnlySpan<float> f, Span<float> px, int stride) => InverseDctCore(f, px, stride, add: false);

    /// <summary>X += Bᵀ·F·B.</summary>
    internal static void InverseDctAdd(ReadOnlySpan<float> f, Span<float> px, int stride) => InverseDctCore(f, px, stride, add: true);

    private static void InverseDctCore(ReadOnlySpan<float> f, Span<float> px, int stride, bool add)
    {
        var b = Basis;
        Span<float> s = stackalloc float[64];
        // S = Bᵀ·F: S[y, :] = Σ_v B[v, y]·F[v, :]
        for (int y = 0; y < 8; y++)
        {
            var acc = Vector256<float>.Zero;
            for (int v = 0; v < 8; v++) acc += Vector256.Create(b[v * 8 + y]) * Vector256.Create(f.Slice(v * 8, 8));
            acc.CopyTo(s.Slice(y * 8, 8));
        }
        // X = S·B: X[y, :] = Σ_u S[y, u]·B[u, :]
        for (int y = 0; y < 8; y++)
        {
            var acc = Vector256<float>.Zero;
            for (int u = 0; u < 8; u++) acc += Vector256.Create(s[y * 8 + u]) * BasisRow[u];
            var dst = px.Slice(y * stride, 8);
            if (add) acc += Vector256.Create((ReadOnlySpan<float>)dst);
            acc.CopyTo(dst);
        }
    }
}
