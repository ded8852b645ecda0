using SpecLora.Inversion;

namespace SpecLora.Tests.Inversion;

public class InversionOptionsTests
{
    [Fact]
    public void Defaults_are_the_recommended_pipeline()
    {
        var o = new InversionOptions().Validate();
        Assert.Equal(PhaseMethod.PghiFgla, o.Method);
        Assert.Null(o.Iterations);
        Assert.Equal(32, o.EffectiveIterations);
        Assert.Equal(7, (o with { Iterations = 7 }).EffectiveIterations);
        Assert.Null(o.FramesPerColumn);
        Assert.Equal(4, o.EffectiveFramesPerColumn);
        Assert.Null(o.DurationSeconds);
        Assert.Null(o.Frames);
        Assert.Equal(BetweenColumns.CubicQuarterPower, o.BetweenColumns);
        Assert.Equal(-1.0, o.PeakDbfs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Frames_per_column_must_be_positive(int k)
    {
        var ex = Assert.Throws<ArgumentException>(() => new InversionOptions { FramesPerColumn = k }.Validate());
        Assert.Contains($"FramesPerColumn={k}", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    public void Duration_must_be_positive(double d)
    {
        var ex = Assert.Throws<ArgumentException>(() => new MelInverter(new InversionOptions { DurationSeconds = d }));
        Assert.Contains("DurationSeconds=", ex.Message);
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once_and_quoted()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InversionOptions
        {
            Iterations = -1, ReferencePower = 0, PeakDbfs = 3, Momentum = float.NaN, Nnls = new NnlsOptions { MaxIterations = -1 },
            Pghi = new PghiOptions { Tolerance1 = 2, BlockFrames = 0 }, Mel = new SpecLora.Spectrograms.MelOptions { NMels = 0 },
        }.Validate());
        foreach (var part in new[] { "Iterations=-1", "ReferencePower=0", "PeakDbfs=3", "Momentum=NaN", "MaxIterations=-1", "Tolerance1=2", "BlockFrames=0", "NMels" })
            Assert.Contains(part, ex.Message);
        Assert.DoesNotContain("(Parameter", ex.Message);
    }

    [Fact]
    public void One_time_axis_only()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InversionOptions { Frames = 1292, DurationSeconds = 30 }.Validate());
        Assert.Contains("Frames=1292", ex.Message);
        Assert.Contains("DurationSeconds=30", ex.Message);
        Assert.Throws<ArgumentException>(() => new InversionOptions { Frames = 1292, FramesPerColumn = 2 }.Validate());
        Assert.Throws<ArgumentException>(() => new InversionOptions { DurationSeconds = 3, FramesPerColumn = 2 }.Validate());
        var bad = Assert.Throws<ArgumentException>(() => new InversionOptions { Frames = 0 }.Validate());
        Assert.Contains("Frames=0", bad.Message);
        Assert.Equal(1292, new InversionOptions { Frames = 1292 }.Validate().Frames);
    }

    [Fact]
    public void A_day_of_audio_is_refused_before_any_work_with_what_to_change()
    {
        // 86400 s passes the range check but needs 3.7 M frames (≈ 90 GB): refused by Validate, not by OutOfMemory.
        var ex = Assert.Throws<InversionException>(() => new InversionOptions { DurationSeconds = 86400 }.Validate());
        Assert.Contains("3,720,938 frames", ex.Message);
        Assert.Contains("--duration", ex.Message);
        Assert.DoesNotContain("Exception", ex.Message);
        new InversionOptions { DurationSeconds = 600 }.Validate();   // 10 minutes is fine
    }

    [Fact]
    public void Ten_thousand_frames_per_column_are_refused_before_allocating()
    {
        var inverter = new MelInverter(new InversionOptions { FramesPerColumn = 10_000 });
        var mel = SpecLora.Spectrograms.Spectrogram.Create(new float[128 * 640], 128, 640, SpecLora.Spectrograms.SpectrogramScale.Power, SpecLora.Spectrograms.FrequencyAxis.Mel);
        var ex = Assert.Throws<InversionException>(() => inverter.FromMelPower(mel));
        Assert.Contains("6,400,000 frames", ex.Message);
        Assert.Contains("-k", ex.Message);
    }
}
