using SpecLora.Notebook;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Notebook;

public class FilterbankChartTests
{
    [Fact]
    public void Draws_every_nth_filter_over_hertz()
    {
        var chart = new FilterbankChart(every: 8);
        Assert.Equal(16, chart.ToChart().Series.Count);
        var html = chart.ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Contains("Frequency (Hz)", html);
        Assert.Contains("128 filters", html);
    }

    [Fact]
    public void Filter_peaks_match_the_filterbank_weights()
    {
        var options = new MelOptions { NMels = 10 };
        var bank = MelFilterBank.Get(options);
        var series = new FilterbankChart(options).ToChart().Series;
        Assert.Equal(10, series.Count);
        for (var m = 0; m < 10; m++) Assert.Equal(bank.RowWeights(m).ToArray().Max(), series[m].Y.Max(), 6);
    }

    [Fact]
    public void Rejects_every_below_one()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FilterbankChart(every: 0));
}
