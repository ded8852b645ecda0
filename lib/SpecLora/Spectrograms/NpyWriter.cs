using System.Buffers.Binary;
using System.Text;
using SpecLora.IO;

namespace SpecLora.Spectrograms;

/// <summary>
/// Writes a spectrogram as a NumPy <c>.npy</c> file, format version 1.0: little-endian float32 (<c>'&lt;f4'</c>),
/// C order, shape (bins, frames), exactly what <c>np.save</c> writes for librosa's arrays, so
/// <c>np.load(path)</c> gives the matrix back.
/// </summary>
internal static class NpyWriter
{
    /// <summary>The complete file contents for <paramref name="spectrogram"/>.</summary>
    public static byte[] ToBytes(Spectrogram spectrogram)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        var header = Header(spectrogram.Bins, spectrogram.Frames);
        var bytes = new byte[header.Length + 4L * spectrogram.Data.Length];
        header.CopyTo(bytes, 0);
        var body = bytes.AsSpan(header.Length);
        for (int i = 0; i < spectrogram.Data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body.Slice(4 * i, 4), spectrogram.Data[i]);
        return bytes;
    }

    /// <summary>Writes <paramref name="spectrogram"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, Spectrogram spectrogram) => AtomicFile.WriteAllBytes(path, ToBytes(spectrogram));

    /// <summary>The magic, version and header dict, space-padded and '\n'-terminated to a multiple of 64 bytes.</summary>
    internal static byte[] Header(int rows, int cols)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int total = 10 + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        var sb = new StringBuilder(dict).Append(' ', padded - total).Append('\n');
        var h = new byte[padded];
        h[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", h.AsSpan(1));
        h[6] = 1; h[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8), (ushort)(padded - 10));
        Encoding.ASCII.GetBytes(sb.ToString(), h.AsSpan(10));
        return h;
    }
}
