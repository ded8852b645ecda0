using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class StockhamRealFftTests
{
    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>max |a − b| / max |b| over both spectra.</summary>
    private static double RelMax(float[] ar, float[] ai, float[] br, float[] bi)
    {
        double err = 0, scale = 0;
        for (int k = 0; k < br.Length; k++)
        {
            err = Math.Max(err, Math.Max(Math.Abs(ar[k] - br[k]), Math.Abs(ai[k] - bi[k])));
            scale = Math.Max(scale, Math.Max(Math.Abs(br[k]), Math.Abs(bi[k])));
        }
        return err / scale;
    }

    public static TheoryData<int, bool> Sizes()
    {
        var d = new TheoryData<int, bool>();
        for (int n = 16; n <= 4096; n *= 2) { d.Add(n, true); d.Add(n, false); }
        d.Add(65536, true);
        d.Add(8, true);
        return d;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Forward_matches_radix2_reference_rtol_1e5(int n, bool simd)
    {
        var x = Noise(n, n);
        var copy = (float[])x.Clone();
        var fast = new StockhamRealFft(n, simd);
        var slow = new Radix2RealFft(n);
        int b = n / 2 + 1;
        float[] fr = new float[b], fi = new float[b], sr = new float[b], si = new float[b];
        fast.Forward(x, fr, fi);
        slow.Forward(x, sr, si);
        Assert.Equal(copy, x); // input not modified
        double err = RelMax(fr, fi, sr, si);
        Assert.True(err < 1e-5, $"n={n} simd={simd}: max rel diff {err:E3} ≥ 1e-5");
        Assert.Equal(0f, fi[0]);
        Assert.Equal(0f, fi[n / 2]);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Inverse_matches_radix2_reference_and_round_trips_rtol_1e5(int n, bool simd)
    {
        var x = Noise(n, 7 * n);
        var fast = new StockhamRealFft(n, simd);
        var slow = new Radix2RealFft(n);
        int b = n / 2 + 1;
        float[] re = new float[b], im = new float[b];
        slow.Forward(x, re, im);
        im[0] = 123f; im[n / 2] = -45f; // must be ignored, as numpy irfft
        var reCopy = (float[])re.Clone();
        float[] yFast = new float[n], ySlow = new float[n];
        fast.Inverse(re, im, yFast);
        slow.Inverse(re, im, ySlow);
        Assert.Equal(reCopy, re);
        double err = 0, errRef = 0, scale = 0;
        for (int i = 0; i < n; i++)
        {
            err = Math.Max(err, Math.Abs(yFast[i] - x[i]));
            errRef = Math.Max(errRef, Math.Abs(yFast[i] - ySlow[i]));
            scale = Math.Max(scale, Math.Abs(x[i]));
        }
        Assert.True(err / scale < 1e-5, $"n={n} simd={simd}: round trip max rel error {err / scale:E3} ≥ 1e-5");
        Assert.True(errRef / scale < 1e-5, $"n={n} simd={simd}: vs reference max rel diff {errRef / scale:E3} ≥ 1e-5");
    }

    [Fact]
    public void Single_cosine_lands_in_one_bin_atol_1e4()
    {
        const int n = 2048;
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)Math.Cos(2 * Math.PI * 37 * i / n);
        var fft = new StockhamRealFft(n);
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        for (int k = 0; k <= n / 2; k++)
        {
            float expected = k == 37 ? n / 2f : 0f;
            Assert.True(Math.Abs(re[k] - expected) < 1e-4 * n && Math.Abs(im[k]) < 1e-4 * n, $"bin {k}: {re[k]} + {im[k]}i, expected {expected}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(1000)]
    public void Rejects_sizes_that_are_not_powers_of_two_of_at_least_8(int n)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StockhamRealFft(n));
        Assert.Contains($"size={n}", ex.Message);
    }

    [Fact]
    public void Rejects_short_buffers()
    {
        var fft = new StockhamRealFft(64);
        var ex = Assert.Throws<ArgumentException>(() => fft.Forward(new float[32], new float[33], new float[33]));
        Assert.Contains("input 32", ex.Message);
    }
}
