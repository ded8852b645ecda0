using System.Text.RegularExpressions;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class LineChartTests
{
    [Fact]
    public void Draws_one_path_per_series_with_labels_and_legend()
    {
        var x = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var chart = new LineChart { Title = "t", XLabel = "Frequency (Hz)", YLabel = "mel" }
            .Add("a", x, x.Select(v => v * v).ToArray())
            .Add("b", x, x);
        var html = chart.ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Equal(2, Regex.Matches(html, "<path ").Count);
        Assert.Contains("Frequency (Hz)", html);
        Assert.Contains(">a<", html);
        Assert.Equal(50, Regex.Matches(Regex.Match(html, "<path [^>]*d=\"([^\"]*)\"").Groups[1].Value, "[ML]").Count);
    }

    [Fact]
    public void Long_series_are_thinned_but_keep_their_peak()
    {
        var y = new float[100_000];
        y[54_321] = 1f;
        var html = new LineChart { Width = 300 }.Add("", y, 1000).ToHtml();
        var d = Regex.Match(html, "<path [^>]*d=\"([^\"]*)\"").Groups[1].Value;
        Assert.True(Regex.Matches(d, "[ML]").Count < 2000, "points: " + Regex.Matches(d, "[ML]").Count);
        var top = Regex.Matches(d, @"[ML][\d.]+ ([\d.]+)").Min(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(top < 40, $"peak y={top} should be near the top");
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineChart().Add("x", [1, 2], [1]));
        Assert.Contains("x has 2 values but y has 1", e.Message);
    }
}
