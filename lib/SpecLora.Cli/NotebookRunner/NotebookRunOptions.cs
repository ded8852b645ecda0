using System.Globalization;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// How much of a cell's output the runner keeps (per cell). Console text keeps its head and its tail, with one line
/// between them saying how much was dropped; displayed values (pictures, players, tables) are kept whole until the
/// cell's stored outputs reach <see cref="MaxStoredChars"/>, and dropped (and counted) after that. A cell that prints
/// more than <see cref="MaxPrintedChars"/> in all fails: the kernel holds everything a cell prints until the cell ends,
/// so this bounds the kernel process's memory.
/// </summary>
public sealed record OutputLimits
{
    /// <summary>Console lines kept from the start of a cell's output (2,000).</summary>
    public int HeadLines { get; init; } = 2_000;
    /// <summary>Characters kept from the start of a cell's output (1,000,000).</summary>
    public int HeadChars { get; init; } = 1_000_000;
    /// <summary>Console lines kept from the end of a cell's output (500).</summary>
    public int TailLines { get; init; } = 500;
    /// <summary>Characters kept from the end of a cell's output (250,000).</summary>
    public int TailChars { get; init; } = 250_000;
    /// <summary>All outputs a cell may store, console text and displayed values together, in characters (64,000,000).</summary>
    public long MaxStoredChars { get; init; } = 64_000_000;
    /// <summary>Console text a cell may print before it fails, in characters (200,000,000; about 400 MB held by the kernel).</summary>
    public long MaxPrintedChars { get; init; } = 200_000_000;

    /// <summary>Every problem with these limits, each quoting the value (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (HeadLines < 1) problems.Add($"HeadLines={HeadLines} must be ≥ 1");
        if (HeadChars < 1) problems.Add($"HeadChars={HeadChars} must be ≥ 1");
        if (TailLines < 0) problems.Add($"TailLines={TailLines} must be ≥ 0");
        if (TailChars < 0) problems.Add($"TailChars={TailChars} must be ≥ 0");
        if (MaxStoredChars < (long)HeadChars + TailChars)
            problems.Add($"MaxStoredChars={MaxStoredChars} must be ≥ HeadChars + TailChars ({(long)HeadChars + TailChars})");
        if (MaxPrintedChars < 1) problems.Add($"MaxPrintedChars={MaxPrintedChars} must be ≥ 1");
        return problems;
    }
}

/// <summary>Settings of a <c>speclora notebooks</c> run.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Per-cell time limit used when none is given: 10 minutes.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Longest <see cref="CellTimeout"/> accepted: 24 hours.</summary>
    public static readonly TimeSpan MaxCellTimeout = TimeSpan.FromHours(24);

    /// <summary>Time a code cell may run (<c>--cell-timeout</c>); past it the notebook's kernel process is ended and the
    /// notebook fails. Default 10 minutes.</summary>
    public TimeSpan CellTimeout { get; init; } = DefaultCellTimeout;

    /// <summary>Time the kernel process may take to start (the runtime, then Roslyn's first compilation): 2 minutes.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>What a cell's output may hold.</summary>
    public OutputLimits Output { get; init; } = new();

    /// <summary>How the kernel process is started; null = this program itself (<see cref="KernelHost.Current"/>).</summary>
    public KernelHost? Host { get; init; }

    /// <summary>Replace files in the output folder that no earlier run wrote (<c>--overwrite</c>); each is named.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Open every written page in headless Chromium (<c>--check-html</c>).</summary>
    public bool CheckHtml { get; init; }

    /// <summary>The clock of the time limits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Every problem with these options, each quoting the value (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(CellTimeout > TimeSpan.Zero) || CellTimeout > MaxCellTimeout)
            problems.Add($"--cell-timeout {Seconds(CellTimeout)} must be > 0 and ≤ {Seconds(MaxCellTimeout)} seconds");
        if (!(StartupTimeout > TimeSpan.Zero) || StartupTimeout > MaxCellTimeout)
            problems.Add($"StartupTimeout={Seconds(StartupTimeout)} s must be > 0 and ≤ {Seconds(MaxCellTimeout)} seconds");
        if (Output is null) problems.Add("Output limits must be given");
        else problems.AddRange(Output.Validate());
        if (Time is null) problems.Add("Time must be given");
        return problems;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem of <see cref="Validate"/>.</summary>
    public NotebookRunOptions Validated()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new ArgumentException(string.Join("; ", problems));
    }

    /// <summary>The <c>--cell-timeout</c> value as seconds for a message ("10", "2.5").</summary>
    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
