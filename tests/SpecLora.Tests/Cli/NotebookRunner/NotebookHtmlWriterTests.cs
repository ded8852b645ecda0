using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;
using static SpecLora.Tests.Cli.NotebookRunner.RunnerTestKit;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class NotebookHtmlWriterTests
{
    /// <summary>A result for <paramref name="path"/> as read, with <paramref name="outputs"/> given to its first code cell.</summary>
    private static NotebookRunResult Fake(string path, params JsonObject[] outputs)
    {
        var doc = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        var code = doc["cells"]!.AsArray().OfType<JsonObject>().First(c => (string?)c["cell_type"] == "code");
        code["outputs"] = new JsonArray(outputs.Select(o => (JsonNode?)o).ToArray());
        code["execution_count"] = 1;
        return new NotebookRunResult(path, true, null, null, TimeSpan.FromSeconds(1.5), doc, new Dictionary<int, double>());
    }

    private static JsonObject Display(string html) => new() { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = html }, ["metadata"] = new JsonObject() };

    [Fact]
    public async Task Page_renders_markdown_code_and_outputs_without_external_resources_and_index_links_it()
    {
        var dir = NotebookFiles.TempDir();
        var path = NotebookFiles.Write(dir, "01-p.ipynb", ("markdown", "# Title here\n\nSome *prose*."), ("code", "Console.WriteLine(\"<out>\");\nHTML(\"<em>html</em>\")"));
        var result = await NotebookExecutor.RunAsync(path, TimeSpan.FromMinutes(1));
        var page = NotebookHtmlWriter.RenderPage(result);
        Assert.Contains("<h1 id=\"title-here\">Title here</h1>", page);
        Assert.Contains("<em>prose</em>", page);
        Assert.Contains("Console.WriteLine(&quot;&lt;out&gt;&quot;);", page);
        Assert.Contains("<pre>&lt;out&gt;\n</pre>", page);
        Assert.Contains("<em>html</em>", page);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//"), page);
        AssertNoScript(page);

        NotebookHtmlWriter.WriteIndex([result], Path.Combine(dir, "index.html"));
        var index = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("href=\"01-p.html\"", index);
        Assert.Contains("Title here", index);
        Assert.Contains("1 passed, 0 failed", index);
    }

    [Fact]
    public void Markdown_html_and_script_links_never_reach_the_page_while_safe_links_and_pictures_do()
    {
        var path = Hostile("scripts-in-markdown.ipynb");
        var page = NotebookHtmlWriter.RenderPage(Fake(path));
        AssertNoScript(page);
        Assert.Contains("&lt;script&gt;alert('md')&lt;/script&gt;", page); // shown as text
        Assert.Contains("&lt;img src=x onerror=&quot;alert(8)&quot;&gt;", page);
        // every link left on the page is one of the safe ones (the unsafe ones are their text now)
        var hrefs = Regex.Matches(page, "<a [^>]*href=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Subset(new HashSet<string> { "https://example.org/page", "02-next.html", "#scripts-in-markdown", "index.html" }, hrefs);
        foreach (var text in new[] { "plain", "upper", "entity", "vb" })
            Assert.Matches($@"[\s>]{text}[\s<]", page);
        Assert.DoesNotContain("data:text/html", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<a href=\"https://example.org/page\">fine</a>", page);
        Assert.Contains("<a href=\"02-next.html\">local</a>", page);
        Assert.Contains("<a href=\"#scripts-in-markdown\">anchor</a>", page);
        Assert.Contains("<img src=\"data:image/png;base64,iVBOR", page);
        Assert.Contains("[image: bad]", page);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'none';", page);
    }

    [Fact]
    public void Html_outputs_keep_their_markup_without_scripts()
    {
        var path = Hostile("scripts-in-markdown.ipynb");
        var page = NotebookHtmlWriter.RenderPage(Fake(path,
            Display("<b onclick='alert(10)'>bold</b><script>alert(11)</script><img src=\"javascript:alert(12)\"><a href='  jav&#x09;ascript:alert(13)'>a</a>"),
            Display("<svg onload='alert(14)' width='4' height='4'><a xlink:href='javascript:alert(15)'><rect width='4' height='4'/></a><animate attributeName='href' values='javascript:alert(16)'/></svg><iframe src='https://example.org'></iframe>"),
            Display("<audio controls src=\"data:audio/wav;base64,UklGRg==\"></audio>")));
        AssertNoScript(page);
        Assert.Contains("<b>bold</b>", page);
        Assert.Contains("<svg width=\"4\" height=\"4\"><a><rect width=\"4\" height=\"4\"/></a></svg>", page);
        Assert.Contains("<audio controls src=\"data:audio/wav;base64,UklGRg==\"></audio>", page);
    }

    [Fact]
    public void Raw_cells_are_preformatted_text_and_markdown_attachments_are_shown()
    {
        var path = Hostile("raw-and-attachments.ipynb");
        var page = NotebookHtmlWriter.RenderPage(Fake(path));
        Assert.Contains("<div class=\"cell raw\"><pre>\\begin{equation} x = \\frac{1}{2} \\end{equation}\nint notCSharp = ;</pre></div>", page);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo", page);
        Assert.Contains("alt=\"dot\"", page);
    }

    [Fact]
    public void Index_says_the_notice_first_and_lists_notebooks_that_did_not_run_without_links()
    {
        var html = NotebookHtmlWriter.RenderIndex(
        [
            new NotebookIndexEntry("01-a.ipynb", "A", "passed", true, TimeSpan.FromSeconds(2), true),
            new NotebookIndexEntry("old.ipynb", null, "not run: old.ipynb: nbformat 3", false, null, false),
        ], "ran without the original project's images: notebook 02 shows our own clip in their place");
        Assert.True(html.IndexOf("ran without the original project", StringComparison.Ordinal) < html.IndexOf("1 passed, 1 failed", StringComparison.Ordinal));
        Assert.Contains("<td>old.ipynb</td>", html);
        Assert.DoesNotContain("old.html", html);
        Assert.Contains("href=\"01-a.html\"", html);
    }

    [Fact]
    public void A_page_shows_its_notice_and_failure()
    {
        var path = Hostile("raw-and-attachments.ipynb");
        var failed = Fake(path) with { Passed = false, Error = "raw-and-attachments.ipynb: cell 4: timed out" };
        var page = NotebookHtmlWriter.RenderPage(failed, "ran without the original project's images");
        Assert.Contains("<p class=\"status fail\">raw-and-attachments.ipynb: raw-and-attachments.ipynb: cell 4: timed out", page);
        Assert.Contains("<p class=\"notice\">ran without the original project&#39;s images</p>", page);
    }
}
