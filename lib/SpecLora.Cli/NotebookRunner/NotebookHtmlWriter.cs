using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>One row of <c>index.html</c>.</summary>
/// <param name="Name">The notebook's file name.</param>
/// <param name="Title">Its first heading, if any.</param>
/// <param name="Status">"passed", or the failure sentence, or why it did not run.</param>
/// <param name="Passed">True when it ran and passed.</param>
/// <param name="Elapsed">How long it ran, or null when it did not run.</param>
/// <param name="HasPage">True when its page and executed .ipynb were written (links are shown).</param>
public sealed record NotebookIndexEntry(string Name, string? Title, string Status, bool Passed, TimeSpan? Elapsed, bool HasPage);

/// <summary>
/// Standalone HTML pages of executed notebooks and an index page linking them: markdown rendered with Markdig, code
/// shown, outputs inline, no external resources of ours and <b>no scripts</b>. Markdown may not carry raw HTML (shown as
/// text) nor links other than relative, http(s) and mailto (a <c>javascript:</c> link becomes its text); a markdown
/// image may be a <c>data:image/…</c> URL or an <c>attachment:</c> of the cell (shown from the cell's attachments).
/// Cell outputs of type <c>text/html</c>, which our library's pictures, players and charts are, go through
/// <see cref="HtmlSanitizer"/>; and every page carries a Content-Security-Policy forbidding scripts, frames and plugins.
/// Raw cells are shown as preformatted text.
/// </summary>
public static class NotebookHtmlWriter
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoIdentifiers().DisableHtml().Build();

    /// <summary>The page's policy: no script of any kind (inline, event attribute, <c>javascript:</c> URL), no plugin,
    /// no frame, no <c>&lt;base&gt;</c>, no form submission.</summary>
    internal const string ContentSecurityPolicy = "script-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'none'";

    private const string Style = """
        body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222;line-height:1.45}
        pre{background:#f6f8fa;padding:8px 10px;overflow-x:auto;border-radius:4px;font-size:13px}
        .cell{margin:12px 0}.code pre{border-left:3px solid #3b5b92}.prompt{color:#888;font:12px monospace}
        .out{margin:4px 0 4px 12px;overflow-x:auto}.out pre{background:#fff;border:1px solid #eee}
        .err pre{background:#fff0f0;border-color:#e99;color:#900}.status{padding:6px 10px;border-radius:4px}
        .raw pre{background:#fafafa;border-left:3px solid #bbb}.notice{background:#fff8e1;padding:6px 10px;border-radius:4px}
        .ok{background:#e8f5e9}.fail{background:#fdecea}table.index td,table.index th{padding:4px 10px;text-align:left;border-bottom:1px solid #ddd}
        code{font-size:92%}
        """;

    private static string Head(string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><meta http-equiv=\"Content-Security-Policy\" content=\"" + ContentSecurityPolicy + "\"/><title>"
        + E(title) + "</title><style>" + Style + "</style></head><body>\n";

    /// <summary>Writes the page of one executed notebook to <paramref name="htmlPath"/> (atomically).</summary>
    /// <param name="result">The run.</param>
    /// <param name="htmlPath">The page.</param>
    /// <param name="notice">A line shown under the status, e.g. that the run had no original images.</param>
    public static void WritePage(NotebookRunResult result, string htmlPath, string? notice = null)
        => AtomicFile.WriteAllText(htmlPath, RenderPage(result, notice));

    /// <summary>The page of one executed notebook.</summary>
    public static string RenderPage(NotebookRunResult result, string? notice = null)
    {
        var doc = result.Executed;
        var title = Title(doc) ?? result.Name;
        var sb = new StringBuilder();
        sb.Append(Head(title));
        var status = result.Passed ? $"ran in {result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : result.Error ?? "failed";
        sb.Append("<p class=\"status ").Append(result.Passed ? "ok" : "fail").Append("\">").Append(E(result.Name)).Append(": ")
          .Append(E(status)).Append(" · <a href=\"index.html\">all notebooks</a></p>\n");
        if (notice is not null) sb.Append("<p class=\"notice\">").Append(E(notice)).Append("</p>\n");
        foreach (var cell in (doc["cells"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var source = NotebookDocument.JoinSource(cell["source"]);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    sb.Append("<div class=\"cell md\">").Append(MarkdownToHtml(source, cell["attachments"] as JsonObject)).Append("</div>\n");
                    break;
                case "raw":
                    sb.Append("<div class=\"cell raw\"><pre>").Append(E(source)).Append("</pre></div>\n");
                    break;
                default:
                    var count = cell["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n.ToString(CultureInfo.InvariantCulture) : " ";
                    sb.Append("<div class=\"cell code\"><div class=\"prompt\">In [").Append(count).Append("]</div><pre><code>").Append(E(source)).Append("</code></pre>");
                    foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>()) AppendOutput(sb, output);
                    sb.Append("</div>\n");
                    break;
            }
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>Markdown as HTML with no raw HTML, unsafe links turned into their text and <c>attachment:</c> images
    /// resolved from <paramref name="attachments"/>.</summary>
    internal static string MarkdownToHtml(string markdown, JsonObject? attachments)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.GetDynamicUrl is not null) continue; // a link to a heading of this page
            var url = link.Url ?? "";
            if (link.IsImage && url.StartsWith("attachment:", StringComparison.OrdinalIgnoreCase) && Attachment(attachments, url["attachment:".Length..]) is { } data)
            {
                link.Url = data;
                continue;
            }
            if (HtmlSanitizer.SafeUrl(url, link.IsImage)) continue;
            // the link's text stays, without the link; an image becomes its alt text
            var text = new StringBuilder();
            foreach (var literal in link.Descendants<LiteralInline>()) text.Append(literal.Content.ToString());
            link.ReplaceBy(new LiteralInline(link.IsImage ? $"[image: {text}]" : text.ToString()), copyChildren: false);
        }
        foreach (var auto in document.Descendants<AutolinkInline>().ToList())
            if (!auto.IsEmail && !HtmlSanitizer.SafeUrl(auto.Url, image: false))
                auto.ReplaceBy(new LiteralInline(auto.Url), copyChildren: false);
        return document.ToHtml(Pipeline);
    }

    /// <summary>The <c>data:</c> URL of the attachment <paramref name="name"/> when it is a picture.</summary>
    private static string? Attachment(JsonObject? attachments, string name)
    {
        if (attachments?[Uri.UnescapeDataString(name)] is not JsonObject bundle) return null;
        foreach (var mime in new[] { "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml" })
            if (Text(bundle, mime) is { } content)
                return mime == "image/svg+xml"
                    ? "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(content))
                    : $"data:{mime};base64,{content.Replace("\n", "", StringComparison.Ordinal).Trim()}";
        return null;
    }

    /// <summary>One output as the kernel produced it.</summary>
    private static void AppendOutput(StringBuilder sb, JsonObject output)
    {
        switch ((string?)output["output_type"])
        {
            case "stream":
                sb.Append("<div class=\"out\"><pre>").Append(E(NotebookDocument.JoinSource(output["text"]))).Append("</pre></div>");
                break;
            case "display_data" or "execute_result":
                if (output["data"] is JsonObject data) AppendData(sb, data);
                break;
            case "error":
                sb.Append("<div class=\"out err\"><pre>").Append(E((string?)output["ename"] + ": " + (string?)output["evalue"])).Append("</pre></div>");
                break;
        }
    }

    /// <summary>The richest form the page can show: sanitised HTML, a picture, markdown, else plain text.</summary>
    private static void AppendData(StringBuilder sb, JsonObject data)
    {
        if (Text(data, "text/html") is { } html) sb.Append("<div class=\"out\">").Append(HtmlSanitizer.Sanitize(html)).Append("</div>");
        else if (new[] { "image/png", "image/jpeg", "image/gif", "image/webp" }.FirstOrDefault(m => Text(data, m) is not null) is { } mime)
            sb.Append("<div class=\"out\"><img alt=\"output\" src=\"data:").Append(mime).Append(";base64,").Append(E(Text(data, mime)!.Replace("\n", "", StringComparison.Ordinal).Trim())).Append("\"/></div>");
        else if (Text(data, "image/svg+xml") is { } svg)
            sb.Append("<div class=\"out\"><img alt=\"output\" src=\"data:image/svg+xml;base64,").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))).Append("\"/></div>");
        else if (Text(data, "text/markdown") is { } md) sb.Append("<div class=\"out\">").Append(MarkdownToHtml(md, null)).Append("</div>");
        else if (Text(data, "text/plain") is { } plain) sb.Append("<div class=\"out\"><pre>").Append(E(plain)).Append("</pre></div>");
    }

    private static string? Text(JsonObject data, string mime) => data[mime] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonArray lines => NotebookDocument.JoinSource(lines),
        _ => null,
    };

    /// <summary>Writes <c>index.html</c> linking every page, with status and time.</summary>
    public static void WriteIndex(IReadOnlyList<NotebookRunResult> results, string indexPath)
        => WriteIndex(results.Select(r => new NotebookIndexEntry(r.Name, Title(r.Executed), r.Passed ? "passed" : r.Error ?? "failed", r.Passed, r.Elapsed, true)).ToList(), indexPath);

    /// <summary>Writes <c>index.html</c>: <paramref name="notice"/> first (e.g. that the run had no original images),
    /// the counts, then one row per notebook.</summary>
    public static void WriteIndex(IReadOnlyList<NotebookIndexEntry> entries, string indexPath, string? notice = null)
        => AtomicFile.WriteAllText(indexPath, RenderIndex(entries, notice));

    /// <summary>The index page.</summary>
    public static string RenderIndex(IReadOnlyList<NotebookIndexEntry> entries, string? notice = null)
    {
        var sb = new StringBuilder();
        sb.Append(Head("SpecLora notebooks"));
        sb.Append("<h1>SpecLora notebooks</h1>\n");
        if (notice is not null) sb.Append("<p class=\"notice\">").Append(E(notice)).Append("</p>\n");
        sb.Append("<p>").Append(entries.Count(r => r.Passed)).Append(" passed, ").Append(entries.Count(r => !r.Passed)).Append(" failed</p>\n");
        sb.Append("<table class=\"index\"><tr><th>Notebook</th><th>Title</th><th>Status</th><th>Time</th><th>Executed .ipynb</th></tr>\n");
        foreach (var r in entries)
        {
            var stem = Path.GetFileNameWithoutExtension(r.Name);
            sb.Append("<tr><td>");
            if (r.HasPage) sb.Append("<a href=\"").Append(E(Uri.EscapeDataString(stem) + ".html")).Append("\">").Append(E(r.Name)).Append("</a>");
            else sb.Append(E(r.Name));
            sb.Append("</td><td>").Append(E(r.Title ?? "")).Append("</td><td>").Append(E(r.Status)).Append("</td><td>")
              .Append(r.Elapsed is { } t ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "").Append("</td><td>");
            if (r.HasPage) sb.Append("<a href=\"").Append(E(Uri.EscapeDataString(stem + ".ipynb"))).Append("\">").Append(E(stem + ".ipynb")).Append("</a>");
            sb.Append("</td></tr>\n");
        }
        sb.Append("</table></body></html>\n");
        return sb.ToString();
    }

    /// <summary>The text of the first markdown heading, if any.</summary>
    internal static string? Title(JsonObject doc)
    {
        foreach (var cell in (doc["cells"] as JsonArray ?? []).OfType<JsonObject>().Where(c => (string?)c["cell_type"] == "markdown"))
            foreach (var line in NotebookDocument.JoinSource(cell["source"]).Split('\n'))
                if (line.TrimStart().StartsWith('#')) return line.TrimStart().TrimStart('#').Trim();
        return null;
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
}
