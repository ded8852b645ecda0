using System.Buffers.Binary;
using SpecLora.Audio;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

/// <summary>Hostile audio files against <see cref="AudioLimits"/>: each ends in one sentence naming the file and saying
/// what to do, and nothing is allocated from a forged size.</summary>
public class AudioLimitsTests
{
    /// <summary>The exception <paramref name="load"/> throws and the bytes this thread allocated meanwhile.</summary>
    internal static (T Exception, long Allocated) ThrowsAllocating<T>(Action load) where T : Exception
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.ThrowsAny<T>(load);
        return (ex, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>No raw .NET wording in a message meant for a person.</summary>
    internal static void AssertSentence(string message, string path)
    {
        Assert.Contains(path, message);
        Assert.DoesNotContain("Array dimensions", message);
        Assert.DoesNotContain("Exception", message);
        Assert.DoesNotContain("unexpected", message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("JsonNumberHandling", message);
        Assert.DoesNotContain("   at ", message);
    }

    private static byte[] Float64Data(params double[] samples)
    {
        var b = new byte[samples.Length * 8];
        for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), samples[i]);
        return b;
    }

    private static byte[] Float64Wav(double[] samples, int rate = 22050) =>
        F.Riff(F.Chunk("fmt ", F.Fmt(3, 1, rate, 64)), F.Chunk("data", Float64Data(samples)));

    private static double[] Tone(int n) => F.Sine(n, 440, 22050, 0.5).Select(v => (double)v).ToArray();

