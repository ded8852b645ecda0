using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class StftOptionsTests
{
    [Fact]
    public void Defaults_are_librosa_0_10()
    {
        var o = new StftOptions();
        Assert.Equal(2048, o.NFft);
        Assert.Equal(2048, o.EffectiveWinLength);
        Assert.Equal(512, o.EffectiveHopLength);
        Assert.True(o.Center);
        Assert.Equal(PadMode.Constant, o.PadMode);
        Assert.Equal(7752, o.FrameCount(3 * 60 * 22050));
        Assert.Equal(87, o.FrameCount(44100));
    }

    [Fact]
    public void Hop_defaults_to_a_quarter_of_the_window()
    {
        Assert.Equal(256, new StftOptions { WinLength = 1024 }.EffectiveHopLength);
        Assert.Equal(1 + (5000 - 2048) / 512, new StftOptions { Center = false }.FrameCount(5000));
        Assert.Equal(0, new StftOptions { Center = false }.FrameCount(2047));
    }

    [Theory]
    [InlineData(1000, null, null, "NFft=1000 must be a power of two ≥ 16 (librosa n_fft)")]
    [InlineData(8, null, null, "NFft=8 must be a power of two")]
    [InlineData(2048, 0, null, "HopLength=0 must be > 0 (librosa hop_length)")]
    [InlineData(2048, null, 4096, "WinLength=4096 must be in 1..NFft=2048 (librosa win_length)")]
    [InlineData(2048, null, 0, "WinLength=0 must be in 1..NFft=2048")]
    public void Validate_quotes_the_bad_value(int nFft, int? hop, int? win, string message)
    {
        var o = new StftOptions { NFft = nFft, HopLength = hop, WinLength = win };
        var ex = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains(message, ex.Message);
        Assert.Throws<ArgumentException>(() => new Stft(o));
    }

    [Fact]
    public void Validate_lists_every_problem_at_once()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StftOptions { NFft = 100, HopLength = -1 }.Validate());
        Assert.Contains("NFft=100", ex.Message);
        Assert.Contains("HopLength=-1", ex.Message);
    }
}
