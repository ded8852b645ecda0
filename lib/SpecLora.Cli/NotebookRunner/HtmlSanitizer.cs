using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Makes a cell's <c>text/html</c> output script-free before it goes on a page, keeping everything our library draws
/// (pictures and players as <c>data:</c> URIs, inline SVG charts, tables, inline styles): a small HTML tokenizer that
/// drops <c>script</c> elements with their content, elements that run or embed other documents (<c>iframe</c>,
/// <c>object</c>, <c>embed</c>, <c>base</c>, <c>meta</c>, <c>link</c>, SVG animation…), every <c>on…</c> event
/// attribute, and every attribute whose value is a <c>javascript:</c>/<c>vbscript:</c> URL or, in a URL attribute, a
/// <c>data:</c> URL that is not an image, audio, video or font. Comments and doctypes are dropped; a <c>&lt;</c> that
/// starts no tag is escaped. The page also carries a Content-Security-Policy that forbids scripts, so anything this
/// misses still does not run.
/// </summary>
internal static partial class HtmlSanitizer
{
    /// <summary>Elements dropped with everything up to their end tag (their content is code or another document).</summary>
    private static readonly HashSet<string> DropWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "iframe", "frame", "frameset", "object", "applet", "noembed", "noframes", "template", "portal", "xmp", "plaintext",
    };

    /// <summary>Elements dropped (the tag only; their content, if any, is kept and sanitised).</summary>
    private static readonly HashSet<string> DropTag = new(StringComparer.OrdinalIgnoreCase)
    {
        "embed", "base", "meta", "link", "set", "animate", "animatemotion", "animatetransform", "animatecolor", "handler", "listener", "param",
    };

    /// <summary>Attributes whose value is a URL (a <c>data:</c> URL there must be media).</summary>
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "xlink:href", "action", "formaction", "poster", "background", "srcset", "cite", "longdesc", "data",
        "codebase", "ping", "lowsrc", "dynsrc", "manifest", "icon", "usemap", "values", "to", "from", "by",
    };

    /// <summary>Attributes dropped whatever their value.</summary>
    private static readonly HashSet<string> DropAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "srcdoc", "formaction", "http-equiv", "attributename",
    };

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9:\-]*$")]
    private static partial Regex TagName();

    [GeneratedRegex(@"^[A-Za-z_:][A-Za-z0-9_:.\-]*$")]
    private static partial Regex AttributeName();

    [GeneratedRegex(@"&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));?")]
    private static partial Regex NumericReference();

    /// <summary>The script-free version of <paramref name="html"/>.</summary>
    public static string Sanitize(string html)
    {
        var sb = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0) { sb.Append(html, i, html.Length - i); break; }
            sb.Append(html, i, lt - i);
            i = lt;
            if (Starts(html, i, "<!--"))
            {
                var end = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }
            if (Starts(html, i, "<![CDATA["))
            {
                var end = html.IndexOf("]]>", i, StringComparison.Ordinal);
                var text = end < 0 ? html[(i + 9)..] : html[(i + 9)..end];
                sb.Append(WebUtility.HtmlEncode(text));
                i = end < 0 ? html.Length : end + 3;
                continue;
            }
            if (Starts(html, i, "<!") || Starts(html, i, "<?"))
            {
                var end = html.IndexOf('>', i);
                i = end < 0 ? html.Length : end + 1;
                continue;
            }
            var closing = i + 1 < html.Length && html[i + 1] == '/';
            var nameStart = i + (closing ? 2 : 1);
            var nameEnd = nameStart;
            while (nameEnd < html.Length && !char.IsWhiteSpace(html[nameEnd]) && html[nameEnd] is not ('>' or '/')) nameEnd++;
            var name = html[nameStart..nameEnd];
            if (!TagName().IsMatch(name))
            {
                sb.Append("&lt;");
                i++;
                continue;
            }
            var (attributes, tagEnd, selfClosing) = ParseAttributes(html, nameEnd);
            if (tagEnd < 0) break; // an unfinished tag at the end: dropped
            i = tagEnd;
            if (DropWithContent.Contains(name))
            {
                if (!closing && !selfClosing)
                {
                    var end = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                    if (end < 0) { i = html.Length; break; }
                    var close = html.IndexOf('>', end);
                    i = close < 0 ? html.Length : close + 1;
                }
                continue;
            }
            if (DropTag.Contains(name)) continue;
            if (closing) { sb.Append("</").Append(name).Append('>'); continue; }
            sb.Append('<').Append(name);
            foreach (var (attr, value) in attributes)
            {
                if (!Keep(attr, value)) continue;
                sb.Append(' ').Append(attr);
                if (value is not null) sb.Append("=\"").Append(value.Replace("\"", "&quot;", StringComparison.Ordinal)).Append('"');
            }
            sb.Append(selfClosing ? "/>" : ">");
        }
        return sb.ToString();
    }

    private static bool Starts(string s, int at, string prefix) => string.CompareOrdinal(s, at, prefix, 0, prefix.Length) == 0;

    /// <summary>The attributes of a tag whose name ends at <paramref name="at"/>: raw values (entities as written),
    /// the index after its <c>&gt;</c> (−1 when the input ends first), and whether it ends with <c>/&gt;</c>.</summary>
    private static (List<(string Name, string? Value)> Attributes, int End, bool SelfClosing) ParseAttributes(string html, int at)
    {
        var list = new List<(string, string?)>();
        var i = at;
        while (true)
        {
            while (i < html.Length && (char.IsWhiteSpace(html[i]) || html[i] == '/' && (i + 1 >= html.Length || html[i + 1] != '>'))) i++;
            if (i >= html.Length) return (list, -1, false);
            if (html[i] == '>') return (list, i + 1, false);
            if (html[i] == '/' && i + 1 < html.Length && html[i + 1] == '>') return (list, i + 2, true);
            var start = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>') && !(html[i] == '/' && i + 1 < html.Length && html[i + 1] == '>')) i++;
            var name = html[start..i];
            if (i == start) i++; // a stray '=': skip it
            while (i < html.Length && char.IsWhiteSpace(html[i])) i++;
            string? value = null;
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && char.IsWhiteSpace(html[i])) i++;
                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var end = html.IndexOf(quote, i + 1);
                    if (end < 0) return (list, -1, false);
                    value = html[(i + 1)..end];
                    i = end + 1;
                }
                else
                {
                    var vs = i;
                    while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>') i++;
                    value = html[vs..i];
                }
            }
            if (name.Length > 0) list.Add((name, value));
        }
    }

    private static bool Keep(string name, string? value)
    {
        if (!AttributeName().IsMatch(name)) return false;
        if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || DropAttributes.Contains(name)) return false;
        if (value is null) return true;
        var url = UrlText(value);
        if (UrlAttributes.Contains(name))
        {
            if (url.StartsWith("javascript", StringComparison.Ordinal) || url.StartsWith("vbscript", StringComparison.Ordinal)
                || url.StartsWith("livescript", StringComparison.Ordinal))
                return false;
            if (url.StartsWith("data", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal) && value.Contains('&')) return false;
            if (url.StartsWith("data:", StringComparison.Ordinal))
                return url.StartsWith("data:image/", StringComparison.Ordinal) || url.StartsWith("data:audio/", StringComparison.Ordinal)
                       || url.StartsWith("data:video/", StringComparison.Ordinal) || url.StartsWith("data:font/", StringComparison.Ordinal);
            return true;
        }
        if (url.StartsWith("javascript:", StringComparison.Ordinal) || url.StartsWith("vbscript:", StringComparison.Ordinal)) return false;
        if (name.Equals("style", StringComparison.OrdinalIgnoreCase))
        {
            var css = UrlText(value, 1_000_000);
            if (css.Contains("expression(", StringComparison.Ordinal) || css.Contains("javascript", StringComparison.Ordinal)
                || css.Contains("vbscript", StringComparison.Ordinal) || css.Contains("-moz-binding", StringComparison.Ordinal) || css.Contains("behavior:", StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    [GeneratedRegex(@"&[A-Za-z][A-Za-z0-9]*;?")]
    private static partial Regex NamedReference();

    /// <summary>An attribute value as a browser reads a URL's scheme: character references decoded (with or without
    /// their semicolon; a named reference .NET does not know, such as <c>&amp;Tab;</c> or <c>&amp;colon;</c>, removed),
    /// whitespace and control characters removed, lower case; the first <paramref name="max"/> characters
    /// (64: the scheme and media type are all that is looked at).</summary>
    internal static string UrlText(string value, int max = 64)
    {
        var raw = value.Length > 4096 && max <= 64 ? value[..4096] : value;
        var decoded = NamedReference().Replace(WebUtility.HtmlDecode(NumericReference().Replace(raw, m =>
        {
            var code = m.Groups[1].Success ? int.Parse(m.Groups[1].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)
                                           : int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            return code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(code) : "";
        })), "");
        var sb = new StringBuilder(Math.Min(decoded.Length, max));
        foreach (var c in decoded)
        {
            if (c <= ' ' || c is >= '\u007f' and <= '\u00a0' || c is '\u200b' or '\ufeff') continue;
            sb.Append(char.ToLowerInvariant(c));
            if (sb.Length >= max) break;
        }
        return sb.ToString();
    }

    /// <summary>True when <paramref name="url"/> may be a link or image on a page: no scheme (relative, #fragment),
    /// http, https or mailto; for an image also a <c>data:image/…</c> URL.</summary>
    internal static bool SafeUrl(string url, bool image)
    {
        var u = UrlText(url);
        var colon = u.IndexOf(':');
        var slash = u.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || slash >= 0 && slash < colon) return true;
        var scheme = u[..colon];
        return scheme is "http" or "https" || !image && scheme == "mailto" || image && u.StartsWith("data:image/", StringComparison.Ordinal);
    }
}
