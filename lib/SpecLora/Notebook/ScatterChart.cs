using System.Text;

namespace SpecLora.Notebook;

/// <summary>One group of points of a <see cref="ScatterChart"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (same length).</param>
/// <param name="Labels">Optional text beside each point (null or shorter = no label).</param>
public sealed record ScatterGroup(string Name, double[] X, double[] Y, string[]? Labels = null);

/// <summary>
/// A scatter plot as inline SVG, in the style of <see cref="LineChart"/>: one colour and marker per group, nice ticks,
/// axis labels, legend, optional point labels. For comparing measures of groups (music, controls, results).
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class ScatterChart : IHtmlView
{
    private readonly List<ScatterGroup> _groups = [];

    /// <summary>Title above the chart.</summary>
    public string? Title { get; init; }
    /// <summary>X axis label.</summary>
    public string? XLabel { get; init; }
    /// <summary>Y axis label.</summary>
    public string? YLabel { get; init; }
    /// <summary>Width in CSS pixels.</summary>
    public int Width { get; init; } = 420;
    /// <summary>Height in CSS pixels.</summary>
    public int Height { get; init; } = 320;

    /// <summary>The groups in drawing order.</summary>
    public IReadOnlyList<ScatterGroup> Groups => _groups;

    /// <summary>Adds a group and returns this chart (fluent).</summary>
    /// <exception cref="ArgumentException">X and Y lengths differ.</exception>
    public ScatterChart Add(string name, double[] x, double[] y, string[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values but y has {y.Length}; give one x per y", nameof(y));
        _groups.Add(new ScatterGroup(name ?? "", x, y, labels));
        return this;
    }

    /// <inheritdoc/>
    public string ToHtml()
    {
        const int left = ChartFrame.Left, top = ChartFrame.Top;
        var (pw, ph) = ChartFrame.PlotArea(Width, Height);
        var (xmin, xmax) = Range(_groups.SelectMany(g => g.X));
        var (ymin, ymax) = Range(_groups.SelectMany(g => g.Y));
        double X(double v) => left + (v - xmin) / (xmax - xmin) * pw;
        double Y(double v) => top + ph - (v - ymin) / (ymax - ymin) * ph;
        var sb = new StringBuilder();
        var names = _groups.Any(g => !string.IsNullOrEmpty(g.Name)) ? _groups.Take(12).Select(g => g.Name).ToList() : [];
        var (legend, legendHeight) = ChartFrame.LegendLayout(names, Width, Height);
        ChartFrame.Open(sb, Width, Height, Title, "scatter chart", legendHeight);
        foreach (var t in Html.NiceTicks(xmin, xmax, Math.Max(2, pw / 80)))
        {
            Html.Line(sb, X(t), top, X(t), top + ph, "#eee");
            Html.Text(sb, X(t), top + ph + 15, Html.TickLabel(t));
        }
        foreach (var t in Html.NiceTicks(ymin, ymax, Math.Max(2, ph / 45)))
        {
            Html.Line(sb, left, Y(t), left + pw, Y(t), "#eee");
            Html.Text(sb, left - 5, Y(t) + 4, Html.TickLabel(t), "end");
        }
        for (int g = 0; g < _groups.Count; g++)
        {
            var group = _groups[g];
            string colour = LineChart.Palette[g % LineChart.Palette.Length];
            for (int i = 0; i < group.X.Length; i++)
            {
                if (!double.IsFinite(group.X[i]) || !double.IsFinite(group.Y[i])) continue;
                double cx = X(group.X[i]), cy = Y(group.Y[i]);
                Marker(sb, g, cx, cy, colour);
                if (group.Labels is { } labels && i < labels.Length && !string.IsNullOrEmpty(labels[i]))
                    Html.Text(sb, cx + 6, cy - 5, labels[i], "start", " font-size=\"9\" fill=\"#555\"");
            }
        }
        ChartFrame.Legend(sb, names, legend, (b, g, x, y) => Marker(b, g, x, y, LineChart.Palette[g % LineChart.Palette.Length]));
        ChartFrame.Close(sb, Width, Height, XLabel, YLabel);
        return sb.ToString();
    }

    /// <summary>Circle, square, triangle, diamond… by group index.</summary>
    private static void Marker(StringBuilder sb, int group, double x, double y, string colour)
    {
        string fill = $" fill=\"{colour}\" fill-opacity=\"0.8\" stroke=\"{colour}\"";
        switch (group % 4)
        {
            case 0: sb.Append("<circle cx=\"").Append(Html.N(x)).Append("\" cy=\"").Append(Html.N(y)).Append("\" r=\"4\"").Append(fill).Append("/>"); break;
            case 1: sb.Append("<rect x=\"").Append(Html.N(x - 3.5)).Append("\" y=\"").Append(Html.N(y - 3.5)).Append("\" width=\"7\" height=\"7\"").Append(fill).Append("/>"); break;
            case 2: sb.Append("<path d=\"M").Append(Html.N(x)).Append(' ').Append(Html.N(y - 4.5)).Append('L').Append(Html.N(x + 4.5)).Append(' ').Append(Html.N(y + 3.5))
                .Append('L').Append(Html.N(x - 4.5)).Append(' ').Append(Html.N(y + 3.5)).Append("Z\"").Append(fill).Append("/>"); break;
            default: sb.Append("<path d=\"M").Append(Html.N(x)).Append(' ').Append(Html.N(y - 5)).Append('L').Append(Html.N(x + 5)).Append(' ').Append(Html.N(y))
                .Append('L').Append(Html.N(x)).Append(' ').Append(Html.N(y + 5)).Append('L').Append(Html.N(x - 5)).Append(' ').Append(Html.N(y)).Append("Z\"").Append(fill).Append("/>"); break;
        }
    }

    private static (double, double) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values) if (double.IsFinite(v)) { min = Math.Min(min, v); max = Math.Max(max, v); }
        if (!double.IsFinite(min)) return (0, 1);
        if (max <= min) return (min - 0.5, max + 0.5);
        double pad = (max - min) * 0.08;
        return (min - pad, max + pad);
    }

    /// <summary>Title and group names with their point counts (text/plain).</summary>
    public override string ToString()
        => $"Scatter{(Title is null ? "" : " '" + Title + "'")}: " + string.Join(", ", _groups.Select(g => $"{g.Name} ({g.X.Length} points)"));
}
