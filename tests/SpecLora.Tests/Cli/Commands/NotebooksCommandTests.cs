using SpecLora.Cli.Commands;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class NotebooksCommandTests
{
    [Fact]
    public async Task A_failing_notebook_does_not_stop_the_others_and_the_summary_counts_both()
    {
        var dir = NotebookFiles.TempDir();
        NotebookFiles.WriteCode(dir, "01-bad.ipynb", "var x = 1;", "undefinedName");
        NotebookFiles.WriteCode(dir, "02-good.ipynb", "Console.WriteLine(40 + 2);");
        var files = NotebooksCommand.ResolveNotebooks([dir], dir, out var missing);
        Assert.Empty(missing);
        Assert.Equal(["01-bad.ipynb", "02-good.ipynb"], files.Select(f => Path.GetFileName(f)).ToArray());
        var outDir = Path.Combine(dir, "out");
        var log = new StringWriter();
        var (passed, failed, _) = await NotebooksCommand.RunAllAsync(files, outDir, TimeSpan.FromMinutes(1), checkHtml: false, log, CancellationToken.None);
        Assert.Equal((1, 1), (passed, failed));
        var lines = log.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("01-bad.ipynb: cell 4: compilation failed: ", StringComparison.Ordinal) && l.Contains("CS0103", StringComparison.Ordinal));
        Assert.Equal("1 passed, 1 failed", lines.Last(l => l.Length > 0));
        foreach (var f in new[] { "01-bad.ipynb", "01-bad.html", "02-good.ipynb", "02-good.html", "index.html" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.Contains("42", File.ReadAllText(Path.Combine(outDir, "02-good.ipynb")));
    }

    [Fact]
    public async Task Command_exits_non_zero_on_failure_and_zero_when_all_pass()
    {
        var dir = NotebookFiles.TempDir();
        var good = NotebookFiles.WriteCode(dir, "01-good.ipynb", "1");
        var bad = NotebookFiles.WriteCode(dir, "02-bad.ipynb", "throw new Exception(\"x\");");
        var root = SpecLora.Cli.Program.BuildRoot();
        Assert.Equal(0, await root.Parse(["notebooks", good, "-o", Path.Combine(dir, "o1")]).InvokeAsync());
        Assert.Equal(1, await root.Parse(["notebooks", good, bad, "-o", Path.Combine(dir, "o2")]).InvokeAsync());
        Assert.Equal(2, await root.Parse(["notebooks", Path.Combine(dir, "none"), "-o", Path.Combine(dir, "o3")]).InvokeAsync());
        Assert.Equal(2, await root.Parse(["notebooks", Path.Combine(dir, "page.html")]).InvokeAsync()); // a page is checked, not run: needs --check-html
    }

    [SkippableFact]
    public async Task Check_html_opens_given_pages_in_chromium_and_counts_them()
    {
        Skip.If(SpecLora.Cli.NotebookRunner.HtmlChecker.FindChromium() is null, "headless Chromium not found (install Debian's chromium package, as .ci/run does)");
        var dir = NotebookFiles.TempDir();
        var good = Path.Combine(dir, "good.html");
        File.WriteAllText(good, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>no media</p></body></html>");
        var bad = Path.Combine(dir, "bad.html");
        File.WriteAllText(bad, "<!DOCTYPE html><html><head></head><body><img src=\"data:image/png;base64,AAAA\" alt=\"broken\"></body></html>");
        var log = new StringWriter();
        var (passed, failed) = await NotebooksCommand.CheckPagesAsync([good, bad], log, CancellationToken.None);
        Assert.Equal((1, 1), (passed, failed));
        Assert.Contains("bad.html: image 1 (broken) did not decode", log.ToString());
        Assert.Equal("1 passed, 1 failed", log.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Last());
    }
}
