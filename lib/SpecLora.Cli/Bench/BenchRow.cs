namespace SpecLora.Cli.Bench;

/// <summary>One line of the <c>speclora bench</c> table. Times are in seconds (per operation); lower is better.</summary>
/// <param name="What">What was measured, e.g. "2048-pt real FFT, forward".</param>
/// <param name="OursSeconds">Median time of our implementation.</param>
/// <param name="ReferenceName">Name of the reference measured side by side (e.g. "FFTW 3 (float)"), or a reason it is missing.</param>
/// <param name="ReferenceSeconds">Median time of the reference in the same run, or null when it could not be measured.</param>
/// <param name="TargetSeconds">The goal for <paramref name="OursSeconds"/> (from the issue/spec), or null when there is none.</param>
/// <param name="Note">Free text: quoted figures that are not measured here (e.g. librosa's), sizes, thread counts.</param>
/// <param name="OursMinSeconds">Fastest sample of ours (shown beside the median: on a busy machine it tells what the
/// code does when it gets the cores).</param>
internal sealed record BenchRow(
    string What,
    double OursSeconds,
    string ReferenceName,
    double? ReferenceSeconds,
    double? TargetSeconds,
    string Note = "",
    double? OursMinSeconds = null)
{
    /// <summary>Reference time / our time (how many times faster we are), or null.</summary>
    public double? Speedup => ReferenceSeconds is double r && OursSeconds > 0 ? r / OursSeconds : null;

    /// <summary>True/false against the target; null when there is no target.</summary>
    public bool? Pass => TargetSeconds is double t ? OursSeconds <= t : null;
}

/// <summary>Settings of one bench run.</summary>
/// <param name="Quick">Fewer repetitions (a rough table in a few seconds).</param>
internal sealed record BenchOptions(bool Quick)
{
    /// <summary>Another build's <c>SpecLora.Cli.dll</c> (e.g. the previous commit's): whole-process rows run it
    /// alternately with this build, as their reference. Null = no paired build.</summary>
    public string? BaselineCli { get; init; }
    /// <summary>Timed samples per measurement (the median is reported).</summary>
    public int Samples { get; init; } = Quick ? 5 : 15;
    /// <summary>Untimed runs before sampling.</summary>
    public int WarmUps { get; init; } = Quick ? 2 : 5;
}
/// <summary>A group of benchmark rows. Add a suite as a new file and list it in <see cref="BenchSuites.All"/>.</summary>
internal interface IBenchSuite
{
    /// <summary>Short name shown while the suite runs.</summary>
    string Name { get; }

    /// <summary>Measures and yields rows (each row is measured when enumerated).</summary>
    IEnumerable<BenchRow> Run(BenchOptions options);
}
