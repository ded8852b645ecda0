using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class MusicAnalyzerTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Analysis_of_the_golden_signals_carries_librosas_numbers(string input)
    {
        var a = MusicAnalyzer.Analyze(AnalysisGolden.Input(input), name: input);
        var s = AnalysisGolden.Summary(input);
        output.WriteLine($"{input}: {a.TempoBpm:F3} BPM, {a.Key} ({a.KeyClarity:F3}), pulse {a.PulseClarity:F3}, stability {a.TempoStability:F2}, repetition {a.RepetitionScore:F3}, H {a.HarmonicRatio:F4}");
        Assert.Equal("audio", a.Kind);
        Assert.True(Math.Abs(a.TempoBpm!.Value - s.GetProperty("tempo_bpm").GetDouble()) <= 0.01);
        Assert.Equal(AnalysisGolden.Frames(input, "beats"), a.BeatFrames);
        Assert.Equal(AnalysisGolden.Frames(input, "onset_frames"), a.OnsetFrames);
        Assert.Equal(s.GetProperty("n_frames").GetInt32(), a.OnsetStrength.Length);
        var chroma = s.GetProperty("chroma_mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.All(a.ChromaMean.Zip(chroma), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-5, $"chroma mean {p.First} vs {p.Second}"));
        double tol = AnalysisGolden.InputTolerance(input, 1e-5, 200);
        Assert.True(Math.Abs(a.FlatnessMean - s.GetProperty("flatness_mean").GetDouble()) <= tol * s.GetProperty("flatness_mean").GetDouble());
        if (input != "op10_15s") Assert.True(Math.Abs(a.HarmonicRatio - s.GetProperty("harmonic_ratio").GetDouble()) <= 1e-6);
        Assert.InRange(a.KeyClarity, -1, 1);
        Assert.InRange(a.TempoStability!.Value, 0, 1);
    }

    [Fact]
    public void Our_clip_is_in_a_minor_with_a_clear_key()
    {
        var clip = AudioLoader.Load(Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav"));
        var a = MusicAnalyzer.Analyze(clip, name: "fur-elise-theme.wav");
        output.WriteLine($"{a.Key} {a.KeyClarity:F3} tempo {a.TempoBpm:F1} pulse {a.PulseClarity:F3} rep {a.RepetitionScore:F3} stab {a.TempoStability:F2} H {a.HarmonicRatio:F3} flat {a.FlatnessMean:E2}");
        Assert.Equal("A minor", a.Key);
        Assert.True(a.KeyClarity > 0.6, $"key clarity {a.KeyClarity}");
        Assert.True(a.HarmonicRatio > 0.8);
        Assert.Equal(1 + clip.Length / 512, a.OnsetStrength.Length);
        Assert.True(a.BeatFrames.SequenceEqual(a.BeatFrames.Order()) && a.BeatFrames.All(b => b < a.OnsetStrength.Length));
    }

    [Fact]
    public void A_picture_is_analysed_from_its_mel_and_its_reconstruction()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-analyze-");
        try
        {
            var y = new AudioClip(Golden.Fixture("synth2s_y.f32"), 22050);
            var png = Path.Combine(dir.FullName, "synth.png");
            var db = Decibels.PowerToDb(MelSpectrogram.Compute(y), DbOptions.MakeMels, out float refPower);
            MelImage.Save(png, db, null, MelImageMetadata.From(db, new RenderOptions(), new MelOptions(), refPower, y.DurationSeconds));
            var audio = MusicAnalyzer.Analyze(y, name: "synth");
            var pic = MusicAnalyzer.AnalyzePicture(SpectrogramImageDecoder.Decode(png), new AnalysisOptions { Inversion = new InversionOptions { Iterations = 8 } });
            output.WriteLine($"audio onsets {string.Join(",", audio.OnsetFrames)}; picture {string.Join(",", pic.OnsetFrames)}; {pic.Sources["rhythm"]}; {pic.Sources["harmony"]}");
            Assert.Equal("picture", pic.Kind);
            Assert.StartsWith("decoded mel (87 frames", pic.Sources["rhythm"]);
            Assert.StartsWith("reconstruction", pic.Sources["harmony"]);
            Assert.StartsWith("decoded mel", pic.Sources["key"]);
            Assert.Equal(audio.OnsetStrength.Length, pic.OnsetStrength.Length);
            // the PNG's mel is the audio's mel quantised to 256 colours: same tempo, nearly the same onsets, same key
            Assert.Equal(audio.TempoBpm!.Value, pic.TempoBpm!.Value, 6);
            Assert.True(pic.OnsetFrames.Intersect(audio.OnsetFrames).Count() >= 0.8 * audio.OnsetFrames.Length);
            Assert.Equal(audio.Key, pic.Key);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Silence_gives_zeros_not_errors_and_an_empty_clip_a_sentence()
    {
        var a = MusicAnalyzer.Analyze(new AudioClip(new float[22050], 22050), name: "silence");
        Assert.Equal(0, a.TempoBpm);
        Assert.Empty(a.BeatFrames);
        Assert.Empty(a.OnsetFrames);
        Assert.Equal(0, a.PulseClarity);
        var e = Assert.Throws<ArgumentException>(() => MusicAnalyzer.Analyze(new AudioClip([], 22050), name: "empty.wav"));
        Assert.Contains("empty.wav", e.Message);
    }
}
