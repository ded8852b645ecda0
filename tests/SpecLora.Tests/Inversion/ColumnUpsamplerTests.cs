using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Imaging;

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
    public void Db_is_linear_between_the_frames_the_columns_show_and_held_outside()
    {
        // one row, columns 0 and −40 dB, k = 4 → frames 0..7; column c shows frame ⌊(c + 0.5)·8/2⌋ = 2 and 6
        var up = ColumnUpsampler.Upsample(Db(new float[] { 0f, -40f }, 1, 2), 8);
        Assert.Equal(8, up.Frames);
        float[] expected = [0, 0, 0, -10, -20, -30, -40, -40];
        for (int f = 0; f < 8; f++) Assert.Equal(expected[f], up[0, f], 4);
    }

    [Fact]
    public void Columns_that_show_one_frame_are_averaged()
    {
        // 4 columns of a 2-frame clip: columns 0, 1 show frame 0 and columns 2, 3 frame 1
        var up = ColumnUpsampler.Upsample(Db(new float[] { 0f, -2f, -10f, -20f }, 1, 4), 2);
        Assert.Equal(2, up.Frames);
        Assert.Equal(-1f, up[0, 0], 5);
        Assert.Equal(-15f, up[0, 1], 5);
    }

    [Theory]
    [InlineData(640, 1292)]
    [InlineData(640, 2584)]
    [InlineData(640, 230)]
    [InlineData(640, 7752)]
    [InlineData(7, 3)]
    public void Column_frames_follow_the_pixel_rule(int width, int frames)
    {
        var f = SpectrogramImageDecoder.ColumnFrames(width, frames);
        for (int c = 0; c < width; c++)
            Assert.Equal(Math.Clamp((int)Math.Floor((c + 0.5) * frames / width), 0, frames - 1), f[c]);
    }

    [Fact]
    public void Onset_aware_rises_linearly_in_power_and_decays_linearly_in_db()
    {
        var mag = Spectrogram.Create(new float[] { 1f, 10f, 1f }, 1, 3, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        var placed = ColumnUpsampler.Place(mag, [0, 2, 4], 5, BetweenColumns.OnsetAware);
        Assert.Equal(MathF.Sqrt((1 + 100) / 2f), placed[0, 1], 4);   // rise: mean power
        Assert.Equal(MathF.Sqrt(10f), placed[0, 3], 4);              // fall: geometric (linear in dB)
    }

    [Fact]
    public void Cubic_amplitude_passes_through_the_shown_frames_follows_a_ramp_and_never_goes_negative()
    {
        // amplitudes 1, 2, 3, 4 at frames 0, 2, 4, 6 (power 1, 4, 9, 16): a straight ramp in amplitude is reproduced exactly
        var p = Spectrogram.Create(new float[] { 1f, 4f, 9f, 16f, 100f, 0f, 0f, 100f }, 2, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        var placed = ColumnUpsampler.Place(p, [0, 2, 4, 6], 7, BetweenColumns.CubicAmplitude);
        for (int f = 0; f < 7; f++) Assert.Equal(MathF.Pow(1 + f / 2f, 2), placed[0, f], 3);
        // 10, 0, 0, 10 in amplitude: the cubic overshoots below zero between the two zeros; it is clipped to 0
        Assert.Equal(0f, placed[1, 3]);
        Assert.All(Enumerable.Range(0, 7), f => Assert.True(placed[1, f] >= 0));
        Assert.True(placed[1, 1] > 0 && placed[1, 1] < 100);
        // uneven gaps (2, 3, 2 frames: 2.02 frames per column): a ramp in the curve's domain is still reproduced exactly,
        // for power^¼ (the default) as for the amplitude
        var q = Spectrogram.Create(new float[] { 1f, MathF.Pow(3, 4), MathF.Pow(6, 4), MathF.Pow(8, 4) }, 1, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        var quarter = ColumnUpsampler.Place(q, [0, 2, 5, 7], 8, BetweenColumns.CubicQuarterPower);
        for (int f = 0; f < 8; f++) Assert.Equal(MathF.Pow(1 + f, 4), quarter[0, f], MathF.Pow(1 + f, 4) * 1e-4f);
        // two shown frames only: the line between them
        var two = ColumnUpsampler.Place(Spectrogram.Create(new float[] { 1f, 9f }, 1, 2, SpectrogramScale.Power, FrequencyAxis.Mel), [0, 2], 3, BetweenColumns.CubicAmplitude);
        Assert.Equal(4f, two[0, 1], 4);
        // dB data stay linear in dB whatever the mode
        var db = Spectrogram.Create(new float[] { -60f, -20f }, 1, 2, SpectrogramScale.Db, FrequencyAxis.Mel);
        Assert.Equal(-40f, ColumnUpsampler.Place(db, [0, 2], 3, BetweenColumns.CubicAmplitude)[0, 1], 4);
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
        // librosa: a clip of n = round(d·sr) samples has 1 + ⌊n/512⌋ frames
        Assert.Equal(1292, ColumnUpsampler.FramesForDuration(30));          // 661500 samples (not 1 + round(1291.99) = 1293)
        Assert.Equal(2584, ColumnUpsampler.FramesForDuration(60));
        Assert.Equal(230, ColumnUpsampler.FramesForDuration(117601 / 22050.0));
        Assert.Equal(1, ColumnUpsampler.FramesForDuration(0.01));
        Assert.Equal(1 + 7751, ColumnUpsampler.FramesForDuration(7751 * 512 / 22050.0));
        Assert.Equal(2560, ColumnUpsampler.FramesFor(640, 4));
    }
}
