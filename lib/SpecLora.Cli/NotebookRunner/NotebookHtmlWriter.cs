using System.Net;
using System.Text;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Standalone HTML pages of executed notebooks (markdown rendered with Markdig, code shown, outputs inline, no
/// scripts, no external resources) and an index page linking them.
/// </summary>
public static class NotebookHtmlWriter
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().UseAutoIdentifiers().Build();

    private const string Style = """
        body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222;line-height:1.45}
        pre{background:#f6f8fa;padding:8px 10px;overflow-x:auto;border-radius:4px;font-size:13px}
        .cell{margin:12px 0}.code pre{border-left:3px solid #3b5b92}.prompt{color:#888;font:12px monospace}
        .out{margin:4px 0 4px 12px;overflow-x:auto}.out pre{background:#fff;border:1px solid #eee}
        .err pre{background:#fff0f0;border-color:#e99;color:#900}.status{padding:6px 10px;border-radius:4px}
        .ok{background:#e8f5e9}.fail{background:#fdecea}table.index td,table.index th{padding:4px 10px;text-align:left;border-bottom:1px solid #ddd}
        code{font-size:92%}
        """;

    /// <summary>Writes the page of one executed notebook to <paramref name="htmlPath"/> (atomically).</summary>
    public static void WritePage(NotebookRunResult result, string htmlPath)
        => AtomicFile.WriteAllText(htmlPath, RenderPage(result));

    /// <summary>The page of one executed notebook.</summary>
    public static string RenderPage(NotebookRunResult result)
    {
        var doc = result.Executed;
        var title = Title(doc) ?? result.Name;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        sb.Append("<p class=\"status ").Append(result.Passed ? "ok" : "fail").Append("\">").Append(E(result.Name)).Append(": ")
          .Append(result.Passed ? $"ran in {result.Elapsed.TotalSeconds:0.0} s" : E(result.Error ?? "failed")).Append(" · <a href=\"index.html\">all notebooks</a></p>\n");
        foreach (var cell in doc.Elements)
        {
            if (!NotebookDocument.IsCode(cell))
            {
                sb.Append("<div class=\"cell md\">").Append(Markdown.ToHtml(cell.Contents, Pipeline)).Append("</div>\n");
                continue;
            }
            var count = cell.ExecutionOrder > 0 ? cell.ExecutionOrder.ToString(System.Globalization.CultureInfo.InvariantCulture) : " ";
            sb.Append("<div class=\"cell code\"><div class=\"prompt\">In [").Append(count).Append("]</div><pre><code>").Append(E(cell.Contents)).Append("</code></pre>");
            foreach (var output in cell.Outputs) AppendOutput(sb, output);
            sb.Append("</div>\n");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    /// <summary>One output as the kernel produced it: text/html as is, else image/png, else text/plain.</summary>
    private static void AppendOutput(StringBuilder sb, InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text:
                sb.Append("<div class=\"out\"><pre>").Append(E(text.Text)).Append("</pre></div>");
                break;
            case DisplayElement display:
                AppendData(sb, display.Data);
                break;
            case ReturnValueElement value:
                AppendData(sb, value.Data);
                break;
            case ErrorElement error:
                sb.Append("<div class=\"out err\"><pre>").Append(E(error.ErrorName + ": " + error.ErrorValue)).Append("</pre></div>");
                break;
        }
    }

    private static void AppendData(StringBuilder sb, IDictionary<string, object> data)
    {
        if (Text(data, "text/html") is { } html) sb.Append("<div class=\"out\">").Append(html).Append("</div>");
        else if (Text(data, "image/png") is { } png) sb.Append("<div class=\"out\"><img alt=\"output\" src=\"data:image/png;base64,").Append(png.Trim()).Append("\"/></div>");
        else if (Text(data, "text/plain") is { } plain) sb.Append("<div class=\"out\"><pre>").Append(E(plain)).Append("</pre></div>");
    }

    private static string? Text(IDictionary<string, object> data, string mime) => data.TryGetValue(mime, out var v) ? v switch
    {
        string s => s,
        IEnumerable<string> lines => string.Concat(lines),
        _ => v?.ToString(),
    } : null;

    /// <summary>Writes <c>index.html</c> linking every page, with status and time.</summary>
    public static void WriteIndex(IReadOnlyList<NotebookRunResult> results, string indexPath)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>SpecLora notebooks</title><style>").Append(Style).Append("</style></head><body>\n");
        sb.Append("<h1>SpecLora notebooks</h1>\n<p>").Append(results.Count(r => r.Passed)).Append(" passed, ").Append(results.Count(r => !r.Passed)).Append(" failed</p>\n");
        sb.Append("<table class=\"index\"><tr><th>Notebook</th><th>Title</th><th>Status</th><th>Time</th><th>Executed .ipynb</th></tr>\n");
        foreach (var r in results)
        {
            var stem = Path.GetFileNameWithoutExtension(r.Name);
            sb.Append("<tr><td><a href=\"").Append(E(Uri.EscapeDataString(stem) + ".html")).Append("\">").Append(E(r.Name)).Append("</a></td><td>")
              .Append(E(Title(r.Executed) ?? "")).Append("</td><td>").Append(r.Passed ? "passed" : E(r.Error ?? "failed")).Append("</td><td>")
              .Append($"{r.Elapsed.TotalSeconds:0.0} s").Append("</td><td><a href=\"").Append(E(Uri.EscapeDataString(stem + ".ipynb"))).Append("\">").Append(E(stem + ".ipynb")).Append("</a></td></tr>\n");
        }
        sb.Append("</table></body></html>\n");
        AtomicFile.WriteAllText(indexPath, sb.ToString());
    }

    /// <summary>The text of the first markdown heading, if any.</summary>
    internal static string? Title(InteractiveDocument doc)
    {
        foreach (var cell in doc.Elements.Where(c => !NotebookDocument.IsCode(c)))
            foreach (var line in cell.Contents.Split('\n'))
                if (line.TrimStart().StartsWith('#')) return line.TrimStart().TrimStart('#').Trim();
        return null;
    }

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");
}
