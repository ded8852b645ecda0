using System.Diagnostics;
using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Imaging;

namespace SpecLora.Cli.Bench;

/// <summary><c>speclora mels</c> end to end on a 3-minute MP3 (44.1 kHz stereo, 128 kb/s, made here with ffmpeg from the
/// embedded piano synthesiser): decode through ffmpeg, resample, melspectrogram, dB, render, JPEG, atomic write. The
/// reference is the same file as a WAV (no ffmpeg), measured in the same run.</summary>
internal sealed class MelsBenchSuite : IBenchSuite
{
    private const double TargetSeconds = 1.5;

    public string Name => "mels end to end (3-minute MP3)";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var heavy = options with { Samples = options.Quick ? 2 : 5, WarmUps = 1 };
        var dir = Directory.CreateTempSubdirectory("speclora-bench-mels-");
        try
        {
            var piano = InversionBenchSuite.Piano(180);
            var stereo = Resampler.Resample(piano, 44100);
            var wav = Path.Combine(dir.FullName, "clip.wav");
            WavFile.Write(wav, new RawAudio([stereo.Samples, stereo.Samples], 44100));
            var mp3 = Path.Combine(dir.FullName, "clip.mp3");
            if (!Encode(wav, mp3, out var why))
            {
                yield return new BenchRow("speclora mels, 3-min MP3 incl. decoding", double.NaN, "same clip as WAV (no ffmpeg)", null, null, why);
                yield break;
            }
            var outJpg = Path.Combine(dir.FullName, "out.jpg");
            var (tMp3, tMp3Min) = BenchTimer.Measure(() => MelBatch.ProcessFile(mp3, outJpg), heavy);
            double tWav = BenchTimer.Median(() => MelBatch.ProcessFile(wav, outJpg), heavy);
            yield return new BenchRow("speclora mels, 3-min MP3 incl. decoding", tMp3, "same clip as WAV (no ffmpeg)", tWav, TargetSeconds,
                "ffmpeg decode + resample 44.1→22.05 kHz + mel + 640×480 JPEG", tMp3Min);
        }
        finally { dir.Delete(true); }
    }

    private static bool Encode(string wav, string mp3, out string why)
    {
        why = "";
        try
        {
            var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("FFMPEG_PATH") is { Length: > 0 } p ? p : "ffmpeg",
                ["-y", "-loglevel", "error", "-i", wav, "-c:a", "libmp3lame", "-b:a", "128k", mp3]) { RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            var err = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0) return true;
            why = "ffmpeg could not encode the test MP3: " + err.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            why = "ffmpeg not installed (apt-get install ffmpeg): row not measured";
        }
        return false;
    }
}
