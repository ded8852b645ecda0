using System.Buffers.Binary;
using System.Text;

namespace SpecLora.Tests.TestSupport;

/// <summary>Builds WAV files byte by byte (so the reader is tested against headers we did not write) in a temp folder.</summary>
internal sealed class AudioTestFiles : IDisposable
{
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "speclora-audio-" + Guid.NewGuid().ToString("N")[..8]);

    public AudioTestFiles() => Directory.CreateDirectory(Dir);

    public string Path_(string name) => Path.Combine(Dir, name);

    public string Write(string name, byte[] bytes)
    {
        var p = Path_(name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch { /* best effort */ }
    }

    /// <summary>A RIFF chunk: id, size, body, pad byte when the size is odd.</summary>
    public static byte[] Chunk(string id, byte[] body, uint? declaredSize = null)
    {
        var b = new byte[8 + body.Length + (body.Length & 1)];
        Encoding.ASCII.GetBytes(id, b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), declaredSize ?? (uint)body.Length);
        body.CopyTo(b, 8);
        return b;
    }

    public static byte[] Riff(params byte[][] chunks)
    {
        var body = chunks.SelectMany(c => c).ToArray();
        var b = new byte[12 + body.Length];
        Encoding.ASCII.GetBytes("RIFF", b);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), (uint)(4 + body.Length));
        Encoding.ASCII.GetBytes("WAVE", b.AsSpan(8));
        body.CopyTo(b, 12);
        return b;
    }

    /// <summary>A 16-byte (plain) fmt body.</summary>
    public static byte[] Fmt(ushort tag, int channels, int rate, int bits)
    {
        var b = new byte[16];
        int align = channels * ((bits + 7) / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), rate);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), rate * align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)bits);
        return b;
    }

    /// <summary>A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with the given sub-format code (1 PCM, 3 float).</summary>
    public static byte[] FmtExtensible(ushort subFormat, int channels, int rate, int containerBits, int validBits, uint mask)
    {
        var b = new byte[40];
        Fmt(0xFFFE, channels, rate, containerBits).CopyTo(b, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), mask);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(24), subFormat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(b, 26);
        return b;
    }

    /// <summary>Interleaved int16 PCM bytes.</summary>
    public static byte[] Int16Data(params short[] interleaved)
    {
        var b = new byte[interleaved.Length * 2];
        for (int i = 0; i < interleaved.Length; i++) BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(2 * i), interleaved[i]);
        return b;
    }

    public static byte[] Float32Data(params float[] interleaved)
    {
        var b = new byte[interleaved.Length * 4];
        for (int i = 0; i < interleaved.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), interleaved[i]);
        return b;
    }

    /// <summary>A sine of <paramref name="n"/> samples.</summary>
    public static float[] Sine(int n, double hz, int rate, double amp = 0.5, double phase = 0)
    {
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float)(amp * Math.Sin(2 * Math.PI * hz * i / rate + phase));
        return y;
    }

    public static double SnrDb(ReadOnlySpan<float> actual, ReadOnlySpan<float> reference)
    {
        double s = 0, e = 0;
        for (int i = 0; i < reference.Length; i++) { s += (double)reference[i] * reference[i]; double d = actual[i] - reference[i]; e += d * d; }
        return 10 * Math.Log10(s / e);
    }

    /// <summary>True when an ffmpeg executable is on FFMPEG_PATH or PATH.</summary>
    public static bool FfmpegAvailable()
    {
        try { SpecLora.Audio.FfmpegDecoder.LocateBinaryFolder("probe", null); return true; }
        catch (SpecLora.Audio.FfmpegNotFoundException) { return false; }
    }
}
