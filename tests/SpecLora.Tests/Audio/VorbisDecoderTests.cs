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
