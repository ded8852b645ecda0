using System.Numerics.Tensors;
using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>A chromagram [NChroma × Frames], row-major (bin 0 = C with base_c), and the tuning it used.</summary>
/// <param name="Data">Element (c, t) at <c>c·Frames + t</c>.</param>
/// <param name="NChroma">Rows (12).</param>
/// <param name="Frames">Columns.</param>
/// <param name="TuningBins">Tuning in fractions of a chroma bin (estimated or given).</param>
public sealed record Chromagram(float[] Data, int NChroma, int Frames, double TuningBins)
{
    /// <summary>Element at (chroma bin, frame).</summary>
    public float this[int c, int t] => Data[c * Frames + t];

    /// <summary>The mean over frames of each chroma bin (C first).</summary>
    public double[] Mean()
    {
        var m = new double[NChroma];
        for (int c = 0; c < NChroma; c++) { double s = 0; foreach (var v in Data.AsSpan(c * Frames, Frames)) s += v; m[c] = Frames > 0 ? s / Frames : 0; }
        return m;
    }
}

/// <summary>
/// STFT chroma (librosa 0.10 <c>feature.chroma_stft</c> with <c>filters.chroma</c>, Ellis' chromagram): a power
/// spectrogram projected on Gaussian pitch-class bumps (tuned by <see cref="Tuning.Estimate(Spectrogram, TuningOptions?, int)"/>), weighted towards
/// octave 5, each frame scaled by its maximum.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class Chroma
{
    /// <summary>The chroma filterbank [n_chroma × (1 + n_fft/2)], row-major float32 (librosa <c>filters.chroma</c>).</summary>
    public static float[] FilterBank(int sampleRate, int nFft, double tuning = 0.0, ChromaOptions? options = null)
    {
        var o = (options ?? new ChromaOptions()).Validate();
        int nc = o.NChroma;
        // frequencies of FFT bins 1 … n_fft−1 (np.linspace(0, sr, n_fft, endpoint=False)[1:])
        double step = (double)sampleRate / nFft;
        double a440 = 440.0 * Math.Pow(2.0, tuning / nc);
        var frq = new double[nFft];
        for (int i = 1; i < nFft; i++) frq[i] = nc * Math.Log2(i * step / (a440 / 16));
        frq[0] = frq[1] - 1.5 * nc;
        var width = new double[nFft];
        for (int i = 0; i < nFft - 1; i++) width[i] = Math.Max(frq[i + 1] - frq[i], 1.0);
        width[nFft - 1] = 1;
        double half = Math.Round(nc / 2.0, MidpointRounding.ToEven);
        var wts = new double[nc * nFft];
        for (int c = 0; c < nc; c++)
            for (int i = 0; i < nFft; i++)
            {
                double d = frq[i] - c + half + 10 * nc;
                d = d - nc * Math.Floor(d / nc) - half;        // np.remainder(…, n_chroma) − n_chroma2
                double z = 2 * d / width[i];
                wts[c * nFft + i] = Math.Exp(-0.5 * z * z);
            }
        for (int i = 0; i < nFft; i++)
        {
            double ss = 0;
            for (int c = 0; c < nc; c++) ss += wts[c * nFft + i] * wts[c * nFft + i];
            double len = Math.Sqrt(ss);
            if (len < Onset.Tiny64) len = 1;   // util.normalize: columns below tiny are left unscaled
            double oct = o.OctWidth is { } ow ? Math.Exp(-0.5 * Math.Pow((frq[i] / nc - o.CtrOct) / ow, 2)) : 1.0;
            for (int c = 0; c < nc; c++) wts[c * nFft + i] = wts[c * nFft + i] / len * oct;
        }
        int bins = nFft / 2 + 1, shift = o.BaseC ? 3 * (nc / 12) : 0;
        var fb = new float[nc * bins];
        for (int c = 0; c < nc; c++)
        {
            int src = ((c + shift) % nc + nc) % nc;   // np.roll(wts, −shift, axis=0)
            for (int k = 0; k < bins; k++) fb[c * bins + k] = (float)wts[src * nFft + k];
        }
        return fb;
    }

    /// <summary>Chroma of audio (librosa <c>chroma_stft(y=y, sr=sr)</c>): power STFT (<paramref name="stft"/>,
    /// librosa defaults), tuning estimated unless given, filterbank, per-frame max normalisation.</summary>
    public static Chromagram Stft(AudioClip audio, ChromaOptions? options = null, StftOptions? stft = null)
        => FromFrames(SpectralFrames.FromAudio(audio, stft), options);

    /// <summary>Chroma of a linear power (or magnitude, squared first) spectrogram (librosa <c>chroma_stft(S=…)</c>
    /// with a power spectrogram).</summary>
    public static Chromagram FromSpectrogram(Spectrogram spectrogram, ChromaOptions? options = null)
        => FromFrames(SpectralFrames.FromSpectrogram(spectrogram), options);

    internal static Chromagram FromFrames(SpectralFrames s, ChromaOptions? options)
    {
        var o = (options ?? new ChromaOptions()).Validate();
        double tuning = o.Tuning ?? Tuning.EstimateFrameMajor(s.Power, s.Bins, s.Frames, s.SampleRate, s.NFft, o.TuningEstimate, o.NChroma);
        var fb = FilterBank(s.SampleRate, s.NFft, tuning, o);
        int nc = o.NChroma, bins = s.Bins, frames = s.Frames;
        var data = new float[nc * frames];
        var p = s.Power;
        Parallel.For(0, (frames + 255) / 256, blk =>
        {
            Span<float> col = stackalloc float[nc];
            int t1 = Math.Min(frames, (blk + 1) * 256);
            for (int t = blk * 256; t < t1; t++)
            {
                var x = p.AsSpan(t * bins, bins);
                float max = 0;
                for (int c = 0; c < nc; c++) { col[c] = TensorPrimitives.Dot(fb.AsSpan(c * bins, bins), x); max = MathF.Max(max, MathF.Abs(col[c])); }
                bool scale = o.NormalizeMax && max >= Onset.Tiny32;
                for (int c = 0; c < nc; c++) data[c * frames + t] = scale ? (float)(col[c] / (double)max) : col[c];
            }
        });
        return new Chromagram(data, nc, frames, tuning);
    }
}
