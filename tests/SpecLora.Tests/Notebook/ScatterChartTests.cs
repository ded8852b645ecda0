using System.Text.RegularExpressions;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class ScatterChartTests
{
    [Fact]
    public void Draws_one_marker_per_finite_point_with_legend_and_labels()
    {
        var chart = new ScatterChart { Title = "measures", XLabel = "pulse clarity", YLabel = "key clarity" }
            .Add("music", [0.1, 0.5], [0.6, 0.7], ["a", "b"])
            .Add("controls", [0.02, double.NaN, 0.03], [0.1, 0.2, 0.15]);
        var html = chart.ToHtml();
        HtmlAssert.SelfContained(html);
        // group 0: circles (2 points + 1 legend); group 1: squares (2 finite points + 1 legend)
        Assert.Equal(3, Regex.Matches(html, "<circle ").Count);
        Assert.Equal(3, Regex.Matches(html, "<rect x=\"[\\d.]+\" y=\"[\\d.]+\" width=\"7\"").Count);
        Assert.Contains(">music<", html);
        Assert.Contains(">b<", html);
        Assert.Contains("pulse clarity", html);
        Assert.Contains("controls (3 points)", chart.ToString());
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ScatterChart().Add("x", [1, 2], [1]));
        Assert.Contains("x has 2 values but y has 1", e.Message);
    }

    [Fact]
    public void The_legend_sits_below_the_plot_area_never_on_the_points()
    {
        // 07's scatter: the legend, drawn in the plot's top-right corner, covered points there
        var chart = new ScatterChart { Width = 420, Height = 320 }
            .Add("real music", [0.9, 1.0], [0.9, 1.0])
            .Add("controls", [0.1], [0.95])
            .Add("README results", [0.5], [0.5]);
        var html = chart.ToHtml();
        var plot = LineChartTests.PlotArea(html);
        var legend = Regex.Match(html, "<g class=\"legend\">(.*?)</g>").Groups[1].Value;
        Assert.Equal(3, Regex.Matches(legend, "<text ").Count);
        foreach (Match m in Regex.Matches(legend, " (?:cy|y)=\"([0-9.]+)\""))
            Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > plot.Bottom + 20, $"legend at y={m.Groups[1].Value}, plot ends at {plot.Bottom}");
    }
}
