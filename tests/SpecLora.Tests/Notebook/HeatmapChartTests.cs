using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class HeatmapChartTests
{
    [Fact]
    public void Embeds_one_png_of_the_plot_area_and_row_labels()
    {
        var data = Enumerable.Range(0, 12 * 40).Select(i => (float)(i % 40) / 40).ToArray();
        var html = new HeatmapChart(data, 12, 40) { Title = "chroma", RowLabels = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"], XRange = (0, 2), Width = 300, Height = 200 }.ToHtml();
        HtmlAssert.SelfContained(html);
        var pngs = HtmlAssert.DataUris(html, "image/png");
        Assert.Single(pngs);
        using var bitmap = SkiaSharp.SKBitmap.Decode(pngs[0]);
        Assert.Equal((300 - 70, 200 - 64), (bitmap.Width, bitmap.Height));
        // values rise left to right: the right edge is brighter than the left
        Assert.True(bitmap.GetPixel(bitmap.Width - 2, 50).Red > bitmap.GetPixel(1, 50).Red);
        Assert.Contains(">A#<", html);
        Assert.Throws<ArgumentException>(() => new HeatmapChart(new float[5], 2, 3));
    }
}
