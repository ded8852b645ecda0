using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class RealFftTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(256)]
    public void Radix2_reference_matches_a_direct_dft_rtol_1e5(int n)
    {
        var rng = new Random(n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var fft = new Radix2RealFft(n);
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        fft.Forward(x, re, im);
        double err = 0, scale = 0;
        for (int k = 0; k <= n / 2; k++)
        {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) { double a = -2 * Math.PI * k * j / n; sr += x[j] * Math.Cos(a); si += x[j] * Math.Sin(a); }
            err = Math.Max(err, Math.Max(Math.Abs(re[k] - sr), Math.Abs(im[k] - si)));
            scale = Math.Max(scale, Math.Max(Math.Abs(sr), Math.Abs(si)));
        }
        Assert.True(err / scale < 1e-5, $"n={n}: max rel diff to the direct DFT {err / scale:E3} ≥ 1e-5");
        var back = new float[n];
        fft.Inverse(re, im, back);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], back[i], 1e-5);
    }

    [Fact]
    public void Create_gives_the_fast_fft_from_8_points_and_the_reference_below()
    {
        Assert.IsType<StockhamRealFft>(RealFft.Create(2048));
        Assert.IsType<StockhamRealFft>(RealFft.Create(8));
        Assert.IsType<Radix2RealFft>(RealFft.Create(4));
        Assert.Equal(65536, RealFft.Create(65536).Size);
    }

    [Fact]
    public void Radix2_rejects_bad_sizes()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Radix2RealFft(6));
        Assert.Contains("size=6", ex.Message);
    }
}
