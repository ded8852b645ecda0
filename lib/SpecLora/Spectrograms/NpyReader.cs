using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace SpecLora.Spectrograms;

/// <summary>Reads 2-D float32 <c>.npy</c> files (version 1.0/2.0, little-endian <c>'&lt;f4'</c>, C order), as
/// <see cref="NpyWriter"/> and <c>np.save</c> write them.</summary>
internal static partial class NpyReader
{
    /// <summary>Reads <paramref name="path"/> as a [rows × cols] matrix.</summary>
    /// <exception cref="SpecLoraException">Not a 2-D little-endian float32 C-order .npy; the message names the file.</exception>
    public static (float[] Data, int Rows, int Cols) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads <paramref name="path"/> as a spectrogram with the given scale and axis.</summary>
    public static Spectrogram ReadSpectrogram(string path, SpectrogramScale scale = SpectrogramScale.Db, FrequencyAxis axis = FrequencyAxis.Mel)
    {
        var (data, rows, cols) = Read(path);
        return Spectrogram.Create(data, rows, cols, scale, axis);
    }

    /// <summary>Parses .npy bytes; <paramref name="name"/> is used in error messages.</summary>
    public static (float[] Data, int Rows, int Cols) Parse(ReadOnlySpan<byte> bytes, string name = "npy")
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes.Slice(1, 5)) != "NUMPY")
            throw new SpecLoraException($"{name}: not a .npy file (bad magic); write it with numpy.save or NpyWriter");
        int major = bytes[6];
        int headerLen, start;
        if (major == 1) { headerLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); start = 10; }
        else if (major is 2 or 3 && bytes.Length >= 12) { headerLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]); start = 12; }
        else throw new SpecLoraException($"{name}: .npy version {major} is not supported (use 1.0)");
        if (start + headerLen > bytes.Length) throw new SpecLoraException($"{name}: truncated .npy header");
        var header = Encoding.ASCII.GetString(bytes.Slice(start, headerLen));
        if (!header.Contains("'descr': '<f4'")) throw new SpecLoraException($"{name}: dtype must be little-endian float32 ('<f4'); header: {header.Trim()}");
        if (!header.Contains("'fortran_order': False")) throw new SpecLoraException($"{name}: Fortran-order arrays are not supported; save with C order");
        var m = ShapeRegex().Match(header);
        if (!m.Success) throw new SpecLoraException($"{name}: expected a 2-D shape (rows, cols); header: {header.Trim()}");
        int rows = int.Parse(m.Groups[1].Value), cols = int.Parse(m.Groups[2].Value);
        long n = (long)rows * cols;
        var body = bytes[(start + headerLen)..];
        if (body.Length != 4 * n) throw new SpecLoraException($"{name}: holds {body.Length} data bytes but shape ({rows}, {cols}) needs {4 * n}");
        var data = new float[n];
        for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(body.Slice(4 * i, 4));
        return (data, rows, cols);
    }

    [GeneratedRegex(@"'shape':\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)")]
    private static partial Regex ShapeRegex();
}
