using System.CommandLine;
using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora notebooks [paths…] -o results/notebooks</c>: runs notebooks headlessly and writes their outputs.</summary>
internal static class NotebooksCommand
{
    internal static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Notebooks (.ipynb) or folders of them; default: notebooks/*.ipynb of the repository", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for executed .ipynb files, HTML pages and index.html (default: results/notebooks)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed per notebook", DefaultValueFactory = _ => 600 };
        var checkHtml = new Option<bool>("--check-html") { Description = "Open every page in headless Chromium and check images, audio and console errors" };
        var command = new Command("notebooks", "Run notebooks headlessly (Roslyn scripting) and write executed notebooks, HTML pages and an index");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.Options.Add(timeout);
        command.Options.Add(checkHtml);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var timeoutSeconds = r.GetValue(timeout);
            if (!(timeoutSeconds > 0))
            {
                Console.Error.WriteLine($"--timeout {timeoutSeconds} must be > 0 seconds");
                return 2;
            }
            var root = RepoRoot();
            var files = ResolveNotebooks(r.GetValue(paths) ?? [], root, out var missing);
            foreach (var m in missing) Console.Error.WriteLine($"{m}: no such notebook or folder");
            if (files.Count == 0)
            {
                Console.Error.WriteLine("no notebooks to run (give .ipynb files or folders, or run inside the repository with notebooks/*.ipynb)");
                return 2;
            }
            var outDir = Path.GetFullPath(r.GetValue(output) ?? Path.Combine(root, "results", "notebooks"));
            var run = await RunAllAsync(files, outDir, TimeSpan.FromSeconds(timeoutSeconds), r.GetValue(checkHtml), Console.Out, ct);
            return run.Failed == 0 && missing.Count == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Runs <paramref name="files"/> in order, writes outputs into <paramref name="outDir"/>, prints a line per
    /// cell, one per failure and <c>N passed, N failed</c>.</summary>
    internal static async Task<(int Passed, int Failed, IReadOnlyList<NotebookRunResult> Results)> RunAllAsync(
        IReadOnlyList<string> files, string outDir, TimeSpan timeout, bool checkHtml, TextWriter log, CancellationToken ct)
    {
        Directory.CreateDirectory(outDir);
        var chromium = checkHtml ? HtmlChecker.FindChromium() : null;
        if (checkHtml && chromium is null) log.WriteLine("--check-html: chromium not found (install Debian's chromium package); every page counts as failed");
        var results = new List<NotebookRunResult>();
        int passed = 0, failed = 0;
        foreach (var file in files)
        {
            NotebookRunResult result;
            try { result = await NotebookExecutor.RunAsync(file, timeout, log, ct); }
            catch (SpecLoraException e)
            {
                log.WriteLine(e.Message);
                failed++;
                continue;
            }
            var stem = Path.GetFileNameWithoutExtension(file);
            result.Executed.Save(Path.Combine(outDir, stem + ".ipynb"));
            var page = Path.Combine(outDir, stem + ".html");
            NotebookHtmlWriter.WritePage(result, page);
            var ok = result.Passed;
            if (!ok) log.WriteLine(result.Error);
            if (checkHtml)
            {
                var check = chromium is null
                    ? new HtmlCheckResult(page, 0, 0, ["chromium not found"])
                    : await HtmlChecker.CheckAsync(page, chromium, cancellationToken: ct);
                foreach (var p in check.Problems) log.WriteLine($"{Path.GetFileName(page)}: {p}");
                log.WriteLine($"{Path.GetFileName(page)}: {check.Images} images, {check.Audio} audio elements, {(check.Ok ? "ok" : check.Problems.Count + " problems")}");
                ok &= check.Ok;
            }
            results.Add(result);
            log.WriteLine($"{result.Name}: {(result.Passed ? "passed" : "failed")} in {result.Elapsed.TotalSeconds:0.00} s → {page}");
            if (ok) passed++; else failed++;
        }
        NotebookHtmlWriter.WriteIndex(results, Path.Combine(outDir, "index.html"));
        log.WriteLine($"pages: {Path.Combine(outDir, "index.html")}");
        log.WriteLine($"{passed} passed, {failed} failed");
        return (passed, failed, results);
    }

    /// <summary>Expands files and folders (a folder gives its *.ipynb, sorted); no paths = notebooks/*.ipynb under <paramref name="root"/>.</summary>
    internal static List<string> ResolveNotebooks(IReadOnlyList<string> paths, string root, out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        if (paths.Count == 0) paths = [Path.Combine(root, "notebooks")];
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p, "*.ipynb").Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else missing.Add(p);
        }
        return files.Select(Path.GetFullPath).Distinct().ToList();
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SpecLora.Notebooks.sln"))) return dir.FullName;
        return Environment.CurrentDirectory;
    }
}
