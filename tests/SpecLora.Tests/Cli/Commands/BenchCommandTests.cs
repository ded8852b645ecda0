using SpecLora.Tests.Replicate.Fakes;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class BenchCommandTests(ITestOutputHelper log)
{
    [Fact]
    public async Task A_json_file_that_cannot_be_written_is_refused_before_any_benchmark_runs()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("file"), "x");
        foreach (var (path, expected) in new[] { (Path.Combine(dir.Sub("file"), "rows.json"), "is an existing file"), (dir.Path, "is a folder") })
        {
            var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "bench", "--quick", "--json", path);
            log.WriteLine(output);
            Assert.Equal(2, code);
            Assert.Contains("--json " + path, output);
            Assert.Contains(expected, output);
            Assert.DoesNotContain("running", output);                    // no suite started
            MelsCommandTests.AssertSentence(output);
        }
    }

    [Fact]
    public void A_row_that_was_not_measured_is_null_in_the_json_never_a_serializer_error()
    {
        var rows = new List<SpecLora.Cli.Bench.BenchRow>
        {
            new("not measured", double.NaN, "same clip as WAV", 0.37, 1.5, "ffmpeg not installed"),
            new("measured", 0.25, "reference", 0.5, null, "ok", 0.2),
        };
        var json = System.Text.Json.JsonDocument.Parse(SpecLora.Cli.Commands.BenchCommand.Json(rows, new SpecLora.Cli.Bench.BenchOptions(true), "load ?")).RootElement;
        var first = json.GetProperty("rows")[0];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("ours_s").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.GetProperty("speedup").ValueKind);
        Assert.Equal(2.0, json.GetProperty("rows")[1].GetProperty("speedup").GetDouble(), 9);
    }
}
