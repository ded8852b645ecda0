namespace SpecLora.Spectrograms;

/// <summary>Analysis windows.</summary>
public static class Window
{
    /// <summary>Periodic Hann window of length <paramref name="length"/>: w[n] = 0.5 − 0.5·cos(2πn/N)
    /// (scipy <c>get_window("hann", N, fftbins=True)</c>, librosa's default), computed in double, stored as float.</summary>
    /// <example>
    /// <code>
    /// var window = SpecLora.Spectrograms.Window.Hann(2048);   // w[n] = 0.5 − 0.5·cos(2πn/2048), 92.9 ms at 22050 Hz
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static float[] Hann(int length)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length={length} must be > 0");
        var w = new float[length];
        for (int n = 0; n < length; n++) w[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / length));
        return w;
    }

    /// <summary>Hann window of <paramref name="winLength"/> centred in <paramref name="nFft"/> samples (librosa <c>pad_center</c>).</summary>
    public static float[] HannPadded(int winLength, int nFft)
    {
        var w = Hann(winLength);
        if (winLength == nFft) return w;
        var padded = new float[nFft];
        Array.Copy(w, 0, padded, (nFft - winLength) / 2, winLength);
        return padded;
    }
}
