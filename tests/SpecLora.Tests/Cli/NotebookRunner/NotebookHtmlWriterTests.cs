using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class NotebookHtmlWriterTests
{
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
        Assert.DoesNotContain("<script", page);

        NotebookHtmlWriter.WriteIndex([result], Path.Combine(dir, "index.html"));
        var index = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("href=\"01-p.html\"", index);
        Assert.Contains("Title here", index);
        Assert.Contains("1 passed, 0 failed", index);
    }
}
