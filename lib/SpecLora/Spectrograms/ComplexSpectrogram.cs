namespace SpecLora.Spectrograms;

/// <summary>
/// Complex STFT coefficients stored <b>frame-major</b> (each frame's 1 + NFft/2 bins contiguous, as one FFT produces
/// them): element (bin k, frame t) at <c>t * Bins + k</c>. Phase is referenced to the frame start, as in librosa.
/// </summary>
public sealed record ComplexSpectrogram
{
    /// <summary>Real parts, [Frames × Bins].</summary>
    public required float[] Real { get; init; }
    /// <summary>Imaginary parts, [Frames × Bins].</summary>
    public required float[] Imag { get; init; }
    /// <summary>1 + NFft/2.</summary>
    public required int Bins { get; init; }
    /// <summary>Number of frames.</summary>
    public required int Frames { get; init; }
    /// <summary>The options that produced it.</summary>
    public required StftOptions Options { get; init; }
    /// <summary>Sample rate in Hz of the audio analysed (librosa <c>sr</c>); <see cref="Stft.Forward(SpecLora.Audio.AudioClip)"/>
    /// takes it from the clip.</summary>
    public int SampleRate { get; init; } = LibrosaDefaults.SampleRate;

    /// <summary>|X|^power in librosa's layout [Bins × Frames] (power 1 = magnitude, 2 = power).</summary>
    public Spectrogram ToMagnitude(double power = 1.0)
    {
        var data = new float[Bins * Frames];
        for (int t = 0; t < Frames; t++)
        {
            int o = t * Bins;
            for (int k = 0; k < Bins; k++)
            {
                float re = Real[o + k], im = Imag[o + k];
                float p = re * re + im * im;
                data[k * Frames + t] = power == 2.0 ? p : power == 1.0 ? MathF.Sqrt(p) : (float)Math.Pow(p, power / 2);
            }
        }
        return Spectrogram.Create(data, Bins, Frames, power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Linear, SampleRate, Options.EffectiveHopLength, Options.NFft);
    }
}
