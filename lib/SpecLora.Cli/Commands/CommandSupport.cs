using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Spectre.Console;
using SpecLora.Jobs;
using SpecLora.IO;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary>
/// Shared plumbing of the verbs, one rule for all of them: a usage error (System.CommandLine's parse errors and our
/// validators) is one line and exit 2; a typed failure is one sentence and exit 2 (bad input) or 1 (failed at run
/// time); Ctrl+C is exit 130 with what was finished and what was not. Nothing prints a stack trace or a .NET type.
/// </summary>
internal static partial class CommandSupport
{
    /// <summary>The folder holding SpecLora.Notebooks.sln, searched upwards from each of <paramref name="starts"/> in turn;
    /// null when none is inside the repository.</summary>
    internal static string? FindRepoRoot(params string[] starts)
    {
        foreach (var start in starts)
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "SpecLora.Notebooks.sln"))) return d.FullName;
        return null;
    }

    /// <summary>Exit code for bad input or a usage error (nothing billable happened).</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for a failure at run time.</summary>
    public const int Failed = 1;
    /// <summary>Exit code after Ctrl+C.</summary>
    public const int Cancelled = 130;

    /// <summary>Prints "error: <paramref name="message"/>" (one line per message line) and returns <paramref name="code"/>.</summary>
    public static int Error(string message, int code)
    {
        AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(message));
        return code;
    }

    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>: parse errors become one line
    /// and exit 2 (see <see cref="UsageError"/>); anything unexpected escaping a verb becomes one sentence and exit 1.</summary>
    public static async Task<int> RunAsync(Command root, string[] args, InvocationConfiguration? configuration = null)
    {
        // Our own Ctrl+C handler, installed before any verb starts: System.CommandLine's is installed only once the
        // action has returned its Task, so a verb that works synchronously would be killed by the signal (exit 130,
        // not a word). The first Ctrl+C cancels the token; a second one ends the process at once.
        using var interrupt = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c =>
        {
            if (interrupt.IsCancellationRequested) return;
            c.Cancel = true;
            interrupt.Cancel();
        });
        try
        {
            var parse = root.Parse(args);
            if (parse.Action is System.CommandLine.Invocation.ParseErrorAction)
                return Error(UsageError(parse), BadInput);
            if (UnknownOption(parse) is { } unknown)
                return Error($"unknown option {TerminalText.Visible(unknown)} (see: speclora{Verb(parse)} --help; a file whose name starts with '-' is given as ./{TerminalText.Visible(unknown)} or after --)", BadInput);
            configuration ??= new InvocationConfiguration();
            configuration.EnableDefaultExceptionHandler = false;
            configuration.ProcessTerminationTimeout = null;
            return await parse.InvokeAsync(configuration, interrupt.Token);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]interrupted[/]: files already written are complete, nothing half-written is left");
            return Cancelled;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Error(Batch.Describe(e), Failed);
        }
    }

    /// <summary>The first token the verb's file arguments took that looks like an option ("--frobnicate", "-x"): one rule
    /// for every verb, an unknown option is a usage error before any work, never a file name. Tokens after "--" are file
    /// names whatever they look like; negative numbers are values.</summary>
    internal static string? UnknownOption(ParseResult parse)
    {
        var afterDoubleDash = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        bool seen = false;
        foreach (var t in parse.Tokens)
        {
            if (seen) afterDoubleDash.Add(t);
            else if (t.Type == TokenType.DoubleDash) seen = true;
        }
        foreach (var argument in parse.CommandResult.Children.OfType<ArgumentResult>())
            foreach (var t in argument.Tokens)
                if (t.Value.Length > 1 && t.Value[0] == '-' && !afterDoubleDash.Contains(t)
                    && !double.TryParse(t.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                    return t.Value;
        return null;
    }

    /// <summary>The <c>--overwrite</c> option of the verbs that write files.</summary>
    public static Option<bool> OverwriteOption() => new("--overwrite")
    {
        Description = "Replace output files that already exist (each is named); without it, an existing file is never replaced and nothing is written",
    };

    /// <summary>True when progress is drawn live (a terminal); in a pipe, progress is plain lines on stderr instead.</summary>
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>In a pipe (no live progress), one plain line on stderr saying what finished: "done 3/8: res1.png".</summary>
    public static void PlainProgress(int done, int total, string what)
    {
        if (Interactive) return;
        try { Console.Error.WriteLine($"done {done}/{total}: {TerminalText.Visible(what)}"); }
        catch (IOException) { }
    }

    /// <summary>" invert" for a verb's parse result, "" for the program itself.</summary>
    private static string Verb(ParseResult parse) =>
        parse.CommandResult.Command == parse.RootCommandResult.Command ? "" : " " + parse.CommandResult.Command.Name;

    /// <summary>One line for a parse result's errors, with .NET type names replaced by words, and where to look.</summary>
    public static string UsageError(ParseResult parse)
    {
        var messages = parse.Errors.Select(e => Sentence(e.Message).TrimEnd('.')).Distinct().ToList();
        var verb = Verb(parse);
        return string.Join("; ", messages) + $" (see: speclora{verb} --help)";
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (?:option|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?")]
    private static partial Regex CannotParse();

    private static string Sentence(string message)
    {
        var m = CannotParse().Match(message);
        if (m.Success)
        {
            var type = m.Groups["type"].Value.Replace("System.Nullable`1[", "").TrimEnd(']');
            string what = type switch
            {
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Double" or "System.Single" => "a number (e.g. 2.5)",
                "System.Boolean" => "true or false",
                _ => "a valid value",
            };
            return $"{m.Groups["name"].Value} '{m.Groups["value"].Value}' must be {what}";
        }
        // "Argument 'gif' not recognized. Must be one of:\n\t'jpg'\n\t'png'" → one line.
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines.Skip(1));
    }

    /// <summary>The <c>-o/--output</c> folder option of a verb, validated at parse time (a usage error, exit 2, before
    /// any work): not empty, not an existing file, not under a file.</summary>
    public static Option<string> OutputFolderOption(string description, bool required = true)
    {
        var option = new Option<string>("--output", "-o") { Description = description, Required = required };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (value is null && !required) return;
            if (string.IsNullOrWhiteSpace(value)) { r.AddError("-o/--output is empty: give the folder for the outputs"); return; }
            if (FolderProblem(value) is { } why) r.AddError($"-o {value} {why}");
        });
        return option;
    }

    /// <summary>Why <paramref name="folder"/> cannot become an output folder (<see cref="Batch.CheckOutputFolder"/>), or null.</summary>
    public static string? FolderProblem(string folder)
    {
        try { Batch.CheckOutputFolder(folder); return null; }
        catch (OutputFolderException e) { return e.Reason; }
    }

    /// <summary>Adds a check of <paramref name="option"/>'s value (skipped when the value did not parse: that is
    /// already reported). <paramref name="error"/> returns the sentence, or null when the value is fine.</summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, string?> error)
    {
        option.Validators.Add(r =>
        {
            if (r.Errors.Any()) return;
            T value;
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (error(value) is { } message) r.AddError(message);
        });
        return option;
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
        catch (OutputFolderException e) { return Error($"-o {TerminalText.Visible(e.Folder)} {e.Reason}", BadInput); }
        catch (OutputConflictException e) { return Error(e.Message, BadInput); }
        catch (ArgumentException e) { return Error(Batch.Clean(e), BadInput); }
        catch (FileNotFoundException e) { return Error(Batch.Describe(e), BadInput); }   // our loaders' message names the file and the fix
        catch (CogServerException e) { return Error(e.Message, Failed); }
        catch (SpecLoraException e) { return Error(e.Message, Failed); }
        catch (BatchInterruptedException e) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(Interrupted(e)) + "[/]");
            return Cancelled;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]interrupted[/]: the work in progress was stopped (running predictions are cancelled on the server); files already written are complete, nothing half-written is left");
            return Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(Batch.Describe(e), Failed);
        }
    }

    /// <summary>"interrupted: 3 of 8 written (1 failed); not written: d.wav, e.wav, … (5 files)".</summary>
    public static string Interrupted(BatchInterruptedException e)
    {
        int written = e.Finished.Count(i => i.Error is null), failed = e.Finished.Count - written, total = e.Finished.Count + e.NotFinished.Count;
        var names = e.NotFinished.Select(Path.GetFileName).ToList();
        string list = names.Count <= 5 ? string.Join(", ", names) : string.Join(", ", names.Take(5)) + $", … ({names.Count} files)";
        return $"interrupted: {written} of {total} written" + (failed > 0 ? $" ({failed} failed)" : "") + $"; not written: {list}";
    }

    /// <summary>Updates a Spectre progress task from prediction progress.</summary>
    public static IProgress<PredictionProgress> For(ProgressTask task, string label) => new InlineProgress<PredictionProgress>(p =>
    {
        if (p.Percent is { } pct) task.Value = pct;
        task.Description = Markup.Escape($"{label} {p.Status}{(p.Percent is { } x ? $" {x:F0}%" : "")}");
    });

    /// <summary>A live progress display with the columns every verb uses, on a terminal; in a pipe it draws nothing (no
    /// ANSI codes, no percentage lines: see <see cref="PlainProgress"/>).</summary>
    public static Progress Progress() => (Interactive ? AnsiConsole.Progress() : new Progress(Silent)).AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn());

    private static readonly IAnsiConsole Silent = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = new AnsiConsoleOutput(TextWriter.Null),
    });

    /// <summary>A file name (or any outside text) for a table cell: control characters visible, markup escaped.</summary>
    public static string Cell(string? text) => Markup.Escape(TerminalText.Visible(text));

    /// <summary>The summary after a batch: each replaced file (<c>--overwrite</c>), then "N written, N failed → folder".</summary>
    public static int Summary<TItem>(BatchResult<TItem> result, string? folder) where TItem : IBatchItem
    {
        foreach (var replaced in result.Replaced) AnsiConsole.MarkupLine($"[yellow]replaced[/] {Cell(replaced)} (--overwrite)");
        AnsiConsole.MarkupLine($"{result.Succeeded} written, {result.Failed} failed" + (folder is null ? "" : $" → [blue]{Cell(Path.GetFullPath(folder))}[/]"));
        return result.Failed == 0 ? 0 : Failed;
    }

    /// <summary>A failed item's status cell.</summary>
    public static string Status(IBatchItem item, string okSuffix = "") =>
        item.Error is null ? "[green]ok[/]" + okSuffix : "[red]" + Cell(item.Error) + "[/]";
}
