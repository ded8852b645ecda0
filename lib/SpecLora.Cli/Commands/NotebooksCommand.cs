using System.CommandLine;
using System.Globalization;
using SpecLora.Jobs;
using SpecLora.Cli.NotebookRunner;
using SpecLora.IO;

namespace SpecLora.Cli.Commands;

/// <summary>What a run of <c>speclora notebooks</c> did.</summary>
/// <param name="Passed">Notebooks that ran and passed.</param>
/// <param name="Failed">Notebooks that failed, could not be run (refused formats) or whose page check failed.</param>
/// <param name="Results">The notebooks that ran, in order (an interrupted one last).</param>
/// <param name="Interrupted">True when Ctrl+C stopped the run.</param>
/// <param name="Notice">The offline notice printed and shown at the top of the index, or null.</param>
internal sealed record NotebooksRun(int Passed, int Failed, IReadOnlyList<NotebookRunResult> Results, bool Interrupted, string? Notice)
{
    /// <summary>The old tuple shape: passed, failed and results.</summary>
    public void Deconstruct(out int passed, out int failed, out IReadOnlyList<NotebookRunResult> results) => (passed, failed, results) = (Passed, Failed, Results);
}

/// <summary>
/// <c>speclora notebooks [paths…] -o results/notebooks</c>: runs notebooks in the real .NET Interactive C# kernel, each
/// in a kernel process of its own (as Jupyter does), and writes the executed notebooks, their HTML pages and an index;
/// with <c>--check-html</c>, <c>.html</c> paths (e.g. a page made by <c>jupyter nbconvert --to html</c>) are opened in
/// headless Chromium instead. The output rule (<see cref="OutputFolder"/>) is checked for every output before any work.
/// Console output is plain text, one line per cell and per notebook, whether or not stdout is a terminal.
/// </summary>
internal static class NotebooksCommand
{
    internal static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Notebooks (.ipynb, .dib) or folders of them (default: notebooks/ of the repository); with --check-html also .html pages to check", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Folder for executed .ipynb files, HTML pages and index.html (default: results/notebooks); never a notebook being run, and files no earlier run wrote there are replaced only with --overwrite" };
        var timeout = new Option<double>("--cell-timeout") { Description = "Seconds allowed per code cell; past it the notebook's kernel process is ended, the notebook fails and the next one runs", DefaultValueFactory = _ => NotebookRunOptions.DefaultCellTimeout.TotalSeconds };
        var checkHtml = new Option<bool>("--check-html") { Description = "Open every page (written, or given as .html) in headless Chromium: pictures decode, audio players load, no console errors" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace files in the output folder that no earlier run of speclora notebooks wrote (each is named); never a notebook being read" };
        var kernelJob = new Option<string?>(KernelHost.JobOption) { Hidden = true, Description = "internal: run one notebook's cells in this process (the runner's kernel process)" };
        // an unknown option is a usage error before any work, not the name of a notebook that does not exist
        paths.Validators.Add(r =>
        {
            foreach (var token in r.Tokens.Select(t => t.Value).Where(v => v.StartsWith('-') && !File.Exists(v) && !Directory.Exists(v)))
                r.AddError($"{TerminalText.Visible(token)}: unknown option");
        });
        var command = new Command("notebooks", "Run notebooks in the .NET Interactive C# kernel (one kernel process per notebook) and write executed notebooks, HTML pages and an index");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.Options.Add(timeout);
        command.Options.Add(checkHtml);
        command.Options.Add(overwrite);
        command.Options.Add(kernelJob);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            if (r.GetValue(kernelJob) is { } job) return await KernelProcess.RunAsync(job);
            var seconds = r.GetValue(timeout);
            var problems = new List<string>();
            if (!(seconds > 0 && seconds <= NotebookRunOptions.MaxCellTimeout.TotalSeconds))
                problems.Add($"--cell-timeout {seconds.ToString(CultureInfo.InvariantCulture)} must be > 0 and ≤ {NotebookRunOptions.Seconds(NotebookRunOptions.MaxCellTimeout)} seconds");
            var options = new NotebookRunOptions
            {
                CellTimeout = problems.Count == 0 ? TimeSpan.FromSeconds(seconds) : NotebookRunOptions.DefaultCellTimeout,
                CheckHtml = r.GetValue(checkHtml),
                Overwrite = r.GetValue(overwrite),
            };
            problems.AddRange(options.Validate());
            if (r.GetValue(output) is { } o && CommandSupport.FolderProblem(o) is { } why) problems.Add($"-o {TerminalText.Visible(o)} {why}");
            if (problems.Count > 0)
            {
                foreach (var p in problems) Console.Error.WriteLine(p + " (see: speclora notebooks --help)");
                return CommandSupport.BadInput;
            }
            var root = RepoRoot();
            var given = r.GetValue(paths) ?? [];
            var pages = given.Where(p => p.EndsWith(".html", StringComparison.OrdinalIgnoreCase)).ToList();
            if (pages.Count > 0)
            {
                if (!options.CheckHtml || pages.Count != given.Length)
                {
                    Console.Error.WriteLine($"{TerminalText.Visible(pages[0])}: an .html page is checked, not run: give only .html pages, with --check-html");
                    return CommandSupport.BadInput;
                }
                var checkedPages = await CheckPagesAsync(pages, Console.Out, ct);
                return checkedPages.Failed == 0 ? 0 : 1;
            }
            var files = ResolveNotebooks(given, root, out var missing);
            foreach (var m in missing) Console.Error.WriteLine($"{TerminalText.Visible(m)}: no such notebook or folder");
            if (files.Count == 0)
            {
                Console.Error.WriteLine("no notebooks to run (give .ipynb or .dib files or folders, or run inside the repository with notebooks/*.ipynb)");
                return CommandSupport.BadInput;
            }
            var outDir = Path.GetFullPath(r.GetValue(output) ?? Path.Combine(root, "results", "notebooks"));
            try
            {
                var run = await RunAllAsync(files, outDir, options, Console.Out, ct);
                if (run.Interrupted) return CommandSupport.Cancelled;
                return run.Failed == 0 && missing.Count == 0 ? 0 : 1;
            }
            catch (OutputRefusedException e)
            {
                foreach (var p in e.Problems) Console.Error.WriteLine(p);
                return CommandSupport.BadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the kernel processes are ended already; what was written is complete (atomic writes)
                Console.Error.WriteLine(TerminalText.Visible(Batch.Describe(e)));
                return CommandSupport.Failed;
            }
        });
        return command;
    }

    /// <summary>The output rule refused the run before any work.</summary>
    internal sealed class OutputRefusedException(IReadOnlyList<string> problems) : SpecLoraException(string.Join("; ", problems))
    {
        public IReadOnlyList<string> Problems { get; } = problems;
    }

    /// <summary>Runs <paramref name="files"/> with a <see cref="TimeSpan"/> cell limit and default options.</summary>
    internal static Task<NotebooksRun> RunAllAsync(IReadOnlyList<string> files, string outDir, TimeSpan timeout, bool checkHtml, TextWriter log, CancellationToken ct)
        => RunAllAsync(files, outDir, new NotebookRunOptions { CellTimeout = timeout, CheckHtml = checkHtml }, log, ct);

    /// <summary>Runs <paramref name="files"/> in order, each in a kernel process of its own, and writes outputs into
    /// <paramref name="outDir"/>: prints a line per cell, one per failure, then the offline notice (when the original
    /// images were missing), the index's path and <c>N passed, N failed</c>. A notebook the runner cannot read or
    /// round-trip is refused in one sentence and counts as failed; the others run. Ctrl+C ends the running notebook's
    /// process and says what ran and what did not.</summary>
    /// <exception cref="OutputRefusedException">An output would replace a source or a file no earlier run wrote
    /// (nothing was run or written).</exception>
    internal static async Task<NotebooksRun> RunAllAsync(IReadOnlyList<string> files, string outDir, NotebookRunOptions options, TextWriter log, CancellationToken ct)
    {
        options = options.Validated();
        var sources = new List<NotebookSource>();
        var entries = new List<NotebookIndexEntry>();
        var refused = new List<(string Path, string Why)>();
        foreach (var file in files)
        {
            try { sources.Add(NotebookDocument.LoadForRun(file)); }
            catch (SpecLoraException e) { refused.Add((Path.GetFullPath(file), e.Message)); }
        }
        var folder = OutputFolder.Plan(sources.Select(s => s.Path).ToList(), outDir, options.Overwrite, out var problems, out var replacing);
        if (problems.Count > 0) throw new OutputRefusedException(problems);
        foreach (var path in replacing) log.WriteLine($"replacing {TerminalText.Visible(path)} (--overwrite: no earlier run of speclora notebooks wrote it)");
        Directory.CreateDirectory(folder.Folder);

        var chromium = options.CheckHtml ? HtmlChecker.FindChromium() : null;
        if (options.CheckHtml && chromium is null) log.WriteLine("--check-html: chromium not found (install Debian's chromium package); every page counts as failed");
        var results = new List<NotebookRunResult>();
        int passed = 0, failed = 0;
        foreach (var (path, why) in refused)
        {
            log.WriteLine($"{TerminalText.Visible(why)}; not run");
            entries.Add(new NotebookIndexEntry(Path.GetFileName(path), null, "not run: " + why, false, null, false));
            failed++;
        }
        var interrupted = false;
        int finishedPassed = 0, finishedFailed = 0;
        var notRun = new List<string>();
        NotebookRunResult? stopped = null;
        foreach (var source in sources)
        {
            if (interrupted || ct.IsCancellationRequested) { interrupted = true; notRun.Add(source.Name); continue; }
            var result = await NotebookExecutor.RunAsync(source, options, log, ct);
            results.Add(result);
            NotebookDocument.WriteIpynb(result.Executed, folder.IpynbPath(source.Path));
            folder.Recorded(folder.IpynbPath(source.Path));
            var page = folder.HtmlPath(source.Path);
            NotebookHtmlWriter.WritePage(result, page, SeedNotice.For([(source.Path, source.Document)]));
            folder.Recorded(page);
            var title = NotebookHtmlWriter.Title(result.Executed);
            if (result.Interrupted)
            {
                interrupted = true;
                stopped = result;
                entries.Add(new NotebookIndexEntry(result.Name, title, result.Error ?? "interrupted (Ctrl+C)", false, result.Elapsed, true));
                continue;
            }
            var ok = result.Passed;
            if (!ok) log.WriteLine(TerminalText.Visible(result.Error));
            if (options.CheckHtml)
            {
                try { ok &= await CheckPageAsync(page, chromium, log, ct); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { interrupted = true; }
            }
            log.WriteLine($"{TerminalText.Visible(result.Name)}: {(result.Passed ? "passed" : "failed")} in {result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s → {TerminalText.Visible(page)}");
            entries.Add(new NotebookIndexEntry(result.Name, title, result.Passed ? "passed" : result.Error ?? "failed", ok, result.Elapsed, true));
            if (ok) { passed++; finishedPassed++; } else { failed++; finishedFailed++; }
        }
        foreach (var name in notRun) entries.Add(new NotebookIndexEntry(name, null, "not run (interrupted)", false, null, false));
        var notice = SeedNotice.For(results.Where(r => !r.Interrupted).Select(r => (r.Path, sources.First(s => s.Path == r.Path).Document)));
        NotebookHtmlWriter.WriteIndex(entries, folder.IndexPath, notice);
        folder.Recorded(folder.IndexPath);
        if (notice is not null) log.WriteLine(notice);
        log.WriteLine($"pages: {TerminalText.Visible(folder.IndexPath)}");
        if (interrupted)
            log.WriteLine($"interrupted (Ctrl+C): {finishedPassed + finishedFailed} of {Words.Count(sources.Count, "notebook")} finished ({finishedPassed} passed, {finishedFailed} failed)" +
                          (stopped?.Error is { } e ? $"; {TerminalText.Visible(e)}" : "") +
                          (notRun.Count > 0 ? $"; not run: {TerminalText.Visible(string.Join(", ", notRun))}" : "") +
                          "; the files written are complete");
        else log.WriteLine($"{passed} passed, {failed} failed");
        return new NotebooksRun(passed, failed, results, interrupted, notice);
    }

    /// <summary>Checks pages in headless Chromium (one line each, then <c>N passed, N failed</c>).</summary>
    internal static async Task<(int Passed, int Failed)> CheckPagesAsync(IReadOnlyList<string> pages, TextWriter log, CancellationToken ct)
    {
        var chromium = HtmlChecker.FindChromium();
        if (chromium is null) log.WriteLine("--check-html: chromium not found (install Debian's chromium package); every page counts as failed");
        int passed = 0, failed = 0;
        foreach (var page in pages)
        {
            if (!File.Exists(page)) { log.WriteLine($"{TerminalText.Visible(page)}: no such page"); failed++; continue; }
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
        var name = TerminalText.Visible(Path.GetFileName(page));
        foreach (var p in check.Problems) log.WriteLine($"{name}: {TerminalText.Visible(p)}");
        foreach (var n in check.Notes ?? []) log.WriteLine($"{name}: note (not a problem): {TerminalText.Visible(n)}");
        log.WriteLine($"{name}: {HtmlChecker.Summary(check)}");
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
