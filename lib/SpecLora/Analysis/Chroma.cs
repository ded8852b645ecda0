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
    /// <summary>The chroma filterbank [n_chroma × (1 + n_fft/2)], row-major float32 (librosa <c>filters.chroma</c>:
    /// Gaussian bumps per pitch class, L2-normalised columns, octave weighting, C first). Built by NWaves 0.9.6
    /// <c>FilterBanks.Chroma</c>, which follows librosa's construction: its weights differ from librosa's by ≤ 1e-5
    /// (float32 arithmetic), and chroma_stft with it stays within 2.2e-6 of librosa on the goldens.</summary>
    public static float[] FilterBank(int sampleRate, int nFft, double tuning = 0.0, ChromaOptions? options = null)
    {
        var o = (options ?? new ChromaOptions()).Validate();
        if (sampleRate <= 0 || nFft < 16) throw new ArgumentException($"sampleRate={sampleRate} and nFft={nFft} must be positive (nFft ≥ 16)");
        var rows = NWaves.Filters.Fda.FilterBanks.Chroma(nFft, sampleRate, o.NChroma, tuning, o.CtrOct, o.OctWidth ?? 0, 2, o.BaseC);
        int bins = nFft / 2 + 1;
        var fb = new float[o.NChroma * bins];
        for (int c = 0; c < o.NChroma; c++) rows[c].AsSpan(0, bins).CopyTo(fb.AsSpan(c * bins, bins));
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
