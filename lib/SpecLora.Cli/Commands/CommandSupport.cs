using Spectre.Console;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary>Shared plumbing of the verbs: error reporting (typed errors → message + exit code) and progress.</summary>
internal static class CommandSupport
{
    /// <summary>Exit code for bad input (nothing billable happened).</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a failure at run time.</summary>
    public const int Failed = 1;
    /// <summary>Exit code after Ctrl+C.</summary>
    public const int Cancelled = 130;

    public static int Error(string message, int code)
    {
        AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(message));
        return code;
    }

    /// <summary>The message without .NET's "(Parameter 'x')" / "Actual value was" suffixes.</summary>
    public static string Clean(ArgumentException e)
    {
        var m = e.Message.Split('\n')[0];
        var i = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (i >= 0 ? m[..i] : m).Trim();
    }

    /// <summary>Runs <paramref name="body"/>, mapping domain errors to messages and exit codes.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (ReplicateTokenMissingException e) { return Error(e.Message, BadInput); }
        catch (ReplicateInputException e) { return Error(e.Message, BadInput); }
        catch (TrainingDatasetException e) { return Error(e.Message, BadInput); }
        catch (ArgumentException e) { return Error(Clean(e), BadInput); }
        catch (FileNotFoundException e) { return Error(e.Message, BadInput); }   // our loaders' message names the file and the fix
        catch (CogServerException e) { return Error(e.Message, Failed); }
        catch (SpecLoraException e) { return Error(e.Message, Failed); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/] (running predictions were cancelled on the server)");
            return Cancelled;
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls back synchronously (no context hop, reports stay in order).</summary>
    public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Updates a Spectre progress task from prediction progress.</summary>
    public static IProgress<PredictionProgress> For(ProgressTask task, string label) => new InlineProgress<PredictionProgress>(p =>
    {
        if (p.Percent is { } pct) task.Value = pct;
        task.Description = Markup.Escape($"{label} {p.Status}{(p.Percent is { } x ? $" {x:F0}%" : "")}");
    });
}
