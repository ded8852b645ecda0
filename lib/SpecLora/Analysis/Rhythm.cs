using System.Numerics.Tensors;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// An autocorrelation tempogram [lags × frames] (librosa layout: row = lag in frames, column = frame) with its frame
/// rate; <see cref="Bpm"/> gives the tempo of each lag.
/// </summary>
/// <param name="Data">Row-major [WinLength × Frames]; element (lag, t) at <c>lag·Frames + t</c>.</param>
/// <param name="WinLength">Number of lags (librosa <c>win_length</c>).</param>
/// <param name="Frames">Number of frames.</param>
/// <param name="SampleRate">Sample rate in Hz of the audio behind the envelope.</param>
/// <param name="HopLength">Hop in samples of the envelope.</param>
public sealed record Tempogram(float[] Data, int WinLength, int Frames, int SampleRate, int HopLength)
{
    /// <summary>Element at (lag, frame).</summary>
    public float this[int lag, int frame] => Data[lag * Frames + frame];

    /// <summary>Tempo in BPM of each lag (librosa <c>tempo_frequencies</c>; lag 0 = ∞).</summary>
    public double[] Bpm => Rhythm.TempoFrequencies(WinLength, SampleRate, HopLength);

    /// <summary>The mean over frames of each lag (librosa <c>aggregate=np.mean</c>).</summary>
    public double[] MeanOverFrames()
    {
        var mean = new double[WinLength];
        for (int k = 0; k < WinLength; k++)
        {
            double s = 0;
            foreach (var v in Data.AsSpan(k * Frames, Frames)) s += v;
            mean[k] = s / Frames;
        }
        return mean;
    }
}

