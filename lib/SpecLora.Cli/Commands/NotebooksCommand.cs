using System.CommandLine;
using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora notebooks [paths…] -o results/notebooks</c>: runs notebooks in the real .NET Interactive C# kernel
/// (hosted in this process) and writes the executed notebooks, their HTML pages and an index; with <c>--check-html</c>,
/// <c>.html</c> paths (e.g. a page made by <c>jupyter nbconvert --to html</c>) are opened in headless Chromium instead.</summary>
internal static class NotebooksCommand
{
    internal static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Notebooks (.ipynb, .dib) or folders of them (default: notebooks/ of the repository); with --check-html also .html pages to check", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for executed .ipynb files, HTML pages and index.html (default: results/notebooks)" };
        var timeout = new Option<double>("--cell-timeout") { Description = "Seconds allowed per code cell", DefaultValueFactory = _ => NotebookExecutor.DefaultCellTimeout.TotalSeconds };
        var checkHtml = new Option<bool>("--check-html") { Description = "Open every page (written, or given as .html) in headless Chromium: pictures decode, audio players load, no console errors" };
        var command = new Command("notebooks", "Run notebooks in the .NET Interactive C# kernel and write executed notebooks, HTML pages and an index");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.Options.Add(timeout);
        command.Options.Add(checkHtml);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var timeoutSeconds = r.GetValue(timeout);
            if (!(timeoutSeconds > 0))
            {
                Console.Error.WriteLine($"--cell-timeout {timeoutSeconds} must be > 0 seconds");
                return 2;
            }
            var root = RepoRoot();
            var given = r.GetValue(paths) ?? [];
            var pages = given.Where(p => p.EndsWith(".html", StringComparison.OrdinalIgnoreCase)).ToList();
            if (pages.Count > 0)
            {
                if (!r.GetValue(checkHtml) || pages.Count != given.Length)
                {
                    Console.Error.WriteLine($"{pages[0]}: an .html page is checked, not run: give only .html pages, with --check-html");
                    return 2;
                }
                var checkedPages = await CheckPagesAsync(pages, Console.Out, ct);
                return checkedPages.Failed == 0 ? 0 : 1;
            }
            var files = ResolveNotebooks(given, root, out var missing);
            foreach (var m in missing) Console.Error.WriteLine($"{m}: no such notebook or folder");
            if (files.Count == 0)
            {
                Console.Error.WriteLine("no notebooks to run (give .ipynb or .dib files or folders, or run inside the repository with notebooks/*.ipynb)");
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
            if (NotebookExecutor.Abandoned is { } abandoned)
            {
                log.WriteLine($"{Path.GetFileName(file)}: not run: {abandoned}");
                failed++;
                continue;
            }
            NotebookRunResult result;
            try { result = await NotebookExecutor.RunAsync(file, timeout, log, ct); }
            catch (SpecLoraException e)
            {
                log.WriteLine(e.Message);
                failed++;
                continue;
            }
            var stem = Path.GetFileNameWithoutExtension(file);
            NotebookDocument.WriteIpynb(result.Executed, Path.Combine(outDir, stem + ".ipynb"));
            var page = Path.Combine(outDir, stem + ".html");
            NotebookHtmlWriter.WritePage(result, page);
            var ok = result.Passed;
            if (!ok) log.WriteLine(result.Error);
            if (checkHtml) ok &= await CheckPageAsync(page, chromium, log, ct);
            results.Add(result);
            log.WriteLine($"{result.Name}: {(result.Passed ? "passed" : "failed")} in {result.Elapsed.TotalSeconds:0.00} s → {page}");
            if (ok) passed++; else failed++;
        }
        NotebookHtmlWriter.WriteIndex(results, Path.Combine(outDir, "index.html"));
        log.WriteLine($"pages: {Path.Combine(outDir, "index.html")}");
        log.WriteLine($"{passed} passed, {failed} failed");
        return (passed, failed, results);
    }

    /// <summary>Checks pages in headless Chromium (one line each, then <c>N passed, N failed</c>).</summary>
    internal static async Task<(int Passed, int Failed)> CheckPagesAsync(IReadOnlyList<string> pages, TextWriter log, CancellationToken ct)
    {
        var chromium = HtmlChecker.FindChromium();
        if (chromium is null) log.WriteLine("--check-html: chromium not found (install Debian's chromium package); every page counts as failed");
        int passed = 0, failed = 0;
        foreach (var page in pages)
        {
            if (!File.Exists(page)) { log.WriteLine($"{page}: no such page"); failed++; continue; }
            if (await CheckPageAsync(Path.GetFullPath(page), chromium, log, ct)) passed++; else failed++;
        }
        log.WriteLine($"{passed} passed, {failed} failed");
        return (passed, failed);
    }

    private static async Task<bool> CheckPageAsync(string page, string? chromium, TextWriter log, CancellationToken ct)
    {
        var check = chromium is null
            ? new HtmlCheckResult(page, 0, 0, ["chromium not found"])
            : await HtmlChecker.CheckAsync(page, chromium, cancellationToken: ct);
        foreach (var p in check.Problems) log.WriteLine($"{Path.GetFileName(page)}: {p}");
        foreach (var n in check.Notes ?? []) log.WriteLine($"{Path.GetFileName(page)}: note (not a problem): {n}");
        log.WriteLine($"{Path.GetFileName(page)}: {check.Images} images, {check.Audio} audio elements, {(check.Ok ? "ok" : check.Problems.Count + " problems")}");
        return check.Ok;
    }

    /// <summary>Expands files and folders (a folder gives its *.ipynb and *.dib, sorted); no paths = notebooks/*.ipynb under <paramref name="root"/>.</summary>
    internal static List<string> ResolveNotebooks(IReadOnlyList<string> paths, string root, out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        if (paths.Count == 0) paths = [Path.Combine(root, "notebooks")];
        foreach (var p in paths)
        {
            if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p).Where(f => f.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".dib", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
            else if (File.Exists(p)) files.Add(p);
            else missing.Add(p);
        }
        return files.Select(Path.GetFullPath).Distinct().ToList();
    }

    private static string RepoRoot() => CommandSupport.FindRepoRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
}
