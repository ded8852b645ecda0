using System.Numerics.Tensors;
using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>Spectral flatness settings; defaults match librosa 0.10 <c>feature.spectral_flatness</c>: power 2,
/// amin 1e-10.</summary>
public sealed record FlatnessOptions
{
    /// <summary>Floor of |X|^power (librosa <c>amin</c>). Default 1e-10.</summary>
    public double AMin { get; init; } = 1e-10;
    /// <summary>Exponent of the magnitude (librosa <c>power</c>). Default 2.</summary>
    public double Power { get; init; } = 2.0;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public FlatnessOptions Validate()
    {
        var errors = new List<string>();
        if (!(AMin > 0)) errors.Add($"AMin={AMin} must be strictly positive (librosa amin)");
        if (!(Power > 0)) errors.Add($"Power={Power} must be > 0 (librosa power)");
        if (errors.Count > 0) throw new ArgumentException("Invalid flatness options: " + string.Join("; ", errors));
        return this;
    }
}

/// <summary>
/// Spectral flatness (Dubnov 2004, "Generalization of spectral flatness measure for non-Gaussian linear processes";
/// librosa 0.10 <c>feature.spectral_flatness</c>): per frame, the geometric over the arithmetic mean of
/// max(amin, |X|^power) — near 1 for white noise, near 0 for tones.
/// </summary>
public static class SpectralFlatness
{
    /// <summary>One value per STFT frame of <paramref name="audio"/> (librosa defaults: n_fft 2048, hop 512, centred).</summary>
    public static float[] Compute(AudioClip audio, FlatnessOptions? options = null, StftOptions? stft = null)
        => FromFrames(SpectralFrames.FromAudio(audio, stft), options);

    /// <summary>One value per frame of a linear power or magnitude spectrogram.</summary>
    public static float[] FromSpectrogram(Spectrogram spectrogram, FlatnessOptions? options = null)
        => FromFrames(SpectralFrames.FromSpectrogram(spectrogram), options);

    internal static float[] FromFrames(SpectralFrames s, FlatnessOptions? options)
    {
        var o = (options ?? new FlatnessOptions()).Validate();
        int bins = s.Bins;
        var p = s.Power;
        var result = new float[s.Frames];
        float amin = (float)o.AMin;
        double halfPower = o.Power / 2;
        Parallel.For(0, (s.Frames + 127) / 128, () => new float[bins], (blk, _, buf) =>
        {
            int t1 = Math.Min(s.Frames, (blk + 1) * 128);
            for (int t = blk * 128; t < t1; t++)
            {
                var x = p.AsSpan(t * bins, bins);
                if (halfPower == 1.0) TensorPrimitives.Max(x, amin, buf);
                else { for (int k = 0; k < bins; k++) buf[k] = MathF.Max(amin, (float)Math.Pow(x[k], halfPower)); }
                double mean = TensorPrimitives.Sum<float>(buf) / (double)bins;
                TensorPrimitives.Log(buf, buf);
                double logMean = TensorPrimitives.Sum<float>(buf) / (double)bins;
                result[t] = (float)(Math.Exp(logMean) / mean);
            }
            return buf;
        }, _ => { });
        return result;
    }
}
