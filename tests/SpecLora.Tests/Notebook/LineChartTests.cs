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
        var top = Regex.Matches(d, @"[ML][0-9.]+ ([0-9.]+)").Min(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(top < 40, $"peak y={top} should be near the top");
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new LineChart().Add("x", [1, 2], [1]));
        Assert.Contains("x has 2 values but y has 1", e.Message);
    }

    [Fact]
    public void The_legend_sits_below_the_plot_area_never_on_the_data()
    {
        var x = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var chart = new LineChart { Width = 300, Height = 200 };
        foreach (var name in new[] { "librosa-style baseline", "ours (FISTA + PGHI + FGLA32)", "third", "fourth" })
            chart.Add(name, x, x);
        var html = chart.ToHtml();
        var plot = PlotArea(html);
        var legend = Regex.Match(html, "<g class=\"legend\">(.*?)</g>").Groups[1].Value;
        Assert.Equal(4, Regex.Matches(legend, "<text ").Count);
        foreach (Match m in Regex.Matches(legend, "<(?:text|line) [^>]*?(?:y|y1)=\"([0-9.]+)\""))
            Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > plot.Bottom + 20, $"legend at y={m.Groups[1].Value}, plot ends at {plot.Bottom}");
        var svgHeight = int.Parse(Regex.Match(html, "<svg [^>]*height=\"([0-9]+)\"").Groups[1].Value);
        Assert.True(svgHeight > 200, "the legend's lines are added below the chart");
        foreach (Match m in Regex.Matches(legend, "<text [^>]*y=\"([0-9.]+)\""))
            Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < svgHeight);
        Assert.DoesNotContain("class=\"legend\"", new LineChart().Add("", x, x).ToHtml());
    }

    /// <summary>The plot-area rectangle's bottom edge.</summary>
    internal static (double Top, double Bottom) PlotArea(string html)
    {
        var m = Regex.Match(html, "<rect class=\"plot-area\" x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\"");
        Assert.True(m.Success, "no plot-area rectangle");
        double top = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (top, top + double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
