using System.Text.Json;
using SpecLora.Analysis;

namespace SpecLora.Tests.Analysis;

public class MusicAnalysisTests
{
    [Fact]
    public void Json_has_the_documented_fields_and_round_trips()
    {
        var a = new MusicAnalysis
        {
            Input = "a.wav", Kind = "audio", DurationSeconds = 2, SampleRate = 22050, HopLength = 512, TempoBpm = 120.5,
            BeatFrames = [1, 20], OnsetFrames = [3], OnsetStrength = [0f, 1.5f], Key = "A minor", KeyClarity = 0.8,
            PulseClarity = 0.2, HarmonicRatio = 0.9, FlatnessMean = 0.001, ChromaMean = Enumerable.Range(0, 12).Select(i => i / 12.0).ToArray(),
            Sources = new Dictionary<string, string> { ["rhythm"] = "audio (dB mel)" },
        };
        var json = MusicAnalysis.ToJson([a]);
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement[0];
        foreach (var field in new[] { "input", "kind", "duration_s", "tempo_bpm", "beat_frames", "onset_frames", "onset_strength", "key", "key_clarity", "pulse_clarity", "harmonic_ratio", "flatness_mean", "chroma_mean", "sources" })
            Assert.True(o.TryGetProperty(field, out _), field);
        Assert.Equal(JsonValueKind.Number, o.GetProperty("beat_frames")[0].ValueKind);
        Assert.False(o.TryGetProperty("tempogram", out _));
        var back = MusicAnalysis.FromJson(json).Single();
        Assert.Equal(a.BeatFrames, back.BeatFrames);
        Assert.Equal(a.ChromaMean, back.ChromaMean);
        Assert.Equal(512.0 / 22050, a.FrameSeconds(1), 12);
    }
}
