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
}
