using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>One code cell to run: its 1-based position among all cells and its source.</summary>
internal sealed record KernelCell(int Index, string Source);

/// <summary>What the runner asks of one kernel process (written as <c>job.json</c> in a private temporary folder).</summary>
/// <param name="Nonce">Marks the process's protocol lines on stdout, so that text a cell's own child process writes
/// there is never read as a message.</param>
/// <param name="Name">The notebook's file name, for messages.</param>
/// <param name="Cells">The code cells, in order.</param>
/// <param name="Limits">What a cell's output may hold.</param>
internal sealed record KernelJob(string Nonce, string Name, IReadOnlyList<KernelCell> Cells, OutputLimits Limits)
{
    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads a job file.</summary>
    /// <exception cref="SpecLoraException">The file is not a job this program wrote.</exception>
    public static KernelJob Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<KernelJob>(File.ReadAllText(path), Json) is { Nonce.Length: > 0, Cells: not null, Limits: not null } job
                ? job
                : throw new SpecLoraException($"{path}: not a kernel job of speclora notebooks");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new SpecLoraException($"{path}: cannot read the kernel job of speclora notebooks ({e.Message})", e);
        }
    }
}

/// <summary>
/// The kernel process of one notebook (<c>speclora notebooks --kernel-job JOB</c>, started by
/// <see cref="NotebookExecutor"/>): hosts a fresh <c>CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() }</c>
/// (what <c>dotnet interactive</c> gives Jupyter and VS Code, less the NuGet and magic extensions our notebooks do not
/// use) in its working directory, the notebook's folder, and runs the job's cells in order, stopping at the first that
/// fails. Each cell's outputs go to <c>cell-N.json</c> beside the job (<see cref="OutputCapture"/>); stdout carries one
/// line per event, <c>NONCE {"event":"ready"|"start"|"end"|"done", "cell":N}</c>. After <c>done</c> the process waits
/// for the runner to end it together with every process its cells started (a minute at most); it also ends when its
/// stdin closes, so it never outlives the runner. Ctrl+C is the runner's to handle: the first one is ignored here.
/// </summary>
internal static class KernelProcess
{
    /// <summary>How long the process waits, after its last message, for the runner to end it.</summary>
    private static readonly TimeSpan LingerAfterDone = TimeSpan.FromMinutes(1);

    /// <summary>Marks the sentence this process writes on stderr when it cannot run its job; the runner quotes it.</summary>
    internal const string StderrMark = "speclora-kernel: ";

    /// <summary>Runs <paramref name="jobFile"/>; returns the exit code (1 when the kernel could not run the job, with a
    /// sentence on stderr).</summary>
    public static async Task<int> RunAsync(string jobFile)
    {
        try { return await RunJobAsync(jobFile); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine(StderrMark + TerminalText.Visible(e is SpecLoraException ? e.Message : $"the kernel stopped: {e.Message}"));
            return 1;
        }
    }

    private static async Task<int> RunJobAsync(string jobFile)
    {
        var job = KernelJob.Read(jobFile);
        var folder = Path.GetDirectoryName(Path.GetFullPath(jobFile))!;
        // the protocol goes to the real stdout: the kernel redirects Console.Out while a cell runs
        using var protocol = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        var parentGone = WatchParent();
        void Send(string evt, int? cell = null)
        {
            var message = new JsonObject { ["event"] = evt };
            if (cell is { } c) message["cell"] = c;
            lock (protocol) protocol.WriteLine(job.Nonce + " " + message.ToJsonString());
        }

        using var kernel = CreateKernel();
        // start the kernel (Roslyn's first compilation, 2–5 s) before the clock of the first cell starts
        await kernel.SendAsync(new SubmitCode("", "csharp"));
        Send("ready");
        var executionCount = 0;
        foreach (var cell in job.Cells)
        {
            Send("start", cell.Index);
            var capture = new OutputCapture(job.Limits, ++executionCount);
            var clock = Stopwatch.StartNew();
            string? failure;
            using (kernel.KernelEvents.Subscribe(new Observer(capture.OnEvent)))
            {
                var send = kernel.SendAsync(new SubmitCode(cell.Source, "csharp"));
                var first = await Task.WhenAny(send, capture.Overflowed);
                failure = first == send
                    ? (await send).Events.OfType<CommandFailed>().FirstOrDefault() is { } failed ? FailureLine(failed) : null
                    : await capture.Overflowed;
            }
            var result = new JsonObject
            {
                ["execution_count"] = executionCount,
                ["seconds"] = clock.Elapsed.TotalSeconds,
                ["failure"] = failure is null ? null : SecretScrubber.Scrub(failure),
                ["outputs"] = capture.Finish(),
            };
            AtomicFile.Write(Path.Combine(folder, $"cell-{cell.Index}.json"), s =>
            {
                using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                result.WriteTo(w);
            });
            Send("end", cell.Index);
            if (failure is not null) break;
        }
        Send("done");
        await Task.WhenAny(parentGone, Task.Delay(LingerAfterDone));
        return 0;
    }

    /// <summary>The kernel every notebook gets, fresh: the C# kernel with <c>display</c>/<c>HTML</c> in scope
    /// (<c>UseKernelHelpers</c>) and value sharing, inside a composite kernel whose default is C#.</summary>
    internal static CompositeKernel CreateKernel()
    {
        var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers().UseValueSharing() };
        kernel.DefaultKernelName = "csharp";
        return kernel;
    }

    /// <summary>Completes when stdin closes (the runner ended or closed it); ends this process at once then.</summary>
    private static Task WatchParent()
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
            }
            catch (IOException) { }
            gone.TrySetResult();
            Environment.Exit(0);
        }) { IsBackground = true, Name = "speclora-kernel-parent-watch" };
        thread.Start();
        return gone.Task;
    }

    /// <summary>"compilation failed: (1,9): error CS0029: …" (first three errors) or "runtime error: Type: message".</summary>
    internal static string FailureLine(CommandFailed failed)
    {
        var line = FailureText(failed);
        return line.Length > 2_000 ? line[..2_000] + "…" : line;
    }

    private static string FailureText(CommandFailed failed)
    {
        var message = (failed.Message ?? "").Replace("\r\n", "\n");
        if (failed.Exception is { } e && e.GetType().Name != "CodeSubmissionCompilationErrorException")
            return $"runtime error: {e.GetType().Name}: {e.Message}";
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Any(l => l.Contains("error CS", StringComparison.Ordinal))
            ? "compilation failed: " + string.Join("; ", lines.Where(l => l.Contains("error CS", StringComparison.Ordinal)).Take(3))
            : "failed: " + string.Join("; ", lines.Take(3));
    }

    private sealed class Observer(Action<KernelEvent> onNext) : IObserver<KernelEvent>
    {
        public void OnNext(KernelEvent value) => onNext(value);
        public void OnError(Exception error) { }
        public void OnCompleted() { }
    }
}
