using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>How one notebook ran.</summary>
/// <param name="Path">The notebook file (.ipynb or .dib).</param>
/// <param name="Passed">True when every code cell ran.</param>
/// <param name="FailedCell">1-based position of the failing cell among all cells, or null.</param>
/// <param name="Error">The one-line failure (<c>name.ipynb: cell N: …</c>), token scrubbed, or null.</param>
/// <param name="Elapsed">Wall time for the whole notebook, kernel start-up included.</param>
/// <param name="Executed">The document with the kernel's outputs and execution counts.</param>
/// <param name="CellSeconds">Seconds per executed code cell, by cell position.</param>
public sealed record NotebookRunResult(string Path, bool Passed, int? FailedCell, string? Error, TimeSpan Elapsed,
    InteractiveDocument Executed, IReadOnlyDictionary<int, double> CellSeconds)
{
    /// <summary>The notebook's file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Runs a notebook in the real .NET Interactive C# kernel, hosted in this process: a fresh
/// <c>CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() }</c> per notebook (what
/// <c>dotnet interactive</c> gives Jupyter and VS Code, less the NuGet and magic extensions our notebooks do not use),
/// one <see cref="SubmitCode"/> per code cell, and the kernel's own events turned into nbformat outputs:
/// <see cref="StandardOutputValueProduced"/>/<see cref="StandardErrorValueProduced"/> → <c>stream</c>,
/// <see cref="DisplayedValueProduced"/> (updated in place by <see cref="DisplayedValueUpdated"/>) → <c>display_data</c>,
/// <see cref="ReturnValueProduced"/> → <c>execute_result</c>, <see cref="CommandFailed"/> → <c>error</c>, each with the
/// mime bundle the kernel's formatters produced. Stops at the first failing cell.
/// </summary>
/// <remarks>
/// <para><b>The current directory is process-wide, and the kernel needs it.</b> <c>CSharpKernel</c> resolves
/// <c>#r "relative.dll"</c> against <c>Directory.GetCurrentDirectory()</c>, read at every submission, and cell code
/// opens <c>../data/…</c> relative to it; <c>dotnet interactive</c> itself sets <c>Environment.CurrentDirectory</c> to
/// the notebook's folder at start-up (one kernel process per notebook). So the runner sets it to the notebook's
/// folder for the run, one notebook at a time (a lock), and restores it afterwards.</para>
/// <para><b>A cell past its time limit is cancelled, but .NET cannot stop a thread that ignores cancellation.</b>
/// Rather than restore the directory under a cell that may still be running, the runner then leaves the directory
/// and the lock as they are and refuses further notebooks in this process (<see cref="Abandoned"/>); the CLI stops and
/// exits, which ends the cell.</para>
/// </remarks>
public static class NotebookExecutor
{
    /// <summary>Per-cell time limit used when none is given: 10 minutes.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(10);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static volatile string? _abandoned;

    /// <summary>Why this process can run no further notebook (a timed-out cell may still be running), or null.</summary>
    public static string? Abandoned => _abandoned;

    /// <summary>The kernel every notebook gets, fresh: the C# kernel with <c>display</c>/<c>HTML</c> in scope
    /// (<c>UseKernelHelpers</c>) and value sharing, inside a composite kernel whose default is C#.</summary>
    public static CompositeKernel CreateKernel()
        => new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() }.WithDefault("csharp");

    private static CompositeKernel WithDefault(this CompositeKernel kernel, string name)
    {
        kernel.DefaultKernelName = name;
        return kernel;
    }

    /// <summary>Runs <paramref name="path"/> (.ipynb or .dib) top to bottom.</summary>
    /// <param name="path">The notebook.</param>
    /// <param name="cellTimeout">Limit for each code cell.</param>
    /// <param name="log">Receives one line per cell; null = silent.</param>
    /// <param name="cancellationToken">Stops between cells (and cancels the running one).</param>
    /// <exception cref="SpecLoraException">The file is not a notebook, or an earlier timed-out cell still holds this process.</exception>
    public static async Task<NotebookRunResult> RunAsync(string path, TimeSpan cellTimeout, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        if (!(cellTimeout > TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(cellTimeout), cellTimeout, $"cellTimeout={cellTimeout} must be > 0");
        path = Path.GetFullPath(path);
        var doc = NotebookDocument.ReadInteractive(path);
        var name = Path.GetFileName(path);
        if (_abandoned is { } why) throw new SpecLoraException($"{name}: not run: {why}");
        var clock = Stopwatch.StartNew();
        var cellSeconds = new Dictionary<int, double>();
        var codeCells = doc.Elements.Count(NotebookDocument.IsCode);
        foreach (var element in doc.Elements.Where(NotebookDocument.IsCode)) { element.Outputs.Clear(); element.ExecutionOrder = 0; }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var savedDir = Environment.CurrentDirectory;
        var restore = true;
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(path)!;
            using var kernel = CreateKernel();
            // start the kernel (Roslyn's first compilation, 2–5 s) before the clock of the first cell starts
            await kernel.SendAsync(new SubmitCode("", "csharp"), cancellationToken).ConfigureAwait(false);
            var executionCount = 0;
            for (var i = 0; i < doc.Elements.Count; i++)
            {
                var element = doc.Elements[i];
                if (!NotebookDocument.IsCode(element)) continue;
                cancellationToken.ThrowIfCancellationRequested();
                var index = i + 1;
                element.ExecutionOrder = ++executionCount;
                var cellClock = Stopwatch.StartNew();
                var (outputs, failure, timedOut) = await SubmitAsync(kernel, element.Contents, executionCount, cellTimeout, cancellationToken).ConfigureAwait(false);
                element.Outputs.AddRange(outputs.Select(SecretScrubber.Scrub));
                cellSeconds[index] = cellClock.Elapsed.TotalSeconds;
                log?.WriteLine($"{name}: cell {index} ({executionCount}/{codeCells} code) {(failure is null ? "ok" : "FAILED")} in {cellClock.Elapsed.TotalSeconds:0.00} s");
                if (timedOut)
                {
                    restore = false;
                    _abandoned = $"{name}: cell {index} timed out after {cellTimeout.TotalSeconds:0.#} s and may still be running; run the remaining notebooks in a new process";
                }
                if (failure != null)
                    return new NotebookRunResult(path, false, index, SecretScrubber.Scrub($"{name}: cell {index}: {failure}"), clock.Elapsed, doc, cellSeconds);
            }
            return new NotebookRunResult(path, true, null, null, clock.Elapsed, doc, cellSeconds);
        }
        finally
        {
            if (restore)
            {
                Environment.CurrentDirectory = savedDir;
                Gate.Release();
            }
        }
    }

    /// <summary>Sends one cell to the kernel and turns its events into outputs.</summary>
    private static async Task<(List<InteractiveDocumentOutputElement> Outputs, string? Failure, bool TimedOut)> SubmitAsync(
        Kernel kernel, string code, int executionCount, TimeSpan cellTimeout, CancellationToken cancellationToken)
    {
        using var cellCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cellCts.CancelAfter(cellTimeout);
        var send = kernel.SendAsync(new SubmitCode(code, "csharp"), cellCts.Token);
        KernelCommandResult? result = null;
        try { result = await send.WaitAsync(cellTimeout + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { } // the kernel cancelled the timed-out cell
        var timedOut = cellCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        cancellationToken.ThrowIfCancellationRequested();
        var outputs = result is null ? [] : ToOutputs(result.Events, executionCount);
        if (timedOut)
        {
            var message = $"timed out: the cell ran longer than {cellTimeout.TotalSeconds:0.#} s (--cell-timeout)";
            outputs.RemoveAll(o => o is ErrorElement);
            outputs.Add(new ErrorElement(message, "Timeout", [message]));
            return (outputs, message, true);
        }
        if (result?.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            return (outputs, FailureLine(failed), false);
        return (outputs, null, false);
    }

    /// <summary>nbformat outputs from a command's events, in order: console text merged per stream, displays updated
    /// in place, the return value, and the failure.</summary>
    internal static List<InteractiveDocumentOutputElement> ToOutputs(IEnumerable<KernelEvent> events, int executionCount)
    {
        var outputs = new List<InteractiveDocumentOutputElement>();
        var displays = new Dictionary<string, int>();
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced or StandardErrorValueProduced:
                    var stream = e is StandardOutputValueProduced ? "stdout" : "stderr";
                    var text = PlainText(((DisplayEvent)e).FormattedValues);
                    if (outputs.Count > 0 && outputs[^1] is TextElement last && last.Name == stream)
                        outputs[^1] = new TextElement(last.Text + text, stream);
                    else
                        outputs.Add(new TextElement(text, stream));
                    break;
                case DisplayedValueUpdated update when update.ValueId is { } id && displays.TryGetValue(id, out var at):
                    outputs[at] = new DisplayElement(Bundle(update.FormattedValues));
                    break;
                case DisplayedValueProduced display:
                    if (display.ValueId is { } valueId) displays[valueId] = outputs.Count;
                    outputs.Add(new DisplayElement(Bundle(display.FormattedValues)));
                    break;
                case ReturnValueProduced value:
                    var result = new ReturnValueElement { ExecutionOrder = executionCount };
                    foreach (var (mime, content) in Bundle(value.FormattedValues)) result.Data[mime] = content;
                    outputs.Add(result);
                    break;
                case CommandFailed failed:
                    outputs.Add(new ErrorElement(failed.Message ?? "", failed.Exception?.GetType().Name ?? "Error",
                        (failed.Exception?.ToString() ?? failed.Message ?? "").Split('\n')));
                    break;
            }
        }
        return outputs;
    }

    private static Dictionary<string, object> Bundle(IEnumerable<Microsoft.DotNet.Interactive.Formatting.FormattedValue> values)
    {
        var data = new Dictionary<string, object>();
        foreach (var v in values) data.TryAdd(v.MimeType, v.Value);
        return data;
    }

    private static string PlainText(IEnumerable<Microsoft.DotNet.Interactive.Formatting.FormattedValue> values)
        => values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

    /// <summary>"compilation failed: (1,9): error CS0029: …" (first three errors) or "runtime error: Type: message".</summary>
    private static string FailureLine(CommandFailed failed)
    {
        var message = (failed.Message ?? "").Replace("\r\n", "\n");
        if (failed.Exception is { } e && e.GetType().Name != "CodeSubmissionCompilationErrorException")
            return $"runtime error: {e.GetType().Name}: {e.Message}";
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Any(l => l.Contains("error CS", StringComparison.Ordinal))
            ? "compilation failed: " + string.Join("; ", lines.Where(l => l.Contains("error CS", StringComparison.Ordinal)).Take(3))
            : "failed: " + string.Join("; ", lines.Take(3));
    }
}
