using System.Text;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class NpyReaderTests
{
    [Fact]
    public void Reads_a_numpy_v1_file_written_by_hand()
    {
        // what np.save writes for np.array([[1.5, -2], [3, 4]], dtype='<f4')
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
        var header = dict + new string(' ', 128 - 10 - dict.Length - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange(new byte[] { 1, 0, (byte)header.Length, 0 });
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (var v in new[] { 1.5f, -2f, 3f, 4f }) bytes.AddRange(BitConverter.GetBytes(v));
        var (data, rows, cols) = NpyReader.Parse(bytes.ToArray());
        Assert.Equal((2, 2), (rows, cols));
        Assert.Equal(new[] { 1.5f, -2f, 3f, 4f }, data);
    }

    [Fact]
    public void Rejects_other_files_naming_them()
    {
        var e = Assert.Throws<SpecLoraException>(() => NpyReader.Parse("hello world, not numpy"u8, "x.npy"));
        Assert.Contains("x.npy", e.Message);
        var ok = NpyWriter.ToBytes(Spectrogram.Create([1f], 1, 1, SpectrogramScale.Db, FrequencyAxis.Mel));
        var f8 = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(ok).Replace("<f4", "<f8"));
        Assert.Contains("float32", Assert.Throws<SpecLoraException>(() => NpyReader.Parse(f8, "y.npy")).Message);
        var fortran = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(ok).Replace("False", "True "));
        Assert.Contains("Fortran", Assert.Throws<SpecLoraException>(() => NpyReader.Parse(fortran, "f.npy")).Message);
        Assert.Contains("z.npy", Assert.Throws<SpecLoraException>(() => NpyReader.Parse(ok.AsSpan(0, ok.Length - 1), "z.npy")).Message);
    }
}
