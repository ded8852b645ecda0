namespace SpecLora.Spectrograms;

/// <summary>Mel power spectrogram (librosa <c>feature.melspectrogram</c>): M = A·|STFT|^power.</summary>
public static class MelSpectrogram
{
    /// <summary>Computes the mel spectrogram [NMels × Frames] of <paramref name="y"/>. The input is not modified.</summary>
    public static Spectrogram Compute(ReadOnlySpan<float> y, MelOptions? options = null)
    {
        var o = (options ?? new MelOptions()).Validate();
        var stft = new Stft(o.Stft).Forward(y, o.SampleRate);
        return FromStft(stft, o);
    }

    /// <summary>Applies the filterbank to an STFT: M[m,t] = Σ_k A[m,k]·|X[k,t]|^power.</summary>
    public static Spectrogram FromStft(ComplexSpectrogram stft, MelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stft);
        var o = (options ?? new MelOptions()).Validate();
        var fb = MelFilterBank.Get(o);
        if (fb.NBins != stft.Bins) throw new ArgumentException($"STFT has {stft.Bins} bins but the filterbank expects {fb.NBins}", nameof(stft));
        int frames = stft.Frames, bins = stft.Bins, nMels = fb.NMels;
        var data = new float[nMels * frames];
        var mag = new float[bins];
        var mel = new float[nMels];
        for (int t = 0; t < frames; t++)
        {
            var re = stft.Real.AsSpan(t * bins, bins); var im = stft.Imag.AsSpan(t * bins, bins);
            for (int k = 0; k < bins; k++)
            {
                float p = re[k] * re[k] + im[k] * im[k];
                mag[k] = o.Power == 2.0 ? p : o.Power == 1.0 ? MathF.Sqrt(p) : (float)Math.Pow(p, o.Power / 2);
            }
            fb.Apply(mag, mel);
            for (int m = 0; m < nMels; m++) data[m * frames + t] = mel[m];
        }
        return Spectrogram.Create(data, nMels, frames, o.Power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Mel, o.SampleRate, o.Stft.EffectiveHopLength, o.Stft.NFft);
    }
}
