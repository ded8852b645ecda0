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
    [InlineData(0, 0.0, null, "SampleRate=0")]
    [InlineData(22050, -1.0, null, "OffsetSeconds=-1")]
    [InlineData(22050, double.NaN, null, "OffsetSeconds=NaN")]
    [InlineData(22050, 0.0, 0.0, "DurationSeconds=0")]
    [InlineData(22050, 0.0, -2.5, "DurationSeconds=-2.5")]
    public void Validate_quotes_the_bad_value(int sr, double offset, double? duration, string quoted)
    {
        var o = new AudioLoadOptions { SampleRate = sr, OffsetSeconds = offset, DurationSeconds = duration };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => o.Validate());
        Assert.Contains(quoted, ex.Message);
    }
}
