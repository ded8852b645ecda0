using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class WindowTests
{
    [Fact]
    public void Hann_is_periodic_like_scipy_fftbins_true()
    {
        var w = Window.Hann(8);
        double[] expected = [0, 0.14644660940672624, 0.5, 0.8535533905932737, 1, 0.8535533905932737, 0.5, 0.14644660940672624];
        for (int i = 0; i < 8; i++) Assert.Equal(expected[i], w[i], 1e-7);
        // periodic: the sum of squares at hop N/4 is the constant 1.5
        var big = Window.Hann(2048);
        for (int j = 0; j < 512; j++)
        {
            double s = 0;
            for (int t = 0; t < 4; t++) s += (double)big[j + 512 * t] * big[j + 512 * t];
            Assert.Equal(1.5, s, 1e-6);
        }
    }

    [Fact]
    public void HannPadded_centres_a_shorter_window()
    {
        var w = Window.HannPadded(1000, 2048);
        Assert.Equal(2048, w.Length);
        var inner = Window.Hann(1000);
        for (int i = 0; i < 2048; i++)
        {
            int j = i - 524;
            Assert.Equal((uint)j < 1000u ? inner[j] : 0f, w[i]);
        }
        Assert.Equal(Window.Hann(2048), Window.HannPadded(2048, 2048));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Hann_rejects_non_positive_lengths(int length)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Window.Hann(length));
        Assert.Contains($"length={length} must be > 0", ex.Message);
        Assert.Equal("length", ex.ParamName);
    }
}
