using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>How one notebook ran.</summary>
/// <param name="Path">The notebook file (.ipynb or .dib).</param>
/// <param name="Passed">True when every code cell ran.</param>
/// <param name="FailedCell">1-based position of the failing cell among all cells, or null.</param>
/// <param name="Error">The one-line failure (<c>name.ipynb: cell N: …</c>), token scrubbed, or null.</param>
/// <param name="Elapsed">Wall time for the whole notebook, kernel process start-up included.</param>
/// <param name="Executed">The notebook as nbformat 4 JSON with the kernel's outputs and execution counts; every cell
/// the runner does not run (markdown, raw, code after a failure) is as it was read.</param>
/// <param name="CellSeconds">Seconds per executed code cell, by cell position.</param>
public sealed record NotebookRunResult(string Path, bool Passed, int? FailedCell, string? Error, TimeSpan Elapsed,
    JsonObject Executed, IReadOnlyDictionary<int, double> CellSeconds)
{
    /// <summary>The notebook's file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>True when Ctrl+C stopped the notebook (it counts neither as passed nor as failed).</summary>
    public bool Interrupted { get; init; }
}

/// <summary>
/// Runs a notebook in the real .NET Interactive C# kernel, in a kernel process of its own (<see cref="KernelProcess"/>,
/// started through <see cref="KernelHost"/>), as Jupyter runs one kernel per process: a cell that never returns, floods
/// its output or ends its process fails only its own notebook, and the next notebook starts clean.
/// </summary>
/// <remarks>
/// <para>The runner sends the code cells in a job file and reads one line per event on the process's stdout (marked
/// with a nonce; any other line, e.g. from a program a cell started, is counted and dropped) and each cell's outputs
/// from a file. It keeps the clock: a cell past <see cref="NotebookRunOptions.CellTimeout"/> ends the process and
/// every process under it, and fails the notebook naming the cell; so does Ctrl+C (the result is then
/// <see cref="NotebookRunResult.Interrupted"/>). A process that ends by itself before it reported the end of the run
/// (<c>Environment.Exit</c>, a crash) fails the notebook with a sentence naming the cell and the exit code. After the
/// last cell the runner ends the process tree, so processes a cell started and left running end with it.</para>
/// <para>The executed notebook is the source JSON with only <c>outputs</c> and <c>execution_count</c> of the cells that ran
/// replaced, so raw cells, attachments, ids and metadata are written back as they were.</para>
/// </remarks>
public static class NotebookExecutor
{
    /// <summary>Per-cell time limit used when none is given: 10 minutes.</summary>
    public static readonly TimeSpan DefaultCellTimeout = NotebookRunOptions.DefaultCellTimeout;

    /// <summary>Longest protocol line read from a kernel process; longer lines are not messages and are dropped.</summary>
    private const int MaxLineChars = 65_536;

    /// <summary>Runs <paramref name="path"/> (.ipynb or .dib) top to bottom in a kernel process of its own.</summary>
    /// <param name="path">The notebook.</param>
    /// <param name="cellTimeout">Limit for each code cell.</param>
    /// <param name="log">Receives one line per cell; null = silent.</param>
    /// <param name="cancellationToken">Ends the kernel process; the result is then marked interrupted.</param>
    /// <exception cref="SpecLoraException">The file is not a notebook the runner can run.</exception>
    public static Task<NotebookRunResult> RunAsync(string path, TimeSpan cellTimeout, TextWriter? log = null, CancellationToken cancellationToken = default)
        => RunAsync(path, new NotebookRunOptions { CellTimeout = cellTimeout }, log, cancellationToken);

