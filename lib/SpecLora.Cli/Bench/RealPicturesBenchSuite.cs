using Spectre.Console;
using SpecLora.Audio;
using SpecLora.Inversion;

namespace SpecLora.Cli.Bench;

/// <summary>Pictures of real recordings (issue 8): the ten cases of <c>../shared/corpus/real</c> (5 makeMels pictures ×
/// PNG/JPEG), each inverted at its true frame count and scored against the original by the gain-free measures, beside
/// librosa's recorded figures and the ratio. The time is our in-process decode + invert of the picture. Skips with a
/// message when the data is absent (<c>SPECLORA_SHARED</c> or a <c>shared</c> folder beside the repository).</summary>
internal sealed class RealPicturesBenchSuite : IBenchSuite
{
    public string Name => "Real pictures (../shared/corpus/real), quality against librosa";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var dir = FindRealDirectory();
        if (dir is null)
        {
            AnsiConsole.MarkupLine("[yellow]real pictures skipped: ../shared/corpus/real not found (set SPECLORA_SHARED to the shared folder)[/]");
            yield break;
        }
        var originals = new Dictionary<string, AudioClip>();
        foreach (var c in PictureEvaluation.LoadCases(dir))
        {
            var key = c.OriginalPath + c.OriginalDurationSeconds;
            if (!originals.TryGetValue(key, out var original)) originals[key] = original = PictureEvaluation.LoadOriginal(c);
            var s = PictureEvaluation.Evaluate(c, original);
            yield return new BenchRow($"real picture {c.Name} ({c.Frames} frames) → WAV", s.Elapsed.TotalSeconds,
                "librosa image → audio 6.9–11.5 s for 30 s (quoted)", null, null,
                $"mel-SC_gain {s.Ours.MelScGain:F3} vs librosa {c.Librosa.MelScGain:F3} ({s.MelScGainRatio:F2}×); "
                + $"LSD_gain {s.Ours.LsdGainDb:F2} vs {c.Librosa.LsdGainDb:F2} dB ({s.LsdGainRatio:F2}×)");
        }
    }

    /// <summary>SPECLORA_SHARED/corpus/real, else shared/corpus/real in the current folder or beside any folder above it
    /// or above the binaries.</summary>
    private static string? FindRealDirectory()
    {
        var env = Environment.GetEnvironmentVariable("SPECLORA_SHARED");
        if (!string.IsNullOrEmpty(env)) return Valid(Path.Combine(env, "corpus", "real"));
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (Valid(Path.Combine(d.FullName, "shared", "corpus", "real")) is { } found) return found;
        return null;
        static string? Valid(string p) => File.Exists(Path.Combine(p, "ref", "librosa_metrics.json")) ? p : null;
    }
}
