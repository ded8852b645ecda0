using System.Diagnostics;
using Microsoft.DotNet.Interactive.Documents;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class NotebookExecutorTests
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(2);

    private static List<InteractiveDocumentOutputElement> Outputs(NotebookRunResult r, int cellIndex) => r.Executed.Elements[cellIndex - 1].Outputs;

    /// <summary>What an output shows: text/plain when the kernel gave it, else text/html, else stream text.</summary>
    private static string Shown(InteractiveDocumentOutputElement o) => o switch
    {
        TextElement t => t.Text,
        DisplayElement d => (string)(d.Data.TryGetValue("text/plain", out var p) ? p : d.Data["text/html"]),
        ReturnValueElement v => (string)(v.Data.TryGetValue("text/plain", out var p) ? p : v.Data["text/html"]),
        ErrorElement e => e.ErrorValue,
        _ => "",
    };

    private static async Task<NotebookRunResult> Run(params string[] code)
        => await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "t.ipynb", code), CellTimeout);

    [Fact]
    public async Task State_carries_over_cells_and_the_trailing_expression_becomes_execute_result()
    {
        var r = await Run("var x = 41;", "int Twice(int v) => 2 * v;", "Twice(x + 1)");
        Assert.True(r.Passed, r.Error);
        var result = Assert.IsType<ReturnValueElement>(Assert.Single(Outputs(r, 6)));
        Assert.Equal(3, result.ExecutionOrder);
        Assert.Contains("84", Shown(result));
        Assert.Empty(Outputs(r, 2));
        Assert.Equal(1, r.Executed.Elements[1].ExecutionOrder);
    }

    [Fact]
    public async Task Console_output_display_and_HTML_are_the_kernels_outputs_in_order()
    {
        var r = await Run("Console.WriteLine(\"one\");", "Console.Write(\"a\"); display(HTML(\"<b>x</b>\")); Console.WriteLine(\"b\");");
        Assert.True(r.Passed, r.Error);
        Assert.Equal("one\n", Shown(Assert.Single(Outputs(r, 2))).Replace("\r\n", "\n"));
        var o = Outputs(r, 4);
        Assert.Equal([typeof(TextElement), typeof(DisplayElement), typeof(TextElement)], o.Select(x => x.GetType()).ToArray());
        Assert.Equal("<b>x</b>", ((DisplayElement)o[1]).Data["text/html"]);
        Assert.Equal("b\n", Shown(o[2]).Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task A_display_that_is_updated_shows_its_last_value()
    {
        // ProgressView updates its output in place through the kernel's display handle
        var notebooks = NotebookFiles.NotebooksDirWithLibrary();
        var path = NotebookFiles.WriteCode(notebooks, "p.ipynb", NotebookConventions.FirstCell,
            "var p = Show.Progress(\"steps\", 3);\nfor (var i = 0; i < 3; i++) p.Increment();\np.Complete();");
        var r = await NotebookExecutor.RunAsync(path, CellTimeout);
        Assert.True(r.Passed, r.Error);
        var shown = Assert.IsType<DisplayElement>(Assert.Single(Outputs(r, 4)));
        Assert.Contains("steps: 3/3 (100%)", (string)shown.Data["text/html"]);
        Assert.Contains(", done", (string)shown.Data["text/html"]);
    }

    [Fact]
    public async Task A_failing_cell_is_named_and_stops_the_notebook()
    {
        var compile = await Run("var a = 1;", "int b = \"no\";", "Console.WriteLine(\"never\");");
        Assert.False(compile.Passed);
        Assert.Equal(4, compile.FailedCell);
        Assert.StartsWith("t.ipynb: cell 4: compilation failed: ", compile.Error);
        Assert.Contains("CS0029", compile.Error);
        Assert.IsType<ErrorElement>(Outputs(compile, 4).Last());
        Assert.Equal(0, compile.Executed.Elements[5].ExecutionOrder);

        var runtime = await Run("throw new InvalidOperationException(\"boom\");");
        Assert.Equal("t.ipynb: cell 2: runtime error: InvalidOperationException: boom", runtime.Error);
    }

    [Fact]
    public async Task The_library_loads_by_relative_hash_r_and_its_views_render_as_html_through_the_kernel()
    {
        var path = NotebookFiles.WriteCode(NotebookFiles.NotebooksDirWithLibrary(), "x.ipynb",
            NotebookConventions.FirstCell, "Show.Audio(new float[800], 8000)");
        var r = await NotebookExecutor.RunAsync(path, CellTimeout);
        Assert.True(r.Passed, r.Error);
        var value = Assert.IsType<ReturnValueElement>(Assert.Single(Outputs(r, 4)));
        Assert.Contains("<audio controls", (string)value.Data["text/html"]);
    }

    [Fact]
    public async Task Working_directory_is_the_notebooks_folder_during_the_run_and_restored_after()
    {
        var before = Environment.CurrentDirectory;
        var dir = NotebookFiles.TempDir();
        File.WriteAllText(Path.Combine(dir, "data.txt"), "hello");
        var r = await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(dir, "w.ipynb", "System.IO.File.ReadAllText(\"data.txt\")"), CellTimeout);
        Assert.True(r.Passed, r.Error);
        Assert.Contains("hello", Shown(Outputs(r, 2)[0]));
        Assert.Equal(before, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task A_dib_notebook_runs_and_is_written_as_ipynb_with_its_outputs()
    {
        var dir = NotebookFiles.TempDir();
        var dib = Path.Combine(dir, "d.dib");
        File.WriteAllText(dib, "#!markdown\n\n# A dib\n\n#!csharp\n\nConsole.WriteLine(6 * 7);\n");
        var r = await NotebookExecutor.RunAsync(dib, CellTimeout);
        Assert.True(r.Passed, r.Error);
        var out1 = Path.Combine(dir, "d.ipynb");
        NotebookDocument.WriteIpynb(r.Executed, out1);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(out1))!;
        Assert.Equal(".net-csharp", (string?)json["metadata"]!["kernelspec"]!["name"]);
        Assert.Contains("42", json["cells"]!.AsArray().Last()!["outputs"]![0]!["text"]!.ToJsonString());
    }

    [Fact]
    public async Task The_Replicate_token_is_scrubbed_from_every_output_of_the_executed_notebook_and_page()
    {
        const string fake = "r8_FakeTokenForScrubTest0123456789abcdefgh";
        var saved = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, fake);
            var notebooks = NotebookFiles.NotebooksDirWithLibrary();
            var path = NotebookFiles.WriteCode(notebooks, "s.ipynb",
                NotebookConventions.FirstCell,
                "Console.WriteLine(Environment.GetEnvironmentVariable(\"REPLICATE_API_TOKEN\"));",
                "display(ReplicateClientOptions.FromEnvironment());\ndisplay(ReplicateClientOptions.FromEnvironment().ApiToken);",
                "ReplicateClientOptions.FromEnvironment()",
                "throw new InvalidOperationException(\"token is \" + Environment.GetEnvironmentVariable(\"REPLICATE_API_TOKEN\"));");
            var r = await NotebookExecutor.RunAsync(path, CellTimeout);
            Assert.Equal(10, r.FailedCell); // the throwing cell ran: every other output was captured
            Assert.Equal("s.ipynb: cell 10: runtime error: InvalidOperationException: token is ***", r.Error);
            Assert.Equal("***", Shown(Outputs(r, 4)[0]).Trim());
            Assert.Contains("ApiToken = ***", Shown(Outputs(r, 6)[0]));
            Assert.Contains("***", Shown(Outputs(r, 6)[1]));
            Assert.Contains("ApiToken = ***", Shown(Outputs(r, 8)[0]));

            var ipynb = Path.Combine(notebooks, "out.ipynb");
            NotebookDocument.WriteIpynb(r.Executed, ipynb);
            var text = File.ReadAllText(ipynb);
            Assert.Contains("token is ***", text);
            Assert.DoesNotContain(fake, text);
            var page = NotebookHtmlWriter.RenderPage(r);
            Assert.Contains("token is ***", page);
            Assert.DoesNotContain(fake, page);
        }
        finally
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, saved);
        }
    }

    [Fact]
    public async Task Logs_one_line_per_cell()
    {
        var log = new StringWriter();
        await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "l.ipynb", "1", "2"), CellTimeout, log);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("l.ipynb: cell 2 (1/2 code) ok", lines[0]);
    }

    [Fact]
    public void Not_a_notebook_is_a_sentence_naming_the_file()
    {
        var dir = NotebookFiles.TempDir();
        var bad = Path.Combine(dir, "bad.ipynb");
        File.WriteAllText(bad, "{\"cells\": 3");
        var e = Assert.ThrowsAny<SpecLoraException>(() => NotebookExecutor.RunAsync(bad, CellTimeout).GetAwaiter().GetResult());
        Assert.StartsWith(bad + ": not a valid notebook", e.Message);
        var txt = Path.Combine(dir, "x.txt");
        File.WriteAllText(txt, "");
        Assert.Contains("give an .ipynb or .dib file", Assert.ThrowsAny<SpecLoraException>(() => NotebookExecutor.RunAsync(txt, CellTimeout).GetAwaiter().GetResult()).Message);
    }

    /// <summary>A cell past its limit: the whole <c>speclora</c> process is what users run, and the only place a
    /// runaway cell can end (the process exits), so this runs the CLI as a child process.</summary>
    [Fact]
    public async Task A_cell_over_its_time_limit_fails_naming_the_cell_and_later_notebooks_are_not_run_in_that_process()
    {
        var dir = NotebookFiles.TempDir();
        NotebookFiles.WriteCode(dir, "01-slow.ipynb", "var a = 1;", "while (true) System.Threading.Thread.Sleep(100);");
        NotebookFiles.WriteCode(dir, "02-next.ipynb", "1");
        // the CLI's own build output (the test folder's copy lacks packages that ASP.NET Core's framework supplies to tests)
        var cli = Path.Combine(Golden.RepoRoot, "lib", "SpecLora.Cli", "bin", "Release", "net10.0", "SpecLora.Cli.dll");
        Assert.True(File.Exists(cli), $"{cli} not built (dotnet build -c Release)");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { cli, "notebooks", dir, "-o", Path.Combine(dir, "out"), "--cell-timeout", "8" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(limit.Token);
        var text = await stdout + await stderr;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("01-slow.ipynb: cell 4: timed out: the cell ran longer than 8 s", text);
        Assert.Contains("02-next.ipynb: not run: 01-slow.ipynb: cell 4 timed out after 8 s and may still be running", text);
        Assert.Equal("0 passed, 2 failed", text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Last());
        Assert.Contains("timed out", File.ReadAllText(Path.Combine(dir, "out", "01-slow.ipynb")));
    }
}
