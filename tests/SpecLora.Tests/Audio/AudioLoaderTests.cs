using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

public class AudioLoaderTests
{
    private static readonly AudioLoadOptions Native = new() { SampleRate = null };

    private static void RequireFfmpeg() => Skip.IfNot(F.FfmpegAvailable(), "ffmpeg is not installed (FFMPEG_PATH/PATH); CI installs it");

    [Fact]
    public void Stereo_wav_is_averaged_to_mono_at_native_rate()
    {
        using var tmp = new F();
        var l = F.Sine(800, 300, 8000, 0.6);
        var r = F.Sine(800, 500, 8000, 0.2);
        var path = tmp.Path_("st.wav");
        WavFile.Write(path, new RawAudio([l, r], 8000), WavSampleFormat.Float32);
        var clip = AudioLoader.Load(path, Native);
        Assert.Equal(8000, clip.SampleRate);
        Assert.Equal(Enumerable.Range(0, 800).Select(i => (l[i] + r[i]) / 2f), clip.Samples);
        var both = AudioLoader.LoadChannels(path, Native with { Mono = false });
        Assert.Equal(2, both.ChannelCount);
        Assert.Equal(r, both.Channels[1]);
    }

    [Fact]
    public void Offset_and_duration_truncate_like_librosa()
    {
        using var tmp = new F();
        var y = Enumerable.Range(0, 1000).Select(i => i / 1000f).ToArray();
        var path = tmp.Path_("ramp.wav");
        WavFile.Write(path, new AudioClip(y, 1000), WavSampleFormat.Float32);
        // librosa: start = int(offset·sr), count = int(duration·sr): 0.1237 s → 123, 0.2509 s → 250 frames.
        var c = AudioLoader.Load(path, Native with { OffsetSeconds = 0.1237, DurationSeconds = 0.2509 });
        Assert.Equal(250, c.Length);
        Assert.Equal(0.123f, c.Samples[0]);
        // Duration past the end reads what is there.
        Assert.Equal(100, AudioLoader.Load(path, Native with { OffsetSeconds = 0.9, DurationSeconds = 5 }).Length);
    }

