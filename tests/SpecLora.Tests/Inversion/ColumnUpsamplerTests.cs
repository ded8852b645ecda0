using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Inversion;

public class ColumnUpsamplerTests
{
    private static Spectrogram Db(float[] data, int bins, int frames) => Spectrogram.Create(data, bins, frames, SpectrogramScale.Db, FrequencyAxis.Mel);

    [Fact]
    public void Same_frame_count_returns_the_input()
    {
        var s = Db(new float[] { 1, 2, 3, 4 }, 2, 2);
        Assert.Same(s, ColumnUpsampler.Upsample(s, 2));
    }

    [Fact]
    public void Db_is_linear_between_column_centres_and_clamped_outside()
    {
        // one row, columns 0 and −40 dB, k = 4 → frames 0..7, column centres at frames 1.5 and 5.5
        var up = ColumnUpsampler.Upsample(Db(new float[] { 0f, -40f }, 1, 2), 8);
        Assert.Equal(8, up.Frames);
        Assert.Equal(0f, up[0, 0]); Assert.Equal(0f, up[0, 1]);
        Assert.Equal(-5f, up[0, 2], 4);   // 0.5 of 4 frames between centres → 1/8 of the way
        Assert.Equal(-35f, up[0, 5], 4);
        Assert.Equal(-40f, up[0, 6]); Assert.Equal(-40f, up[0, 7]);
    }

    [Fact]
    public void Power_is_interpolated_geometrically_and_zeros_stay_zero()
    {
        var p = Spectrogram.Create(new float[] { 1f, 100f, 0f, 0f }, 2, 2, SpectrogramScale.Power, FrequencyAxis.Mel);
        var up = ColumnUpsampler.Upsample(p, 3); // centres at frames 0.0 and 2.0 → frame 1 is the midpoint
        Assert.Equal(10f, up[0, 1], 3);
        Assert.All(Enumerable.Range(0, 3), f => Assert.Equal(0f, up[1, f]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Bad_frames_per_column_quotes_the_value(int k)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ColumnUpsampler.FramesFor(640, k));
        Assert.Contains(k.ToString(), ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.5)]
    [InlineData(double.NaN)]
    public void Bad_duration_quotes_the_value(double d)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ColumnUpsampler.FramesForDuration(d));
        Assert.Contains(d.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Duration_gives_librosa_frame_count()
    {
        Assert.Equal(1 + 7751, ColumnUpsampler.FramesForDuration(7751 * 512 / 22050.0));
        Assert.Equal(2560, ColumnUpsampler.FramesFor(640, 4));
    }
}
