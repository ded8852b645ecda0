using System.Buffers.Binary;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

public class WavFileTests
{
    // Exactly representable in every integer format after scaling: k / 128.
    private static float[] Ramp(int n, int phase = 0)
    {
        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = ((i * 7 + phase * 13) % 255 - 127) / 128f;
        return y;
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm8, 1)]
    [InlineData(WavSampleFormat.Pcm16, 1)]
    [InlineData(WavSampleFormat.Pcm24, 1)]
    [InlineData(WavSampleFormat.Pcm32, 1)]
    [InlineData(WavSampleFormat.Float32, 1)]
    [InlineData(WavSampleFormat.Float64, 1)]
    [InlineData(WavSampleFormat.Pcm16, 2)]
    [InlineData(WavSampleFormat.Float32, 2)]
    [InlineData(WavSampleFormat.Pcm24, 3)]
    [InlineData(WavSampleFormat.Float32, 6)]
    public void Write_then_read_round_trips_exactly(WavSampleFormat format, int channels)
    {
        using var tmp = new F();
        var chans = Enumerable.Range(0, channels).Select(c => Ramp(1001, c)).ToArray();
        var path = tmp.Path_($"rt_{format}_{channels}.wav");
        WavFile.Write(path, new RawAudio(chans, 32000), format);
        var back = WavFile.Read(path);
        Assert.Equal(32000, back.SampleRate);
        Assert.Equal(channels, back.ChannelCount);
        Assert.Equal(1001, back.Frames);
        for (int c = 0; c < channels; c++) Assert.Equal(chans[c], back.Channels[c]);
        Assert.Empty(Directory.GetFiles(tmp.Dir, "*.tmp"));
    }

    [Theory]
    [InlineData(WavSampleFormat.Pcm16, 1.0 / 32768)]
    [InlineData(WavSampleFormat.Pcm24, 1.0 / 8388608)]
    [InlineData(WavSampleFormat.Float32, 0)]
    public void Arbitrary_samples_round_trip_within_half_an_LSB(WavSampleFormat format, double lsb)
    {
        var y = F.Sine(5000, 441, 22050, 0.9, 0.3);
        var back = WavFile.Read(new MemoryStream(WavFile.ToBytes(new AudioClip(y, 22050), format)), "memory");
        Assert.True(Golden.MaxAbsDiff(back.Channels[0], y) <= lsb / 2 + 1e-9, $"max diff {Golden.MaxAbsDiff(back.Channels[0], y)} > {lsb / 2}");
    }

    [Fact]
    public void Pcm16_write_rounds_and_clips()
    {
        float[] y = [1.5f, -1.5f, 1f, -1f, 0.5f / 32768, 1.49f / 32768];
        var bytes = WavFile.ToBytes(new AudioClip(y, 8000));
        var data = bytes.AsSpan(44);
        short[] expected = [32767, -32768, 32767, -32768, 0, 1];  // 0.5 rounds to even
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]));
        Assert.Equal(44 + 12, bytes.Length);
    }

    [Fact]
    public void Pcm8_is_unsigned_and_scaled_like_libsndfile()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 8)), F.Chunk("data", [0, 128, 255]));
        var a = WavFile.Read(new MemoryStream(wav), "u8");
        Assert.Equal([-1f, 0f, 127f / 128], a.Channels[0]);
    }

    [Fact]
    public void Extensible_24bit_and_odd_LIST_chunk_with_pad_byte_are_read()
    {
        // LIST chunk of odd size 5 → one pad byte follows; then extensible fmt (PCM sub-format), a fact chunk, data.
        byte[] pcm24 = [0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x40, 0x00, 0x00, 0xC0];   // L R L R
        var wav = F.Riff(F.Chunk("LIST", "INFOx"u8.ToArray()), F.Chunk("fmt ", F.FmtExtensible(1, 2, 48000, 24, 24, 3)),
            F.Chunk("fact", new byte[4]), F.Chunk("data", pcm24), F.Chunk("id3 ", new byte[3]));
        using var tmp = new F();
        var a = WavFile.Read(tmp.Write("ext.wav", wav));
        Assert.Equal(48000, a.SampleRate);
        Assert.Equal(2, a.ChannelCount);
        Assert.Equal([-1f, 0.5f], a.Channels[0]);
        Assert.Equal([8388607f / 8388608, -0.5f], a.Channels[1]);
    }

    [Fact]
    public void Extensible_float_with_four_channels_is_read()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.FmtExtensible(3, 4, 44100, 32, 32, 0x33)), F.Chunk("data", F.Float32Data(0.1f, 0.2f, 0.3f, 0.4f, -0.1f, -0.2f, -0.3f, -0.4f)));
        var a = WavFile.Read(new MemoryStream(wav), "ext-float");
        Assert.Equal(4, a.ChannelCount);
        Assert.Equal([0.3f, -0.3f], a.Channels[2]);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    public void Streaming_size_reads_to_the_end_dropping_a_partial_frame(uint declared)
    {
        var data = F.Int16Data(100, -100, 200, -200, 300); // 2.5 stereo frames
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 2, 8000, 16)), F.Chunk("data", data, declared));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), declared);   // a streamed header leaves both sizes unknown
        var a = WavFile.Read(new NonSeekable(wav), "pipe");
        Assert.Equal(2, a.Frames);
        Assert.Equal([100 / 32768f, 200 / 32768f], a.Channels[0]);
    }

    [Fact]
    public void Truncated_data_chunk_is_an_error_naming_the_file()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 16)), F.Chunk("data", F.Int16Data(1, 2, 3, 4), 1000));
        using var tmp = new F();
        var path = tmp.Write("cut.wav", wav);
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Empty_file_is_an_error()
    {
        using var tmp = new F();
        var path = tmp.Write("empty.wav", []);
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains("empty", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData(10)]   // inside "RIFF....WAVE"
    [InlineData(20)]   // inside the fmt chunk header/body
    [InlineData(30)]
    public void Truncated_header_is_an_error(int keep)
    {
        var full = WavFile.ToBytes(new AudioClip(F.Sine(100, 440, 8000), 8000));
        using var tmp = new F();
        var path = tmp.Write("short.wav", full[..keep]);
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Zero_samples_is_an_error()
    {
        using var tmp = new F();
        var path = tmp.Write("silent.wav", F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 16)), F.Chunk("data", [])));
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains("no audio samples", ex.Message);
    }

    [Fact]
    public void Empty_data_chunk_followed_by_LIST_is_zero_samples_not_a_stream()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 16)), F.Chunk("data", []), F.Chunk("LIST", new byte[20]));
        Assert.Contains("no audio samples", Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream(wav), "empty-data")).Message);
    }

    [Fact]
    public void Missing_data_chunk_is_an_error()
    {
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream(F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 16)))), "nodata"));
        Assert.Contains("no \"data\" chunk", ex.Message);
    }

    [Fact]
    public void Compressed_wav_codec_is_unsupported_natively()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(2, 1, 8000, 4)), F.Chunk("data", new byte[64]));
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream(wav), "adpcm.wav"));
        Assert.Contains("unsupported WAV codec (MS ADPCM", ex.Message);
    }

    [Fact]
    public void NaN_samples_are_an_error_naming_the_file()
    {
        using var tmp = new F();
        var path = tmp.Write("nan.wav", F.Riff(F.Chunk("fmt ", F.Fmt(3, 1, 8000, 32)), F.Chunk("data", F.Float32Data(0.1f, float.NaN, 0.2f))));
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("sample 1", ex.Message);
    }

    [Fact]
    public void Not_a_riff_file_is_an_error()
    {
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream("hello, world"u8.ToArray()), "text.wav"));
        Assert.Contains("not a RIFF/WAVE", ex.Message);
    }

    [Fact]
    public void Writing_NaN_throws_and_leaves_no_file()
    {
        using var tmp = new F();
        var path = tmp.Path_("bad.wav");
        Assert.Throws<ArgumentException>(() => WavFile.Write(path, new AudioClip([0f, float.PositiveInfinity], 8000)));
        Assert.Empty(Directory.GetFiles(tmp.Dir));
    }

    [Fact]
    public void Float32_header_has_fact_chunk_and_is_readable()
    {
        var bytes = WavFile.ToBytes(new AudioClip([0.25f, -0.5f], 22050), WavSampleFormat.Float32);
        Assert.Equal("fact", System.Text.Encoding.ASCII.GetString(bytes, 38, 4));
        Assert.Equal([0.25f, -0.5f], WavFile.Read(new MemoryStream(bytes), "f32").Channels[0]);
    }

    /// <summary>An RF64 file as EBU Tech 3306 lays it out: "RF64", 0xFFFFFFFF, "WAVE", ds64 (RIFF size, data size,
    /// sample count, table), fmt, then data with a 32-bit size of 0xFFFFFFFF.</summary>
    private static byte[] Rf64(byte[] fmt, byte[] data, ulong ds64Data, ulong ds64Riff, params byte[][] before)
    {
        var ds64 = new byte[28];
        BinaryPrimitives.WriteUInt64LittleEndian(ds64, ds64Riff);
        BinaryPrimitives.WriteUInt64LittleEndian(ds64.AsSpan(8), ds64Data);
        var wav = F.Riff([F.Chunk("ds64", ds64), F.Chunk("fmt ", fmt), .. before, F.Chunk("data", data, 0xFFFFFFFF)]);
        "RF64"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), 0xFFFFFFFF);
        return wav;
    }

    [Fact]
    public void Rf64_sizes_come_from_the_ds64_chunk()
    {
        var data = F.Int16Data(100, -100, 200, -200, 300, -300);
        // An odd-sized LIST chunk between fmt and data, and trailing bytes after the data that are not audio.
        var wav = Rf64(F.Fmt(1, 2, 44100, 16), data, (ulong)data.Length, 0, F.Chunk("LIST", "INFOx"u8.ToArray()));
        wav = [.. wav, .. F.Chunk("id3 ", new byte[10])];
        using var tmp = new F();
        var a = WavFile.Read(tmp.Write("big.wav", wav));
        Assert.Equal(44100, a.SampleRate);
        Assert.Equal(3, a.Frames);
        Assert.Equal([100 / 32768f, 200 / 32768f, 300 / 32768f], a.Channels[0]);
        Assert.Equal(3, AudioLoader.LoadChannels(tmp.Path_("big.wav"), new AudioLoadOptions { SampleRate = null, Mono = false }).Frames);
    }

    [Fact]
    public void Rf64_streamed_to_a_pipe_is_read_to_the_end()
    {
        // ffmpeg -rf64 always -f wav pipe: leaves ds64 all zeros and the data size 0xFFFFFFFF.
        var wav = Rf64(F.Fmt(3, 1, 8000, 32), F.Float32Data(0.25f, -0.5f, 0.75f), 0, 0);
        var a = WavFile.Read(new NonSeekable(wav), "pipe");
        Assert.Equal([0.25f, -0.5f, 0.75f], a.Channels[0]);
    }

    [Fact]
    public void Rf64_that_declares_more_than_the_file_holds_is_truncated()
    {
        var wav = Rf64(F.Fmt(1, 1, 8000, 16), F.Int16Data(1, 2, 3, 4), 5_000_000_000, 0);
        using var tmp = new F();
        var path = tmp.Write("cut64.wav", wav);
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("5,000,000,000 bytes", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Rf64_without_ds64_is_an_error_that_says_so()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 8000, 16)), F.Chunk("data", F.Int16Data(1, 2), 0xFFFFFFFF));
        "RF64"u8.CopyTo(wav);
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.Read(new MemoryStream(wav), "noDs64.wav"));
        Assert.Contains("noDs64.wav", ex.Message);
        Assert.Contains("ds64", ex.Message);
    }

    [SkippableTheory]
    [InlineData("pcm_s16le", WavSampleFormat.Pcm16)]
    [InlineData("pcm_f32le", WavSampleFormat.Float32)]   // ffmpeg writes WAVE_FORMAT_EXTENSIBLE here, with a fact chunk
    public void Ffmpeg_rf64_always_is_read_natively_sample_for_sample(string codec, WavSampleFormat format)
    {
        Skip.IfNot(F.FfmpegAvailable(), "ffmpeg is not installed (FFMPEG_PATH/PATH); CI installs it");
        using var tmp = new F();
        var y = new RawAudio([F.Sine(3000, 440, 16000, 0.5), F.Sine(3000, 660, 16000, 0.25)], 16000);
        var wav = tmp.Path_("in.wav");
        WavFile.Write(wav, y, format);
        var rf64 = tmp.Path_("rf64.wav");
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-v", "error", "-i", wav, "-rf64", "always", "-c:a", codec, rf64]);
        using (var p = System.Diagnostics.Process.Start(psi)!) { p.WaitForExit(); Assert.Equal(0, p.ExitCode); }
        Assert.Equal("RF64", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(rf64), 0, 4));
        var back = WavFile.Read(rf64);
        var expected = WavFile.Read(wav);
        Assert.Equal(expected.Channels[0], back.Channels[0]);
        Assert.Equal(expected.Channels[1], back.Channels[1]);
    }

    [SkippableFact]
    public void A_fifo_named_wav_is_refused_at_once_naming_the_file()
    {
        Skip.If(OperatingSystem.IsWindows(), "mkfifo is POSIX");
        using var tmp = new F();
        var fifo = tmp.Path_("stream.wav");
        using (var p = System.Diagnostics.Process.Start("mkfifo", [fifo])!) { p.WaitForExit(); Skip.IfNot(p.ExitCode == 0, "mkfifo failed"); }
        // Opening a FIFO blocks until a writer appears; the refusal must come before any open. Run it on a worker
        // so that a regression fails the test instead of hanging the run (no writer ever appears).
        var read = Task.Run(() => Assert.Throws<AudioFormatException>(() => WavFile.Read(fifo)));
        var load = Task.Run(() => Assert.Throws<AudioFormatException>(() => AudioLoader.Load(fifo)));
        Assert.True(Task.WaitAll([read, load], TimeSpan.FromSeconds(30)), "reading a FIFO blocked: it was opened instead of refused");
        foreach (var ex in new[] { read.Result, load.Result })
        {
            Assert.Contains(fifo, ex.Message);
            Assert.Contains("FIFO", ex.Message);
            Assert.DoesNotContain("Exception", ex.Message);
        }
    }

    [SkippableFact]
    public void A_character_device_is_refused_instead_of_read_forever()
    {
        Skip.IfNot(File.Exists("/dev/zero"), "no /dev/zero here");
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load("/dev/zero"));   // never ends if read
        Assert.Contains("/dev/zero", ex.Message);
        Assert.Contains("character device", ex.Message);
    }

    [SkippableFact]
    public void A_folder_named_wav_is_refused_naming_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "the file-type check runs on Linux and macOS");
        using var tmp = new F();
        var dir = tmp.Path_("album.wav");
        Directory.CreateDirectory(dir);
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(dir));
        Assert.Contains(dir, ex.Message);
        Assert.Contains("folder", ex.Message);
    }

    // ------------------------------------------------------------ hostile headers: a sentence, and no allocation from a forged size

    [Fact]
    public void A_data_chunk_claiming_4GB_on_a_100_byte_file_is_truncated_without_allocating_it()
    {
        using var tmp = new F();
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 22050, 16)), F.Chunk("data", F.Int16Data(1, 2, 3, 4), 0xFFFF_FFF0));
        var path = tmp.Write("claims4g.wav", wav);
        Assert.True(new FileInfo(path).Length < 100);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.Contains("4,294,967,280 bytes", ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void A_pipe_whose_data_chunk_claims_512MB_allocates_only_what_arrives()
    {
        // 2^28 int16 samples declared (exactly the sample limit, so the claim alone is not refused) on a 52-byte stream:
        // the reader allocated 1 GiB of float32 for it before the first byte of data was read.
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 22050, 16)), F.Chunk("data", F.Int16Data(1, 2, 3, 4), 1u << 29));
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => WavFile.Read(new NonSeekable(wav), "pipe:0"));
        AudioLimitsTests.AssertSentence(ex.Message, "pipe:0");
        Assert.Contains("536,870,912 bytes but the file ends early", ex.Message);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated for a 52-byte stream");
    }

    [Fact]
    public void A_pipe_declaring_more_samples_than_one_load_holds_is_refused_from_the_header()
    {
        var wav = F.Riff(F.Chunk("fmt ", F.Fmt(3, 2, 48000, 32)), F.Chunk("data", F.Float32Data(0.1f, 0.2f), 0xFFFF_FFF0));
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => WavFile.Read(new NonSeekable(wav), "pipe:0"));
        Assert.Contains("the part to read holds 1,073,741,820 samples; one load holds at most 268,435,456 (1 GiB of float32)", ex.Message);
        Assert.Contains("OffsetSeconds/DurationSeconds", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_endless_stream_of_unknown_length_stops_at_the_sample_limit()
    {
        // ffmpeg-style header (sizes 0xFFFFFFFF) followed by silence that never ends; the bound is lowered to 100,000
        // samples here (2^28 in use) so that the test reads 200 kB, not 512 MB.
        var header = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 22050, 16)), F.Chunk("data", [], 0xFFFF_FFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 0xFFFF_FFFF);
        using var endless = new Endless(header);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<AudioFormatException>(() => WavFile.ReadCore(endless, "pipe:0", 0, long.MaxValue, 100_000));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("pipe:0: the stream holds more than 100,000 samples", ex.Message);
        Assert.InRange(endless.Served, 200_000, 200_000 + (2 << 20));   // read up to the bound (in 1-MB blocks), no further
        Assert.True(allocated < 8 << 20, $"{allocated:N0} bytes allocated");
        // Within the bound the same stream shape reads to its end.
        var finite = F.Riff(F.Chunk("fmt ", F.Fmt(1, 1, 22050, 16)), F.Chunk("data", F.Int16Data(5, 6, 7), 0xFFFF_FFFF));
        Assert.Equal(3, WavFile.ReadCore(new NonSeekable(finite), "pipe:1", 0, long.MaxValue, 100_000).Audio.Frames);
    }

    [Theory]
    [InlineData(0, 16, "block align 0 is smaller than 1 channels × 2 bytes")]
    [InlineData(2, 0, "its header says 0 bits per sample")]
    [InlineData(16, 200, "its header says 200 bits per sample")]
    public void Block_align_0_and_absurd_bit_depths_are_refused(int align, int bits, string expected)
    {
        using var tmp = new F();
        var fmt = F.Fmt(1, 1, 22050, 16);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        var path = tmp.Write("align.wav", F.Riff(F.Chunk("fmt ", fmt), F.Chunk("data", new byte[64])));
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("fmt ")]
    [InlineData("LIST")]
    [InlineData("ds64")]
    public void A_chunk_claiming_2GB_on_a_tiny_file_is_a_truncated_header_read_in_4kB(string id)
    {
        using var tmp = new F();
        var wav = F.Riff(F.Chunk(id, F.Fmt(1, 1, 22050, 16), 0x7FFF_FFF0), F.Chunk("data", F.Int16Data(1, 2)));
        if (id == "ds64") "RF64"u8.CopyTo(wav);
        var path = tmp.Write("bigchunk.wav", wav);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.Contains("the WAV header is truncated", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
        // The same through a pipe (skipping reads the stream instead of seeking).
        var (ex2, allocated2) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => WavFile.Read(new NonSeekable(wav), "pipe:0"));
        Assert.Contains("truncated", ex2.Message);
        Assert.True(allocated2 < 1 << 20, $"{allocated2:N0} bytes allocated");
    }

    [Fact]
    public void Rf64_claiming_a_billion_frames_on_a_tiny_pipe_allocates_only_what_arrives()
    {
        // 10^9 stereo int16 frames is more than one load holds: refused from the ds64 chunk.
        var wav = Rf64(F.Fmt(1, 2, 44100, 16), F.Int16Data(1, 2, 3, 4), 4_000_000_000, 0);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => WavFile.Read(new NonSeekable(wav), "pipe:0"));
        Assert.Contains("the part to read holds 2,000,000,000 samples", ex.Message);
        Assert.True(allocated < 1 << 20, $"{allocated:N0} bytes allocated");
        // 10^8 mono frames fit the limit, so the claim is not refused; the stream ends after 2 frames.
        var mono = Rf64(F.Fmt(1, 1, 44100, 16), F.Int16Data(1, 2), 200_000_000, 0);
        var (ex2, allocated2) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => WavFile.Read(new NonSeekable(mono), "pipe:0"));
        Assert.Contains("200,000,000 bytes but the file ends early", ex2.Message);
        Assert.True(allocated2 < 16 << 20, $"{allocated2:N0} bytes allocated (the claim is 400 MB of float32)");
    }

    /// <summary>A non-seekable stream: the header, then zeros for ever; counts the bytes served.</summary>
    private sealed class Endless(byte[] header) : Stream
    {
        public long Served { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Served; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, 65536);
            for (int i = 0; i < n; i++) buffer[offset + i] = Served + i < header.Length ? header[Served + i] : (byte)0;
            Served += n;
            return n;
        }
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
