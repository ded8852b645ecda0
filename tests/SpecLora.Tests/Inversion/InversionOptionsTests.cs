using SpecLora.Inversion;

namespace SpecLora.Tests.Inversion;

public class InversionOptionsTests
{
    [Fact]
    public void Defaults_are_the_recommended_pipeline()
    {
        var o = new InversionOptions().Validate();
        Assert.Equal(PhaseMethod.PghiFgla, o.Method);
        Assert.Equal(32, o.Iterations);
        Assert.Equal(4, o.FramesPerColumn);
        Assert.Null(o.DurationSeconds);
        Assert.Equal(-1.0, o.PeakDbfs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Frames_per_column_must_be_positive(int k)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new InversionOptions { FramesPerColumn = k }.Validate());
        Assert.Equal("FramesPerColumn", ex.ParamName);
        Assert.Contains($"FramesPerColumn={k}", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    public void Duration_must_be_positive(double d)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MelInverter(new InversionOptions { DurationSeconds = d }));
        Assert.Contains("DurationSeconds=", ex.Message);
    }

    [Fact]
    public void Other_bad_values_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InversionOptions { Iterations = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new InversionOptions { ReferencePower = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new InversionOptions { PeakDbfs = 3 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new InversionOptions { NnlsIterations = -1 }.Validate());
    }
}
