using System.Text;

namespace SpecLora.Notebook;

/// <summary>The frame shared by <see cref="ScatterChart"/> and <see cref="HeatmapChart"/>: the SVG opening with a
/// white background and title, and the plot-area border with axis labels (margins as <see cref="LineChart"/>); and the
/// legend of the line and scatter charts, drawn below the x-axis label, off the data.</summary>
internal static class ChartFrame
{
    public const int Left = 58, Right = 12, Top = 24, Bottom = 40;

    /// <summary>Plot-area width and height for a chart of <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static (int Width, int Height) PlotArea(int width, int height) => (Math.Max(40, width - Left - Right), Math.Max(40, height - Top - Bottom));

    /// <summary>Height of one legend line, in pixels.</summary>
    public const int LegendLine = 14;

    /// <summary>&lt;figure&gt;&lt;svg&gt;, background and title; <paramref name="extraHeight"/> pixels below the chart (the legend's).</summary>
    public static void Open(StringBuilder sb, int width, int height, string? title, string fallbackLabel, int extraHeight = 0)
    {
        var (pw, _) = PlotArea(width, height);
        sb.Append("<figure class=\"speclora-chart\" style=\"margin:4px;display:inline-block;vertical-align:top;").Append(Html.Font).Append("\">");
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(height + extraHeight)
          .Append("\" role=\"img\" aria-label=\"").Append(Html.Escape(title ?? fallbackLabel)).Append("\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        if (!string.IsNullOrWhiteSpace(title)) Html.Text(sb, Left + pw / 2.0, 15, title!, "middle", " font-weight=\"600\"");
    }

    /// <summary>Plot-area border, axis labels and the closing tags.</summary>
    public static void Close(StringBuilder sb, int width, int height, string? xLabel, string? yLabel)
    {
        var (pw, ph) = PlotArea(width, height);
        sb.Append("<rect class=\"plot-area\" x=\"").Append(Left).Append("\" y=\"").Append(Top).Append("\" width=\"").Append(pw).Append("\" height=\"").Append(ph).Append("\" fill=\"none\" stroke=\"#444\"/>");
        if (!string.IsNullOrWhiteSpace(xLabel)) Html.Text(sb, Left + pw / 2.0, height - 6, xLabel!);
        if (!string.IsNullOrWhiteSpace(yLabel)) Html.Text(sb, 12, Top + ph / 2.0, yLabel!, "middle", $" transform=\"rotate(-90 12 {Html.N(Top + ph / 2.0)})\"");
        sb.Append("</svg></figure>");
    }

    /// <summary>Where each legend entry goes: entries flow left to right from the plot's left edge and wrap at the chart's
    /// right edge, one <see cref="LegendLine"/> per line, below a chart of <paramref name="height"/> pixels.</summary>
    /// <returns>The entries' (x, baseline y) and the extra height the legend needs (0 without names).</returns>
    public static ((double X, double Y)[] Places, int Height) LegendLayout(IReadOnlyList<string> names, int width, int height)
    {
        var places = new (double X, double Y)[names.Count];
        if (names.Count == 0) return (places, 0);
        double x = Left, line = 0;
        for (int i = 0; i < names.Count; i++)
        {
            double w = 22 + 6.6 * names[i].Length + 14;   // swatch, text at ≈ 6.6 px a character (12 px sans), gap
            if (x > Left && x + w > width - Right) { x = Left; line++; }
            places[i] = (x, height + 8 + line * LegendLine);
            x += w;
        }
        return (places, (int)(line + 1) * LegendLine + 6);
    }

    /// <summary>The legend (<c>&lt;g class="legend"&gt;</c>) at <paramref name="places"/>: a swatch drawn by
    /// <paramref name="swatch"/>(sb, index, x, y) and the name.</summary>
    public static void Legend(StringBuilder sb, IReadOnlyList<string> names, (double X, double Y)[] places, Action<StringBuilder, int, double, double> swatch)
    {
        if (names.Count == 0) return;
        sb.Append("<g class=\"legend\">");
        for (int i = 0; i < names.Count; i++)
        {
            var (x, y) = places[i];
            swatch(sb, i, x + 9, y - 4);
            Html.Text(sb, x + 22, y, names[i], "start");
        }
        sb.Append("</g>");
    }
}
