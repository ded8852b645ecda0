namespace SpecLora.Cli.Bench;

/// <summary>Every benchmark suite, in table order. Later stages (inversion, <c>mels</c> end to end) add one line each.</summary>
internal static class BenchSuites
{
    public static IReadOnlyList<IBenchSuite> All() =>
    [
        new FftBenchSuite(),
        new SpectrogramBenchSuite(),
        new InversionBenchSuite(),
        new RealPicturesBenchSuite(),
        new MelsBenchSuite(),
        new WholeProcessBenchSuite(),
        new AnalysisBenchSuite(),
    ];
}
