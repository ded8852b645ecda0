using System.Collections.Concurrent;

namespace SpecLora.Spectrograms;

/// <summary>
/// The mel filterbank A [NMels × (1 + NFft/2)] of librosa <c>filters.mel</c> (Slaney scale and area norm by default),
/// computed in double and stored as float. Each row's non-zero weights are contiguous, so it is stored sparsely:
/// row m covers linear bins <c>Start[m] … Start[m] + Count[m] − 1</c>. Instances are immutable and cached per options.
/// </summary>
public sealed class MelFilterBank
{
    private static readonly ConcurrentDictionary<(int Sr, int NFft, int NMels, double FMin, double FMax, bool Htk, bool Norm), MelFilterBank> Cache = new();

    private readonly float[] _dense;

    /// <summary>Number of mel bands (rows).</summary>
    public int NMels { get; }
    /// <summary>Number of linear bins (columns), 1 + NFft/2.</summary>
    public int NBins { get; }
    /// <summary>First non-zero linear bin of each row.</summary>
    public int[] Start { get; }
    /// <summary>Number of non-zero linear bins of each row (0 for an empty filter).</summary>
    public int[] Count { get; }
    /// <summary>Rows whose weights are all zero (librosa warns "Empty filters detected").</summary>
    public int EmptyFilterCount { get; }
    /// <summary>Band edges in Hz, NMels + 2 of them (librosa <c>mel_frequencies(n_mels + 2, …)</c>).</summary>
    public double[] EdgesHz { get; }
    /// <summary>Centre frequency of each band in Hz.</summary>
    public double[] CentersHz => EdgesHz[1..^1];

    private MelFilterBank(int sr, int nFft, int nMels, double fMin, double fMax, bool htk, bool norm)
    {
        NMels = nMels; NBins = nFft / 2 + 1;
        _dense = new float[NMels * NBins];
        EdgesHz = MelFrequencies(nMels + 2, fMin, fMax, htk);
        var fftFreqs = new double[NBins];
        for (int k = 0; k < NBins; k++) fftFreqs[k] = (double)k * sr / nFft;
        Start = new int[NMels]; Count = new int[NMels];
        for (int m = 0; m < NMels; m++)
        {
            double d0 = EdgesHz[m + 1] - EdgesHz[m], d1 = EdgesHz[m + 2] - EdgesHz[m + 1];
            double enorm = norm ? 2.0 / (EdgesHz[m + 2] - EdgesHz[m]) : 1.0;
            int first = -1, last = -1;
            for (int k = 0; k < NBins; k++)
            {
                double lower = -(EdgesHz[m] - fftFreqs[k]) / d0;
                double upper = (EdgesHz[m + 2] - fftFreqs[k]) / d1;
                double w = Math.Max(0.0, Math.Min(lower, upper));
                float wf = (float)((float)w * enorm); // librosa: weights are float32, then *= enorm
                _dense[m * NBins + k] = wf;
                if (wf != 0) { if (first < 0) first = k; last = k; }
            }
            Start[m] = first < 0 ? 0 : first;
            Count[m] = first < 0 ? 0 : last - first + 1;
            if (first < 0) EmptyFilterCount++;
        }
    }

    /// <summary>The filterbank for <paramref name="options"/> (cached; options compare by value).</summary>
    /// <example>
    /// <code>
    /// var fb = MelFilterBank.Get(new MelOptions());   // 128 × 1025, Slaney scale and area norm
    /// Console.WriteLine($"band 0 covers {fb.Count[0]} bins, band 127 covers {fb.Count[127]} bins");
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static MelFilterBank Get(MelOptions? options = null)
    {
        var o = (options ?? new MelOptions()).Validate();
        var key = (o.SampleRate, o.Stft.NFft, o.NMels, o.FMinHz, o.EffectiveFMaxHz, o.Htk, o.SlaneyNorm);
        return Cache.GetOrAdd(key, k => new MelFilterBank(k.Sr, k.NFft, k.NMels, k.FMin, k.FMax, k.Htk, k.Norm));
    }

    /// <summary>Weight of linear bin <paramref name="bin"/> in band <paramref name="mel"/>.</summary>
    public float this[int mel, int bin] => _dense[mel * NBins + bin];

    /// <summary>The non-zero weights of row <paramref name="mel"/> (starting at <see cref="Start"/>[mel]).</summary>
    public ReadOnlySpan<float> RowWeights(int mel) => _dense.AsSpan(mel * NBins + Start[mel], Count[mel]);

    /// <summary>A dense copy [NMels × NBins], row-major (librosa's layout).</summary>
    public float[] ToDense() => (float[])_dense.Clone();

    /// <summary>mel[m] = Σ_k A[m,k]·x[k] for one frame. <paramref name="linear"/> has NBins values, <paramref name="destination"/> NMels.</summary>
    public void Apply(ReadOnlySpan<float> linear, Span<float> destination)
    {
        for (int m = 0; m < NMels; m++)
        {
            var w = RowWeights(m);
            var x = linear.Slice(Start[m], w.Length);
            float s = 0;
            for (int i = 0; i < w.Length; i++) s += w[i] * x[i];
            destination[m] = s;
        }
    }

    /// <summary>x[k] = Σ_m A[m,k]·mel[m] for one frame (the transpose).</summary>
    public void ApplyTranspose(ReadOnlySpan<float> mel, Span<float> destination)
    {
        destination.Slice(0, NBins).Clear();
        for (int m = 0; m < NMels; m++)
        {
            var w = RowWeights(m);
            var d = destination.Slice(Start[m], w.Length);
            float v = mel[m];
            for (int i = 0; i < w.Length; i++) d[i] += w[i] * v;
        }
    }

    /// <summary>Hz → mel (librosa <c>hz_to_mel</c>): Slaney (linear below 1 kHz, log above) or HTK.</summary>
    /// <example>
    /// <code>
    /// double m = MelFilterBank.HzToMel(1000);                        // 15 (to rounding): linear below 1 kHz
    /// double above = MelFilterBank.HzToMel(6400) - MelFilterBank.HzToMel(1000);   // log above: 6.4× adds ≈ 27 mels
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static double HzToMel(double hz, bool htk = false)
    {
        if (htk) return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.Log(hz / minLogHz) / logStep : hz / fSp;
    }

    /// <summary>mel → Hz (librosa <c>mel_to_hz</c>).</summary>
    public static double MelToHz(double mel, bool htk = false)
    {
        if (htk) return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    /// <summary><paramref name="n"/> frequencies equally spaced on the mel scale from fmin to fmax (librosa <c>mel_frequencies</c>).</summary>
    public static double[] MelFrequencies(int n, double fMinHz, double fMaxHz, bool htk = false)
    {
        double lo = HzToMel(fMinHz, htk), hi = HzToMel(fMaxHz, htk);
        var f = new double[n];
        for (int i = 0; i < n; i++)
        {
            double mel = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
            f[i] = MelToHz(mel, htk);
        }
        return f;
    }
}
