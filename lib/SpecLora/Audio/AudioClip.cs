namespace SpecLora.Audio;

/// <summary>Mono audio: samples in [-1, 1] at <paramref name="SampleRate"/> Hz (librosa's <c>y, sr</c>).</summary>
/// <param name="Samples">Mono samples, float32. Never mutated by this library.</param>
/// <param name="SampleRate">Sampling rate in Hz (librosa <c>sr</c>).</param>
/// <example>
/// <code>
/// var y = new float[2 * 22050];
/// for (int n = 0; n &lt; y.Length; n++) y[n] = (float)(0.4 * Math.Sin(2 * Math.PI * 440 * n / 22050));
/// var synth = new AudioClip(y, 22050);                  // 2 s of A4, librosa's y, sr
/// Console.WriteLine($"{synth.Length} samples, {synth.DurationSeconds:F2} s");
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public sealed record AudioClip(float[] Samples, int SampleRate)
{
    /// <summary>Number of samples.</summary>
    public int Length => Samples.Length;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
