using SpecLora.Analysis;

namespace SpecLora.Tests.Analysis;

public class RunningMedianTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(31, 100)]
    [InlineData(31, 20)]
    [InlineData(7, 3)]
    [InlineData(5, 1)]
    [InlineData(31, 2000)]
    public void Equals_a_sort_per_window_with_reflected_edges(int width, int n)
    {
        var rng = new Random(width * 1000 + n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rng.Next(0, 8) * 0.5f;   // many ties
        var dst = new float[n];
        RunningMedian.Filter(x, dst, width, new float[RunningMedian.ScratchLength(n, width)]);
        for (int i = 0; i < n; i++)
        {
            var w = Enumerable.Range(i - width / 2, width).Select(j => x[Onset.Reflect(j, n)]).Order().ToArray();
            Assert.Equal(w[width / 2], dst[i]);
        }
    }

    [Fact]
    public void Reflect_is_scipys_half_sample_symmetric_boundary()
    {
        // d c b a | a b c d | d c b a
        Assert.Equal([1, 0, 0, 1, 2, 3, 3, 2], new[] { -2, -1, 0, 1, 2, 3, 4, 5 }.Select(i => Onset.Reflect(i, 4)).ToArray());
    }
}
