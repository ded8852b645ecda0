using System.Globalization;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Spectrograms;

public class FrameAxisTests
{
    [Theory]
    [InlineData(640, 1292)]
    [InlineData(640, 2584)]
    [InlineData(640, 230)]
    [InlineData(640, 7752)]
    [InlineData(7, 3)]
    public void Column_frames_follow_the_pixel_rule(int width, int frames)
    {
        var axis = FrameAxis.ForFrames(width, frames);
        var f = axis.ColumnFrames();
        for (int c = 0; c < width; c++)
            Assert.Equal(Math.Clamp((int)Math.Floor((c + 0.5) * frames / width), 0, frames - 1), f[c]);
        Assert.Equal(f.Distinct().ToArray(), axis.ShownFrames());
    }

    [Fact]
    public void Duration_gives_librosa_frame_count_and_keeps_the_sample_count()
    {
        // librosa: a clip of n = round(d·sr) samples has 1 + ⌊n/512⌋ frames
        Assert.Equal(1292, FrameAxis.FramesForDuration(30));          // 661500 samples (not 1 + round(1291.99) = 1293)
        Assert.Equal(2584, FrameAxis.FramesForDuration(60));
        Assert.Equal(230, FrameAxis.FramesForDuration(117601 / 22050.0));
        Assert.Equal(1, FrameAxis.FramesForDuration(0.01));
        Assert.Equal(1 + 7751, FrameAxis.FramesForDuration(7751 * 512 / 22050.0));
        var axis = FrameAxis.ForDuration(640, 30);
        Assert.Equal((1292, 661500, FrameAxisSource.Duration), (axis.Frames, axis.Samples!.Value, axis.Source));
        Assert.Equal(30.0, axis.DurationSeconds, 9);
        Assert.Equal(1292 / 640.0, axis.FramesPerColumn, 12);
    }

    [Fact]
    public void Frames_per_column_multiply_and_an_assumed_axis_says_so()
    {
        var given = FrameAxis.ForFramesPerColumn(640, 4);
        Assert.Equal((2560, FrameAxisSource.FramesPerColumn), (given.Frames, given.Source));
        var assumed = FrameAxis.ForFramesPerColumn(640, 4, assumed: true);
        Assert.Equal(FrameAxisSource.Assumed, assumed.Source);
        Assert.Contains("guess", assumed.Describe());
        Assert.DoesNotContain("guess", given.Describe());
        Assert.Equal(512.0 * 2559 / 22050, given.DurationSeconds, 9);   // hop·(T−1) when the sample count is unknown
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Bad_frames_per_column_quotes_the_value(int k)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => FrameAxis.ForFramesPerColumn(640, k));
        Assert.Contains(k.ToString(CultureInfo.InvariantCulture), ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.5)]
    [InlineData(double.NaN)]
    [InlineData(1e9)]
    public void Bad_duration_quotes_the_value(double d)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => FrameAxis.FramesForDuration(d));
        Assert.Contains(d.ToString(CultureInfo.InvariantCulture), ex.Message);
    }

    [Fact]
    public void Every_bad_count_is_reported_at_once()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => FrameAxis.ForFrames(0, -5, sampleRate: 0, hopLength: -1));
        foreach (var part in new[] { "columns=0", "frames=-5", "sampleRate=0", "hopLength=-1" }) Assert.Contains(part, ex.Message);
    }

    [Fact]
    public void The_one_memory_limit_is_stated_in_frames_and_minutes()
    {
        int max = FrameAxis.MaxFrames(2048);
        Assert.Equal(100_000_000 / 1025, max);
        Assert.Null(FrameAxis.ForFrames(640, max).TooLarge(2048));
        var why = FrameAxis.ForFrames(640, max + 1).TooLarge(2048);
        Assert.NotNull(why);
        Assert.Contains("37.8 min", why);
        Assert.Contains("-k", why);
    }

    [Fact]
    public void Collapse_averages_the_columns_that_show_one_frame()
    {
        // 4 columns of a 2-frame clip: columns 0, 1 show frame 0 and columns 2, 3 frame 1
        var s = Spectrogram.Create(new float[] { 0f, -2f, -10f, -20f }, 1, 4, SpectrogramScale.Db, FrequencyAxis.Mel);
        var c = FrameAxis.ForFrames(4, 2).Collapse(s, out var frames);
        Assert.Equal([0, 1], frames);
        Assert.Equal(-1f, c[0, 0], 5);
        Assert.Equal(-15f, c[0, 1], 5);
        // every column its own frame: the same instance
        var wide = FrameAxis.ForFrames(4, 40);
        Assert.Same(s, wide.Collapse(s, out var shown));
        Assert.Equal(wide.ColumnFrames(), shown);
    }
}
