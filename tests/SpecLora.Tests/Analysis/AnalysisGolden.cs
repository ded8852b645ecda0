using System.Text.Json;
using SpecLora.Audio;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Analysis;

/// <summary>The librosa 0.10.2 analysis goldens (<c>../shared/golden/analysis</c>, README there): inputs and arrays.
/// synth2s's small arrays and summary.json are committed in Fixtures/golden/analysis, so its tests always run; the
/// others skip when ../shared is absent.</summary>
public static class AnalysisGolden
{
    /// <summary>The three golden inputs.</summary>
    public static TheoryData<string> Inputs => new() { "synth2s", "elise5s", "op10_15s" };

    /// <summary>The input signal at 22050 Hz as the golden script had it.</summary>
    public static AudioClip Input(string name) => name switch
    {
        "synth2s" => new AudioClip(Golden.Fixture("synth2s_y.f32"), 22050),
        "elise5s" => new AudioClip(Golden.ReadF32(Golden.RequireShared("golden", "elise5s_y_soxr_hq.f32")), 22050),
        "op10_15s" => new AudioClip(CorpusAudio.Load22050("beethoven_op10no1_1_15s.wav"), 22050),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Path of <c>{input}_{what}.f32</c>: the committed copy when there is one, else ../shared (skips when absent).</summary>
    public static string Path(string input, string what)
    {
        var local = System.IO.Path.Combine(Golden.FixtureDir, "analysis", $"{input}_{what}.f32");
        return File.Exists(local) ? local : Golden.RequireShared("golden", "analysis", $"{input}_{what}.f32");
    }

    /// <summary>The golden array <c>{input}_{what}</c>.</summary>
    public static float[] Array(string input, string what) => Golden.ReadF32(Path(input, what));

    /// <summary>Integer frames stored as float32 (beats, onsets).</summary>
    public static int[] Frames(string input, string what) => Array(input, what).Select(v => (int)v).ToArray();

    /// <summary>A scalar or array of summary.json for one input.</summary>
    public static JsonElement Summary(string input)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Golden.FixtureDir, "analysis", "summary.json")));
        return doc.RootElement.GetProperty(input).Clone();
    }

    /// <summary>
    /// The tolerance for <paramref name="input"/>: <paramref name="exact"/> for synth2s and elise5s, whose golden signals
    /// we read bit for bit; ×2 for onset envelopes (×5 for flatness, see the callers) on op10_15s, which we decode and
    /// resample ourselves (94.9 dB SNR against soxr): the differences sit in the bins 60–80 dB down, where the resampler's
    /// noise floor is, and dB-domain measures weigh those bins fully.
    /// </summary>
    public static double InputTolerance(string input, double exact, double factor = 2) => input == "op10_15s" ? exact * factor : exact;

    /// <summary>max |a − b| / max |b|.</summary>
    public static double MaxRelToPeak(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double peak = 0;
        foreach (var v in expected) peak = Math.Max(peak, Math.Abs(v));
        return Golden.MaxAbsDiff(actual, expected) / peak;
    }
}