    /// <summary>Runs <paramref name="path"/> with <paramref name="options"/>.</summary>
    /// <exception cref="SpecLoraException">The file is not a notebook the runner can run.</exception>
    /// <exception cref="ArgumentException">The options are not valid (every problem listed).</exception>
    public static Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions options, TextWriter? log = null, CancellationToken cancellationToken = default)
        => RunAsync(NotebookDocument.LoadForRun(path), options.Validated(), log, cancellationToken);

    private abstract record Message;
    private sealed record Event(string Name, int? Cell) : Message;
    private sealed record Exited(int Code) : Message;

    internal static async Task<NotebookRunResult> RunAsync(NotebookSource source, NotebookRunOptions options, TextWriter? log, CancellationToken cancellationToken)
    {
        var time = options.Time;
        var started = time.GetTimestamp();
        var name = source.Name;
        var shown = TerminalText.Visible(name);
        var executed = (JsonObject)source.Document.DeepClone();
        var cells = (JsonArray)executed["cells"]!;
        foreach (var cell in source.CodeCells)
        {
            var json = (JsonObject)cells[cell.Index - 1]!;
            json["outputs"] = new JsonArray();
            json["execution_count"] = null;
        }
        var cellSeconds = new Dictionary<int, double>();
        if (source.CodeCells.Count == 0)
            return new NotebookRunResult(source.Path, true, null, null, time.GetElapsedTime(started), executed, cellSeconds);

        var work = Directory.CreateTempSubdirectory("speclora-kernel-");
        var nonce = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var jobFile = Path.Combine(work.FullName, "job.json");
        AtomicFile.WriteAllText(jobFile, JsonSerializer.Serialize(new KernelJob(nonce, name, source.CodeCells, options.Output), KernelJob.Json));
        var host = options.Host ?? KernelHost.Current();
        using var process = new Process { StartInfo = host.StartInfo(jobFile, Path.GetDirectoryName(source.Path)!) };
        var messages = Channel.CreateUnbounded<Message>();
        var stray = 0;
        var stderrTail = new Queue<string>();
        string? failure = null;
        int? failedCell = null;
        var interrupted = false;
        var finished = false;
        try
        {
            try { process.Start(); }
            catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
            {
                failure = $"{name}: the kernel process could not start ({TerminalText.Visible(host.FileName)}: {e.Message})";
                return new NotebookRunResult(source.Path, false, null, failure, time.GetElapsedTime(started), executed, cellSeconds);
            }
            var stdout = ReadLinesAsync(process.StandardOutput.BaseStream, line =>
            {
                if (line.StartsWith(nonce + " ", StringComparison.Ordinal) && Parse(line[(nonce.Length + 1)..]) is { } m) messages.Writer.TryWrite(m);
                else Interlocked.Increment(ref stray);
            });
            var stderr = ReadLinesAsync(process.StandardError.BaseStream, line =>
            {
                lock (stderrTail)
                {
                    stderrTail.Enqueue(line.Length > 500 ? line[..500] + "…" : line);
                    if (stderrTail.Count > 20) stderrTail.Dequeue();
                }
            });
            _ = Task.Run(async () =>
            {
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                // the messages and the last words it wrote before it ended come first, read to their end (a process a cell
                // started may hold stdout or stderr open: 1 s at most)
                await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None)).ConfigureAwait(false);
                messages.Writer.TryWrite(new Exited(SafeExitCode(process)));
            }, CancellationToken.None);

            var deadline = options.StartupTimeout;
            var phaseStart = time.GetTimestamp();
            int? running = null;
            var ready = false;
            var code = 0;
            var codeCells = source.CodeCells.Count;
            while (!finished && failure is null)
            {
                Message message;
                var remaining = deadline - time.GetElapsedTime(phaseStart);
                try
                {
                    message = await messages.Reader.ReadAsync(cancellationToken).AsTask()
                        .WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    EndTree(process);
                    if (running is { } cell)
                    {
                        var seconds = time.GetElapsedTime(phaseStart).TotalSeconds;
                        cellSeconds[cell] = seconds;
                        var why = $"timed out: the cell ran longer than {NotebookRunOptions.Seconds(options.CellTimeout)} s (--cell-timeout); its kernel process was ended";
                        AddError(cells, cell, "Timeout", why, []);
                        log?.WriteLine($"{shown}: cell {cell} ({code}/{codeCells} code) FAILED in {seconds:0.00} s");
                        (failure, failedCell) = ($"{name}: cell {cell}: {why}", cell);
                    }
                    else failure = ready
                        ? $"{name}: the kernel process stopped answering between cells for {NotebookRunOptions.Seconds(options.CellTimeout)} s; its process was ended"
                        : $"{name}: the kernel process did not start within {NotebookRunOptions.Seconds(options.StartupTimeout)} s; its process was ended";
                    break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    EndTree(process);
                    interrupted = true;
                    if (running is { } cell)
                    {
                        AddError(cells, cell, "Interrupted", "interrupted (Ctrl+C) while this cell ran; its kernel process was ended", []);
                        (failure, failedCell) = ($"{name}: interrupted (Ctrl+C) at cell {cell}", cell);
                    }
                    else failure = $"{name}: interrupted (Ctrl+C) before its first cell";
                    break;
                }
                switch (message)
                {
                    case Event { Name: "ready" }:
                        (ready, deadline, phaseStart) = (true, options.CellTimeout, time.GetTimestamp());
                        break;
                    case Event { Name: "start", Cell: { } starting } when source.CodeCells.Any(c => c.Index == starting):
                        (running, deadline, phaseStart) = (starting, options.CellTimeout, time.GetTimestamp());
                        code++;
                        ((JsonObject)cells[starting - 1]!)["execution_count"] = code;
                        break;
                    case Event { Name: "end", Cell: { } ended } when ended == running:
                        var outcome = ReadCell(Path.Combine(work.FullName, $"cell-{ended}.json"), options.Output);
                        var cellJson = (JsonObject)cells[ended - 1]!;
                        cellJson["outputs"] = outcome.Outputs;
                        cellSeconds[ended] = outcome.Seconds;
                        log?.WriteLine($"{shown}: cell {ended} ({code}/{codeCells} code) {(outcome.Failure is null ? "ok" : "FAILED")} in {outcome.Seconds:0.00} s");
                        if (outcome.Failure is not null) (failure, failedCell) = ($"{name}: cell {ended}: {outcome.Failure}", ended);
                        (running, deadline, phaseStart) = (null, options.CellTimeout, time.GetTimestamp());
                        break;
                    case Event { Name: "done" }:
                        finished = true;
                        break;
                    case Exited exited:
                        var lastWords = StderrTail(stderrTail);
                        var how = ExitDescription(exited.Code);
                        if (running is { } crashed)
                        {
                            cellSeconds[crashed] = time.GetElapsedTime(phaseStart).TotalSeconds;
                            var why = $"cell {crashed} ended the kernel process ({how}) before it finished; the cells after it did not run";
                            AddError(cells, crashed, "KernelProcessEnded", why, lastWords);
                            log?.WriteLine($"{shown}: cell {crashed} ({code}/{codeCells} code) FAILED in {cellSeconds[crashed]:0.00} s");
                            (failure, failedCell) = ($"{name}: {why}", crashed);
                        }
                        else failure = $"{name}: the kernel process ended ({how}) before " + (code == 0 ? "its first cell" : "the notebook finished")
                                       + (lastWords.LastOrDefault(l => l.StartsWith(KernelProcess.StderrMark, StringComparison.Ordinal)) is { } said ? ": " + said[KernelProcess.StderrMark.Length..] : "");
                        break;
                    default:
                        failure = $"{name}: the kernel process sent a message out of order ({message}); its process was ended";
                        break;
                }
            }
            // ends the kernel and every process its cells started and left running
            EndTree(process);
            await WaitExitAsync(process, time).ConfigureAwait(false);
            // a process a cell started may still hold stdout open: do not wait for it
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(1), time, CancellationToken.None)).ConfigureAwait(false);
            if (stray > 0)
                log?.WriteLine($"{shown}: note: the kernel process printed {Words.Count(stray, "line")} outside the kernel's capture (e.g. from a program a cell started), not kept in the notebook");
        }
        finally
        {
            EndTree(process);
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        var passed = failure is null && finished;
        return new NotebookRunResult(source.Path, passed, failedCell, failure is null ? null : SecretScrubber.Scrub(failure), time.GetElapsedTime(started), executed, cellSeconds)
        {
            Interrupted = interrupted,
        };
    }

    private static Event? Parse(string json)
    {
        try
        {
            var node = JsonNode.Parse(json) as JsonObject;
            var name = node?["event"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            int? cell = node?["cell"] is JsonValue c && c.TryGetValue<int>(out var i) ? i : null;
            return name is null ? null : new Event(name, cell);
        }
        catch (JsonException) { return null; }
    }

    private sealed record CellOutcome(JsonArray Outputs, double Seconds, string? Failure);

    /// <summary>Reads a cell's result file (its size bounded by what a cell may store).</summary>
    private static CellOutcome ReadCell(string path, OutputLimits limits)
    {
        var maxBytes = limits.MaxStoredChars * 6 + 16_000_000;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return new CellOutcome([], 0, "the kernel process reported the cell's end but wrote no outputs");
            if (info.Length > maxBytes) return new CellOutcome([], 0, $"the cell's outputs ({info.Length:N0} bytes) exceed what a cell may store");
            var json = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject;
            var outputs = json?["outputs"] as JsonArray ?? [];
            json?.Remove("outputs");
            var seconds = json?["seconds"] is JsonValue s && s.TryGetValue<double>(out var d) ? d : 0;
            var failure = json?["failure"] is JsonValue f && f.TryGetValue<string>(out var fs) ? fs : null;
            return new CellOutcome(outputs, seconds, failure);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new CellOutcome([], 0, $"the cell's outputs could not be read back ({e.Message})");
        }
    }

    private static void AddError(JsonArray cells, int cell, string ename, string evalue, IReadOnlyList<string> traceback)
    {
        var json = (JsonObject)cells[cell - 1]!;
        if (json["outputs"] is not JsonArray outputs) json["outputs"] = outputs = [];
        outputs.Add(new JsonObject
        {
            ["output_type"] = "error",
            ["ename"] = ename,
            ["evalue"] = evalue,
            ["traceback"] = new JsonArray(new[] { evalue }.Concat(traceback.Count > 0 ? ["the kernel process's last words on stderr:", .. traceback] : [])
                .Select(l => (JsonNode?)JsonValue.Create(SecretScrubber.Scrub(l))).ToArray()),
        });
    }

    /// <summary>"exit code 0", "exit code 134: signal 6, SIGABRT, e.g. a stack overflow".</summary>
    internal static string ExitDescription(int code)
    {
        var signal = OperatingSystem.IsWindows() || code <= 128 || code > 128 + 64 ? (int?)null : code - 128;
        var what = signal switch
        {
            6 => "signal 6, SIGABRT: the process aborted, e.g. a stack overflow or an exception on another thread",
            9 => "signal 9, SIGKILL: killed, e.g. by the system when out of memory",
            11 => "signal 11, SIGSEGV: a crash in native code",
            15 => "signal 15, SIGTERM: terminated from outside",
            { } s => $"signal {s}",
            null => null,
        };
        return what is null ? $"exit code {code.ToString(CultureInfo.InvariantCulture)}" : $"exit code {code.ToString(CultureInfo.InvariantCulture)}, {what}";
    }

    private static IReadOnlyList<string> StderrTail(Queue<string> tail)
    {
        lock (tail) return tail.Select(TerminalText.Visible).ToList();
    }

    private static int SafeExitCode(Process process)
    {
        try { return process.ExitCode; }
        catch (InvalidOperationException) { return -1; }
    }

    /// <summary>Ends the process and every process under it (nothing when it has ended).</summary>
    private static void EndTree(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        catch (Win32Exception) { }
        catch (NotSupportedException) { }
    }

    private static async Task WaitExitAsync(Process process, TimeProvider time)
    {
        try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10), time).ConfigureAwait(false); }
        catch (TimeoutException) { }
        catch (InvalidOperationException) { }
    }

    /// <summary>Reads <paramref name="stream"/> line by line (UTF-8) until it ends or fails, each line at most
    /// <see cref="MaxLineChars"/> (the rest of a longer line is dropped): memory stays bounded whatever a process writes.</summary>
    private static Task ReadLinesAsync(Stream stream, Action<string> onLine) => Task.Run(async () =>
    {
        var decoder = new UTF8Encoding(false).GetDecoder();
        var bytes = new byte[16_384];
        var chars = new char[UTF8Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        var overlong = false;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(bytes).ConfigureAwait(false)) > 0)
            {
                var n = decoder.GetChars(bytes, 0, read, chars, 0);
                for (var i = 0; i < n; i++)
                {
                    var c = chars[i];
                    if (c == '\n')
                    {
                        if (!overlong) onLine(line.ToString().TrimEnd('\r'));
                        line.Clear();
                        overlong = false;
                    }
                    else if (line.Length < MaxLineChars) line.Append(c);
                    else overlong = true;
                }
            }
            if (line.Length > 0 && !overlong) onLine(line.ToString());
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    });
}
