using SpecLora.Audio;

namespace SpecLora.Tests.Audio;

public class RawAudioTests
{
    [Fact]
    public void ToMono_is_the_float32_mean_of_the_channels()
    {
        var a = new RawAudio([[1f, 0.5f, 0.1f], [0f, 0.25f, 0.2f], [-1f, 0f, 0.3f]], 8000);
        var m = a.ToMono();
        Assert.Equal(8000, m.SampleRate);
        Assert.Equal([0f, (0.5f + 0.25f) / 3f, (0.1f + 0.2f + 0.3f) / 3f], m.Samples);
    }

    [Fact]
    public void ToMono_of_mono_does_not_copy_and_Slice_copies()
    {
        float[] x = [1f, 2f, 3f, 4f];
        var a = new RawAudio([x], 10);
        Assert.Same(x, a.ToMono().Samples);
        var s = a.Slice(1, 2);
        Assert.Equal([2f, 3f], s.Channels[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Slice(3, 2));
    }
}
