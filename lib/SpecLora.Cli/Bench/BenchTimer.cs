using System.Diagnostics;

namespace SpecLora.Cli.Bench;

/// <summary>Stopwatch timing: warm-up runs (and at least 0.3 s), then the median of N samples.</summary>
internal static class BenchTimer
{
    /// <summary>Median seconds per call of <paramref name="action"/>. Each sample runs it
    /// <paramref name="innerIterations"/> times (use &gt; 1 for microsecond operations).</summary>
    public static double Median(Action action, BenchOptions options, int innerIterations = 1)
        => Measure(action, options, innerIterations).Median;

    /// <summary>Median and fastest sample, seconds per call (see <see cref="Median"/>).</summary>
    public static (double Median, double Min) Measure(Action action, BenchOptions options, int innerIterations = 1)
    {
        // at least WarmUps runs and 0.3 s, so that tiered JIT has promoted the hot code before timing
        long w0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < options.WarmUps || Stopwatch.GetElapsedTime(w0).TotalSeconds < 0.3; i++)
            for (int j = 0; j < innerIterations; j++) action();
        var samples = new double[options.Samples];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int j = 0; j < innerIterations; j++) action();
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / innerIterations;
        }
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[0]);
    }

    /// <summary>Formats seconds with a unit that keeps 3 significant digits (ns, µs, ms, s).</summary>
    public static string Format(double seconds) => seconds switch
    {
        double.NaN => "not measured",
        < 1e-6 => $"{seconds * 1e9:0.#} ns",
        < 1e-3 => $"{seconds * 1e6:0.00} µs",
        < 1 => $"{seconds * 1e3:0.0} ms",
        _ => $"{seconds:0.00} s",
    };
}
