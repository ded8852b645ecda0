using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>How one notebook ran.</summary>
/// <param name="Path">The notebook file.</param>
/// <param name="Passed">True when every code cell ran.</param>
/// <param name="FailedCell">1-based position of the failing cell, or null.</param>
/// <param name="Error">The one-line failure (<c>name.ipynb: cell N: compilation failed|runtime error|…: …</c>), or null.</param>
/// <param name="Elapsed">Wall time for the whole notebook.</param>
/// <param name="Executed">The document with outputs and execution counts filled in.</param>
/// <param name="CellSeconds">Seconds per executed code cell, by cell position.</param>
public sealed record NotebookRunResult(string Path, bool Passed, int? FailedCell, string? Error, TimeSpan Elapsed,
    NotebookDocument Executed, IReadOnlyDictionary<int, double> CellSeconds)
{
    /// <summary>The notebook's file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// Runs a notebook's C# cells in order with Roslyn scripting, as the Polyglot kernel would: the first code cell with
/// <see cref="CSharpScript.Create(string, ScriptOptions, Type, InteractiveAssemblyLoader)"/>, each later one with
/// <c>ContinueWithAsync</c> so state carries over; the kernel's default imports; <c>#r</c> and the working directory
/// relative to the notebook's folder; <c>display</c>/<c>HTML</c> from <see cref="NotebookGlobals"/>; console output
/// captured per cell. Stops at the first failing cell. One notebook at a time per process (console and current
/// directory are process-wide), which a lock enforces.
/// </summary>
public static class NotebookExecutor
{
    /// <summary>Namespaces imported into every cell: exactly the .NET Interactive C# kernel's (CSharpKernel.ScriptOptions),
    /// so a cell that compiles here compiles there (System.IO, for one, is not imported: write <c>System.IO.File</c>).</summary>
    public static readonly ImmutableArray<string> DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly System.Reflection.MethodInfo? HasReturnValueMethod =
        typeof(Script).GetMethod("HasReturnValue", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(LoadFrameworkReferences);
    private static readonly Regex NugetReference = new(@"^\s*#r\s*""\s*nuget\s*:", RegexOptions.Multiline | RegexOptions.IgnoreCase);
    private static readonly Regex Magic = new(@"^\s*(#!\S*)", RegexOptions.Multiline);
    private static readonly Regex IncludeDirective = new(@"^\s*#i\b", RegexOptions.Multiline);

    /// <summary>Why a cell cannot run in the runner (nuget references, magics, #i), or null when it can.</summary>
    public static string? UnsupportedSyntax(string source)
    {
        if (NugetReference.IsMatch(source)) return "#r \"nuget:…\" is not supported (reference a local build with #r \"path.dll\")";
        if (Magic.Match(source) is { Success: true } m) return $"magic command {m.Groups[1].Value} is not supported (plain C# only)";
        if (IncludeDirective.IsMatch(source)) return "#i (package source) is not supported";
        return null;
    }

    /// <summary>Runs <paramref name="path"/>.</summary>
    /// <param name="path">The .ipynb file.</param>
    /// <param name="timeout">Limit for the whole notebook; a cell still running then fails the notebook (its thread is abandoned).</param>
    /// <param name="log">Receives one line per cell (and progress lines of <c>Show.Progress</c>); null = silent.</param>
    /// <param name="cancellationToken">Stops between cells.</param>
    public static async Task<NotebookRunResult> RunAsync(string path, TimeSpan timeout, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        path = Path.GetFullPath(path);
        var doc = NotebookDocument.Load(path);
        var name = Path.GetFileName(path);
        var dir = Path.GetDirectoryName(path)!;
        var clock = Stopwatch.StartNew();
        var cellSeconds = new Dictionary<int, double>();
        foreach (var cell in doc.Cells.Where(c => c.IsCode)) { cell.Json["outputs"] = new JsonArray(); cell.Json["execution_count"] = null; }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var savedOut = Console.Out;
        var savedErr = Console.Error;
        var savedDir = Environment.CurrentDirectory;
        var savedProgress = SpecLora.Notebook.ProgressView.ProgressWriter;
        try
        {
            Environment.CurrentDirectory = dir;
            SpecLora.Notebook.ProgressView.ProgressWriter = log ?? TextWriter.Null;
            var loader = new InteractiveAssemblyLoader();
            var resolver = new SharedAssemblyResolver(ScriptMetadataResolver.Default.WithBaseDirectory(dir), loader);
            var options = ScriptOptions.Default
                .WithReferences(FrameworkReferences.Value)
                .WithImports(DefaultImports)
                .WithMetadataResolver(resolver)
                .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, dir))
                .WithLanguageVersion(LanguageVersion.Preview)
                .WithOptimizationLevel(OptimizationLevel.Release)
                .WithEmitDebugInformation(false);
            var globals = new NotebookGlobals();
            ScriptState<object>? state = null;
            var executionCount = 0;
            var codeCells = doc.Cells.Count(c => c.IsCode);
            foreach (var cell in doc.Cells.Where(c => c.IsCode))
            {
                cancellationToken.ThrowIfCancellationRequested();
                executionCount++;
                var outputs = new CellOutputs();
                globals.Current = outputs;
                var cellClock = Stopwatch.StartNew();
                string? failure = null;
                if (UnsupportedSyntax(cell.Source) is { } why)
                {
                    failure = "unsupported syntax: " + why;
                    outputs.AddError("UnsupportedSyntax", why, [why]);
                }
                else
                {
                    Console.SetOut(outputs.Stdout);
                    Console.SetError(outputs.Stderr);
                    try
                    {
                        var remaining = timeout - clock.Elapsed;
                        if (remaining <= TimeSpan.Zero) throw new TimeoutException();
                        var previous = state;
                        var source = cell.Source;
                        // compile and run off this thread so that a cell stuck in a loop still hits the timeout
                        var run = Task.Run(() => previous is null
                            ? CSharpScript.Create(source, options, typeof(NotebookGlobals), loader).RunAsync(globals, cancellationToken)
                            : previous.ContinueWithAsync(source, options, cancellationToken), cancellationToken);
                        state = await run.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
                        if (HasValue(state))
                            outputs.AddResult(ValueFormatter.Format(state.ReturnValue), executionCount);
                    }
                    catch (CompilationErrorException e)
                    {
                        var lines = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(3).Select(FormatDiagnostic).ToArray();
                        failure = "compilation failed: " + string.Join("; ", lines);
                        outputs.AddError("CompilationError", string.Join("; ", lines), lines);
                    }
                    catch (TimeoutException)
                    {
                        failure = $"timed out: the notebook exceeded {timeout.TotalSeconds:0} s";
                        outputs.AddError("Timeout", failure, [failure]);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
                    catch (Exception e)
                    {
                        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
                        failure = $"runtime error: {inner.GetType().Name}: {inner.Message}";
                        outputs.AddError(inner.GetType().Name, inner.Message, (inner.ToString()).Split('\n'));
                    }
                    finally
                    {
                        Console.SetOut(savedOut);
                        Console.SetError(savedErr);
                    }
                }
                failure = CellOutputs.ScrubSecrets(failure);
                cellSeconds[cell.Index] = cellClock.Elapsed.TotalSeconds;
                cell.Json["execution_count"] = executionCount;
                cell.Json["outputs"] = outputs.ToJson();
                foreach (var note in resolver.Notes) log?.WriteLine($"{name}: cell {cell.Index}: note: {note}");
                resolver.Notes.Clear();
                log?.WriteLine($"{name}: cell {cell.Index} ({executionCount}/{codeCells} code) {(failure is null ? "ok" : "FAILED")} in {cellClock.Elapsed.TotalSeconds:0.00} s");
                if (failure != null)
                    return new NotebookRunResult(path, false, cell.Index, $"{name}: cell {cell.Index}: {failure}", clock.Elapsed, doc, cellSeconds);
            }
            return new NotebookRunResult(path, true, null, null, clock.Elapsed, doc, cellSeconds);
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
            Environment.CurrentDirectory = savedDir;
            SpecLora.Notebook.ProgressView.ProgressWriter = savedProgress;
            Gate.Release();
        }
    }

    /// <summary>True when the cell ended with an expression (no semicolon) whose value should be shown.</summary>
    /// <remarks>Like the kernel, asks Roslyn's internal <c>Script.HasReturnValue</c> (so a trailing <c>null</c> shows
    /// as &lt;null&gt;); falls back to "the value is not null" if that member ever disappears.</remarks>
    private static bool HasValue(ScriptState<object> state)
    {
        try
        {
            if (HasReturnValueMethod?.Invoke(state.Script, null) is bool has) return has;
        }
        catch (System.Reflection.TargetInvocationException) { }
        return state.ReturnValue is not null;
    }

    private static string FormatDiagnostic(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}) {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Every managed assembly of the running .NET (what the kernel can use without #r).</summary>
    private static ImmutableArray<MetadataReference> LoadFrameworkReferences()
    {
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. tpa
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                        && string.Equals(Path.GetDirectoryName(p)?.TrimEnd(Path.DirectorySeparatorChar), runtimeDir.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
                        && !Path.GetFileName(p).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
