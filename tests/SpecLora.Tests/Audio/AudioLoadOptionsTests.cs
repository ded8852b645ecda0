using SpecLora.Audio;

namespace SpecLora.Tests.Audio;

public class AudioLoadOptionsTests
{
    [Fact]
    public void Defaults_are_librosa_load_defaults()
    {
        var o = AudioLoadOptions.Default;
        Assert.Equal(22050, o.SampleRate);
        Assert.True(o.Mono);
        Assert.Equal(0, o.OffsetSeconds);
        Assert.Null(o.DurationSeconds);
    }

    [Theory]
    [InlineData(0, 0.0, null, "SampleRate=0 must be 1,000…768,000 Hz")]
    [InlineData(1, 0.0, null, "SampleRate=1 must be 1,000…768,000 Hz")]
    [InlineData(768_001, 0.0, null, "SampleRate=768001")]
    [InlineData(22050, -1.0, null, "OffsetSeconds=-1")]
    [InlineData(22050, double.NaN, null, "OffsetSeconds=NaN")]
    [InlineData(22050, double.PositiveInfinity, null, "OffsetSeconds=Infinity")]
    [InlineData(22050, 0.0, 0.0, "DurationSeconds=0")]
    [InlineData(22050, 0.0, -2.5, "DurationSeconds=-2.5")]
    public void Validate_quotes_the_bad_value(int sr, double offset, double? duration, string quoted)
    {
        var o = new AudioLoadOptions { SampleRate = sr, OffsetSeconds = offset, DurationSeconds = duration };
        var ex = Assert.ThrowsAny<ArgumentException>(() => o.Validate());
        Assert.Contains(quoted, ex.Message);
    }

    [Fact]
    public void Validate_reports_every_problem_at_once_quoting_each_value()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new AudioLoadOptions { SampleRate = 1, OffsetSeconds = -3, DurationSeconds = double.NaN }.Validate());
        Assert.StartsWith("Invalid audio load options: ", ex.Message);
        Assert.Contains("SampleRate=1 must be 1,000…768,000 Hz", ex.Message);
        Assert.Contains("OffsetSeconds=-3 must be", ex.Message);
        Assert.Contains("DurationSeconds=NaN must be", ex.Message);
        Assert.Equal(3, ex.Message.Split("; ").Length);
        Assert.Null(ex.ParamName);   // no " (Parameter …)" tail on the sentence
        var ok = new AudioLoadOptions { SampleRate = null, OffsetSeconds = 1e300, DurationSeconds = 1e300 };
        Assert.Same(ok, ok.Validate());
    }
}