    [Theory]
    [InlineData(1u)]
    [InlineData(0u)]
    [InlineData(999u)]
    [InlineData(768_001u)]
    [InlineData(2_147_483_647u)]
    [InlineData(4_294_967_295u)]
    public void A_wav_declaring_a_rate_outside_1kHz_to_768kHz_is_refused_saying_the_range_before_any_allocation(uint rate)
    {
        using var tmp = new F();
        // 100,000 frames: at 1 Hz → 22,050 Hz that was 2.2 G samples ("Array dimensions exceeded supported range").
        var fmt = F.Fmt(1, 1, 8000, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), rate);
        var path = tmp.Write("rate.wav", F.Riff(F.Chunk("fmt ", fmt), F.Chunk("data", new byte[200_000])));
        var (ex, allocated) = ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path));
        AssertSentence(ex.Message, path);
        Assert.Contains($"{rate:N0} Hz", ex.Message);
        Assert.Contains("1,000…768,000 Hz", ex.Message);
        Assert.Contains("768 kHz is the most audio interfaces record", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated before refusing a header");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(768_000)]
    public void The_ends_of_the_rate_range_are_read(int rate)
    {
        using var tmp = new F();
        var path = tmp.Write("edge.wav", WavFile.ToBytes(new AudioClip(F.Sine(rate / 10, 100, rate), rate)));
        Assert.Equal(rate / 10, AudioLoader.Load(path, new AudioLoadOptions { SampleRate = null }).Length);
        Assert.Equal(2205, AudioLoader.Load(path).Length);   // 0.1 s resampled to 22,050 Hz
    }

    [Fact]
    public void A_float64_wav_with_a_few_samples_of_1e30_is_refused_naming_the_peak_in_every_entry_point()
    {
        using var tmp = new F();
        var y = Tone(22050);
        y[100] = 1e30; y[5000] = -1e30; y[20000] = 3e29;
        var path = tmp.Write("loud.wav", Float64Wav(y));
        foreach (var load in new Action[]
                 {
                     () => AudioLoader.Load(path),
                     () => AudioLoader.LoadChannels(path, new AudioLoadOptions { SampleRate = null, Mono = false }),
                     () => AudioLoader.LoadAsync(path).GetAwaiter().GetResult(),
                     () => WavFile.Read(path),
                 })
        {
            var ex = Assert.Throws<AudioFormatException>(load);
            AssertSentence(ex.Message, path);
            Assert.Contains("float samples reach 1E+30 (full scale is 1.0; at most ±1,000,000 is read)", ex.Message);
            Assert.Contains("3 samples are beyond it", ex.Message);
            Assert.Contains("the first is sample 100 of channel 0", ex.Message);
            Assert.Contains("The file is probably corrupt: re-export it", ex.Message);
        }
        // The part actually read is what counts: a clip that stops before the first bad sample loads.
        Assert.Equal(99, AudioLoader.Load(path, new AudioLoadOptions { SampleRate = null, DurationSeconds = 99.5 / 22050 }).Length);
    }

    [Fact]
    public void All_samples_at_1e30_are_refused_not_called_silent()
    {
        using var tmp = new F();
        var path = tmp.Write("all.wav", Float64Wav(Enumerable.Repeat(1e30, 4410).ToArray()));
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path));
        AssertSentence(ex.Message, path);
        Assert.Contains("4,410 samples are beyond it", ex.Message);
        Assert.DoesNotContain("silent", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, "1 NaN, 0 infinite")]
    [InlineData(double.PositiveInfinity, "0 NaN, 1 infinite")]
    [InlineData(double.NegativeInfinity, "0 NaN, 1 infinite")]
    [InlineData(1e300, "0 NaN, 1 infinite")]      // beyond float32: infinite once read
    public void Nan_and_infinite_samples_are_refused_counting_them(double bad, string counts)
    {
        using var tmp = new F();
        var y = Tone(2205);
        y[7] = bad;
        var path = tmp.Write("nonfinite.wav", Float64Wav(y));
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path));
        AssertSentence(ex.Message, path);
        Assert.Contains("1 sample is not finite", ex.Message);
        Assert.Contains(counts, ex.Message);
        Assert.Contains("sample 7 of channel 0", ex.Message);
    }

    [Fact]
    public void Float_samples_in_int16_units_and_up_to_a_million_are_read_but_not_beyond()
    {
        using var tmp = new F();
        // A float WAV written in int16 units (a common scipy mistake) loads as librosa loads it: just loud.
        var int16Units = Tone(2205).Select(v => v * 32768).ToArray();
        Assert.Equal(2205, AudioLoader.Load(tmp.Write("int16units.wav", Float64Wav(int16Units))).Length);
        var edge = Tone(2205);
        edge[3] = 1e6;
        Assert.Equal(1e6f, AudioLoader.Load(tmp.Write("edge.wav", Float64Wav(edge))).Samples[3]);
        edge[3] = 1.1e6;
        var path = tmp.Write("over.wav", Float64Wav(edge));
        Assert.Contains("float samples reach 1.1E+06", Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path)).Message);
    }

    [Fact]
    public void Resampling_beyond_the_sample_limit_is_refused_before_the_output_is_allocated()
    {
        using var tmp = new F();
        // 400 s at 1 kHz (800 kB) asked at 768 kHz: 307,200,000 samples, more than 2^28.
        var path = tmp.Write("long1k.wav", F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 1000, 16)), F.Chunk("data", new byte[800_000])));
        var (ex, allocated) = ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path, new AudioLoadOptions { SampleRate = 768_000 }));
        AssertSentence(ex.Message, path);
        Assert.Contains("resampling 400 s of 1-channel audio from 1,000 Hz to 768,000 Hz gives 307,200,000 samples; one load holds at most 268,435,456 (1 GiB of float32)", ex.Message);
        Assert.Contains("--offset/--duration", ex.Message);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated (the input is 1.6 MB of float32; the output would be 1.2 GB)");
        // The same file in parts is read.
        Assert.Equal(768_000, AudioLoader.Load(path, new AudioLoadOptions { SampleRate = 768_000, DurationSeconds = 1 }).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    [InlineData(65535)]
    public void Channel_counts_outside_1_to_1024_are_refused_before_any_allocation(int channels)
    {
        using var tmp = new F();
        // 8-bit so that the block align (channels × 1 byte) is valid even at 65,535 channels.
        var fmt = F.Fmt(1, channels, 8000, 8);
        var path = tmp.Write("channels.wav", F.Riff(F.Chunk("fmt ", fmt), F.Chunk("data", new byte[Math.Max(channels, 1) * 4])));
        var (ex, allocated) = ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path));
        AssertSentence(ex.Message, path);
        Assert.Contains($"{channels:N0} channels, outside the 1…1,024", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void The_limits_are_the_stated_ones()
    {
        Assert.Equal(1_000, AudioLimits.MinSampleRate);
        Assert.Equal(768_000, AudioLimits.MaxSampleRate);
        Assert.Equal(1024, AudioLimits.MaxChannels);
        Assert.Equal(268_435_456, AudioLimits.MaxSamples);
        Assert.Equal(1e6f, AudioLimits.MaxSampleMagnitude);
        Assert.Equal("1,000…768,000 Hz", AudioLimits.SampleRateRange);
    }
}
