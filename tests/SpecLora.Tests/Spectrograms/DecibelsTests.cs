using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class DecibelsTests
{
    private static Spectrogram Power(params float[] v) => Spectrogram.Create(v, 2, v.Length / 2, SpectrogramScale.Power, FrequencyAxis.Mel);

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void Non_finite_power_is_refused_naming_the_cell(float bad)
    {
        // Samples of 1e30 square to an infinite power: power_to_db gave ref_power = ∞ and a picture of −∞.
        var p = Power(1, 2, 3, bad, 5, 6);
        var ex = Assert.Throws<ArgumentException>(() => Decibels.PowerToDb(p, DbOptions.MakeMels));
        Assert.Contains("at bin 1, frame 0", ex.Message);
        Assert.Contains("must be finite numbers", ex.Message);
        Assert.Contains("AudioLoader", ex.Message);
    }

    [Fact]
    public void Finite_power_gives_finite_decibels_and_reference()
    {
        var db = Decibels.PowerToDb(Power(0, 1e-30f, 1, float.MaxValue), DbOptions.MakeMels, out float reference);
        Assert.Equal(float.MaxValue, reference);
        Assert.All(db.Data, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, db.Data.Max());
        Assert.Throws<ArgumentException>(() => Decibels.PowerToDb(Power(1, 2), new DbOptions { Ref = float.PositiveInfinity }));
    }

    [Fact]
    public void Db_to_power_refuses_what_float32_cannot_hold()
    {
        var db = Spectrogram.Create([0, -80, 390, 10], 2, 2, SpectrogramScale.Db, FrequencyAxis.Mel);
        var ex = Assert.Throws<ArgumentException>(() => Decibels.DbToPower(db));
        Assert.Contains("390 dB at bin 1, frame 0 with referencePower=1 is beyond float32 power", ex.Message);
        Assert.Throws<ArgumentException>(() => Decibels.DbToPower(db with { Data = [0, float.NaN, 0, 0] }));
        Assert.Throws<ArgumentException>(() => Decibels.DbToPower(db with { Data = [0, 0, 0, 0] }, float.NaN));
        var ok = Decibels.DbToPower(db with { Data = [0, -80, float.NegativeInfinity, 10] }, 2f);
        float[] expected = [2f, 2e-8f, 0f, 20f];
        for (int i = 0; i < 4; i++) Assert.True(Math.Abs(ok.Data[i] - expected[i]) <= 1e-5f * Math.Abs(expected[i]), $"{i}: {ok.Data[i]} vs {expected[i]}");
    }
}
