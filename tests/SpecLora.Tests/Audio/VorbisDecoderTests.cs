using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

public class VorbisDecoderTests
{
    /// <summary>0.5 s at 22050 Hz: left 0.5·sin(2π·440t), right 0.25·sin(2π·660t), made by
    /// <c>ffmpeg -f lavfi -i "aevalsrc=…:s=22050:d=0.5" -c:a libvorbis -q:a 3</c> (4.9 kB, committed).</summary>
    private static string Tones => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "tones-22050-stereo.ogg");

    /// <summary>What librosa's decoder makes of <see cref="Tones"/>: <c>soundfile.read(…, dtype='float32')</c> with
    /// libsndfile 1.2.0 (the golden files' version), interleaved float32, 11,025 frames × 2.</summary>
    private static float[][] LibsndfileTones()
    {
        var all = Golden.ReadF32(Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "tones-22050-stereo.libsndfile.f32"));
        var ch = new float[2][];
        for (int c = 0; c < 2; c++) ch[c] = Enumerable.Range(0, all.Length / 2).Select(i => all[2 * i + c]).ToArray();
        return ch;
    }

    private static readonly AudioLoadOptions NativeStereo = new() { SampleRate = null, Mono = false };

    private static void RequireFfmpeg() => Skip.IfNot(F.FfmpegAvailable(), "ffmpeg is not installed (FFMPEG_PATH/PATH); CI installs it");

    [Fact]
    public void Ogg_vorbis_loads_without_ffmpeg_to_the_exact_source_length()
    {
        using var tmp = new F();
        // An ffmpeg path that does not exist: ffmpeg would be an error, so this proves the managed decoder ran.
        var a = AudioLoader.LoadChannels(Tones, NativeStereo with { FfmpegPath = tmp.Path_("no-ffmpeg") });
        Assert.Equal(22050, a.SampleRate);
        Assert.Equal(2, a.ChannelCount);
        // librosa (libsndfile) length: the last page's granule position trims the padding. ffmpeg 5.1 gives 11,392 here.
        var librosa = LibsndfileTones();
        Assert.Equal(librosa[0].Length, a.Frames);
        Assert.Equal(11025, a.Frames);
        for (int c = 0; c < 2; c++)
        {
            double snr = F.SnrDb(a.Channels[c], librosa[c]);   // measured 132.5 dB, largest difference 3.6e-7
            Assert.True(snr > 120, $"channel {c}: {snr:F1} dB against libsndfile");
            Assert.True(a.Channels[c].Zip(librosa[c]).Max(p => Math.Abs(p.First - p.Second)) < 1e-6);
        }
        Assert.True(F.SnrDb(a.Channels[0], F.Sine(11025, 440, 22050, 0.5)) > 25);   // and it is the tone that was encoded
        // librosa.load defaults: mono mean, 22050 Hz (no resampling needed), offset/duration in frames.
        var part = AudioLoader.Load(Tones, new AudioLoadOptions { OffsetSeconds = 0.1, DurationSeconds = 0.2, FfmpegPath = tmp.Path_("no-ffmpeg") });
        Assert.Equal(4410, part.Length);
        Assert.Equal((a.Channels[0][2205] + a.Channels[1][2205]) / 2f, part.Samples[0]);
    }

    [Fact]
    public void Ogg_vorbis_header_is_recognised_by_its_identification_packet()
    {
        var head = File.ReadAllBytes(Tones).AsSpan(0, 64);
        Assert.True(VorbisDecoder.IsOggVorbis(head));
        var opusLike = head.ToArray();
        "OpusHead"u8.CopyTo(opusLike.AsSpan(28));   // an Ogg Opus stream goes to ffmpeg
        Assert.False(VorbisDecoder.IsOggVorbis(opusLike));
        Assert.False(VorbisDecoder.IsOggVorbis("RIFF\0\0\0\0WAVE"u8));
    }

    /// <summary>The Ogg pages of a file: (offset, length, granule position).</summary>
    private static List<(int Offset, int Length, long Granule)> Pages(byte[] ogg)
    {
        var pages = new List<(int, int, long)>();
        for (int pos = 0; pos + 27 <= ogg.Length;)
        {
            Assert.True(ogg.AsSpan(pos, 4).SequenceEqual("OggS"u8));
            int segments = ogg[pos + 26], body = 0;
            for (int i = 0; i < segments; i++) body += ogg[pos + 27 + i];
            int length = 27 + segments + body;
            pages.Add((pos, length, System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(ogg.AsSpan(pos + 6))));
            pos += length;
        }
        return pages;
    }

    /// <summary>Recomputes the CRC of the page at <paramref name="offset"/> (Ogg: polynomial 0x04C11DB7, MSB first, no
    /// reflection, initial 0, over the page with its CRC field zeroed).</summary>
    private static void FixCrc(byte[] ogg, int offset, int length)
    {
        ogg.AsSpan(offset + 22, 4).Clear();
        uint crc = 0;
        for (int i = offset; i < offset + length; i++)
        {
            crc ^= (uint)ogg[i] << 24;
            for (int k = 0; k < 8; k++) crc = (crc & 0x8000_0000) != 0 ? crc << 1 ^ 0x04C1_1DB7 : crc << 1;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(ogg.AsSpan(offset + 22), crc);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(4_294_967_295u)]
    public void An_ogg_whose_identification_header_says_an_absurd_rate_is_refused_saying_the_range(uint rate)
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tones);
        var first = Pages(bytes)[0];
        int packet = first.Offset + 27 + bytes[first.Offset + 26];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(packet + 12), rate);
        FixCrc(bytes, first.Offset, first.Length);
        var path = tmp.Write("rate.ogg", bytes);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.Contains("1,000…768,000 Hz", ex.Message);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void An_ogg_whose_last_page_claims_a_trillion_samples_allocates_only_what_is_decoded()
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tones);
        var last = Pages(bytes)[^1];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(last.Offset + 6), 1L << 40);
        FixCrc(bytes, last.Offset, last.Length);
        var path = tmp.Write("granule.ogg", bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RawAudio? a = null;
        Exception? error = null;
        try { a = AudioLoader.LoadChannels(path, NativeStereo with { FfmpegPath = tmp.Path_("no-ffmpeg") }); }
        catch (AudioFormatException e) { error = e; }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The decoder took the claim as the buffer size (2^30 frames × 2 channels, 8 GB); now the buffers follow the
        // samples decoded, whatever the decoder then makes of the end of the stream.
        Assert.True(allocated < 64 << 20, $"{allocated:N0} bytes allocated for a 4.9-kB file");
        if (error is not null) AudioLimitsTests.AssertSentence(error.Message, path);
        else Assert.InRange(a!.Frames, 11_025, 12_000);
    }

    [Fact]
    public void An_ogg_of_headers_and_no_audio_is_a_sentence()
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tones);
        var headers = Pages(bytes).TakeWhile(p => p.Granule == 0).ToList();
        Assert.NotEmpty(headers);
        var path = tmp.Write("empty.ogg", bytes[..(headers[^1].Offset + headers[^1].Length)]);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(() => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Damaged_ogg_without_ffmpeg_is_a_sentence_naming_the_file()
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tones);
        for (int i = 200; i < bytes.Length; i++) bytes[i] = (byte)(i * 37);   // headers survive, audio pages do not
        var path = tmp.Write("damaged.ogg", bytes);
        var ex = Assert.ThrowsAny<SpecLoraException>(() => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain("   at ", ex.Message);
    }

    [SkippableFact]
    public void Managed_decode_matches_ffmpeg_sample_for_sample()
    {
        RequireFfmpeg();
        using var tmp = new F();
        var viaFfmpeg = tmp.Path_("ffmpeg.wav");
        Run("ffmpeg", "-v", "error", "-i", Tones, "-c:a", "pcm_f32le", viaFfmpeg);
        var expected = WavFile.Read(viaFfmpeg);
        var managed = AudioLoader.LoadChannels(Tones, NativeStereo);
        // ffmpeg 5.1 does not trim this short file's last page (11,392 frames; libsndfile and NVorbis: 11,025), so
        // the samples are compared over NVorbis' length.
        Assert.True(expected.Frames >= managed.Frames);
        for (int c = 0; c < 2; c++)
        {
            double snr = F.SnrDb(managed.Channels[c], expected.Channels[c].AsSpan(0, managed.Frames));
            Assert.True(snr > 110, $"channel {c}: {snr:F1} dB");
        }
    }

    [SkippableFact]
    public void Corpus_ogg_decodes_to_the_wav_length_and_to_ffmpegs_samples()
    {
        var wavPath = Golden.RequireShared("corpus", "beethoven_elise_15s.wav");
        RequireFfmpeg();
        using var tmp = new F();
        var ogg = tmp.Path_("elise.ogg");
        Run("ffmpeg", "-v", "error", "-i", wavPath, "-c:a", "libvorbis", "-q:a", "5", ogg);
        var viaFfmpeg = tmp.Path_("elise-ffmpeg.wav");
        Run("ffmpeg", "-v", "error", "-i", ogg, "-c:a", "pcm_f32le", viaFfmpeg);
        var managed = AudioLoader.LoadChannels(ogg, NativeStereo);
        var expected = WavFile.Read(viaFfmpeg);
        Assert.Equal(661_500, managed.Frames);   // measured: 661,500 (the WAV's length), as ffmpeg
        Assert.Equal(expected.Frames, managed.Frames);
        double snr = F.SnrDb(managed.Channels[0], expected.Channels[0]);
        Assert.True(snr > 120, $"NVorbis vs ffmpeg {snr:F1} dB (measured 131.5 dB)");
    }

    private static void Run(string exe, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{exe} failed: {err}");
    }
}
