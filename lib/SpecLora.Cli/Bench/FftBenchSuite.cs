using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>2048-point real FFT, one core, in cache: ours against FFTW (float, FFTW_MEASURE) and the radix-2 reference.</summary>
internal sealed class FftBenchSuite : IBenchSuite
{
    private const int N = 2048;
    /// <summary>Issue 2: "2048-point real FFT ≤ 5 µs" (spec §6.4), forward and inverse alike.</summary>
    private const double TargetSeconds = 5e-6;

    public string Name => "FFT";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        // many short samples (≈ 1 ms each): on a shared machine most of them then run without being preempted
        int inner = 500;
        options = options with { Samples = options.Samples * 5 };
        var x = new float[N];
        var rng = new Random(42);
        for (int i = 0; i < N; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        float[] re = new float[N / 2 + 1], im = new float[N / 2 + 1], y = new float[N];
        var ours = RealFft.Create(N);
        var radix2 = new Radix2RealFft(N);
        ours.Forward(x, re, im);

        var (oursFwd, oursFwdMin) = BenchTimer.Measure(() => ours.Forward(x, re, im), options, inner);
        var (oursInv, oursInvMin) = BenchTimer.Measure(() => ours.Inverse(re, im, y), options, inner);
        string simd = ours is StockhamRealFft { UsesSimd: true } ? "AVX2" : "scalar";
        if (Fftw.IsAvailable)
        {
            using var plan = new Fftw.RealPlan(N);
            double fFwd = BenchTimer.Median(plan.Forward, options, inner);
            double fInv = BenchTimer.Median(plan.Inverse, options, inner);
            yield return new BenchRow($"{N}-pt real FFT, forward", oursFwd, "FFTW 3 float (r2c, MEASURE)", fFwd, TargetSeconds, $"Stockham radix-4, {simd}; 1 core, in cache", oursFwdMin);
            yield return new BenchRow($"{N}-pt real FFT, inverse", oursInv, "FFTW 3 float (c2r, MEASURE)", fInv, TargetSeconds, "spec: FFTW 1.6–2.4 µs", oursInvMin);
        }
        else
        {
            yield return new BenchRow($"{N}-pt real FFT, forward", oursFwd, Fftw.InstallHint, null, TargetSeconds, $"Stockham radix-4, {simd}; 1 core, in cache", oursFwdMin);
            yield return new BenchRow($"{N}-pt real FFT, inverse", oursInv, Fftw.InstallHint, null, TargetSeconds, "spec: FFTW 1.6–2.4 µs", oursInvMin);
        }
        double rFwd = BenchTimer.Median(() => radix2.Forward(x, re, im), options, inner / 10);
        yield return new BenchRow($"{N}-pt real FFT, forward", oursFwd, "Radix2RealFft (reference)", rFwd, TargetSeconds, "spec: MathNet 250–480 µs", oursFwdMin);
    }
}