    [Fact]
    public void Offset_beyond_the_end_throws_quoting_the_value()
    {
        using var tmp = new F();
        var path = tmp.Path_("short.wav");
        WavFile.Write(path, new AudioClip(new float[1000], 1000));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AudioLoader.Load(path, new AudioLoadOptions { OffsetSeconds = 1.5 }));
        Assert.Contains("OffsetSeconds=1.5", ex.Message);
        Assert.Contains(path, ex.Message);
        var ex2 = Assert.ThrowsAny<ArgumentException>(() => AudioLoader.Load(path, new AudioLoadOptions { DurationSeconds = -1 }));
        Assert.Contains("DurationSeconds=-1", ex2.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AudioLoader.Load(path, new AudioLoadOptions { DurationSeconds = 1e-5 }));
    }

    [Fact]
    public void Huge_offset_and_duration_saturate_instead_of_wrapping_around()
    {
        using var tmp = new F();
        var path = tmp.Path_("short.wav");
        WavFile.Write(path, new AudioClip(F.Sine(1000, 100, 1000), 1000));
        // 1e300·sr overflowed a long to its minimum: the offset read from the start, the duration selected "0 frames".
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => AudioLoader.Load(path, new AudioLoadOptions { OffsetSeconds = 1e300 }));
        Assert.Contains("OffsetSeconds=1E+300 is at or beyond the end of " + path, ex.Message);
        Assert.Equal(1000, AudioLoader.Load(path, new AudioLoadOptions { SampleRate = null, DurationSeconds = 1e300 }).Length);
        Assert.Equal(500, AudioLoader.Load(path, new AudioLoadOptions { SampleRate = null, OffsetSeconds = 0.5, DurationSeconds = double.MaxValue }).Length);
    }

    [Fact]
    public void An_extremely_long_file_name_is_a_sentence_not_an_IO_error()
    {
        using var tmp = new F();
        var name = new string('a', 300) + ".wav";   // longer than the 255 bytes a file name may have
        var path = tmp.Path_(name);
        var ex = Assert.ThrowsAny<Exception>(() => AudioLoader.Load(path));
        Assert.True(ex is AudioFormatException or FileNotFoundException, ex.GetType().Name + ": " + ex.Message);
        AudioLimitsTests.AssertSentence(ex.Message, path);
        // A long name that does exist (200 characters) loads.
        var longOk = tmp.Path_(new string('b', 196) + ".wav");
        WavFile.Write(longOk, new AudioClip(F.Sine(2205, 440, 22050), 22050));
        Assert.Equal(2205, AudioLoader.Load(longOk).Length);
    }

    [Fact]
    public void Resamples_to_22050_by_default_with_ceil_length()
    {
        using var tmp = new F();
        var path = tmp.Path_("48k.wav");
        WavFile.Write(path, new AudioClip(F.Sine(48000, 440, 48000), 48000));
        var c = AudioLoader.Load(path);
        Assert.Equal(22050, c.SampleRate);
        Assert.Equal(22050, c.Length);
    }

    [Fact]
    public void Mono_false_on_Load_points_to_LoadChannels()
    {
        var ex = Assert.Throws<ArgumentException>(() => AudioLoader.Load("x.wav", new AudioLoadOptions { Mono = false }));
        Assert.Contains("LoadChannels", ex.Message);
    }

    [Fact]
    public void Bad_files_get_typed_errors_naming_the_file()
    {
        using var tmp = new F();
        var empty = tmp.Write("empty.mp3", []);
        Assert.Contains("empty", Assert.Throws<AudioFormatException>(() => AudioLoader.Load(empty)).Message);
        var truncated = tmp.Write("cut.wav", "RIFF\x10\0\0\0WAVEfmt "u8.ToArray());
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(truncated));
        Assert.Contains("truncated", ex.Message);
        Assert.Contains(truncated, ex.Message);
        var zero = tmp.Write("zero.wav", F.Riff(F.Chunk("fmt ", F.Fmt(1, 2, 44100, 16)), F.Chunk("data", [])));
        Assert.Contains("no audio samples", Assert.Throws<AudioFormatException>(() => AudioLoader.Load(zero)).Message);
        var nan = tmp.Write("inf.wav", F.Riff(F.Chunk("fmt ", F.Fmt(3, 1, 22050, 32)), F.Chunk("data", F.Float32Data(0f, float.NegativeInfinity))));
        var exNan = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(nan));
        Assert.Contains(nan, exNan.Message);
        Assert.Contains("-∞", exNan.Message.Replace("-Infinity", "-∞"));
        Assert.Throws<FileNotFoundException>(() => AudioLoader.Load(tmp.Path_("missing.wav")));
        var text = tmp.Write("text.wav", "just some text"u8.ToArray());
        Assert.Contains("not a RIFF/WAVE", Assert.Throws<AudioFormatException>(() => AudioLoader.Load(text)).Message);
    }

    [Fact]
    public void Missing_ffmpeg_gets_FfmpegNotFoundException_with_install_advice()
    {
        using var tmp = new F();
        var mp3 = tmp.Write("song.mp3", "ID3 not really"u8.ToArray());
        var ex = Assert.Throws<FfmpegNotFoundException>(() => AudioLoader.Load(mp3, new AudioLoadOptions { FfmpegPath = tmp.Path_("no-such-ffmpeg") }));
        Assert.Contains(mp3, ex.Message);
        Assert.Contains("apt-get install ffmpeg", ex.Message);
        Assert.Contains("FFMPEG_PATH", ex.Message);
    }

    [SkippableFact]
    public void Text_file_named_mp3_is_an_AudioFormatException()
    {
        RequireFfmpeg();
        using var tmp = new F();
        var path = tmp.Write("notes.mp3", System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("This is a text file, not audio.\n", 40))));
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path));
        Assert.Contains(path, ex.Message);
    }

    [SkippableFact]
    public void Unknown_wav_codec_is_an_AudioFormatException()
    {
        RequireFfmpeg();
        using var tmp = new F();
        var path = tmp.Write("odd.wav", F.Riff(F.Chunk("fmt ", F.Fmt(0x4321, 1, 8000, 16)), F.Chunk("data", new byte[4000])));
        var ex = Assert.Throws<AudioFormatException>(() => AudioLoader.Load(path));
        Assert.Contains(path, ex.Message);
    }

    [SkippableFact]
    public async Task Flac_via_ffmpeg_round_trips_and_LoadAsync_works()
    {
        RequireFfmpeg();
        using var tmp = new F();
        var wav = tmp.Path_("tone.wav");
        var y = F.Sine(8000, 440, 16000, 0.5);
        WavFile.Write(wav, new AudioClip(y, 16000));
        var flac = tmp.Path_("tone.flac");
        var psi = new System.Diagnostics.ProcessStartInfo("ffmpeg", ["-v", "error", "-i", wav, flac]) { RedirectStandardError = true };
        using (var p = System.Diagnostics.Process.Start(psi)!) { await p.WaitForExitAsync(); Assert.Equal(0, p.ExitCode); }
        var fromFlac = await AudioLoader.LoadAsync(flac, Native, CancellationToken.None);
        var fromWav = AudioLoader.Load(wav, Native);
        Assert.Equal(fromWav.Samples, fromFlac.Samples);   // FLAC is lossless
    }

    [SkippableFact]
    public void Corpus_first_5s_is_at_least_60dB_SNR_against_librosa_soxr_hq()
    {
        var wav = Golden.RequireShared("corpus", "beethoven_elise_15s.wav");
        var expected = Golden.ReadF32(Golden.RequireShared("golden", "elise5s_y_soxr_hq.f32"));
        var y = AudioLoader.Load(wav, new AudioLoadOptions { DurationSeconds = 5.0 });
        Assert.Equal(22050, y.SampleRate);
        Assert.Equal(expected.Length, y.Length);   // 110250
        double snr = F.SnrDb(y.Samples, expected);
        Assert.True(snr >= 60, $"SNR {snr:F2} dB < 60 dB against elise5s_y_soxr_hq");
    }

    [SkippableTheory]
    [InlineData("beethoven_elise_15s")]
    [InlineData("beethoven_op10no1_1_15s")]
    public void Corpus_mp3_decodes_gaplessly_to_the_wav_length_and_content(string name)
    {
        var wavPath = Golden.RequireShared("corpus", name + ".wav");
        var mp3Path = Golden.RequireShared("corpus", name + ".mp3");
        RequireFfmpeg();
        var wav = AudioLoader.LoadChannels(wavPath, Native with { Mono = false });
        var mp3 = AudioLoader.LoadChannels(mp3Path, Native with { Mono = false });
        Assert.Equal(661_500, wav.Frames);
        Assert.Equal(wav.Frames, mp3.Frames);
        Assert.Equal(wav.SampleRate, mp3.SampleRate);
        Assert.Equal(2, mp3.ChannelCount);
        // Offset/duration on a decoded file: the same frames as cutting the full decode (ffmpeg's early stop is safe).
        var part = AudioLoader.LoadChannels(mp3Path, Native with { Mono = false, OffsetSeconds = 2.5, DurationSeconds = 3 });
        Assert.Equal(mp3.Slice((int)(2.5 * 44100), 3 * 44100).Channels[1], part.Channels[1]);
        double snr = F.SnrDb(AudioLoader.Load(mp3Path).Samples, AudioLoader.Load(wavPath).Samples);
        Assert.True(snr > 20, $"MP3 vs WAV SNR {snr:F1} dB ≤ 20 dB (in time? the LAME delay is 1105 samples)");
    }
}
