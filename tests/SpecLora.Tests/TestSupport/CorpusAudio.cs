namespace SpecLora.Tests.TestSupport;

/// <summary>
/// Minimal corpus loader for inversion tests until the Audio stage's loader lands: the plain 44-byte-header,
/// 16-bit stereo 44.1 kHz WAVs of ../shared/corpus → mono mean (float32) → 22050 Hz by a 255-tap Blackman-windowed
/// half-band sinc decimator. Not soxr: fine for inversion quality tests, not for mel parity.
/// </summary>
public static class CorpusAudio
{
    /// <summary>The corpus clip <paramref name="name"/> at 22050 Hz mono, or skips when ../shared is absent.</summary>
    public static float[] Load22050(string name)
    {
        var path = Golden.RequireShared("corpus", name);
        var b = File.ReadAllBytes(path);
        Skip.If(b.Length < 48 || BitConverter.ToInt16(b, 22) != 2 || BitConverter.ToInt32(b, 24) != 44100 || BitConverter.ToInt16(b, 34) != 16,
            $"{path} is not the expected 44-byte-header 16-bit stereo 44.1 kHz WAV");
        int n = (b.Length - 44) / 4;
        var mono = new float[n];
        for (int i = 0; i < n; i++)
            mono[i] = (BitConverter.ToInt16(b, 44 + 4 * i) / 32768f + BitConverter.ToInt16(b, 46 + 4 * i) / 32768f) * 0.5f;
        const int taps = 255, h = taps / 2;
        var fir = new double[taps]; double sum = 0;
        for (int i = 0; i < taps; i++)
        {
            int k = i - h;
            double x = k == 0 ? 0.5 : Math.Sin(Math.PI * 0.5 * k) / (Math.PI * k);
            double w = 0.42 - 0.5 * Math.Cos(2 * Math.PI * i / (taps - 1)) + 0.08 * Math.Cos(4 * Math.PI * i / (taps - 1));
            fir[i] = x * w; sum += fir[i];
        }
        var y = new float[(n + 1) / 2];
        Parallel.For(0, y.Length, j =>
        {
            double acc = 0; int c = 2 * j;
            for (int i = 0; i < taps; i++) { int idx = c + i - h; if ((uint)idx < (uint)n) acc += fir[i] * mono[idx]; }
            y[j] = (float)(acc / sum);
        });
        return y;
    }
}
