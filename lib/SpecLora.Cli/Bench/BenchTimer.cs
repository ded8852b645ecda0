using System.Diagnostics;

namespace SpecLora.Cli.Bench;

/// <summary>Stopwatch timing: warm-up runs, then the median of N samples.</summary>
internal static class BenchTimer
{
    /// <summary>Median seconds per call of <paramref name="action"/>. Each sample runs it
    /// <paramref name="innerIterations"/> times (use &gt; 1 for microsecond operations).</summary>
    public static double Median(Action action, BenchOptions options, int innerIterations = 1)
    {
        for (int i = 0; i < options.WarmUps; i++)
            for (int j = 0; j < innerIterations; j++) action();
        var samples = new double[options.Samples];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int j = 0; j < innerIterations; j++) action();
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / innerIterations;
        }
        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    /// <summary>Formats seconds with a unit that keeps 3 significant digits (ns, µs, ms, s).</summary>
    public static string Format(double seconds) => seconds switch
    {
        < 1e-6 => $"{seconds * 1e9:0.#} ns",
        < 1e-3 => $"{seconds * 1e6:0.00} µs",
        < 1 => $"{seconds * 1e3:0.0} ms",
        _ => $"{seconds:0.00} s",
    };
}
