using System.Text;

namespace SpecLora.Notebook;

/// <summary>The frame shared by <see cref="ScatterChart"/> and <see cref="HeatmapChart"/>: the SVG opening with a
/// white background and title, and the plot-area border with axis labels (margins as <see cref="LineChart"/>).</summary>
internal static class ChartFrame
{
    public const int Left = 58, Right = 12, Top = 24, Bottom = 40;

    /// <summary>Plot-area width and height for a chart of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static (int Width, int Height) PlotArea(int width, int height) => (Math.Max(40, width - Left - Right), Math.Max(40, height - Top - Bottom));

    /// <summary>&lt;figure&gt;&lt;svg&gt;, background and title.</summary>
    public static void Open(StringBuilder sb, int width, int height, string? title, string fallbackLabel)
    {
        var (pw, _) = PlotArea(width, height);
        sb.Append("<figure class=\"speclora-chart\" style=\"margin:4px;display:inline-block;vertical-align:top;").Append(Html.Font).Append("\">");
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(height)
          .Append("\" role=\"img\" aria-label=\"").Append(Html.Escape(title ?? fallbackLabel)).Append("\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        if (!string.IsNullOrWhiteSpace(title)) Html.Text(sb, Left + pw / 2.0, 15, title!, "middle", " font-weight=\"600\"");
    }

    /// <summary>Plot-area border, axis labels and the closing tags.</summary>
    public static void Close(StringBuilder sb, int width, int height, string? xLabel, string? yLabel)
    {
        var (pw, ph) = PlotArea(width, height);
        sb.Append("<rect x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(pw).Append("\" height=\"").Append(ph).Append("\" fill=\"none\" stroke=\"#444\"/>");
        if (!string.IsNullOrWhiteSpace(xLabel)) Html.Text(sb, Left + pw / 2.0, height - 6, xLabel!);
        if (!string.IsNullOrWhiteSpace(yLabel)) Html.Text(sb, 12, Top + ph / 2.0, yLabel!, "middle", $" transform=\"rotate(-90 12 {Html.N(Top + ph / 2.0)})\"");
        sb.Append("</svg></figure>");
    }
}
