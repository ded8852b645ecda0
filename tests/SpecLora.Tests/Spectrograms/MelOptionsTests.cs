using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class MelOptionsTests
{
    [Fact]
    public void Defaults_are_librosa_melspectrogram()
    {
        var o = new MelOptions();
        Assert.Equal(22050, o.SampleRate);
        Assert.Equal(128, o.NMels);
        Assert.Equal(0.0, o.FMinHz);
        Assert.Equal(11025.0, o.EffectiveFMaxHz);
        Assert.False(o.Htk);
        Assert.True(o.SlaneyNorm);
        Assert.Equal(2.0, o.Power);
        Assert.Equal(new StftOptions(), o.Stft);
    }

    [Theory]
    [InlineData(0, 128, 0.0, null, 2.0, "SampleRate=0 must be > 0 (librosa sr)")]
    [InlineData(22050, 0, 0.0, null, 2.0, "NMels=0 must be in 1..4096 (librosa n_mels)")]
    [InlineData(22050, 128, -1.0, null, 2.0, "FMinHz=-1 must be ≥ 0 (librosa fmin)")]
    [InlineData(22050, 128, 500.0, 400.0, 2.0, "FMaxHz=400 must be > FMinHz=500 (librosa fmax)")]
    [InlineData(22050, 128, 0.0, 12000.0, 2.0, "FMaxHz=12000 must be ≤ sr/2=11025 (librosa fmax)")]
    [InlineData(22050, 128, 0.0, null, 0.0, "Power=0 must be > 0 (librosa power)")]
    public void Validate_quotes_the_bad_value(int sr, int nMels, double fMin, double? fMax, double power, string message)
    {
        var o = new MelOptions { SampleRate = sr, NMels = nMels, FMinHz = fMin, FMaxHz = fMax, Power = power };
        var ex = Assert.Throws<ArgumentException>(() => o.Validate());
        Assert.Contains(message, ex.Message);
        Assert.Throws<ArgumentException>(() => MelSpectrogram.Compute(new float[4096], o.SampleRate, o));
    }

    [Fact]
    public void Validate_checks_the_stft_too()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MelOptions { Stft = new StftOptions { NFft = 3000 } }.Validate());
        Assert.Contains("NFft=3000", ex.Message);
    }
}
