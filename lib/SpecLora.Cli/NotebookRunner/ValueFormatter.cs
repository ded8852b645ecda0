using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using SpecLora.Notebook;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>A value rendered for a notebook: HTML when the value knows how to show itself, and always plain text.</summary>
/// <param name="Html">text/html, or null.</param>
/// <param name="Plain">text/plain.</param>
public sealed record FormattedValue(string? Html, string Plain)
{
    /// <summary>The nbformat mime bundle {"text/html": …, "text/plain": …}.</summary>
    public JsonObject ToMimeBundle()
    {
        var bundle = new JsonObject();
        if (Html != null) bundle["text/html"] = NotebookDocument.SplitLines(Html);
        bundle["text/plain"] = NotebookDocument.SplitLines(Plain);
        return bundle;
    }
}

/// <summary>What the <c>HTML(…)</c> global returns: raw HTML that is shown as such.</summary>
/// <param name="Content">The HTML fragment.</param>
public sealed record HtmlContent(string Content)
{
    /// <summary>The fragment itself.</summary>
    public string ToHtml() => Content;

    /// <summary>The fragment itself (as .NET Interactive's HtmlString does).</summary>
    public override string ToString() => Content;
}

/// <summary>
/// Turns cell values into outputs the way the kernel would with our formatters registered: the library's views
/// (<see cref="Display.TryFormatHtml"/>), then any object with a public <c>string ToHtml()</c>, give text/html;
/// everything gets text/plain (collections listed, numbers in invariant culture).
/// </summary>
public static class ValueFormatter
{
    /// <summary>Formats <paramref name="value"/> (null gives "&lt;null&gt;").</summary>
    public static FormattedValue Format(object? value)
    {
        if (value is null) return new FormattedValue(null, "<null>");
        string? html = null;
        if (Display.TryFormatHtml(value, out var libraryHtml)) html = libraryHtml;
        else if (value.GetType().GetMethod("ToHtml", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is { } toHtml && toHtml.ReturnType == typeof(string))
            html = (string?)toHtml.Invoke(value, null);
        return new FormattedValue(html, Plain(value));
    }

    /// <summary>Plain-text form: strings as they are, sequences as [a, b, …] (first 20), others by ToString.</summary>
    public static string Plain(object? value)
    {
        switch (value)
        {
            case null: return "<null>";
            case string s: return s;
            case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
            case IEnumerable seq when value.GetType().GetMethod("ToString", Type.EmptyTypes)?.DeclaringType is { } d && (d == typeof(object) || d.IsArray || d.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true):
                var sb = new StringBuilder("[");
                var n = 0;
                foreach (var item in seq)
                {
                    if (n == 20) { sb.Append(", …"); n++; break; }
                    if (n > 0) sb.Append(", ");
                    sb.Append(Plain(item));
                    n++;
                }
                var count = seq is ICollection c ? c.Count : -1;
                sb.Append(']');
                if (count > 20) sb.Append(" (").Append(count).Append(" items)");
                return sb.ToString();
            default: return value.ToString() ?? "";
        }
    }
}
