using System.Text;

namespace SpecLora.Notebook;

/// <summary>One named curve of a <see cref="LineChart"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values (same length as <paramref name="Y"/>).</param>
/// <param name="Y">Y values; non-finite values break the line.</param>
public sealed record ChartSeries(string Name, double[] X, double[] Y);

/// <summary>
/// A small line chart drawn as inline SVG (axes with nice ticks, labels, legend): mel scale curves, windows,
/// waveforms, error curves. Long series are thinned to a min/max envelope of about two points per pixel.
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class LineChart : IHtmlView
{
    internal static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
    private readonly List<ChartSeries> _series = [];

    /// <summary>Title above the chart.</summary>
    public string? Title { get; init; }
    /// <summary>X axis label with unit, e.g. "Frequency (Hz)".</summary>
    public string? XLabel { get; init; }
    /// <summary>Y axis label with unit.</summary>
    public string? YLabel { get; init; }
    /// <summary>Width in CSS pixels.</summary>
    public int Width { get; init; } = 560;
    /// <summary>Height in CSS pixels.</summary>
    public int Height { get; init; } = 260;
    /// <summary>Fixed Y range (min, max); null = fit the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>The curves in drawing order.</summary>
    public IReadOnlyList<ChartSeries> Series => _series;

    /// <summary>Adds a curve and returns this chart (fluent).</summary>
    /// <exception cref="ArgumentException">X and Y lengths differ.</exception>
    public LineChart Add(string name, double[] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length) throw new ArgumentException($"x has {x.Length} values but y has {y.Length}; give one x per y", nameof(y));
        _series.Add(new ChartSeries(name ?? "", x, y));
        return this;
    }

    /// <summary>Adds a curve against its index (x = 0, 1, 2, …), or against time when <paramref name="sampleRate"/> is given.</summary>
    public LineChart Add(string name, ReadOnlySpan<float> y, double? sampleRate = null)
    {
        var xs = new double[y.Length];
        var ys = new double[y.Length];
        for (var i = 0; i < y.Length; i++) { xs[i] = sampleRate is { } sr ? i / sr : i; ys[i] = y[i]; }
        return Add(name, xs, ys);
    }

    /// <inheritdoc/>
    public string ToHtml()
    {
        const int left = 58, right = 12, top = 24, bottom = 40;
        int pw = Math.Max(40, Width - left - right), ph = Math.Max(40, Height - top - bottom);
        var (xmin, xmax, ymin, ymax) = Bounds();
        var sb = new StringBuilder();
        var names = _series.Any(x => !string.IsNullOrEmpty(x.Name)) && _series.Count <= 12 ? _series.Select(x => x.Name).ToList() : [];
        var (legend, legendHeight) = ChartFrame.LegendLayout(names, Width, Height);
        ChartFrame.Open(sb, Width, Height, Title, "chart", legendHeight);
        double X(double v) => left + (v - xmin) / (xmax - xmin) * pw;
        double Y(double v) => top + ph - (v - ymin) / (ymax - ymin) * ph;
        foreach (var t in Html.NiceTicks(xmin, xmax, Math.Max(2, pw / 80)))
        {
            Html.Line(sb, X(t), top, X(t), top + ph, "#eee");
            Html.Text(sb, X(t), top + ph + 15, Html.TickLabel(t, kilo: xmax >= 10000));
        }
        foreach (var t in Html.NiceTicks(ymin, ymax, Math.Max(2, ph / 45)))
        {
            Html.Line(sb, left, Y(t), left + pw, Y(t), "#eee");
            Html.Text(sb, left - 5, Y(t) + 4, Html.TickLabel(t, kilo: ymax >= 10000), "end");
        }
        sb.Append("<rect class=\"plot-area\" x=\"").Append(left).Append("\" y=\"").Append(top).Append("\" width=\"").Append(pw).Append("\" height=\"").Append(ph).Append("\" fill=\"none\" stroke=\"#444\"/>");
        if (!string.IsNullOrWhiteSpace(XLabel)) Html.Text(sb, left + pw / 2.0, Height - 6, XLabel!);
        if (!string.IsNullOrWhiteSpace(YLabel)) Html.Text(sb, 12, top + ph / 2.0, YLabel!, "middle", $" transform=\"rotate(-90 12 {Html.N(top + ph / 2.0)})\"");
        for (var s = 0; s < _series.Count; s++)
        {
            sb.Append("<path fill=\"none\" stroke=\"").Append(Palette[s % Palette.Length]).Append("\" stroke-width=\"1.3\" d=\"");
            AppendPath(sb, _series[s], X, Y, pw, ymin, ymax);
            sb.Append("\"/>");
        }
        ChartFrame.Legend(sb, names, legend, (b, s, x, y) => Html.Line(b, x - 9, y, x + 9, y, Palette[s % Palette.Length], 2));
        sb.Append("</svg></figure>");
        return sb.ToString();
    }

    private static void AppendPath(StringBuilder sb, ChartSeries series, Func<double, double> x, Func<double, double> y, int pixels, double ymin, double ymax)
    {
        var n = series.X.Length;
        var step = Math.Max(1, n / (pixels * 2));
        var pen = false;
        for (var i = 0; i < n; i += step)
        {
            // thin long series: keep min and max of each bucket so peaks survive
            int lo = i, hi = i;
            for (var j = i; j < Math.Min(n, i + step); j++)
            {
                if (!double.IsFinite(series.Y[j])) continue;
                if (!double.IsFinite(series.Y[lo]) || series.Y[j] < series.Y[lo]) lo = j;
                if (!double.IsFinite(series.Y[hi]) || series.Y[j] > series.Y[hi]) hi = j;
            }
            foreach (var k in lo <= hi ? new[] { lo, hi } : new[] { hi, lo })
            {
                if (!double.IsFinite(series.Y[k]) || !double.IsFinite(series.X[k])) { pen = false; continue; }
                var yv = Math.Clamp(series.Y[k], ymin, ymax);
                sb.Append(pen ? 'L' : 'M').Append(Html.N(x(series.X[k]))).Append(' ').Append(Html.N(y(yv)));
                pen = true;
                if (lo == hi) break;
            }
        }
    }

    private (double, double, double, double) Bounds()
    {
        double xmin = double.PositiveInfinity, xmax = double.NegativeInfinity, ymin = double.PositiveInfinity, ymax = double.NegativeInfinity;
        foreach (var s in _series)
            for (var i = 0; i < s.X.Length; i++)
            {
                if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i])) continue;
                xmin = Math.Min(xmin, s.X[i]); xmax = Math.Max(xmax, s.X[i]);
                ymin = Math.Min(ymin, s.Y[i]); ymax = Math.Max(ymax, s.Y[i]);
            }
        if (YRange is { } r) { ymin = r.Min; ymax = r.Max; }
        if (!double.IsFinite(xmin)) { xmin = 0; xmax = 1; }
        if (!double.IsFinite(ymin)) { ymin = 0; ymax = 1; }
        if (xmax <= xmin) xmax = xmin + 1;
        if (ymax <= ymin) { ymin -= 0.5; ymax += 0.5; }
        else if (YRange is null) { var pad = (ymax - ymin) * 0.05; ymin -= pad; ymax += pad; }
        return (xmin, xmax, ymin, ymax);
    }

    /// <summary>Title and series names with their point counts (used as text/plain).</summary>
    public override string ToString()
        => $"Chart{(Title is null ? "" : " '" + Title + "'")}: " + string.Join(", ", _series.Select(s => $"{s.Name} ({s.X.Length} points)"));
}
