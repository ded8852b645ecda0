namespace SpecLora.Notebook;

/// <summary>Minimal mono 16-bit PCM WAV encoder for embedded players.</summary>
// TODO: replace with SpecLora.Audio.WavFile.ToBytes once the Audio stage's WAV writer lands.
internal static class PcmWav
{
    /// <summary>RIFF/WAVE bytes of <paramref name="samples"/> (clipped to [-1, 1], scaled by <paramref name="gain"/>).</summary>
    internal static byte[] Encode(ReadOnlySpan<float> samples, int sampleRate, float gain = 1f)
    {
        var bytes = new byte[44 + samples.Length * 2];
        var w = new BinaryWriter(new MemoryStream(bytes));
        w.Write("RIFF"u8); w.Write(36 + samples.Length * 2); w.Write("WAVEfmt "u8);
        w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(sampleRate); w.Write(sampleRate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples.Length * 2);
        foreach (var s in samples)
        {
            var v = float.IsFinite(s) ? Math.Clamp(s * gain, -1f, 1f) : 0f;
            w.Write((short)Math.Round(v * 32767f));
        }
        return bytes;
    }
}
