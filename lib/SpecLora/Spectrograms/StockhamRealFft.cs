using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpecLora.Spectrograms;

/// <summary>
/// Fast real FFT (design: specs/inversion.md §6). Real N through a complex H = N/2 transform
/// (pack z[k] = x[2k] + i·x[2k+1], then the split step X[k] = ½(Z[k] + Z*[H−k]) − ½i·W^k(Z[k] − Z*[H−k])).
/// The complex transform is a radix-4 Stockham autosort (decimation in frequency, no bit reversal, one radix-2 stage
/// at the end when log2 H is odd) on split re/im arrays, with per-stage twiddle tables computed in double and stored
/// as float. With AVX2 every stage runs on <see cref="Vector256{T}"/> (the first two stages, whose contiguous runs
/// are shorter than a vector, transpose in registers); otherwise, and for H &lt; 32, a scalar kernel of the same shape
/// runs. The inverse reuses the forward kernel on swapped re/im (IFFT(z) = swap(FFT(swap(z)))).
/// Buffers are pinned and allocated once; one instance per thread.
/// </summary>
internal sealed unsafe class StockhamRealFft : IRealFft
{
    private sealed class Stage
    {
        public required int N;          // current sub-transform length (4, or 2 for the final radix-2 stage)
        public required int S;          // stride (product of the radices of earlier stages)
        public required float* W;       // 6 segments of N/4: w1r, w1i, w2r, w2i, w3r, w3i indexed by p
        public float* WExpanded;        // for S == 4 (SIMD): 6 segments of H/4, entry i = w[i / 4]
    }

    private readonly int _n, _h;
    private readonly bool _simd;
    private readonly Stage[] _stages;
    private readonly float* _ar, _ai, _br, _bi;      // ping-pong work buffers, H each
    private readonly float* _wr, _wi;                // split twiddles W^k = e^{−2πik/N}, k ≤ H (+ padding)
    private readonly List<float[]> _keepAlive = new(); // pinned arrays behind the pointers

    /// <summary>True when the AVX2 kernels are used (else the scalar fallback).</summary>
    internal bool UsesSimd => _simd;

    public StockhamRealFft(int size, bool allowSimd = true)
    {
        if (size < 8 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"FFT size={size} must be a power of two ≥ 8");
        _n = size; _h = size / 2;
        _simd = allowSimd && Avx2.IsSupported && _h >= 32;
        _ar = Pinned(_h); _ai = Pinned(_h); _br = Pinned(_h); _bi = Pinned(_h);
        _wr = Pinned(_h + 8); _wi = Pinned(_h + 8);
        for (int k = 0; k <= _h; k++)
        {
            double a = -2 * Math.PI * k / _n;
            _wr[k] = (float)Math.Cos(a); _wi[k] = (float)Math.Sin(a);
        }
        var stages = new List<Stage>();
        int n = _h, s = 1;
        while (n >= 4)
        {
            int m = n / 4;
            float* w = Pinned(6 * m);
            for (int p = 0; p < m; p++)
            {
                for (int r = 1; r <= 3; r++)
                {
                    double a = -2 * Math.PI * r * p / n;
                    w[(2 * r - 2) * m + p] = (float)Math.Cos(a);
                    w[(2 * r - 1) * m + p] = (float)Math.Sin(a);
                }
            }
            var stage = new Stage { N = n, S = s, W = w };
            if (_simd && s == 4)
            {
                int q4 = _h / 4;
                float* e = Pinned(6 * q4);
                for (int j = 0; j < 6; j++)
                    for (int i = 0; i < q4; i++) e[j * q4 + i] = w[j * m + i / 4];
                stage.WExpanded = e;
            }
            stages.Add(stage);
            n /= 4; s *= 4;
        }
        if (n == 2) stages.Add(new Stage { N = 2, S = s, W = null });
        _stages = stages.ToArray();
    }

    private float* Pinned(int length)
    {
        var a = GC.AllocateArray<float>(length, pinned: true);
        _keepAlive.Add(a);
        return (float*)Unsafe.AsPointer(ref a[0]);
    }

