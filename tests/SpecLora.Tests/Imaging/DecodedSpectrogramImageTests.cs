using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Imaging;

public class DecodedSpectrogramImageTests
{
    private static DecodedSpectrogramImage Decode(int frames, int width)
    {
        var data = new float[4 * frames];
        for (int b = 0; b < 4; b++)
            for (int t = 0; t < frames; t++) data[b * frames + t] = -80f + 80f * t / (frames - 1);
        var db = Spectrogram.Create(data, 4, frames, SpectrogramScale.Db, FrequencyAxis.Mel);
        var opts = new RenderOptions { Width = width, Height = 16 };
        var png = MelImage.EncodePng(SpectrogramRenderer.Render(db, opts), MelImageMetadata.From(db, opts));
        return SpectrogramImageDecoder.Decode(png);
    }

    [Fact]
    public void Collapse_keeps_one_column_per_frame_when_the_picture_is_wider()
    {
        var d = Decode(frames: 10, width: 64);
        Assert.Equal(64, d.Db.Frames);
        var s = d.CollapseToFrames(out var frames);
        Assert.Equal(Enumerable.Range(0, 10), frames);
        Assert.Equal(10, s.Frames);
        Assert.True(s[0, 9] > s[0, 0]);
    }

    [Fact]
    public void Collapse_lists_the_frames_shown_when_the_picture_is_narrower()
    {
        var d = Decode(frames: 100, width: 16);
        var s = d.CollapseToFrames(out var frames);
        Assert.Equal(16, frames.Length);
        for (int c = 0; c < 16; c++) Assert.Equal((int)Math.Floor((c + 0.5) * 100 / 16), frames[c]);
        Assert.Equal(16, s.Frames);
        // each column's level is the frame's level to half a colour step
        for (int c = 0; c < 16; c++) Assert.Equal(-80 + 80.0 * frames[c] / 99, s[2, c], 80.0 / 512 + 1e-4);
    }

    [Fact]
    public void Without_metadata_collapse_returns_the_columns()
    {
        var d = Decode(frames: 10, width: 64) with { Axis = null };
        var s = d.CollapseToFrames(out var frames);
        Assert.Same(d.Db, s);
        Assert.Equal(64, frames.Length);
    }
}
