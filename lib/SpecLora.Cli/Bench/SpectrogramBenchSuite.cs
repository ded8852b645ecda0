using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>STFT, inverse STFT and melspectrogram of a 3-minute clip (22050 Hz, librosa defaults), all cores,
/// against the simple single-threaded path on the radix-2 reference FFT.</summary>
internal sealed class SpectrogramBenchSuite : IBenchSuite
{
    /// <summary>3 minutes at 22050 Hz: 3,969,000 samples, 7752 frames.</summary>
    private const int Samples = 3 * 60 * 22050;
    /// <summary>Issue 2: melspectrogram of a 3-minute clip from samples ≤ 60 ms on this 2-core machine.</summary>
    private const double MelTargetSeconds = 0.060;
    /// <summary>Spec §6.4: a Griffin-Lim iteration (STFT + iSTFT + projection) ≤ 60 ms on two cores.</summary>
    private const double GlTargetSeconds = 0.060;
    /// <summary>Issue 2 / spec: librosa's melspectrogram of 3 minutes, ≈ 0.6 s CPU (quoted, not measured here).</summary>
    private const string LibrosaMel = "librosa ≈ 0.6 s CPU (quoted)";

    public string Name => "Spectrograms (3 min)";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var y = Signal();
        var refOptions = options with { Samples = options.Quick ? 1 : 3, WarmUps = 1 };
        var mel = new MelOptions();
        var plan = new Stft(mel.Stft);
        int frames = plan.CheckSignal(y), bins = plan.Bins;
        string cores = $"{Environment.ProcessorCount} cores, {frames} frames";

        var (oursMel, oursMelMin) = BenchTimer.Measure(() => MelSpectrogram.Compute(y, mel.SampleRate, mel), options);
        double refMel = BenchTimer.Median(() => ReferenceMel(y, mel), refOptions);
        yield return new BenchRow("melspectrogram 3 min from samples", oursMel, "single-thread radix-2 path", refMel, MelTargetSeconds, $"{LibrosaMel}; {cores}", oursMelMin);

        var real = new float[frames * bins];
        var imag = new float[frames * bins];
        var outSignal = new float[y.Length];
        var (oursStft, oursStftMin) = BenchTimer.Measure(() => plan.ForwardInto(y, real, imag), options);
        double refStft = BenchTimer.Median(() => ReferenceStft(y, mel.Stft, real, imag), refOptions);
        yield return new BenchRow("STFT 3 min (caller buffers)", oursStft, "single-thread radix-2 path", refStft, null, cores, oursStftMin);

        plan.ForwardInto(y, real, imag);
        var (oursIstft, oursIstftMin) = BenchTimer.Measure(() => plan.InverseInto(real, imag, frames, outSignal), options);
        double refIstft = BenchTimer.Median(() => ReferenceIstft(real, imag, frames, mel.Stft, outSignal), refOptions);
        yield return new BenchRow("iSTFT 3 min (caller buffers)", oursIstft, "single-thread radix-2 path", refIstft, null, cores, oursIstftMin);

        yield return new BenchRow("STFT + iSTFT 3 min (one GL iteration's transforms)", oursStft + oursIstft,
            "single-thread radix-2 path", refStft + refIstft, GlTargetSeconds, "sum of the two rows above; spec §6.4 budget",
            oursStftMin + oursIstftMin);
    }

    /// <summary>A deterministic 3-minute test signal: a few partials with vibrato plus a little noise.</summary>
    private static float[] Signal()
    {
        var y = new float[Samples];
        var rng = new Random(3);
        for (int i = 0; i < y.Length; i++)
        {
            double t = i / 22050.0;
            y[i] = (float)(0.3 * Math.Sin(2 * Math.PI * 440 * t + 2 * Math.Sin(2 * Math.PI * 5 * t))
                + 0.2 * Math.Sin(2 * Math.PI * 1318.5 * t) + 0.01 * (rng.NextDouble() - 0.5));
        }
        return y;
    }

    private static void ReferenceStft(float[] y, StftOptions o, float[] real, float[] imag)
    {
        int n = o.NFft, hop = o.EffectiveHopLength, bins = n / 2 + 1, frames = o.FrameCount(y.Length), pad = n / 2;
        var fft = new Radix2RealFft(n);
        var window = Window.HannPadded(o.EffectiveWinLength, n);
        var frame = new float[n];
        for (int t = 0; t < frames; t++)
        {
            int start = t * hop - pad;
            for (int i = 0; i < n; i++) { int j = start + i; frame[i] = (uint)j < (uint)y.Length ? y[j] * window[i] : 0f; }
            fft.Forward(frame, real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins));
        }
    }

    private static void ReferenceIstft(float[] real, float[] imag, int frames, StftOptions o, float[] output)
    {
        int n = o.NFft, hop = o.EffectiveHopLength, bins = n / 2 + 1, pad = n / 2;
        var fft = new Radix2RealFft(n);
        var window = Window.HannPadded(o.EffectiveWinLength, n);
        var frame = new float[n];
        var acc = new double[n + hop * (frames - 1)];
        var wss = new double[acc.Length];
        for (int t = 0; t < frames; t++)
        {
            fft.Inverse(real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins), frame);
            for (int i = 0; i < n; i++) { acc[t * hop + i] += frame[i] * window[i]; wss[t * hop + i] += window[i] * window[i]; }
        }
        for (int i = 0; i < output.Length && i + pad < acc.Length; i++)
            output[i] = (float)(wss[i + pad] > 1.1754943508222875e-38 ? acc[i + pad] / wss[i + pad] : acc[i + pad]);
    }

    private static float[] ReferenceMel(float[] y, MelOptions o)
    {
        int bins = o.Stft.NFft / 2 + 1, frames = o.Stft.FrameCount(y.Length);
        var real = new float[frames * bins];
        var imag = new float[frames * bins];
        ReferenceStft(y, o.Stft, real, imag);
        var fb = MelFilterBank.Get(o);
        var p = new float[bins];
        var m = new float[fb.NMels];
        var data = new float[fb.NMels * frames];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < bins; k++) { float r = real[t * bins + k], i = imag[t * bins + k]; p[k] = r * r + i * i; }
            fb.Apply(p, m);
            for (int b = 0; b < m.Length; b++) data[b * frames + t] = m[b];
        }
        return data;
    }
}
