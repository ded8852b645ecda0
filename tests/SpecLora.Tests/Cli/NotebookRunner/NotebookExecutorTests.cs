using System.Diagnostics;
using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;
using static SpecLora.Tests.Cli.NotebookRunner.RunnerTestKit;

namespace SpecLora.Tests.Cli.NotebookRunner;

/// <summary>The runner, each notebook in a kernel process of its own (started from the tests as the CLI starts it).</summary>
[Collection(ProcessStateCollection.Name)]
public class NotebookExecutorTests
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(2);

    private static async Task<NotebookRunResult> Run(params string[] code)
        => await NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "t.ipynb", code), CellTimeout);

    private static Task<NotebookRunResult> Run(NotebookRunOptions options, TextWriter? log, params string[] code)
        => NotebookExecutor.RunAsync(NotebookFiles.WriteCode(NotebookFiles.TempDir(), "t.ipynb", code), options, log);

    [Fact]
    public async Task State_carries_over_cells_and_the_trailing_expression_becomes_execute_result()
    {
        var r = await Run("var x = 41;", "int Twice(int v) => 2 * v;", "Twice(x + 1)");
        Assert.True(r.Passed, r.Error);
        var result = Assert.Single(Outputs(r, 6));
        Assert.Equal("execute_result", (string?)result!["output_type"]);
        Assert.Equal(3, (int)result["execution_count"]!);
        Assert.Contains("84", Shown(result));
        Assert.Empty(Outputs(r, 2));
        Assert.Equal(1, (int)Cell(r, 2)["execution_count"]!);
    }

    [Fact]
    public async Task Console_output_display_and_HTML_are_the_kernels_outputs_in_order()
    {
        var r = await Run("Console.WriteLine(\"one\");", "Console.Write(\"a\"); display(HTML(\"<b>x</b>\")); Console.WriteLine(\"b\");");
        Assert.True(r.Passed, r.Error);
        Assert.Equal("one\n", Shown(Assert.Single(Outputs(r, 2))).Replace("\r\n", "\n"));
        var o = Outputs(r, 4);
        Assert.Equal(["stream", "display_data", "stream"], o.Select(x => (string)x!["output_type"]!).ToArray());
        Assert.Equal("<b>x</b>", (string?)o[1]!["data"]!["text/html"]);
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
        var shown = (string)Assert.Single(Outputs(r, 4))!["data"]!["text/html"]!;
        Assert.Contains("steps: 3/3 (100%)", shown);
        Assert.Contains(", done", shown);
    }

    [Fact]
    public async Task A_failing_cell_is_named_and_stops_the_notebook()
    {
        var compile = await Run("var a = 1;", "int b = \"no\";", "Console.WriteLine(\"never\");");
        Assert.False(compile.Passed);
        Assert.Equal(4, compile.FailedCell);
        Assert.StartsWith("t.ipynb: cell 4: compilation failed: ", compile.Error);
        Assert.Contains("CS0029", compile.Error);
        Assert.Equal("error", (string?)Outputs(compile, 4).Last()!["output_type"]);
        Assert.Null(Cell(compile, 6)["execution_count"]);

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
        Assert.Contains("<audio controls", (string)Assert.Single(Outputs(r, 4))!["data"]!["text/html"]!);
    }

    [Fact]
    public async Task The_kernel_works_in_the_notebooks_folder_and_the_runner_keeps_its_own()
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
        var json = JsonNode.Parse(File.ReadAllText(out1))!;
        Assert.Equal(".net-csharp", (string?)json["metadata"]!["kernelspec"]!["name"]);
        Assert.Contains("42", json["cells"]!.AsArray().Last()!["outputs"]![0]!["text"]!.ToJsonString());
    }

    [Fact]
    public async Task Raw_cells_are_not_run_and_are_written_back_as_raw_with_the_attachments()
    {
        var path = Hostile("raw-and-attachments.ipynb");
        var r = await NotebookExecutor.RunAsync(path, CellTimeout);
        Assert.True(r.Passed, r.Error); // the raw cell holds "int notCSharp = ;": run as C#, it would fail
        var before = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(JsonNode.DeepEquals(before["cells"]![1], r.Executed["cells"]![1]));
        Assert.True(JsonNode.DeepEquals(before["cells"]![0], r.Executed["cells"]![0]));
        Assert.Equal("42\n", Shown(Outputs(r, 4)[0]));
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
        Assert.StartsWith(bad + ": not valid notebook JSON", e.Message);
        var txt = Path.Combine(dir, "x.txt");
        File.WriteAllText(txt, "");
        Assert.Contains("give an .ipynb or .dib file", Assert.ThrowsAny<SpecLoraException>(() => NotebookExecutor.RunAsync(txt, CellTimeout).GetAwaiter().GetResult()).Message);
    }

    [Fact]
    public async Task A_cell_that_never_returns_is_ended_with_its_process_and_named()
    {
        var log = new StringWriter();
        var r = await Run(new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(8) }, log, "var a = 1;", "while (true) System.Threading.Thread.Sleep(100);", "never()");
        Assert.False(r.Passed);
        Assert.Equal(4, r.FailedCell);
        Assert.Equal("t.ipynb: cell 4: timed out: the cell ran longer than 8 s (--cell-timeout); its kernel process was ended", r.Error);
        Assert.Equal("Timeout", (string?)Outputs(r, 4).Last()!["ename"]);
        Assert.Null(Cell(r, 6)["execution_count"]);
        Assert.Contains("t.ipynb: cell 4 (2/3 code) FAILED in ", log.ToString());
    }

    [Fact]
    public async Task A_cell_that_ends_its_process_fails_its_notebook_with_a_sentence_and_the_exit_code()
    {
        var r = await Run("Console.WriteLine(\"before\");", "Environment.Exit(0);", "Console.WriteLine(\"after\");");
        Assert.False(r.Passed);
        Assert.Equal(4, r.FailedCell);
        Assert.Equal("t.ipynb: cell 4 ended the kernel process (exit code 0) before it finished; the cells after it did not run", r.Error);
        Assert.Equal("before\n", Shown(Outputs(r, 2)[0]));
        Assert.Equal("KernelProcessEnded", (string?)Outputs(r, 4).Last()!["ename"]);

        var crash = await Run("Environment.FailFast(\"gone\");");
        Assert.StartsWith("t.ipynb: cell 2 ended the kernel process (exit code 134, signal 6, SIGABRT: the process aborted", crash.Error);
        Assert.DoesNotContain("Exception", crash.Error);
    }

    [Fact]
    public async Task A_flood_of_output_is_capped_and_the_cell_passes_quickly()
    {
        var r = await Run("for (var i = 0; i < 50_000; i++) Console.WriteLine(\"line \" + i);");
        Assert.True(r.Passed, r.Error);
        var text = Shown(Outputs(r, 2)[0]);
        Assert.Contains("line 1999\n", text);
        Assert.Contains("[speclora notebooks: 47,500 lines (", text);
        Assert.EndsWith("line 49999\n", text);
        Assert.True(r.CellSeconds[2] < 30, $"{r.CellSeconds[2]:0.0} s for 50,000 lines (43 s before the cap; the kernel itself needs about 4 s)");
    }

    /// <summary>issue 17: a flooding cell ran 43 s under --cell-timeout 10. The limit now holds whatever the cell prints.</summary>
    [Fact]
    public async Task The_time_limit_holds_while_a_cell_floods_its_output()
    {
        var clock = Stopwatch.StartNew();
        var r = await Run(new NotebookRunOptions { CellTimeout = TimeSpan.FromSeconds(5) }, null, "while (true) Console.WriteLine(\"flood\");");
        Assert.Equal("t.ipynb: cell 2: timed out: the cell ran longer than 5 s (--cell-timeout); its kernel process was ended", r.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"{clock.Elapsed.TotalSeconds:0} s");
    }

    [Fact]
    public async Task A_cell_printing_more_than_it_may_fails_in_a_sentence()
    {
        var options = new NotebookRunOptions { Output = new OutputLimits { MaxPrintedChars = 1_000_000 } };
        var r = await Run(options, null, "while (true) Console.Write(new string('x', 10_000));");
        Assert.False(r.Passed);
        Assert.Equal("t.ipynb: cell 2: the cell printed more than 1,000,000 characters, the most a cell may print; print less (the page keeps only its first and last lines anyway)", r.Error);
        Assert.Contains("characters) of this cell's output dropped here", Shown(Outputs(r, 2)[0]));
    }

    /// <summary>Hostile: 100 MB written as one line. The kernel holds it (≈ 7 s); the notebook keeps 1.25 MB of it.</summary>
    [Fact]
    public async Task A_hundred_megabyte_line_is_kept_as_its_head_and_tail()
    {
        var r = await Run("Console.Write(\"<\" + new string('x', 100_000_000) + \">\");");
        Assert.True(r.Passed, r.Error);
        var text = Shown(Outputs(r, 2)[0]);
        Assert.True(text.Length < 1_300_000, $"{text.Length:N0} characters kept");
        Assert.StartsWith("<xxx", text);
        Assert.EndsWith("xxx>", text);
        Assert.Contains("(98,750,002 characters)", text);
    }

    /// <summary>Hostile: a process a cell starts and leaves running ends with the notebook's kernel process.</summary>
    [SkippableFact]
    public async Task A_process_a_cell_leaves_running_ends_with_the_notebook()
    {
        Skip.If(OperatingSystem.IsWindows(), "uses sleep(1)");
        var dir = NotebookFiles.TempDir();
        var path = RunnerTestKit.Code(dir, "spawn.ipynb",
            "var p = System.Diagnostics.Process.Start(\"sleep\", \"300\"); System.IO.File.WriteAllText(\"pid.txt\", p.Id.ToString());");
        var clock = Stopwatch.StartNew();
        var r = await NotebookExecutor.RunAsync(path, CellTimeout);
        Assert.True(r.Passed, r.Error);
        var pid = int.Parse(File.ReadAllText(Path.Combine(dir, "pid.txt")));
        for (var i = 0; i < 50 && Alive(pid); i++) await Task.Delay(100);
        Assert.False(Alive(pid), $"sleep {pid} still runs after its notebook ended");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the runner waited for the left-over process");
    }

    /// <summary>Hostile: text written past the kernel's capture (a program a cell starts writes to the process's own
    /// stdout), including a line that looks like a message, is not taken for one.</summary>
    [SkippableFact]
    public async Task Text_a_cell_writes_to_the_real_stdout_is_counted_not_read_as_a_message()
    {
        Skip.If(OperatingSystem.IsWindows(), "uses sh");
        var log = new StringWriter();
        var r = await Run(new NotebookRunOptions(), log,
            "using (var o = Console.OpenStandardOutput()) { var b = System.Text.Encoding.UTF8.GetBytes(\"{\\\"event\\\":\\\"done\\\"}\\nplain\\n\"); o.Write(b, 0, b.Length); }",
            "System.Diagnostics.Process.Start(\"sh\", new[] { \"-c\", \"echo from-a-child\" }).WaitForExit();",
            "Console.WriteLine(\"last\");");
        Assert.True(r.Passed, r.Error);
        Assert.Equal("last\n", Shown(Outputs(r, 6)[0]));
        Assert.True(log.ToString().Contains("t.ipynb: note: the kernel process printed 3 lines outside the kernel's capture (e.g. from a program a cell started), not kept in the notebook", StringComparison.Ordinal), log.ToString());
    }

    /// <summary>A kernel process that cannot start, never answers, or cannot be found: a sentence each, bounded in time.</summary>
    [SkippableFact]
    public async Task A_kernel_process_that_fails_to_start_or_never_answers_is_a_sentence_within_its_bound()
    {
        Skip.If(OperatingSystem.IsWindows(), "uses sh");
        var fails = new NotebookRunOptions { Host = new KernelHost("sh", ["-c", "echo 'speclora-kernel: no kernel here' >&2; exit 3", "sh"]) };
        var r = await Run(fails, null, "1");
        Assert.Equal("t.ipynb: the kernel process ended (exit code 3) before its first cell: no kernel here", r.Error);

        var silent = new NotebookRunOptions { Host = new KernelHost("sh", ["-c", "sleep 60", "sh"]), StartupTimeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        r = await Run(silent, null, "1");
        Assert.Equal("t.ipynb: the kernel process did not start within 1 s; its process was ended", r.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), "the runner waited for sleep 60");

        r = await Run(new NotebookRunOptions { Host = new KernelHost("/nonexistent/speclora", []) }, null, "1");
        Assert.StartsWith("t.ipynb: the kernel process could not start (/nonexistent/speclora: ", r.Error);
    }
}
