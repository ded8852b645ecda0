using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// Tuning estimation (librosa 0.10 <c>estimate_tuning(S=…)</c> → <c>piptrack</c> → <c>pitch_tuning</c>): spectral
/// peaks with parabolic interpolation, the stronger half of them (magnitude ≥ median), and the most common deviation
/// from equal temperament. float32 arithmetic where librosa's is float32, so the histogram bin matches.
/// </summary>
public static class Tuning
{
    /// <summary>Tuning of audio in fractions of a semitone, in [−0.5, 0.5) (librosa <c>estimate_tuning(y=y, sr=sr)</c>:
    /// piptrack on the magnitude STFT with librosa's defaults).</summary>
    public static double Estimate(AudioClip audio, TuningOptions? options = null, StftOptions? stft = null, int binsPerOctave = 12)
    {
        var s = SpectralFrames.FromAudio(audio, stft);
        return EstimateFrameMajor(s.Magnitude, s.Bins, s.Frames, s.SampleRate, s.NFft, options, binsPerOctave);
    }

    /// <summary>Tuning in fractions of a bin, in [−0.5, 0.5), of a linear spectrogram [1 + n_fft/2 × T] (librosa
    /// passes chroma_stft's power spectrogram).</summary>
    public static double Estimate(Spectrogram spectrogram, TuningOptions? options = null, int binsPerOctave = 12)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        if (spectrogram.Axis != FrequencyAxis.Linear) throw new ArgumentException("tuning needs a linear-frequency spectrogram (STFT bins), not a mel one", nameof(spectrogram));
        return EstimateFrameMajor(Spectral.ToFrameMajor(spectrogram), spectrogram.Bins, spectrogram.Frames, spectrogram.SampleRate, spectrogram.NFft, options, binsPerOctave);
    }

    /// <summary><see cref="Estimate(Spectrogram, TuningOptions?, int)"/> on frame-major data <c>s[t·bins + k]</c>.</summary>
    internal static double EstimateFrameMajor(float[] s, int bins, int frames, int sampleRate, int nFft, TuningOptions? options, int binsPerOctave)
    {
        var o = (options ?? new TuningOptions()).Validate();
        var (pitches, mags) = PitchTrack(s, bins, frames, sampleRate, nFft, o);
        if (pitches.Length == 0) return 0.0;
        var sorted = mags.ToArray();
        Array.Sort(sorted);
        int m = sorted.Length;
        float threshold = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2f;
        var selected = new List<float>();
        for (int i = 0; i < pitches.Length; i++) if (mags[i] >= threshold) selected.Add(pitches[i]);
        return PitchTuning(selected.ToArray(), o.Resolution, binsPerOctave);
    }

    /// <summary>librosa <c>piptrack(S=…)</c> restricted to its non-zero output: for each frame, bins in
    /// [fmin, fmax) that are local maxima of S·(S &gt; threshold·max), with frequency (k + shift)·sr/n_fft and magnitude
    /// S + ½·gradient·shift, shift the parabolic-interpolation offset.</summary>
    internal static (float[] Pitches, float[] Mags) PitchTrack(float[] s, int bins, int frames, int sampleRate, int nFft, TuningOptions o)
    {
        var pitches = new List<float>();
        var mags = new List<float>();
        double binHz = 1.0 / (nFft * (1.0 / sampleRate));   // numpy rfftfreq
        double fmin = Math.Max(o.FMinHz, 0), fmax = Math.Min(o.FMaxHz, sampleRate / 2.0);
        int k0 = 0; while (k0 < bins && k0 * binHz < fmin) k0++;
        int k1 = k0; while (k1 < bins && k1 * binHz < fmax) k1++;   // bins k0 … k1−1
        float thr = (float)o.Threshold;
        var masked = new float[bins];
        for (int t = 0; t < frames; t++)
        {
            var x = s.AsSpan(t * bins, bins);
            float max = 0;
            foreach (var v in x) max = MathF.Max(max, MathF.Abs(v));
            float refValue = thr * max;
            for (int k = 0; k < bins; k++) { float v = MathF.Abs(x[k]); masked[k] = v > refValue ? v : 0f; }
            for (int k = Math.Max(k0, 1); k < k1; k++)
            {
                bool isMax = k < bins - 1 ? masked[k] > masked[k - 1] && masked[k] >= masked[k + 1] : masked[k] > masked[k - 1];
                if (!isMax) continue;
                float shift = 0f, avg;
                if (k < bins - 1)
                {
                    float xp = MathF.Abs(x[k + 1]), xm = MathF.Abs(x[k - 1]), x0 = MathF.Abs(x[k]);
                    double a = (double)(xp + xm) - 2.0 * x0;
                    double b = (double)(xp - xm) / 2.0;
                    shift = Math.Abs(b) >= Math.Abs(a) ? 0f : (float)(-b / a);
                    avg = (xp - xm) / 2f;
                }
                else avg = MathF.Abs(x[k]) - MathF.Abs(x[k - 1]);
                float dskew = 0.5f * avg * shift;
                float pitch = (float)((k + (double)shift) * sampleRate / nFft);
                if (pitch > 0) { pitches.Add(pitch); mags.Add(MathF.Abs(x[k]) + dskew); }
            }
        }
        return (pitches.ToArray(), mags.ToArray());
    }

    /// <summary>librosa <c>pitch_tuning</c>: residual = (bins_per_octave·log₂(f/(440/16))) mod 1, folded to
    /// [−0.5, 0.5); the left edge of the fullest histogram bin (edges −0.5 + i·resolution). 0 when no frequency is
    /// positive.</summary>
    public static double PitchTuning(ReadOnlySpan<float> frequencies, double resolution = 0.01, int binsPerOctave = 12)
    {
        int nBins = (int)Math.Ceiling(1.0 / resolution);
        var edges = new double[nBins + 1];
        double step = 1.0 / nBins;
        for (int i = 0; i <= nBins; i++) edges[i] = i * step + -0.5;
        edges[nBins] = 0.5;
        var counts = new int[nBins];
        int used = 0;
        foreach (var f in frequencies)
        {
            if (!(f > 0)) continue;
            used++;
            float octs = MathF.Log2(f / 27.5f);
            float r = binsPerOctave * octs;
            r -= MathF.Floor(r);           // np.mod(x, 1.0) for float32
            if (r >= 1f) r = 0f;
            if (r >= 0.5f) r -= 1f;
            double v = r;
            int idx = Array.BinarySearch(edges, v);
            int bin = idx >= 0 ? idx : ~idx - 1;   // edges[bin] ≤ v < edges[bin+1]
            if (bin == nBins && v == edges[nBins]) bin = nBins - 1;
            if (bin >= 0 && bin < nBins) counts[bin]++;
        }
        if (used == 0) return 0.0;
        int best = 0;
        for (int i = 1; i < nBins; i++) if (counts[i] > counts[best]) best = i;
        return edges[best];
    }
}
