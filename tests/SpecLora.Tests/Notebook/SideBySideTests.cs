using SpecLora.Audio;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class SideBySideTests
{
    [Fact]
    public void One_table_row_per_grid_row_with_image_player_and_metrics()
    {
        var clip = new AudioClip(new float[800], 8000);
        var rows = Enumerable.Range(1, 7).Select(i => new GridRow($"result {i}", null, new AudioView(clip),
            new Dictionary<string, object> { ["LSD (dB)"] = 1.23456, ["iterations"] = 32 })).ToList();
        var html = new SideBySide(rows, "seven").ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Equal(7, HtmlAssert.DataUris(html, "audio/wav").Count);
        Assert.Equal(7, System.Text.RegularExpressions.Regex.Matches(html, "<b>result \\d</b>").Count);
        Assert.Contains(">1.235<", html);
        Assert.Contains("seven", html);
    }

    [Fact]
    public void Labels_are_escaped_and_text_form_lists_metrics()
    {
        var grid = new SideBySide([new GridRow("<x>", Metrics: new Dictionary<string, object> { ["snr"] = 3.5f })]);
        Assert.Contains("&lt;x&gt;", grid.ToHtml());
        Assert.Equal("<x> | snr=3.5", grid.ToString());
    }

    [Fact]
    public void Html_row_puts_views_side_by_side()
    {
        var clip = new AudioClip(new float[80], 8000);
        var html = new HtmlRow([new AudioView(clip), new AudioView(clip)]).ToHtml();
        Assert.Contains("display:flex", html);
        Assert.Equal(2, HtmlAssert.DataUris(html, "audio/wav").Count);
    }
}
