using SpecLora.Audio;

namespace SpecLora.Tests.Audio;

public class FfmpegDecoderTests
{
    [Fact]
    public async Task The_pipe_is_read_up_to_its_bound_and_no_further()
    {
        // A compressed file of hours of silence decodes to more than one load holds: the copy stops at the bound, and the
        // buffer's capacity never doubles past it (1 GiB + 64 kB would otherwise become 2 GiB).
        var source = new MemoryStream(new byte[300_000]);
        var sink = new MemoryStream();
        Assert.False(await FfmpegDecoder.CopyBoundedAsync(source, sink, 200_000, CancellationToken.None));
        Assert.Equal(200_000, sink.Length);
        Assert.True(sink.Capacity <= 200_000, $"capacity {sink.Capacity:N0}");
        var all = new MemoryStream();
        Assert.True(await FfmpegDecoder.CopyBoundedAsync(new MemoryStream(new byte[150_000]), all, 200_000, CancellationToken.None));
        Assert.Equal(150_000, all.Length);
        Assert.True(await FfmpegDecoder.CopyBoundedAsync(new MemoryStream(new byte[200_000]), new MemoryStream(), 200_000, CancellationToken.None));
        Assert.Equal(AudioLimits.MaxSamples * 4 + 65536, FfmpegDecoder.MaxPipeBytes);
    }
}