    public int Size => _n;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im)
    {
        if (input.Length < _n || re.Length < _h + 1 || im.Length < _h + 1)
            throw new ArgumentException($"buffers too small for a {_n}-point FFT: input {input.Length} (needs {_n}), re {re.Length}, im {im.Length} (need {_h + 1})");
        fixed (float* x = input)
        fixed (float* pr = re)
        fixed (float* pi = im)
        {
            Complex(x, null, null, out float* zr, out float* zi);
            SplitForward(zr, zi, pr, pi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output)
    {
        if (output.Length < _n || re.Length < _h + 1 || im.Length < _h + 1)
            throw new ArgumentException($"buffers too small for a {_n}-point inverse FFT: output {output.Length} (needs {_n}), re {re.Length}, im {im.Length} (need {_h + 1})");
        fixed (float* x = output)
        fixed (float* pr = re)
        fixed (float* pi = im)
        {
            SplitInverse(pr, pi, _ar, _ai);
            // inverse via swapped re/im: the kernel sees (im, re) and returns (im', re'); with SIMD the last stage
            // writes x[2k] = re'[k], x[2k+1] = im'[k] itself
            Complex(null, _ai, _ar, out float* oi, out float* or, x);
            if (or != null) Interleave(or, oi, x);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // complex H-point forward transform
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Runs every stage. Source is the interleaved real input <paramref name="inter"/> when not null, else
    /// (sr, si), which must be one of the work buffers. Returns the buffers holding the result.</summary>
    /// <remarks>With <paramref name="swappedOut"/> (SIMD only) the last stage stores the result interleaved as
    /// (im, re) pairs there and rr = ri = null.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Complex(float* inter, float* sr, float* si, out float* rr, out float* ri, float* swappedOut = null)
    {
        float* xr = sr, xi = si;
        if (inter != null && !_simd)
        {
            for (int k = 0; k < _h; k++) { _br[k] = inter[2 * k]; _bi[k] = inter[2 * k + 1]; }
            xr = _br; xi = _bi; inter = null;
        }
        for (int st = 0; st < _stages.Length; st++)
        {
            float* yr, yi;
            if (xr == _ar || xr == _ai) { yr = _br; yi = _bi; } else { yr = _ar; yi = _ai; }
            var stage = _stages[st];
            if (_simd && swappedOut != null && st == _stages.Length - 1 && (stage.N == 2 || stage.N == 4 && stage.S >= 8))
            {
                LastStageSwappedInterleaved(stage.N, xr, xi, swappedOut);
                rr = null; ri = null;
                return;
            }
            if (!_simd)
            {
                if (stage.N == 2) Radix2Scalar(xr, xi, yr, yi);
                else Radix4Scalar(stage, xr, xi, yr, yi);
            }
            else if (stage.N == 2) Radix2Vector(xr, xi, yr, yi);
            else if (stage.S == 1) Radix4First(stage, inter, xr, xi, yr, yi);
            else if (stage.S == 4) Radix4Second(stage, xr, xi, yr, yi);
            else Radix4Wide(stage, xr, xi, yr, yi);
            inter = null;
            xr = yr; xi = yi;
        }
        rr = xr; ri = xi;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix4Scalar(Stage stage, float* xr, float* xi, float* yr, float* yi)
    {
        int n = stage.N, s = stage.S, m = n / 4, q4 = _h / 4;
        float* w = stage.W;
        for (int p = 0; p < m; p++)
        {
            float w1r = w[p], w1i = w[m + p], w2r = w[2 * m + p], w2i = w[3 * m + p], w3r = w[4 * m + p], w3i = w[5 * m + p];
            for (int q = 0; q < s; q++)
            {
                int i = q + s * p;
                float ar = xr[i], ai = xi[i], br = xr[i + q4], bi = xi[i + q4];
                float cr = xr[i + 2 * q4], ci = xi[i + 2 * q4], dr = xr[i + 3 * q4], di = xi[i + 3 * q4];
                float apcr = ar + cr, apci = ai + ci, amcr = ar - cr, amci = ai - ci;
                float bpdr = br + dr, bpdi = bi + di, bmdr = br - dr, bmdi = bi - di;
                int o = q + 4 * s * p;
                yr[o] = apcr + bpdr; yi[o] = apci + bpdi;
                float t1r = amcr + bmdi, t1i = amci - bmdr;
                float t2r = apcr - bpdr, t2i = apci - bpdi;
                float t3r = amcr - bmdi, t3i = amci + bmdr;
                yr[o + s] = t1r * w1r - t1i * w1i; yi[o + s] = t1r * w1i + t1i * w1r;
                yr[o + 2 * s] = t2r * w2r - t2i * w2i; yi[o + 2 * s] = t2r * w2i + t2i * w2r;
                yr[o + 3 * s] = t3r * w3r - t3i * w3i; yi[o + 3 * s] = t3r * w3i + t3i * w3r;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix2Scalar(float* xr, float* xi, float* yr, float* yi)
    {
        int s = _h / 2;
        for (int q = 0; q < s; q++)
        {
            float ar = xr[q], ai = xi[q], br = xr[q + s], bi = xi[q + s];
            yr[q] = ar + br; yi[q] = ai + bi;
            yr[q + s] = ar - br; yi[q + s] = ai - bi;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // AVX2 kernels
    // ---------------------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulSub(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => Fma.IsSupported ? Fma.MultiplySubtract(a, b, c) : a * b - c;

    /// <summary>Radix-4 butterfly core: the four outputs before twiddling.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(
        Vector256<float> ar, Vector256<float> ai, Vector256<float> br, Vector256<float> bi,
        Vector256<float> cr, Vector256<float> ci, Vector256<float> dr, Vector256<float> di,
        out Vector256<float> y0r, out Vector256<float> y0i, out Vector256<float> y1r, out Vector256<float> y1i,
        out Vector256<float> y2r, out Vector256<float> y2i, out Vector256<float> y3r, out Vector256<float> y3i)
    {
        var apcr = ar + cr; var apci = ai + ci; var amcr = ar - cr; var amci = ai - ci;
        var bpdr = br + dr; var bpdi = bi + di; var bmdr = br - dr; var bmdi = bi - di;
        y0r = apcr + bpdr; y0i = apci + bpdi;
        y1r = amcr + bmdi; y1i = amci - bmdr;
        y2r = apcr - bpdr; y2i = apci - bpdi;
        y3r = amcr - bmdi; y3i = amci + bmdr;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Twiddle(ref Vector256<float> r, ref Vector256<float> i, Vector256<float> wr, Vector256<float> wi)
    {
        var nr = MulSub(r, wr, i * wi);
        var ni = MulAdd(r, wi, i * wr);
        r = nr; i = ni;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deinterleave(float* p, out Vector256<float> re, out Vector256<float> im)
    {
        var v0 = Avx.LoadVector256(p);
        var v1 = Avx.LoadVector256(p + 8);
        var e = Avx.Shuffle(v0, v1, 0x88);   // x0 x2 x8 x10 | x4 x6 x12 x14
        var o = Avx.Shuffle(v0, v1, 0xDD);   // x1 x3 x9 x11 | x5 x7 x13 x15
        re = Avx2.Permute4x64(e.AsDouble(), 0xD8).AsSingle();
        im = Avx2.Permute4x64(o.AsDouble(), 0xD8).AsSingle();
    }

    /// <summary>First stage (S = 1): vectors run over p; outputs y[4p + r] are written through a 4×8 transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix4First(Stage stage, float* inter, float* xr, float* xi, float* yr, float* yi)
    {
        int m = stage.N / 4; // = H/4
        float* w = stage.W;
        for (int p = 0; p < m; p += 8)
        {
            Vector256<float> ar, ai, br, bi, cr, ci, dr, di;
            if (inter != null)
            {
                Deinterleave(inter + 2 * p, out ar, out ai);
                Deinterleave(inter + 2 * (p + m), out br, out bi);
                Deinterleave(inter + 2 * (p + 2 * m), out cr, out ci);
                Deinterleave(inter + 2 * (p + 3 * m), out dr, out di);
            }
            else
            {
                ar = Avx.LoadVector256(xr + p); ai = Avx.LoadVector256(xi + p);
                br = Avx.LoadVector256(xr + p + m); bi = Avx.LoadVector256(xi + p + m);
                cr = Avx.LoadVector256(xr + p + 2 * m); ci = Avx.LoadVector256(xi + p + 2 * m);
                dr = Avx.LoadVector256(xr + p + 3 * m); di = Avx.LoadVector256(xi + p + 3 * m);
            }
            Butterfly(ar, ai, br, bi, cr, ci, dr, di, out var y0r, out var y0i, out var y1r, out var y1i,
                out var y2r, out var y2i, out var y3r, out var y3i);
            Twiddle(ref y1r, ref y1i, Avx.LoadVector256(w + p), Avx.LoadVector256(w + m + p));
            Twiddle(ref y2r, ref y2i, Avx.LoadVector256(w + 2 * m + p), Avx.LoadVector256(w + 3 * m + p));
            Twiddle(ref y3r, ref y3i, Avx.LoadVector256(w + 4 * m + p), Avx.LoadVector256(w + 5 * m + p));
            Transpose4x8Store(y0r, y1r, y2r, y3r, yr + 4 * p);
            Transpose4x8Store(y0i, y1i, y2i, y3i, yi + 4 * p);
        }
    }

    /// <summary>Stores lanes as d[4j + r] = y_r[j] for j &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8Store(Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3, float* d)
    {
        var t0 = Avx.UnpackLow(y0, y1);   // y0p0 y1p0 y0p1 y1p1 | p4 p5
        var t1 = Avx.UnpackHigh(y0, y1);  // y0p2 y1p2 y0p3 y1p3 | p6 p7
        var t2 = Avx.UnpackLow(y2, y3);
        var t3 = Avx.UnpackHigh(y2, y3);
        var u0 = Avx.Shuffle(t0, t2, 0x44); // p0 | p4
        var u1 = Avx.Shuffle(t0, t2, 0xEE); // p1 | p5
        var u2 = Avx.Shuffle(t1, t3, 0x44); // p2 | p6
        var u3 = Avx.Shuffle(t1, t3, 0xEE); // p3 | p7
        Avx.Store(d, Avx.Permute2x128(u0, u1, 0x20));
        Avx.Store(d + 8, Avx.Permute2x128(u2, u3, 0x20));
        Avx.Store(d + 16, Avx.Permute2x128(u0, u1, 0x31));
        Avx.Store(d + 24, Avx.Permute2x128(u2, u3, 0x31));
    }

    /// <summary>Second stage (S = 4): each vector covers two values of p; outputs go out as 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix4Second(Stage stage, float* xr, float* xi, float* yr, float* yi)
    {
        int q4 = _h / 4;
        float* e = stage.WExpanded;
        for (int i = 0; i < q4; i += 8)
        {
            Butterfly(Avx.LoadVector256(xr + i), Avx.LoadVector256(xi + i),
                Avx.LoadVector256(xr + i + q4), Avx.LoadVector256(xi + i + q4),
                Avx.LoadVector256(xr + i + 2 * q4), Avx.LoadVector256(xi + i + 2 * q4),
                Avx.LoadVector256(xr + i + 3 * q4), Avx.LoadVector256(xi + i + 3 * q4),
                out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
            Twiddle(ref y1r, ref y1i, Avx.LoadVector256(e + i), Avx.LoadVector256(e + q4 + i));
            Twiddle(ref y2r, ref y2i, Avx.LoadVector256(e + 2 * q4 + i), Avx.LoadVector256(e + 3 * q4 + i));
            Twiddle(ref y3r, ref y3i, Avx.LoadVector256(e + 4 * q4 + i), Avx.LoadVector256(e + 5 * q4 + i));
            int o = 4 * i; // p = i/4 → o = q + 16p = 4i for the low half
            Avx.Store(yr + o, Avx.Permute2x128(y0r, y1r, 0x20));
            Avx.Store(yr + o + 8, Avx.Permute2x128(y2r, y3r, 0x20));
            Avx.Store(yr + o + 16, Avx.Permute2x128(y0r, y1r, 0x31));
            Avx.Store(yr + o + 24, Avx.Permute2x128(y2r, y3r, 0x31));
            Avx.Store(yi + o, Avx.Permute2x128(y0i, y1i, 0x20));
            Avx.Store(yi + o + 8, Avx.Permute2x128(y2i, y3i, 0x20));
            Avx.Store(yi + o + 16, Avx.Permute2x128(y0i, y1i, 0x31));
            Avx.Store(yi + o + 24, Avx.Permute2x128(y2i, y3i, 0x31));
        }
    }

    /// <summary>Stages with S ≥ 16: vectors run over q (contiguous in and out), one broadcast twiddle per p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix4Wide(Stage stage, float* xr, float* xi, float* yr, float* yi)
    {
        int n = stage.N, s = stage.S, m = n / 4, q4 = _h / 4;
        float* w = stage.W;
        for (int p = 0; p < m; p++)
        {
            var w1r = Vector256.Create(w[p]); var w1i = Vector256.Create(w[m + p]);
            var w2r = Vector256.Create(w[2 * m + p]); var w2i = Vector256.Create(w[3 * m + p]);
            var w3r = Vector256.Create(w[4 * m + p]); var w3i = Vector256.Create(w[5 * m + p]);
            bool unit = p == 0;
            float* ar = xr + s * p, ai = xi + s * p;
            float* o0r = yr + 4 * s * p, o0i = yi + 4 * s * p;
            for (int q = 0; q < s; q += 8)
            {
                Butterfly(Avx.LoadVector256(ar + q), Avx.LoadVector256(ai + q),
                    Avx.LoadVector256(ar + q + q4), Avx.LoadVector256(ai + q + q4),
                    Avx.LoadVector256(ar + q + 2 * q4), Avx.LoadVector256(ai + q + 2 * q4),
                    Avx.LoadVector256(ar + q + 3 * q4), Avx.LoadVector256(ai + q + 3 * q4),
                    out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                if (!unit)
                {
                    Twiddle(ref y1r, ref y1i, w1r, w1i);
                    Twiddle(ref y2r, ref y2i, w2r, w2i);
                    Twiddle(ref y3r, ref y3i, w3r, w3i);
                }
                Avx.Store(o0r + q, y0r); Avx.Store(o0i + q, y0i);
                Avx.Store(o0r + q + s, y1r); Avx.Store(o0i + q + s, y1i);
                Avx.Store(o0r + q + 2 * s, y2r); Avx.Store(o0i + q + 2 * s, y2i);
                Avx.Store(o0r + q + 3 * s, y3r); Avx.Store(o0i + q + 3 * s, y3i);
            }
        }
    }

    /// <summary>Final stage (radix-4 with p = 0, or radix-2), all twiddles 1, writing out[2k] = im[k],
    /// out[2k+1] = re[k] (the inverse's swap and interleave fused).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LastStageSwappedInterleaved(int radix, float* xr, float* xi, float* x)
    {
        int s = _h / radix;
        for (int q = 0; q < s; q += 8)
        {
            if (radix == 2)
            {
                var ar = Avx.LoadVector256(xr + q); var ai = Avx.LoadVector256(xi + q);
                var br = Avx.LoadVector256(xr + q + s); var bi = Avx.LoadVector256(xi + q + s);
                StoreInterleaved(x + 2 * q, ai + bi, ar + br);
                StoreInterleaved(x + 2 * (q + s), ai - bi, ar - br);
            }
            else
            {
                Butterfly(Avx.LoadVector256(xr + q), Avx.LoadVector256(xi + q),
                    Avx.LoadVector256(xr + q + s), Avx.LoadVector256(xi + q + s),
                    Avx.LoadVector256(xr + q + 2 * s), Avx.LoadVector256(xi + q + 2 * s),
                    Avx.LoadVector256(xr + q + 3 * s), Avx.LoadVector256(xi + q + 3 * s),
                    out var y0r, out var y0i, out var y1r, out var y1i, out var y2r, out var y2i, out var y3r, out var y3i);
                StoreInterleaved(x + 2 * q, y0i, y0r);
                StoreInterleaved(x + 2 * (q + s), y1i, y1r);
                StoreInterleaved(x + 2 * (q + 2 * s), y2i, y2r);
                StoreInterleaved(x + 2 * (q + 3 * s), y3i, y3r);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(float* d, Vector256<float> even, Vector256<float> odd)
    {
        var lo = Avx.UnpackLow(even, odd); var hi = Avx.UnpackHigh(even, odd);
        Avx.Store(d, Avx.Permute2x128(lo, hi, 0x20));
        Avx.Store(d + 8, Avx.Permute2x128(lo, hi, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Radix2Vector(float* xr, float* xi, float* yr, float* yi)
    {
        int s = _h / 2;
        for (int q = 0; q < s; q += 8)
        {
            var ar = Avx.LoadVector256(xr + q); var ai = Avx.LoadVector256(xi + q);
            var br = Avx.LoadVector256(xr + q + s); var bi = Avx.LoadVector256(xi + q + s);
            Avx.Store(yr + q, ar + br); Avx.Store(yi + q, ai + bi);
            Avx.Store(yr + q + s, ar - br); Avx.Store(yi + q + s, ai - bi);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // real ↔ complex split steps
    // ---------------------------------------------------------------------------------------------------------

    private static readonly Vector256<int> Reverse = Vector256.Create(7, 6, 5, 4, 3, 2, 1, 0);

    /// <summary>X[k] = E[k] − i·W^k·D[k] with E = ½(Z[k] + Z*[H−k]), D = ½(Z[k] − Z*[H−k]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitForward(float* zr, float* zi, float* re, float* im)
    {
        int h = _h;
        re[0] = zr[0] + zi[0]; im[0] = 0;
        re[h] = zr[0] - zi[0]; im[h] = 0;
        int k = 1;
        if (_simd)
        {
            var half = Vector256.Create(0.5f);
            for (; k + 8 <= h; k += 8)
            {
                var ar = Avx.LoadVector256(zr + k); var ai = Avx.LoadVector256(zi + k);
                var br = Avx2.PermuteVar8x32(Avx.LoadVector256(zr + h - k - 7), Reverse);
                var bi = -Avx2.PermuteVar8x32(Avx.LoadVector256(zi + h - k - 7), Reverse);
                var er = half * (ar + br); var ei = half * (ai + bi);
                var dr = half * (ar - br); var di = half * (ai - bi);
                var wr = Avx.LoadVector256(_wr + k); var wi = Avx.LoadVector256(_wi + k);
                var tr = MulSub(dr, wr, di * wi); var ti = MulAdd(dr, wi, di * wr);
                Avx.Store(re + k, er + ti);
                Avx.Store(im + k, ei - tr);
            }
        }
        for (; k < h; k++)
        {
            float ar = zr[k], ai = zi[k], br = zr[h - k], bi = -zi[h - k];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
            float wr = _wr[k], wi = _wi[k];
            float tr = dr * wr - di * wi, ti = dr * wi + di * wr;
            re[k] = er + ti; im[k] = ei - tr;
        }
    }

    /// <summary>Z[k] = (E[k] + i·O[k])/H with E = ½(X[k] + X*[H−k]), O = ½·W^{−k}(X[k] − X*[H−k]);
    /// Im X[0] and Im X[H] are ignored. The 1/H of the inverse is folded in here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SplitInverse(float* re, float* im, float* zr, float* zi)
    {
        int h = _h;
        float c = 0.5f / h;
        {
            float ar = re[0], br = re[h];
            float er = c * (ar + br), dr = c * (ar - br);
            zr[0] = er; zi[0] = dr; // W^0 = 1, di = 0
        }
        int k = 1;
        if (_simd)
        {
            var cv = Vector256.Create(c);
            for (; k + 8 <= h; k += 8)
            {
                var ar = Avx.LoadVector256(re + k); var ai = Avx.LoadVector256(im + k);
                var br = Avx2.PermuteVar8x32(Avx.LoadVector256(re + h - k - 7), Reverse);
                var bi = -Avx2.PermuteVar8x32(Avx.LoadVector256(im + h - k - 7), Reverse);
                var er = cv * (ar + br); var ei = cv * (ai + bi);
                var dr = cv * (ar - br); var di = cv * (ai - bi);
                var wr = Avx.LoadVector256(_wr + k); var wi = -Avx.LoadVector256(_wi + k);
                var or = MulSub(dr, wr, di * wi); var oi = MulAdd(dr, wi, di * wr);
                Avx.Store(zr + k, er - oi);
                Avx.Store(zi + k, ei + or);
            }
        }
        for (; k < h; k++)
        {
            float ar = re[k], ai = im[k], br = re[h - k], bi = -im[h - k];
            float er = c * (ar + br), ei = c * (ai + bi);
            float dr = c * (ar - br), di = c * (ai - bi);
            float wr = _wr[k], wi = -_wi[k];
            float or = dr * wr - di * wi, oi = dr * wi + di * wr;
            zr[k] = er - oi; zi[k] = ei + or;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Interleave(float* zr, float* zi, float* x)
    {
        int k = 0;
        if (_simd)
        {
            for (; k + 8 <= _h; k += 8)
            {
                var r = Avx.LoadVector256(zr + k); var i = Avx.LoadVector256(zi + k);
                var lo = Avx.UnpackLow(r, i); var hi = Avx.UnpackHigh(r, i);
                Avx.Store(x + 2 * k, Avx.Permute2x128(lo, hi, 0x20));
                Avx.Store(x + 2 * k + 8, Avx.Permute2x128(lo, hi, 0x31));
            }
        }
        for (; k < _h; k++) { x[2 * k] = zr[k]; x[2 * k + 1] = zi[k]; }
    }
}
