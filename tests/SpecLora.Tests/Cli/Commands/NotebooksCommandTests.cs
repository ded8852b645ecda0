using System.Diagnostics;
using SpecLora.Cli.Commands;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;
using static SpecLora.Tests.Cli.NotebookRunner.RunnerTestKit;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class NotebooksCommandTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs <c>speclora ARGS</c> in this process with the console captured (stdout and stderr together).</summary>
    private static async Task<(int Code, string Output)> Speclora(params string[] args)
    {
        var (savedOut, savedErr) = (Console.Out, Console.Error);
        var writer = new StringWriter();
        try
        {
            Console.SetOut(writer);
            Console.SetError(writer);
            var code = await SpecLora.Cli.Program.RunAsync(args);
            return (code, writer.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
        }
    }

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
        var lines = Lines(log.ToString());
        Assert.Contains(lines, l => l.StartsWith("01-bad.ipynb: cell 4: compilation failed: ", StringComparison.Ordinal) && l.Contains("CS0103", StringComparison.Ordinal));
        Assert.Equal("1 passed, 1 failed", lines.Last());
        foreach (var f in new[] { "01-bad.ipynb", "01-bad.html", "02-good.ipynb", "02-good.html", "index.html", OutputFolder.RecordName })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.Contains("42", File.ReadAllText(Path.Combine(outDir, "02-good.ipynb")));
    }

    [Fact]
    public async Task Command_exits_non_zero_on_failure_and_zero_when_all_pass_and_two_on_bad_usage()
    {
        var dir = NotebookFiles.TempDir();
        var good = NotebookFiles.WriteCode(dir, "01-good.ipynb", "1");
        var bad = NotebookFiles.WriteCode(dir, "02-bad.ipynb", "throw new Exception(\"x\");");
        Assert.Equal(0, (await Speclora("notebooks", good, "-o", Path.Combine(dir, "o1"))).Code);
        Assert.Equal(1, (await Speclora("notebooks", good, bad, "-o", Path.Combine(dir, "o2"))).Code);
        Assert.Equal(2, (await Speclora("notebooks", Path.Combine(dir, "none"), "-o", Path.Combine(dir, "o3"))).Code);
        Assert.Equal(2, (await Speclora("notebooks", Path.Combine(dir, "page.html"))).Code); // a page is checked, not run: needs --check-html
        var (code, output) = await Speclora("notebooks", good, "-o", Path.Combine(dir, "o4"), "--cell-timeout", "0");
        Assert.Equal((2, "--cell-timeout 0 must be > 0 and ≤ 86400 seconds (see: speclora notebooks --help)"), (code, output.Trim()));
        Assert.Equal(2, (await Speclora("notebooks", good, "-o", Path.Combine(dir, "o5"), "--cell-timeout", "1e300")).Code);
        Assert.Equal(2, (await Speclora("notebooks", good, "-o", Path.Combine(dir, "o6"), "--frobnicate")).Code);
        Assert.False(Directory.Exists(Path.Combine(dir, "o6")), "an unknown option is refused before any work");
        File.WriteAllText(Path.Combine(dir, "file"), "");
        Assert.Equal(2, (await Speclora("notebooks", good, "-o", Path.Combine(dir, "file"))).Code);
    }

    [SkippableFact]
    public async Task Check_html_opens_given_pages_in_chromium_and_counts_them()
    {
        Skip.If(HtmlChecker.FindChromium() is null, "headless Chromium not found (install Debian's chromium package, as .ci/run does)");
        var dir = NotebookFiles.TempDir();
        var good = Path.Combine(dir, "good.html");
        File.WriteAllText(good, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>no media</p></body></html>");
        var bad = Path.Combine(dir, "bad.html");
        File.WriteAllText(bad, "<!DOCTYPE html><html><head></head><body><img src=\"data:image/png;base64,AAAA\" alt=\"broken\"></body></html>");
        var log = new StringWriter();
        var (passed, failed) = await NotebooksCommand.CheckPagesAsync([good, bad], log, CancellationToken.None);
        Assert.Equal((1, 1), (passed, failed));
        Assert.Contains("bad.html: image 1 (broken) did not decode", log.ToString());
        Assert.Contains("bad.html: 1 image, 0 audio elements, 1 problem", log.ToString());
        Assert.Equal("1 passed, 1 failed", Lines(log.ToString()).Last());
    }

    /// <summary>issue 17: <c>notebooks in/nb -o in/nb</c> rewrote the sources (an nbformat-3 notebook became
    /// <c>"cells": []</c>, a raw cell ran as C#, attachments were lost). Now refused before any work, naming both paths.</summary>
    [Fact]
    public async Task Running_a_folder_into_itself_is_refused_and_leaves_every_source_byte_for_byte()
    {
        var nb = NotebookFiles.TempDir();
        foreach (var f in new[] { "nbformat3.ipynb", "raw-and-attachments.ipynb", "scripts-in-markdown.ipynb" }) Hostile(f, nb);
        NotebookFiles.WriteCode(nb, "01-good.ipynb", "1");
        var before = Snapshot(nb);
        foreach (var extra in new[] { Array.Empty<string>(), ["--overwrite"] })
        {
            var (code, output) = await Speclora(["notebooks", nb, "-o", nb, .. extra]);
            Assert.Equal(2, code);
            var good = Path.Combine(nb, "01-good.ipynb");
            Assert.Contains($"-o {nb} would write {good} over the notebook being run, {good}: choose another -o folder", output);
            Assert.Contains("raw-and-attachments.ipynb over the notebook being run", output);
            Assert.DoesNotContain("passed", output);
            Assert.Equal(before, Snapshot(nb));
        }
    }

    [Fact]
    public async Task A_second_run_replaces_its_own_outputs_but_not_the_users_files_unless_told()
    {
        var dir = NotebookFiles.TempDir();
        var nb = NotebookFiles.WriteCode(dir, "01-a.ipynb", "Console.WriteLine(DateTime.Now.Ticks);");
        var outDir = Path.Combine(dir, "out");
        Assert.Equal(0, (await Speclora("notebooks", nb, "-o", outDir)).Code);
        var first = File.ReadAllText(Path.Combine(outDir, "01-a.ipynb"));
        Assert.Equal(0, (await Speclora("notebooks", nb, "-o", outDir)).Code); // its own earlier outputs: replaced
        Assert.NotEqual(first, File.ReadAllText(Path.Combine(outDir, "01-a.ipynb")));

        var page = Path.Combine(outDir, "01-a.html");
        File.WriteAllText(page, "my notes");
        var (code, output) = await Speclora("notebooks", nb, "-o", outDir);
        Assert.Equal(2, code);
        Assert.Contains($"{page} exists and no earlier run of speclora notebooks wrote it there (or it changed since): move it, choose another -o folder, or add --overwrite", output);
        Assert.Equal("my notes", File.ReadAllText(page));
        (code, output) = await Speclora("notebooks", nb, "-o", outDir, "--overwrite");
        Assert.Equal(0, code);
        Assert.Contains($"replacing {page} (--overwrite: no earlier run of speclora notebooks wrote it)", output);
        Assert.NotEqual("my notes", File.ReadAllText(page));
    }

    [Fact]
    public async Task Notebooks_with_one_name_in_two_folders_are_refused_before_any_work()
    {
        var a = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "01-x.ipynb", "1");
        var b = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "01-x.ipynb", "2");
        var outDir = Path.Combine(NotebookFiles.TempDir(), "out");
        var (code, output) = await Speclora("notebooks", a, b, "-o", outDir);
        Assert.Equal(2, code);
        Assert.Contains($"{a} and {b} would both be written as {Path.Combine(outDir, "01-x")}.ipynb and .html", output);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Formats_the_runner_cannot_round_trip_fail_in_one_sentence_each_and_the_others_run()
    {
        var nb = NotebookFiles.TempDir();
        foreach (var f in new[] { "nbformat3.ipynb", "cells-not-a-list.ipynb", "empty.ipynb", "javascript-cell.dib", "python-kernel.ipynb" }) Hostile(f, nb);
        NotebookFiles.WriteCode(nb, "01-good.ipynb", "1");
        var outDir = Path.Combine(nb, "out");
        var log = new StringWriter();
        var run = await NotebooksCommand.RunAllAsync(NotebooksCommand.ResolveNotebooks([nb], nb, out _), outDir, new NotebookRunOptions(), log, CancellationToken.None);
        Assert.Equal((1, 5), (run.Passed, run.Failed));
        var lines = Lines(log.ToString());
        Assert.Contains($"{Path.Combine(nb, "nbformat3.ipynb")}: nbformat 3; the runner runs nbformat 4 notebooks only (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE); not run", lines);
        Assert.Contains($"{Path.Combine(nb, "empty.ipynb")}: the file is empty (0 bytes), not a notebook; not run", lines);
        Assert.Equal("1 passed, 5 failed", lines.Last());
        Assert.False(File.Exists(Path.Combine(outDir, "nbformat3.ipynb")));
        var index = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.Contains("<td>nbformat3.ipynb</td>", index);
        Assert.Contains("not run: ", index);
    }

    [Fact]
    public async Task A_notebook_named_with_an_escape_sequence_is_printed_visibly()
    {
        var dir = NotebookFiles.TempDir();
        NotebookFiles.WriteCode(dir, "01-\u001b]0;PWNED\u0007\u001b[31mred.ipynb", "throw new Exception(\"\u001b[2Jcleared\");");
        var log = new StringWriter();
        var run = await NotebooksCommand.RunAllAsync(NotebooksCommand.ResolveNotebooks([dir], dir, out _), Path.Combine(dir, "out"), new NotebookRunOptions(), log, CancellationToken.None);
        Assert.Equal(1, run.Failed);
        Assert.DoesNotContain('\u001b', log.ToString());
        Assert.DoesNotContain('\u0007', log.ToString());
        Assert.Contains("01-\\e]0;PWNED\\a\\e[31mred.ipynb: cell 2: runtime error: Exception: \\e[2Jcleared", log.ToString());
    }

    [Fact]
    public async Task Pages_of_a_hostile_notebook_carry_no_script_and_keep_its_html_outputs()
    {
        var dir = NotebookFiles.TempDir();
        var path = Hostile("scripts-in-markdown.ipynb", dir);
        var run = await NotebooksCommand.RunAllAsync([path], Path.Combine(dir, "out"), new NotebookRunOptions(), TextWriter.Null, CancellationToken.None);
        Assert.Equal(1, run.Passed);
        var page = File.ReadAllText(Path.Combine(dir, "out", "scripts-in-markdown.html"));
        AssertNoScript(page);
        AssertNoScript(File.ReadAllText(Path.Combine(dir, "out", "index.html")));
        Assert.Contains("<b>bold</b>", page);
        Assert.Contains("<svg width=\"4\" height=\"4\"><a><rect width=\"4\" height=\"4\"/></a></svg>", page);
    }

    [Fact]
    public async Task Offline_the_summary_and_the_index_say_first_which_notebooks_lacked_the_original_images()
    {
        var notebooks = NotebookFiles.NotebooksDirWithLibrary();
        NotebookFiles.WriteCode(notebooks, "01-clip.ipynb", NotebookConventions.FirstCell, "1");
        NotebookFiles.WriteCode(notebooks, "02-seed.ipynb", NotebookConventions.FirstCell,
            "try { await SeedData.EnsureAsync(\"../data/seed\"); } catch (SeedDataUnavailableException e) { Console.WriteLine(e.Message); }");
        var saved = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        try
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");
            var log = new StringWriter();
            var outDir = Path.Combine(notebooks, "..", "out");
            var run = await NotebooksCommand.RunAllAsync(NotebooksCommand.ResolveNotebooks([notebooks], notebooks, out _), outDir, new NotebookRunOptions(), log, CancellationToken.None);
            Assert.Equal(2, run.Passed);
            var seed = Path.GetFullPath(Path.Combine(notebooks, "..", "data", "seed"));
            var notice = $"ran without the original project's images (0 of 15 files in {seed}; SPECLORA_OFFLINE=1 forbids the download): notebook 02 shows our own clip in their place";
            var lines = Lines(log.ToString());
            Assert.Equal([notice, $"pages: {Path.GetFullPath(Path.Combine(outDir, "index.html"))}", "2 passed, 0 failed"], lines[^3..]);
            var index = File.ReadAllText(Path.Combine(outDir, "index.html"));
            Assert.True(index.IndexOf("ran without the original project&#39;s images", StringComparison.Ordinal) < index.IndexOf("2 passed", StringComparison.Ordinal));
            Assert.Contains("ran without the original project&#39;s images", File.ReadAllText(Path.Combine(outDir, "02-seed.html")));
            Assert.DoesNotContain("ran without", File.ReadAllText(Path.Combine(outDir, "01-clip.html")));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", saved);
        }
    }

    /// <summary>The whole CLI as users run it (stdout a pipe): a cell past its limit, a cell that ends its process, and
    /// the notebooks after them still run, each in a fresh kernel process; nothing printed carries an escape code.</summary>
    [Fact]
    public async Task A_runaway_cell_and_a_process_exit_fail_only_their_notebooks_and_the_next_ones_run()
    {
        var dir = NotebookFiles.TempDir();
        NotebookFiles.WriteCode(dir, "01-slow.ipynb", "var a = 1;", "while (true) System.Threading.Thread.Sleep(100);");
        NotebookFiles.WriteCode(dir, "02-exit.ipynb", "Console.WriteLine(1);", "Environment.Exit(0);");
        NotebookFiles.WriteCode(dir, "03-next.ipynb", "Console.WriteLine(\"fresh \" + AppDomain.CurrentDomain.GetAssemblies().Length);");
        var (code, stdout, stderr) = await RunCliAsync(dir, TimeSpan.FromMinutes(4), null, "notebooks", dir, "-o", Path.Combine(dir, "out"), "--cell-timeout", "8");
        var lines = Lines(stdout);
        Assert.Equal(1, code);
        Assert.Contains("01-slow.ipynb: cell 4: timed out: the cell ran longer than 8 s (--cell-timeout); its kernel process was ended", lines);
        Assert.Contains("02-exit.ipynb: cell 4 ended the kernel process (exit code 0) before it finished; the cells after it did not run", lines);
        Assert.Contains(lines, l => l.StartsWith("03-next.ipynb: passed in ", StringComparison.Ordinal));
        Assert.Equal("1 passed, 2 failed", lines.Last());
        Assert.Equal("", stderr);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Contains("timed out", File.ReadAllText(Path.Combine(dir, "out", "01-slow.ipynb")));
    }

    /// <summary>Ctrl+C ends the running notebook's kernel process, writes the index, says what ran and what did not, exit 130.</summary>
    [SkippableFact]
    public async Task Ctrl_C_ends_the_kernel_process_and_reports_what_ran_and_what_did_not()
    {
        Skip.If(OperatingSystem.IsWindows(), "sends SIGINT with kill(1)");
        var dir = NotebookFiles.TempDir();
        NotebookFiles.WriteCode(dir, "01-quick.ipynb", "1");
        NotebookFiles.WriteCode(dir, "02-hang.ipynb", "System.IO.File.WriteAllText(\"kernel.pid\", Environment.ProcessId.ToString());\nwhile (true) Console.WriteLine(\"flood\");");
        NotebookFiles.WriteCode(dir, "03-never.ipynb", "2");
        using var cli = StartCli(dir, null, "notebooks", dir, "-o", Path.Combine(dir, "out"));
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        var pidFile = Path.Combine(dir, "kernel.pid");
        using (var wait = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Length == 0) await Task.Delay(100, wait.Token);
        var kernel = int.Parse(File.ReadAllText(pidFile));
        await Task.Delay(500); // the cell is flooding its output now
        using (var kill = Process.Start("kill", ["-INT", cli.Id.ToString()])) await kill.WaitForExitAsync();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60))) await cli.WaitForExitAsync(limit.Token);
        var text = await stdout + await stderr;
        Assert.Equal(130, cli.ExitCode);
        Assert.Contains("interrupted (Ctrl+C): 1 of 3 notebooks finished (1 passed, 0 failed); 02-hang.ipynb: interrupted (Ctrl+C) at cell 2; not run: 03-never.ipynb; the files written are complete", text);
        Assert.False(Alive(kernel), $"kernel process {kernel} still runs");
        Assert.DoesNotContain('\u001b', text);
        var index = File.ReadAllText(Path.Combine(dir, "out", "index.html"));
        Assert.Contains("not run (interrupted)", index);
        Assert.Contains("interrupted (Ctrl+C) at cell 2", index);
    }
}
