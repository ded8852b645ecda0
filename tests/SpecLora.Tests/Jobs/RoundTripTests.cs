using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

public class RoundTripTests
{
    private static string Clip(TempDir dir, double seconds = 1.5)
    {
        var clip = PianoSynth.RenderFurEliseOpening();
        var path = dir.Sub("clip.wav");
        WavFile.Write(path, clip with { Samples = clip.Samples[..(int)(seconds * clip.SampleRate)] });
        return path;
    }

    [Fact]
    public void Png_round_trip_beats_the_baseline_and_writes_peak_normalised_wavs_beside_the_picture()
    {
        using var dir = new TempDir();
        var item = RoundTrip.ProcessFile(Clip(dir), dir.Sub("out/clip.png"), new RoundTripOptions { Baseline = true, Inversion = new InversionOptions { Iterations = 8 } });
        Assert.Null(item.Error);
        Assert.Equal(2, item.Runs.Count);
        var (ours, baseline) = (item.Runs[0], item.Runs[1]);
        Assert.StartsWith("ours", ours.Method);
        Assert.StartsWith("librosa-style", baseline.Method);
        Assert.Equal(1.5, ours.AudioSeconds, 1);
        Assert.True(ours.Metrics.MelSc < baseline.Metrics.MelSc, $"ours mel-SC {ours.Metrics.MelSc} vs baseline {baseline.Metrics.MelSc}");
        foreach (var run in item.Runs)
        {
            var wav = WavFile.Read(run.Wav!);
            float peak = wav.Channels[0].Max(MathF.Abs);
            Assert.Equal(Math.Pow(10, -1 / 20.0), peak, 3);                  // −1 dBFS, as the inversion's default
        }
        Assert.Equal(new[] { "clip-baseline.wav", "clip.png", "clip.wav" }, Directory.GetFiles(dir.Sub("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_an_output_folder_the_pictures_are_temporary_and_no_wav_is_written()
    {
        using var dir = new TempDir();
        var before = Directory.GetDirectories(Path.GetTempPath(), "speclora-roundtrip-*").Length;
        var result = RoundTrip.Run([Clip(dir, 1.0), dir.Sub("missing.wav")], null,
            new RoundTripOptions { Format = MelImageFormat.Jpeg, Inversion = new InversionOptions { Iterations = 2 } });
        Assert.Equal((1, 1), (result.Succeeded, result.Failed));
        Assert.Null(result.Items[0].Runs[0].Wav);
        Assert.Equal(1.0, result.Items[0].Runs[0].AudioSeconds, 1);        // JPEG: the length comes from the audio
        Assert.Contains("missing.wav", result.Items[1].Error);
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "speclora-roundtrip-*").Length);
    }
}
