using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

public class Mp3DecoderTests
{
    /// <summary>0.5 s at 22050 Hz mono (MPEG-2 Layer III, 48 kb/s, LAME tag), 0.5·sin(2π·440t) + 0.2·sin(2π·1320t), made by
    /// <c>ffmpeg -f lavfi -i "aevalsrc=…:s=22050:d=0.5" -c:a libmp3lame -b:a 48k</c> (3.7 kB, committed).</summary>
    private static string Tone => Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "tone-22050-mono.mp3");

    /// <summary>What librosa's decoder makes of <see cref="Tone"/>: <c>soundfile.read(…, dtype='float32')</c> with
    /// libsndfile 1.2.0 (mpg123; the golden files' version), 11,025 float32 samples.</summary>
    private static float[] LibsndfileTone() =>
        Golden.ReadF32(Path.Combine(AppContext.BaseDirectory, "Fixtures", "audio", "tone-22050-mono.libsndfile.f32"));

    private static void RequireFfmpeg() => Skip.IfNot(F.FfmpegAvailable(), "ffmpeg is not installed (FFMPEG_PATH/PATH); CI installs it");

    [Fact]
    public void The_LAME_tag_gives_the_gapless_layout()
    {
        var info = Mp3Decoder.ReadGaplessInfo(File.ReadAllBytes(Tone));
        Assert.NotNull(info);
        Assert.Equal(576, info.SamplesPerFrame);         // MPEG-2
        Assert.Equal(576 + 529, info.Start);             // LAME's delay + the decoder's
        Assert.Equal(LibsndfileTone().Length, info.Length);
        Assert.Equal(11025, info.Length);
        Assert.Null(Mp3Decoder.ReadGaplessInfo("RIFF\0\0\0\0WAVEfmt "u8));
    }

    [Fact]
    public void Mp3_loads_without_ffmpeg_to_librosas_exact_length_and_samples()
    {
        using var tmp = new F();
        // An ffmpeg path that does not exist: ffmpeg would be an error, so this proves the managed decoder ran.
        var clip = AudioLoader.Load(Tone, new AudioLoadOptions { SampleRate = null, FfmpegPath = tmp.Path_("no-ffmpeg") });
        var librosa = LibsndfileTone();
        Assert.Equal(22050, clip.SampleRate);
        Assert.Equal(librosa.Length, clip.Length);
        double snr = F.SnrDb(clip.Samples, librosa);
        Assert.True(snr > 100, $"NLayer + LAME cut vs libsndfile: {snr:F1} dB");
        Assert.True(clip.Samples.Zip(librosa).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);
        // Offset and duration cut the same frames as librosa: int(offset·sr), int(duration·sr).
        var part = AudioLoader.Load(Tone, new AudioLoadOptions { SampleRate = null, OffsetSeconds = 0.1, DurationSeconds = 0.25, FfmpegPath = tmp.Path_("no-ffmpeg") });
        Assert.Equal(clip.Samples.AsSpan(2205, 5512).ToArray(), part.Samples);
    }

    [Fact]
    public void Mp3_without_a_LAME_tag_is_left_to_ffmpeg()
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tone);
        int info = bytes.AsSpan().IndexOf("Info"u8);
        "Junk"u8.CopyTo(bytes.AsSpan(info));   // no Xing/Info tag: the encoder delay is unknown
        Assert.Null(Mp3Decoder.ReadGaplessInfo(bytes));
        var path = tmp.Write("untagged.mp3", bytes);
        var ex = Assert.Throws<FfmpegNotFoundException>(() => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Truncated_mp3_without_ffmpeg_is_a_sentence_naming_the_file()
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tone);
        var path = tmp.Write("cut.mp3", bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Theory]
    [InlineData(0u)]     // a tag announcing 0 frames: no gapless layout, so the file needs ffmpeg
    [InlineData(5u)]     // a tag announcing 5 frames, and the file ends after the tag frame
    public void An_mp3_of_no_audio_frames_is_a_sentence_naming_the_file(uint frames)
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tone);
        int info = bytes.AsSpan().IndexOf("Info"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(info + 8), frames);
        var path = tmp.Write("noframes.mp3", bytes[..(info + 150)]);   // the tag frame only
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<SpecLoraException>(
            () => AudioLoader.Load(path, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-ffmpeg") }));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.True(allocated < 16 << 20, $"{allocated:N0} bytes allocated");
    }

    [Theory]
    [InlineData(1_864_135u)]      // ≈ 2^30 samples: the decoder allocated 4.3 GB for this 3.7-kB file
    [InlineData(0xFFFF_FFFFu)]    // 2.5·10^12 samples
    public void A_LAME_tag_announcing_billions_of_samples_on_a_tiny_file_allocates_only_what_is_decoded(uint frames)
    {
        using var tmp = new F();
        var bytes = File.ReadAllBytes(Tone);
        int info = bytes.AsSpan().IndexOf("Info"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(info + 8), frames);
        var path = tmp.Write("forged.mp3", bytes);
        var (ex, allocated) = AudioLimitsTests.ThrowsAllocating<AudioFormatException>(
            () => AudioLoader.Load(path, new AudioLoadOptions { SampleRate = null, FfmpegPath = tmp.Path_("no-ffmpeg") }));
        AudioLimitsTests.AssertSentence(ex.Message, path);
        Assert.Contains("samples its LAME tag announces (the file is truncated or damaged)", ex.Message);
        Assert.True(allocated < 64 << 20, $"{allocated:N0} bytes allocated for a 3.7-kB file");
    }

    [SkippableTheory]
    [InlineData("beethoven_elise_15s")]
    [InlineData("beethoven_op10no1_1_15s")]
    public void Corpus_mp3_gives_the_wav_length_and_ffmpegs_samples(string name)
    {
        var mp3 = Golden.RequireShared("corpus", name + ".mp3");
        var wav = Golden.RequireShared("corpus", name + ".wav");
        RequireFfmpeg();
        using var tmp = new F();
        var viaFfmpeg = tmp.Path_("ffmpeg.wav");
        using (var p = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-i", mp3, "-c:a", "pcm_f32le", viaFfmpeg]))!)
        {
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        var managed = AudioLoader.LoadChannels(mp3, new AudioLoadOptions { SampleRate = null, Mono = false, FfmpegPath = tmp.Path_("no-ffmpeg") });
        var expected = WavFile.Read(viaFfmpeg);
        Assert.Equal(661_500, managed.Frames);
        Assert.Equal(WavFile.Read(wav).Frames, managed.Frames);
        Assert.Equal(expected.Frames, managed.Frames);
        for (int c = 0; c < 2; c++)
        {
            double snr = F.SnrDb(managed.Channels[c], expected.Channels[c]);   // measured 120.8 dB on Für Elise
            Assert.True(snr > 110, $"channel {c}: NLayer vs ffmpeg {snr:F1} dB");
        }
    }
}
