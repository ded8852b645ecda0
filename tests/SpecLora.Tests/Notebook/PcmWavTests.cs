using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class PcmWavTests
{
    [Fact]
    public void Encodes_clipped_16_bit_samples_with_a_valid_header()
    {
        var (sr, s) = HtmlAssert.Wav(PcmWav.Encode([0f, 0.5f, -1f, 2f, float.NaN], 16000));
        Assert.Equal(16000, sr);
        Assert.Equal(new short[] { 0, 16384, -32767, 32767, 0 }, s);
    }
}
