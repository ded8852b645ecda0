using System.Text;
using SpecLora.Imaging;

namespace SpecLora.Notebook;

/// <summary>A picture file (PNG, JPEG, …) embedded as a data URI, with a caption and its pixel size.</summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class ImageView : IHtmlView
{
    /// <summary>The encoded picture bytes.</summary>
    public byte[] Bytes { get; }
    /// <summary>MIME type derived from the bytes' signature.</summary>
    public string MimeType { get; }
    /// <summary>Caption under the picture (null = none).</summary>
    public string? Caption { get; }
    /// <summary>Display width cap in CSS pixels (null = natural width).</summary>
    public int? MaxWidth { get; }

    /// <summary>Wraps encoded picture bytes.</summary>
    /// <exception cref="ArgumentException">The bytes are not a PNG, JPEG, GIF or WebP file.</exception>
    public ImageView(byte[] bytes, string? caption = null, int? maxWidth = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (Sniff(bytes) is null) throw new ArgumentException($"{caption ?? "image"}: the bytes are not a PNG, JPEG, GIF or WebP picture", nameof(bytes));
        if (maxWidth is <= 0) throw new ArgumentOutOfRangeException(nameof(maxWidth), maxWidth, $"maxWidth={maxWidth} must be > 0");
        Bytes = maxWidth is { } w ? Thumbnail(bytes, w) : bytes;
        MimeType = Sniff(Bytes)!;
        Caption = caption;
        MaxWidth = maxWidth;
    }

    /// <summary>Reads a picture file.</summary>
    public static ImageView FromFile(string path, string? caption = null, int? maxWidth = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        return new ImageView(File.ReadAllBytes(path), caption ?? Path.GetFileName(path), maxWidth);
    }

    /// <summary>An RGBA picture, encoded as PNG.</summary>
    public static ImageView FromRgba(RgbaImage image, string? caption = null, int? maxWidth = null)
        => new(MelImage.EncodePng(image), caption, maxWidth);

    /// <summary>Pictures wider than twice <paramref name="maxWidth"/> are embedded as a JPEG (quality 90) at that
    /// width, so that notebooks and pages stay small; smaller ones are kept as they are.</summary>
    private static byte[] Thumbnail(byte[] bytes, int maxWidth)
    {
        if (!ImageResize.TryGetSize(bytes, out int width, out int height) || width <= 2 * maxWidth) return bytes;
        var (w, h) = ImageResize.FitWidth(width, height, 2 * maxWidth);
        return ImageResize.TryResize(bytes, w, h, MelImageFormat.Jpeg, 90) ?? bytes;
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G' ? "image/png" :
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg" :
        b.Length >= 6 && b[0] == (byte)'G' && b[1] == (byte)'I' && b[2] == (byte)'F' ? "image/gif" :
        b.Length >= 12 && b[0] == (byte)'R' && b[8] == (byte)'W' && b[9] == (byte)'E' && b[10] == (byte)'B' ? "image/webp" : null;

    /// <inheritdoc/>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<figure class=\"speclora-image\" style=\"margin:4px;display:inline-block;vertical-align:top;").Append(Html.Font).Append("\">");
        sb.Append("<img alt=\"").Append(Html.Escape(Caption ?? "image")).Append("\" src=\"").Append(Html.DataUri(MimeType, Bytes)).Append('"');
        if (MaxWidth is { } w) sb.Append(" style=\"max-width:").Append(w).Append("px;height:auto\"");
        sb.Append("/>");
        if (Caption != null) sb.Append("<figcaption>").Append(Html.Escape(Caption)).Append("</figcaption>");
        sb.Append("</figure>");
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"[{MimeType}, {Bytes.Length} bytes] {Caption}";
}

/// <summary>A plain paragraph of text (e.g. "not generated: no token").</summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class TextView(string text) : IHtmlView
{
    /// <summary>The text.</summary>
    public string Text { get; } = text ?? "";

    /// <inheritdoc/>
    public string ToHtml() => "<p class=\"speclora-text\" style=\"" + Html.Font + "\">" + Html.Escape(Text) + "</p>";

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>A table of objects: one row per item, one column per public property (in declaration order).</summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class TableView : IHtmlView
{
    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Columns { get; }
    /// <summary>Cell texts, row by row.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>Builds the table from the items' public properties (numbers with 4 significant digits).</summary>
    public static TableView From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items.Where(i => i is not null).ToList();
        var props = list.Count == 0 ? typeof(T).GetProperties() : list[0]!.GetType().GetProperties();
        var rows = list.Select(item => (IReadOnlyList<string>)props.Select(p => Format(p.GetValue(item))).ToArray()).ToList();
        return new TableView(props.Select(p => p.Name).ToArray(), rows);
    }

    /// <summary>A two-column name/value table.</summary>
    public static TableView FromPairs(IEnumerable<KeyValuePair<string, object>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return new TableView(["", ""], pairs.Select(p => (IReadOnlyList<string>)new[] { p.Key, Format(p.Value) }).ToList());
    }

    private TableView(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows) { Columns = columns; Rows = rows; }

    internal static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <inheritdoc/>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<table class=\"speclora-table\" style=\"border-collapse:collapse;").Append(Html.Font).Append("\">");
        if (Columns.Any(c => c.Length > 0))
        {
            sb.Append("<thead><tr>");
            foreach (var c in Columns) sb.Append("<th style=\"border-bottom:1px solid #888;padding:2px 8px;text-align:left\">").Append(Html.Escape(c)).Append("</th>");
            sb.Append("</tr></thead>");
        }
        sb.Append("<tbody>");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td style=\"padding:2px 8px\">").Append(Html.Escape(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Join(Environment.NewLine, new[] { string.Join(" | ", Columns) }.Concat(Rows.Select(r => string.Join(" | ", r))));
}
