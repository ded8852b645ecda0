using System.Globalization;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class RoundtripCommandTests(ITestOutputHelper log)
{
    private static string FurElise => Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav");

    /// <summary>The cells of the table row whose method column starts with <paramref name="method"/>.</summary>
    private static string[] Row(string output, string method) =>
        output.Split('\n').Select(l => l.Split('│', '|').Select(c => c.Trim()).ToArray())
            .Single(cells => cells.Length > 8 && cells[2].StartsWith(method, StringComparison.Ordinal));

    [Fact]
    public async Task Our_mel_SC_is_below_the_librosa_style_baseline_and_the_table_has_every_metric()
    {
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", FurElise, "--duration", "3", "--baseline", "-o", dir.Path);
        log.WriteLine(output);
        Assert.True(code == 0, output);
        foreach (var header in new[] { "SC", "LSD (dB)", "mel-SC", "consistency (dB)" }) Assert.Contains(header, output);
        var ours = Row(output, "ours");
        var baseline = Row(output, "librosa-style");
        // cells: "", input, method, seconds, SC, SC (dB), LSD, mel-SC, consistency, ""
        double Cell(string[] row, int i) => double.Parse(row[i], CultureInfo.InvariantCulture);
        Assert.Equal(3.0, Cell(ours, 3), 1);
        double oursMelSc = Cell(ours, 7), baseMelSc = Cell(baseline, 7);
        log.WriteLine($"mel-SC ours {oursMelSc} baseline {baseMelSc}; SC ours {Cell(ours, 4)} baseline {Cell(baseline, 4)}");
        Assert.True(oursMelSc < baseMelSc, $"ours mel-SC {oursMelSc} must be below the baseline's {baseMelSc}");
        Assert.True(oursMelSc <= 0.5 * baseMelSc, $"ours mel-SC {oursMelSc} must be at most half the baseline's {baseMelSc}");
        Assert.True(Cell(ours, 4) < Cell(baseline, 4), "linear SC below the baseline's");
        // -o keeps the picture and both reconstructions, nothing else
        Assert.Equal(new[] { "fur-elise-theme-baseline.wav", "fur-elise-theme.png", "fur-elise-theme.wav" },
            Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Jpeg_round_trip_takes_its_length_from_the_audio()
    {
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", FurElise, "--duration", "2", "--format", "jpg", "-o", dir.Path);
        log.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Equal(2.0, double.Parse(Row(output, "ours")[3], CultureInfo.InvariantCulture), 1);
        Assert.Equal(new[] { "fur-elise-theme.jpg", "fur-elise-theme.wav" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_output_folder_nothing_is_left_behind_and_a_missing_file_is_a_clear_error()
    {
        // other tests (and other processes) may make their own temporary folders meanwhile: ours must not be among
        // the folders left afterwards (a folder of another run goes away when that run ends)
        var before = Directory.GetDirectories(Path.GetTempPath(), "speclora-roundtrip-*").ToHashSet();
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", FurElise, "--duration", "1");
        Assert.True(code == 0, output);
        Assert.Contains("ours", output);
        string[] left = [];
        for (int i = 0; i < 100 && (left = Directory.GetDirectories(Path.GetTempPath(), "speclora-roundtrip-*").Where(d => !before.Contains(d)).ToArray()).Length > 0; i++)
            await Task.Delay(100);
        Assert.Empty(left);

        using var dir = new TempDir();
        (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", dir.Sub("missing.wav"), "-o", dir.Path);
        Assert.NotEqual(0, code);
        Assert.Contains("missing.wav", output);
        Assert.Contains("not found", output);
        Assert.DoesNotContain("   at ", output);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task Output_that_is_a_file_is_a_usage_error_before_any_work()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("f"), "x");
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", FurElise, "-o", dir.Sub("f"));
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains("-o " + dir.Sub("f") + " is an existing file", output);
        MelsCommandTests.AssertSentence(output);
    }

    [Fact]
    public async Task Roundtrip_into_the_recordings_folder_is_refused_and_the_recording_is_untouched()
    {
        using var dir = new TempDir();
        var clip = dir.Sub("clip.wav");
        File.Copy(FurElise, clip);
        var original = File.ReadAllBytes(clip);
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "roundtrip", clip, "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("clip.wav", output);
        Assert.Contains("input", output);
        Assert.Equal(original, File.ReadAllBytes(clip));
        Assert.False(File.Exists(dir.Sub("clip.png")));
    }
}
