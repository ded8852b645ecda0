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

    [Fact]
    public void A_row_and_a_gallery_are_told_apart()
    {
        var text = new TextView("t");
        Assert.Contains("class=\"speclora-row\"", Show.Row(text, text).ToHtml());
        Assert.Contains("class=\"speclora-gallery\"", Show.Gallery([text, text]).ToHtml());
        Assert.True(Show.Gallery([text]).IsGallery);
        Assert.False(Show.Row(text).IsGallery);
    }

    [Fact]
    public void Text_in_a_row_wraps_within_its_own_column()
    {
        // 04 §5: a long setting label pushed "not generated in this run" onto a line of its own
        var label = new TextView("Setting 6: “A photo of a dog in the style of SPECTROGRAM”, negative “noisy”, guidance 7.5, 50 steps");
        var html = Show.Row(label, new AudioView(new AudioClip(new float[80], 8000)), new TextView("not generated in this run (no token)")).ToHtml();
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, $"<div style=\"max-width:{HtmlRow.TextMaxWidthEm}em\"><p class=\"speclora-text\"").Count);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<div><figure class=\"speclora-audio\""));
    }

    [Fact]
    public void Long_text_metrics_wrap_left_aligned_and_numbers_stay_right_aligned()
    {
        var html = new SideBySide([new GridRow("r", Metrics: new Dictionary<string, object>
        {
            ["time axis"] = "419 frames (9.71 s) in 640 columns, 0.65 per column, from the picture's metadata",
            ["length (s)"] = 9.706,
            ["off-colormap"] = "0.7 %",
        })]).ToHtml();
        Assert.Contains($"text-align:left;font-variant-numeric:tabular-nums;max-width:{SideBySide.MetricMaxWidthEm}em;overflow-wrap:anywhere\">419 frames", html);
        Assert.Contains("text-align:right;font-variant-numeric:tabular-nums;max-width:22em;overflow-wrap:anywhere\">9.706<", html);
        Assert.Contains("text-align:right;font-variant-numeric:tabular-nums;max-width:22em;overflow-wrap:anywhere\">0.7 %<", html);
    }
}
