namespace SpecLora.Spectrograms;

/// <summary>
/// Real-input FFT of a fixed power-of-two size N, numpy <c>rfft</c>/<c>irfft</c> conventions:
/// Forward gives N/2+1 bins, X[k] = Σ x[n] e^{−2πikn/N}; Inverse is normalised by 1/N.
/// Implementations precompute their tables in the constructor, allocate nothing per call and are not thread-safe
/// (one instance per thread). Internal and swappable: see <see cref="RealFft.Create"/>.
/// </summary>
internal interface IRealFft
{
    /// <summary>Transform size N (real samples).</summary>
    int Size { get; }
    /// <summary>x (N samples) → re, im (N/2+1 each).</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im);
    /// <summary>re, im (N/2+1 each) → x (N samples), scaled by 1/N. Imaginary parts of DC and Nyquist are ignored.</summary>
    void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output);
}

/// <summary>Factory for the FFT used by every spectrogram routine.</summary>
internal static class RealFft
{
    /// <summary>Creates the fastest available real FFT of size <paramref name="size"/> (a power of two ≥ 4):
    /// <see cref="StockhamRealFft"/> from 8 points up (AVX2 kernels from 64, scalar below or without AVX2),
    /// <see cref="Radix2RealFft"/> for 4.</summary>
    public static IRealFft Create(int size) => size >= 8 ? new StockhamRealFft(size) : new Radix2RealFft(size);
}

/// <summary>
/// Reference implementation: real N through a complex N/2 radix-2 transform with precomputed twiddles
/// (pack z[k] = x[2k] + i·x[2k+1], then the split step). Correct and allocation-free; not the fastest.
/// </summary>
internal sealed class Radix2RealFft : IRealFft
{
    private readonly int _n, _h;
    private readonly float[] _cosH, _sinH;    // twiddles for the complex N/2 transform: e^{-2πik/H}
    private readonly float[] _cosN, _sinN;    // split twiddles e^{-2πik/N}, k < H
    private readonly int[] _rev;
    private readonly float[] _zr, _zi;

    public Radix2RealFft(int size)
    {
        if (size < 4 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, $"FFT size={size} must be a power of two ≥ 4");
        _n = size; _h = size / 2;
        _cosH = new float[_h / 2 + 1]; _sinH = new float[_h / 2 + 1];
        for (int k = 0; k <= _h / 2; k++) { double a = -2 * Math.PI * k / _h; _cosH[k] = (float)Math.Cos(a); _sinH[k] = (float)Math.Sin(a); }
        _cosN = new float[_h + 1]; _sinN = new float[_h + 1];
        for (int k = 0; k <= _h; k++) { double a = -2 * Math.PI * k / _n; _cosN[k] = (float)Math.Cos(a); _sinN[k] = (float)Math.Sin(a); }
        _rev = new int[_h];
        int bits = System.Numerics.BitOperations.Log2((uint)_h);
        for (int i = 0; i < _h; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) if ((i & (1 << b)) != 0) r |= 1 << (bits - 1 - b);
            _rev[i] = r;
        }
        _zr = new float[_h]; _zi = new float[_h];
    }

    public int Size => _n;

    private void ComplexFft(bool inverse)
    {
        var zr = _zr; var zi = _zi; int h = _h;
        for (int i = 0; i < h; i++) { int j = _rev[i]; if (j > i) { (zr[i], zr[j]) = (zr[j], zr[i]); (zi[i], zi[j]) = (zi[j], zi[i]); } }
        float sign = inverse ? -1f : 1f;
        for (int len = 2; len <= h; len <<= 1)
        {
            int half = len >> 1, step = h / len;
            for (int start = 0; start < h; start += len)
            {
                for (int k = 0; k < half; k++)
                {
                    float wr = _cosH[k * step], wi = sign * _sinH[k * step];
                    int a = start + k, b = a + half;
                    float tr = zr[b] * wr - zi[b] * wi, ti = zr[b] * wi + zi[b] * wr;
                    zr[b] = zr[a] - tr; zi[b] = zi[a] - ti;
                    zr[a] += tr; zi[a] += ti;
                }
            }
        }
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> re, Span<float> im)
    {
        if (input.Length < _n || re.Length < _h + 1 || im.Length < _h + 1) throw new ArgumentException("buffer too small");
        for (int k = 0; k < _h; k++) { _zr[k] = input[2 * k]; _zi[k] = input[2 * k + 1]; }
        ComplexFft(false);
        // X[k] = ½(Z[k] + Z*[H−k]) − ½i·W^k(Z[k] − Z*[H−k])
        re[0] = _zr[0] + _zi[0]; im[0] = 0;
        re[_h] = _zr[0] - _zi[0]; im[_h] = 0;
        for (int k = 1; k < _h; k++)
        {
            float ar = _zr[k], ai = _zi[k], br = _zr[_h - k], bi = -_zi[_h - k];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);      // even part
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);      // (Z − Z*)/2
            // odd = −i·W^k·d
            float wr = _cosN[k], wi = _sinN[k];
            float tr = dr * wr - di * wi, ti = dr * wi + di * wr;  // W^k d
            re[k] = er + ti; im[k] = ei - tr;
        }
    }

    public void Inverse(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> output)
    {
        if (output.Length < _n || re.Length < _h + 1 || im.Length < _h + 1) throw new ArgumentException("buffer too small");
        // Z[k] = E[k] + i·O[k], E = ½(X[k] + X*[H−k]), O = ½·W^{−k}(X[k] − X*[H−k])
        for (int k = 0; k < _h; k++)
        {
            float ar = re[k], ai = k == 0 ? 0 : im[k], br = re[_h - k], bi = -(k == 0 ? 0 : im[_h - k]);
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
            float wr = _cosN[k], wi = -_sinN[k];
            float or = dr * wr - di * wi, oi = dr * wi + di * wr;
            _zr[k] = er - oi; _zi[k] = ei + or;
        }
        ComplexFft(true);
        float scale = 1f / _h;
        for (int k = 0; k < _h; k++) { output[2 * k] = _zr[k] * scale; output[2 * k + 1] = _zi[k] * scale; }
    }
}
