using System.Text;
using SpecLora.IO;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Spectrograms;

public class NpyWriterTests
{
    [Fact]
    public void Header_matches_numpy_save_v1_for_float32_c_order()
    {
        var s = Spectrogram.Create([1f, 2f, 3f, 4f, 5f, 6f], 2, 3, SpectrogramScale.Db, FrequencyAxis.Mel);
        var bytes = NpyWriter.ToBytes(s);
        // np.save(np.arange(1,7,dtype='<f4').reshape(2,3)) → 128-byte file: 10 + 118-byte header, then 24 data bytes
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }, bytes[..10]);
        var header = Encoding.ASCII.GetString(bytes, 10, 118);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header);
        Assert.EndsWith(" \n", header);
        Assert.Equal(128 + 24, bytes.Length);
        Assert.Equal(0, (10 + 118) % 64);
        Assert.Equal(BitConverter.GetBytes(1f), bytes[128..132]);
        Assert.Equal(BitConverter.GetBytes(6f), bytes[148..152]);
    }

    [Fact]
    public void Golden_mel_db_round_trips_through_a_file()
    {
        var data = Golden.Fixture("synth2s_mel_db.f32");
        var s = Spectrogram.Create(data, 128, 87, SpectrogramScale.Db, FrequencyAxis.Mel);
        var path = Path.Combine(Path.GetTempPath(), $"speclora-{Guid.NewGuid():N}.npy");
        try
        {
            NpyWriter.Write(path, s);
            var (back, rows, cols) = NpyReader.Read(path);
            Assert.Equal((128, 87), (rows, cols));
            Assert.Equal(data, back);
            var spec = NpyReader.ReadSpectrogram(path);
            Assert.Equal(SpectrogramScale.Db, spec.Scale);
            // the data block is the golden .f32 byte for byte
            var fileBytes = File.ReadAllBytes(path);
            var golden = File.ReadAllBytes(Path.Combine(Golden.FixtureDir, "synth2s_mel_db.f32"));
            Assert.Equal(golden, fileBytes[^golden.Length..]);
        }
        finally { File.Delete(path); }
    }
}
