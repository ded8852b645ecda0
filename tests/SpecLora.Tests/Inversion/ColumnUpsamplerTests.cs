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
        Assert.Same(s, ColumnUpsampler.Upsample(s, FrameAxis.ForFrames(2, 2)));
    }

    [Fact]
    public void Db_is_linear_between_the_frames_the_columns_show_and_held_outside()
    {
        // one row, columns 0 and −40 dB, k = 4 → frames 0..7; column c shows frame ⌊(c + 0.5)·8/2⌋ = 2 and 6
        var up = ColumnUpsampler.Upsample(Db(new float[] { 0f, -40f }, 1, 2), FrameAxis.ForFramesPerColumn(2, 4));
        Assert.Equal(8, up.Frames);
        float[] expected = [0, 0, 0, -10, -20, -30, -40, -40];
        for (int f = 0; f < 8; f++) Assert.Equal(expected[f], up[0, f], 4);
    }

    [Fact]
    public void Columns_that_show_one_frame_are_averaged()
    {
        // 4 columns of a 2-frame clip: columns 0, 1 show frame 0 and columns 2, 3 frame 1
        var up = ColumnUpsampler.Upsample(Db(new float[] { 0f, -2f, -10f, -20f }, 1, 4), FrameAxis.ForFrames(4, 2));
        Assert.Equal(2, up.Frames);
        Assert.Equal(-1f, up[0, 0], 5);
        Assert.Equal(-15f, up[0, 1], 5);
    }

    [Fact]
    public void Cubic_passes_through_the_shown_frames_follows_a_ramp_and_never_goes_negative()
    {
        // power^¼ 1, 2, 3, 4 at frames 0, 2, 4, 6: a straight ramp in the curve's domain is reproduced exactly
        var p = Spectrogram.Create(new float[] { 1f, 16f, 81f, 256f, 1e4f, 0f, 0f, 1e4f }, 2, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        var placed = ColumnUpsampler.Place(p, [0, 2, 4, 6], 7, BetweenColumns.CubicQuarterPower);
        for (int f = 0; f < 7; f++) Assert.Equal(MathF.Pow(1 + f / 2f, 4), placed[0, f], MathF.Pow(1 + f / 2f, 4) * 1e-4f);
        // 10, 0, 0, 10 in power^¼: the cubic overshoots below zero between the two zeros; it is clipped to 0
        Assert.Equal(0f, placed[1, 3]);
        Assert.All(Enumerable.Range(0, 7), f => Assert.True(placed[1, f] >= 0));
        Assert.True(placed[1, 1] > 0 && placed[1, 1] < 1e4f);
        // magnitude data: the same cubic on power^¼ = magnitude^½
        var m = Spectrogram.Create(new float[] { 1f, 4f, 9f, 16f }, 1, 4, SpectrogramScale.Magnitude, FrequencyAxis.Linear);
        var mp = ColumnUpsampler.Place(m, [0, 2, 4, 6], 7, BetweenColumns.CubicQuarterPower);
        for (int f = 0; f < 7; f++) Assert.Equal(MathF.Pow(1 + f / 2f, 2), mp[0, f], 3);
        // uneven gaps (2, 3, 2 frames: 2.02 frames per column): a ramp is still reproduced exactly
        var q = Spectrogram.Create(new float[] { 1f, MathF.Pow(3, 4), MathF.Pow(6, 4), MathF.Pow(8, 4) }, 1, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        var quarter = ColumnUpsampler.Place(q, [0, 2, 5, 7], 8, BetweenColumns.CubicQuarterPower);
        for (int f = 0; f < 8; f++) Assert.Equal(MathF.Pow(1 + f, 4), quarter[0, f], MathF.Pow(1 + f, 4) * 1e-4f);
        // two shown frames only: the line between them (in power^¼)
        var two = ColumnUpsampler.Place(Spectrogram.Create(new float[] { 1f, 81f }, 1, 2, SpectrogramScale.Power, FrequencyAxis.Mel), [0, 2], 3, BetweenColumns.CubicQuarterPower);
        Assert.Equal(16f, two[0, 1], 3);
        // dB data stay linear in dB whatever the mode
        var db = Spectrogram.Create(new float[] { -60f, -20f }, 1, 2, SpectrogramScale.Db, FrequencyAxis.Mel);
        Assert.Equal(-40f, ColumnUpsampler.Place(db, [0, 2], 3, BetweenColumns.CubicQuarterPower)[0, 1], 4);
    }

    [Fact]
    public void Power_is_interpolated_geometrically_and_zeros_stay_zero()
    {
        var p = Spectrogram.Create(new float[] { 1f, 100f, 0f, 0f }, 2, 2, SpectrogramScale.Power, FrequencyAxis.Mel);
        var up = ColumnUpsampler.Upsample(p, FrameAxis.ForFrames(2, 3)); // centres at frames 0.0 and 2.0 → frame 1 is the midpoint
        Assert.Equal(10f, up[0, 1], 3);
        Assert.All(Enumerable.Range(0, 3), f => Assert.Equal(0f, up[1, f]));
    }

    [Fact]
    public void Frame_major_and_bin_major_placement_agree_bit_for_bit()
    {
        var rng = new Random(3);
        int bins = 5, n = 6, t = 17;
        var data = Enumerable.Range(0, bins * n).Select(i => i % 7 == 0 ? 0f : (float)rng.NextDouble() * 10).ToArray();
        int[] shown = [0, 3, 6, 9, 13, 16];
        foreach (var scale in new[] { SpectrogramScale.Power, SpectrogramScale.Magnitude, SpectrogramScale.Db })
            foreach (var mode in new[] { BetweenColumns.LogLinear, BetweenColumns.CubicQuarterPower })
            {
                var s = Spectrogram.Create(data, bins, n, scale, FrequencyAxis.Mel);
                var binMajor = ColumnUpsampler.Place(s, shown, t, mode);
                var frameMajor = ColumnUpsampler.PlaceFrameMajor(SpanMath.Transpose(data, bins, n), bins, scale, shown, t, mode);
                Assert.Equal(SpanMath.Transpose(frameMajor, t, bins), binMajor.Data);
            }
    }

    [Fact]
    public void Place_is_linear_between_known_frames_and_constant_outside()
    {
        // 2 bins × 3 known columns at frames 2, 5, 9 → 12 frames.
        var columns = Spectrogram.Create([10f, 40f, -20f, /* bin 1 */ 0f, -30f, -30f], bins: 2, frames: 3, SpectrogramScale.Db, FrequencyAxis.Mel, 22050, 512, 2048);
        var placed = ColumnUpsampler.Place(columns, [2, 5, 9], 12);
        Assert.Equal(12, placed.Frames);
        Assert.Equal(2, placed.Bins);
        float[] bin0 = [10, 10, 10, 20, 30, 40, 25, 10, -5, -20, -20, -20];
        float[] bin1 = [0, 0, 0, -10, -20, -30, -30, -30, -30, -30, -30, -30];
        for (int t = 0; t < 12; t++)
        {
            Assert.Equal(bin0[t], placed.Data[t], 4);
            Assert.Equal(bin1[t], placed.Data[12 + t], 4);
        }
        Assert.Equal(new[] { 10f, 40f, -20f, 0f, -30f, -30f }, columns.Data);   // input not mutated
    }

    [Fact]
    public void Place_rejects_mismatched_indices_and_no_frames()
    {
        var columns = Spectrogram.Create([1f, 2f], bins: 1, frames: 2, SpectrogramScale.Db, FrequencyAxis.Mel, 22050, 512, 2048);
        Assert.Throws<ArgumentException>(() => ColumnUpsampler.Place(columns, [0], 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ColumnUpsampler.Place(columns, [0, 1], 0));
        var one = ColumnUpsampler.Place(columns, [0, 3], 4);
        float[] expected = [1f, 1f + 1 / 3f, 1f + 2 / 3f, 2f];
        for (int t = 0; t < 4; t++) Assert.Equal(expected[t], one.Data[t], 5);
    }
}
