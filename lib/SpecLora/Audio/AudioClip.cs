namespace SpecLora.Audio;

/// <summary>Mono audio: samples in [-1, 1] at <paramref name="SampleRate"/> Hz (librosa's <c>y, sr</c>).</summary>
/// <param name="Samples">Mono samples, float32. Never mutated by this library.</param>
/// <param name="SampleRate">Sampling rate in Hz (librosa <c>sr</c>).</param>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>Number of samples.</summary>
    public int Length => Samples.Length;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