/// <summary>
/// Tempo analysis of an onset envelope: the autocorrelation tempogram (librosa 0.10 <c>feature.tempogram</c>) and the
/// tempo estimate with a log-normal prior (<c>feature.rhythm.tempo</c>). Autocorrelations run through our real FFT
/// (float32, zero-padded to a power of two ≥ 2·win − 1; librosa uses numpy's float64 FFT: differences ≈ 1e-7 of a
/// frame's maximum), frames in parallel.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class Rhythm
{
    /// <summary>The tempogram of <paramref name="envelope"/> (librosa <c>tempogram(onset_envelope=…)</c>): for each
    /// frame, the autocorrelation of the Hann-windowed envelope around it, up to <c>win_length</c> − 1 lags.</summary>
    public static Tempogram ComputeTempogram(ReadOnlySpan<float> envelope, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength, TempogramOptions? options = null)
    {
        var o = (options ?? new TempogramOptions()).Validate();
        if (envelope.Length == 0) throw new ArgumentException("the onset envelope is empty", nameof(envelope));
        int w = o.WinLength, n = envelope.Length;
        int p = o.Center ? w / 2 : 0;
        // padded envelope (librosa: np.pad(mode="linear_ramp", end_values=0)), float32 like the padded array
        var padded = new float[n + 2 * p];
        envelope.CopyTo(padded.AsSpan(p));
        if (p > 0)
        {
            double e0 = envelope[0], e1 = envelope[n - 1];
            for (int i = 0; i < p; i++)
            {
                padded[i] = (float)(i * (e0 / p));
                padded[p + n + i] = (float)((p - 1 - i) * (e1 / p));
            }
        }
        int frames = o.Center ? n : Math.Max(0, padded.Length - w + 1);
        if (frames == 0) throw new ArgumentException($"the onset envelope has {n} frames, fewer than win_length={w} without centring", nameof(envelope));
        int fftSize = 16;
        while (fftSize < 2 * w - 1) fftSize *= 2;
        var window = new float[w];
        for (int i = 0; i < w; i++) window[i] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * i / w));
        var data = new float[w * frames];
        const int block = 64;
        int blocks = (frames + block - 1) / block;
        Parallel.For(0, blocks, () => new AcWorker(fftSize, w), (bi, _, wk) =>
        {
            int t1 = Math.Min(frames, (bi + 1) * block);
            for (int t = bi * block; t < t1; t++)
            {
                wk.Autocorrelate(padded.AsSpan(t, w), window);
                float max = 0;
                for (int k = 0; k < w; k++) max = MathF.Max(max, MathF.Abs(wk.Ac[k]));
                // util.normalize(norm=inf): frames whose maximum is below tiny stay unscaled
                bool scale = o.NormalizeMax && max > 0;
                for (int k = 0; k < w; k++) data[k * frames + t] = scale ? wk.Ac[k] / max : wk.Ac[k];
            }
            return wk;
        }, _ => { });
        return new Tempogram(data, w, frames, sampleRate, hopLength);
    }

    /// <summary>Per-thread buffers of the FFT autocorrelation.</summary>
    private sealed class AcWorker(int size, int w)
    {
        private readonly IRealFft _fft = RealFft.Create(size);
        private readonly float[] _x = new float[size], _re = new float[size / 2 + 1], _im = new float[size / 2 + 1], _y = new float[size];
        public float[] Ac { get; } = new float[w];

        public void Autocorrelate(ReadOnlySpan<float> segment, ReadOnlySpan<float> window)
        {
            TensorPrimitives.Multiply(segment, window, _x.AsSpan(0, segment.Length));
            _x.AsSpan(segment.Length).Clear();
            _fft.Forward(_x, _re, _im);
            TensorPrimitives.Multiply(_re, _re, _re);
            TensorPrimitives.MultiplyAdd(_im, _im, _re, _re);
            _im.AsSpan().Clear();
            _fft.Inverse(_re, _im, _y);
            _y.AsSpan(0, Ac.Length).CopyTo(Ac);
        }
    }

    /// <summary>Tempo of each autocorrelation lag (librosa <c>tempo_frequencies(n_bins, sr, hop_length)</c>):
    /// 60·sr/(hop·k) BPM for lag k ≥ 1, ∞ for lag 0.</summary>
    public static double[] TempoFrequencies(int nBins, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength)
    {
        var f = new double[nBins];
        if (nBins > 0) f[0] = double.PositiveInfinity;
        for (int k = 1; k < nBins; k++) f[k] = 60.0 * sampleRate / (hopLength * (double)k);
        return f;
    }

    /// <summary>librosa <c>time_to_frames(ac_size)</c>: ⌊seconds·sr / hop⌋ (8 s → 344 frames at 22050 Hz, hop 512).</summary>
    public static int AcWindowFrames(double seconds, int sampleRate, int hopLength) => (int)Math.Floor(Math.Floor(seconds * sampleRate) / hopLength);

    /// <summary>The global tempo in BPM (librosa <c>feature.rhythm.tempo(onset_envelope=…)</c>): a tempogram with
    /// an <see cref="TempoOptions.AcSizeSeconds"/> window averaged over frames, weighted by the log-normal prior
    /// −½((log₂ bpm − log₂ start_bpm)/std_bpm)², nothing at or above max_tempo, argmax of log1p(10⁶·tg) + prior.</summary>
    public static double Tempo(ReadOnlySpan<float> envelope, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength, TempoOptions? options = null)
    {
        var o = (options ?? new TempoOptions()).Validate();
        var tg = ComputeTempogram(envelope, sampleRate, hopLength, new TempogramOptions { WinLength = AcWindowFrames(o.AcSizeSeconds, sampleRate, hopLength) });
        return TempoFromProfile(tg.MeanOverFrames(), sampleRate, hopLength, o);
    }

    /// <summary>One tempo per frame (librosa <c>tempo(aggregate=None)</c>) from a tempogram made with the
    /// <see cref="TempoOptions.AcSizeSeconds"/> window.</summary>
    public static double[] LocalTempo(Tempogram tempogram, TempoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tempogram);
        var o = (options ?? new TempoOptions()).Validate();
        var result = new double[tempogram.Frames];
        var bpms = TempoFrequencies(tempogram.WinLength, tempogram.SampleRate, tempogram.HopLength);
        var prior = LogPrior(bpms, o);
        int w = tempogram.WinLength, frames = tempogram.Frames;
        Parallel.For(0, (frames + 255) / 256, blk =>
        {
            int t1 = Math.Min(frames, (blk + 1) * 256);
            for (int t = blk * 256; t < t1; t++)
            {
                int best = 0; double bestScore = double.NegativeInfinity;
                for (int k = 0; k < w; k++)
                {
                    if (double.IsNegativeInfinity(prior[k])) continue;
                    double score = double.LogP1(1e6 * tempogram.Data[k * frames + t]) + prior[k];
                    if (score > bestScore) { bestScore = score; best = k; }
                }
                result[t] = bpms[best];
            }
        });
        return result;
    }

    /// <summary>librosa's log-prior over lags: −½((log₂ bpm − log₂ start_bpm)/std_bpm)², −∞ before the first lag
    /// under max_tempo.</summary>
    private static double[] LogPrior(double[] bpms, TempoOptions o)
    {
        int maxIdx = 0;
        if (o.MaxTempoBpm is { } maxTempo)
        {
            // np.argmax(bpms < max_tempo): the first lag below the limit (0 when none is)
            for (int k = 0; k < bpms.Length; k++) if (bpms[k] < maxTempo) { maxIdx = k; break; }
        }
        double log2Start = Math.Log2(o.StartBpm);
        var prior = new double[bpms.Length];
        for (int k = 0; k < bpms.Length; k++) prior[k] = k < maxIdx ? double.NegativeInfinity : -0.5 * Math.Pow((Math.Log2(bpms[k]) - log2Start) / o.StdBpm, 2);
        return prior;
    }

    /// <summary>The prior-weighted argmax over lags of one autocorrelation profile (see <see cref="Tempo"/>).</summary>
    public static double TempoFromProfile(ReadOnlySpan<double> profile, int sampleRate, int hopLength, TempoOptions? options = null)
    {
        var o = options ?? new TempoOptions();
        var bpms = TempoFrequencies(profile.Length, sampleRate, hopLength);
        var prior = LogPrior(bpms, o);
        int best = 0; double bestScore = double.NegativeInfinity;
        for (int k = 0; k < profile.Length; k++)
        {
            double score = double.LogP1(1e6 * profile[k]) + prior[k];
            if (score > bestScore) { bestScore = score; best = k; }
        }
        return bpms[best];
    }
}
