using System.Globalization;
using System.Text;

namespace SpecLora.Notebook;

/// <summary>One row of a <see cref="SideBySide"/> grid: a label, a picture, a player and named metrics.</summary>
/// <param name="Label">Row title, e.g. "README result 3".</param>
/// <param name="Image">Picture cell (usually a <see cref="SpectrogramView"/>); null leaves it empty.</param>
/// <param name="Audio">Player cell; null leaves it empty.</param>
/// <param name="Metrics">Named values, shown in insertion order (numbers formatted with 4 significant digits).</param>
/// <example>
/// <code>
/// var row = new GridRow("our clip", Show.Image(path, null, maxWidth: 240), Show.Audio(audio, "reconstruction"),
///     new Dictionary&lt;string, object&gt; { ["length (s)"] = audio.DurationSeconds });
/// Show.Grid(new[] { row }, "Image | reconstruction | numbers");
/// </code>
/// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
/// </example>
public sealed record GridRow(string Label, IHtmlView? Image = null, IHtmlView? Audio = null, IReadOnlyDictionary<string, object>? Metrics = null);

/// <summary>A table whose rows show image | player | metrics side by side, for comparing by eye, by ear and by number.</summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class SideBySide : IHtmlView
{
    /// <summary>The rows in display order.</summary>
    public IReadOnlyList<GridRow> Rows { get; }
    /// <summary>Title above the table (may be null).</summary>
    public string? Title { get; }

    /// <summary>Creates the grid.</summary>
    public SideBySide(IEnumerable<GridRow> rows, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Rows = rows.ToArray();
        if (Rows.Any(r => r is null)) throw new ArgumentException("rows contains null", nameof(rows));
        Title = title;
    }

    /// <summary>The widest a metric's value may be, in em; longer text wraps (numbers and short values like "0.7 %" are
    /// right-aligned, longer text left-aligned).</summary>
    public const int MetricMaxWidthEm = 22;

    /// <summary>Formats a metric value: numbers with 4 significant digits, invariant culture.</summary>
    internal static string FormatValue(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <inheritdoc/>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"speclora-grid\" style=\"").Append(Html.Font).Append("\">");
        if (!string.IsNullOrWhiteSpace(Title)) sb.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(Html.Escape(Title)).Append("</div>");
        sb.Append("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var h in new[] { "", "Spectrogram", "Audio", "Metrics" })
            sb.Append("<th style=\"text-align:left;border-bottom:1px solid #999;padding:4px 8px\">").Append(h).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            const string td = "<td style=\"vertical-align:top;border-bottom:1px solid #ddd;padding:4px 8px\">";
            sb.Append("<tr>").Append(td).Append("<b>").Append(Html.Escape(row.Label)).Append("</b></td>");
            sb.Append(td).Append(row.Image?.ToHtml() ?? "").Append("</td>");
            sb.Append(td).Append(row.Audio?.ToHtml() ?? "").Append("</td>");
            sb.Append(td);
            if (row.Metrics is { Count: > 0 })
            {
                sb.Append("<table style=\"border-collapse:collapse\">");
                foreach (var (name, value) in row.Metrics)
                    sb.Append("<tr><td style=\"padding:1px 8px 1px 0;color:#555;vertical-align:top\">").Append(Html.Escape(name))
                      .Append("</td><td style=\"text-align:").Append(value is string { Length: > 16 } ? "left" : "right")
                      .Append(";font-variant-numeric:tabular-nums;max-width:").Append(MetricMaxWidthEm).Append("em;overflow-wrap:anywhere\">")
                      .Append(Html.Escape(FormatValue(value))).Append("</td></tr>");
                sb.Append("</table>");
            }
            sb.Append("</td></tr>");
        }
        sb.Append("</tbody></table></div>");
        return sb.ToString();
    }

    /// <summary>A plain-text table of labels and metrics (used as text/plain).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(Title)) sb.AppendLine(Title);
        foreach (var row in Rows)
        {
            sb.Append(row.Label);
            if (row.Metrics != null)
                foreach (var (name, value) in row.Metrics) sb.Append(" | ").Append(name).Append('=').Append(FormatValue(value));
            sb.AppendLine();
        }
        return sb.ToString().TrimEnd();
    }
}

/// <summary>Views laid out left to right: a row (<see cref="Show.Row"/>) keeps its views on one line unless the page is
/// too narrow for them, a gallery (<see cref="Show.Gallery"/>) fills lines and wraps. Text in a row or gallery wraps
/// within a column of at most <see cref="TextMaxWidthEm"/> em, so a long label never pushes its neighbours onto a line
/// of their own.</summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class HtmlRow : IHtmlView
{
    /// <summary>The widest a text item of a row may be, in em (24 em: about 45 characters a line).</summary>
    public const int TextMaxWidthEm = 24;

    /// <summary>The views in order.</summary>
    public IReadOnlyList<IHtmlView> Items { get; }

    /// <summary>True for a gallery (many views filling lines), false for a row of views side by side.</summary>
    public bool IsGallery { get; }

    /// <summary>Creates the row (<paramref name="gallery"/>: a gallery that wraps over lines).</summary>
    public HtmlRow(IEnumerable<IHtmlView> items, bool gallery = false)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items.ToArray();
        IsGallery = gallery;
    }

    /// <inheritdoc/>
    public string ToHtml()
        => "<div class=\"" + (IsGallery ? "speclora-gallery" : "speclora-row") + "\" style=\"display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start\">"
           + string.Concat(Items.Select(i => (i is TextView or NoticeView ? $"<div style=\"max-width:{TextMaxWidthEm}em\">" : "<div>") + i.ToHtml() + "</div>")) + "</div>";

    /// <summary>The items' text forms, one a line.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Items.Select(i => i.ToString()));
}
