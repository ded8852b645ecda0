using System.Globalization;
using System.Text;

namespace SpecLora.Notebook;

/// <summary>Small HTML/SVG building blocks shared by the views (invariant culture everywhere).</summary>
internal static class Html
{
    internal const string Font = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px";

    /// <summary>HTML-escapes text for element content and attribute values.</summary>
    internal static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            sb.Append(c switch { '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }

    /// <summary>A number for SVG coordinates: invariant, at most 2 decimals.</summary>
    internal static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A number for humans: invariant, <paramref name="format"/>.</summary>
    internal static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A data URI of <paramref name="bytes"/> with MIME type <paramref name="mime"/>.</summary>
    internal static string DataUri(string mime, ReadOnlySpan<byte> bytes) => SpecLora.IO.DataUri.Encode(mime, bytes);

    /// <summary>An SVG text element.</summary>
    internal static void Text(StringBuilder sb, double x, double y, string text, string anchor = "middle", string extra = "")
        => sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor)
             .Append("\" fill=\"#222\"").Append(extra).Append('>').Append(Escape(text)).Append("</text>");

    /// <summary>An SVG line.</summary>
    internal static void Line(StringBuilder sb, double x1, double y1, double x2, double y2, string stroke = "#444", double width = 1)
        => sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
             .Append("\" y2=\"").Append(N(y2)).Append("\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append("\"/>");

    /// <summary>"Nice" tick values covering [min, max] with about <paramref name="count"/> ticks (1-2-5 steps).</summary>
    internal static double[] NiceTicks(double min, double max, int count = 6)
    {
        if (!(max > min) || double.IsNaN(min) || double.IsInfinity(max - min)) return [min];
        var raw = (max - min) / Math.Max(1, count);
        var mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var norm = raw / mag;
        var step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
        var first = Math.Ceiling(min / step - 1e-9) * step;
        var ticks = new List<double>();
        for (var v = first; v <= max + step * 1e-9; v += step) ticks.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        return ticks.ToArray();
    }

    /// <summary>Tick label: compact invariant form (1k, 2.5k for ≥ 1000 when <paramref name="kilo"/>).</summary>
    internal static string TickLabel(double v, bool kilo = false)
    {
        if (kilo && Math.Abs(v) >= 1000) return F(v / 1000, "0.#") + "k";
        return Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.##E0", CultureInfo.InvariantCulture) : F(v, "0.###");
    }
}
