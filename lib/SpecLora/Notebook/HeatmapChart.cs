using System.Text;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Notebook;

/// <summary>
/// A matrix drawn as a magma image inside SVG axes (row 0 at the bottom): tempograms, chromagrams, self-similarity
/// matrices. The X axis is in the caller's unit (e.g. seconds); the Y axis either numeric (<see cref="YMin"/> …
/// <see cref="YMax"/>) or named rows (<see cref="RowLabels"/>, e.g. pitch classes).
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class HeatmapChart : IHtmlView
{
    private readonly float[] _data;
    private readonly int _rows, _cols;

    /// <summary>A heatmap of a row-major [rows × cols] matrix (copied).</summary>
    /// <exception cref="ArgumentException">data.Length ≠ rows·cols.</exception>
    public HeatmapChart(float[] data, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows <= 0 || cols <= 0 || (long)rows * cols != data.Length) throw new ArgumentException($"data has {data.Length} values, not rows×cols = {rows}×{cols}", nameof(data));
        _data = (float[])data.Clone();
        _rows = rows; _cols = cols;
    }

    /// <summary>Title above the chart.</summary>
    public string? Title { get; init; }
    /// <summary>X axis label.</summary>
    public string? XLabel { get; init; }
    /// <summary>Y axis label.</summary>
    public string? YLabel { get; init; }
    /// <summary>X value of the first and last column.</summary>
    public (double Min, double Max) XRange { get; init; } = (0, 1);
    /// <summary>Y value of row 0 (numeric Y axis).</summary>
    public double YMin { get; init; }
    /// <summary>Y value of the last row (numeric Y axis).</summary>
    public double YMax { get; init; } = 1;
    /// <summary>One label per row instead of numeric ticks (e.g. C … B).</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }
    /// <summary>Value shown as the darkest colour; null = the data minimum.</summary>
    public float? VMin { get; init; }
    /// <summary>Value shown as the brightest colour; null = the data maximum.</summary>
    public float? VMax { get; init; }
    /// <summary>Width in CSS pixels.</summary>
    public int Width { get; init; } = 560;
    /// <summary>Height in CSS pixels.</summary>
    public int Height { get; init; } = 240;

    /// <inheritdoc/>
    public string ToHtml()
    {
        const int left = ChartFrame.Left, top = ChartFrame.Top;
        var (pw, ph) = ChartFrame.PlotArea(Width, Height);
        float vmin = VMin ?? _data.Min(), vmax = VMax ?? _data.Max();
        if (!(vmax > vmin)) vmax = vmin + 1;
        var s = Spectrogram.Create(_data, _rows, _cols, SpectrogramScale.Db, FrequencyAxis.Linear);
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(s, new RenderOptions { Width = pw, Height = ph, VMin = vmin, VMax = vmax }));
        var sb = new StringBuilder();
        ChartFrame.Open(sb, Width, Height, Title, "heatmap");
        sb.Append("<image x=\"").Append(left).Append("\" y=\"").Append(top).Append("\" width=\"").Append(pw).Append("\" height=\"").Append(ph)
          .Append("\" preserveAspectRatio=\"none\" href=\"").Append(Html.DataUri("image/png", png)).Append("\"/>");
        var (x0, x1) = XRange.Max > XRange.Min ? XRange : (0, 1);
        foreach (var t in Html.NiceTicks(x0, x1, Math.Max(2, pw / 80)))
        {
            double x = left + (t - x0) / (x1 - x0) * pw;
            Html.Line(sb, x, top + ph, x, top + ph + 4);
            Html.Text(sb, x, top + ph + 15, Html.TickLabel(t));
        }
        if (RowLabels is { Count: > 0 } labels)
            for (int r = 0; r < Math.Min(labels.Count, _rows); r++)
                Html.Text(sb, left - 5, top + ph - (r + 0.5) * ph / _rows + 4, labels[r], "end");
        else
        {
            double y0 = YMin, y1 = YMax > YMin ? YMax : YMin + 1;
            foreach (var t in Html.NiceTicks(y0, y1, Math.Max(2, ph / 45)))
            {
                double y = top + ph - (t - y0) / (y1 - y0) * ph;
                Html.Line(sb, left - 4, y, left, y);
                Html.Text(sb, left - 6, y + 4, Html.TickLabel(t), "end");
            }
        }
        ChartFrame.Close(sb, Width, Height, XLabel, YLabel);
        return sb.ToString();
    }

    /// <summary>Title and size (text/plain).</summary>
    public override string ToString() => $"Heatmap{(Title is null ? "" : " '" + Title + "'")}: {_rows}×{_cols}";
}
