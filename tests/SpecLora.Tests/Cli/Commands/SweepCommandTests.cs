using System.Text.Json.Nodes;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class SweepCommandTests
{
    private static Dictionary<string, string?> Env(FakeReplicateServer fake) => new()
    {
        ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString(),
    };

    [Fact]
    public async Task Sweep_makes_one_prediction_per_guidance_value_and_a_summary_naming_the_failure()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.OutputPng = SpecLora.Tests.Jobs.GuidanceSweepTests.MelPicture();
        fake.FailIf = input => input["guidanceScale"]!.GetValue<double>() == 5;
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(Env(fake), "sweep", "--guidance", "1,5,7.5", "--setting", "6", "--prompt", "A SPECTROGRAM image", "--seed", "42", "-o", dir.Path);
        Assert.True(code == 1, output); // one value failed: exit 1, the others completed
        Assert.Equal(3, fake.CreateRequests);
        Assert.Equal(3, fake.PredictionsCreated);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "sweep_g*.png").Length);
        var manifests = Directory.GetFiles(dir.Path, "sweep_g*.png.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToArray();
        Assert.Equal([1.0, 7.5], manifests.Select(m => m["input"]!["guidanceScale"]!.GetValue<double>()).Order());
        Assert.All(manifests, m => Assert.Equal("A SPECTROGRAM image", m["input"]!["myprompt"]!.GetValue<string>())); // --prompt replaced setting 6's
        Assert.All(manifests, m => Assert.Equal("noisy", m["input"]!["negative_prompt"]!.GetValue<string>()));          // the rest is setting 6's
        Assert.All(manifests, m => Assert.Equal(42, m["seed"]!.GetValue<long>()));
        Assert.Equal(2, Directory.GetFiles(dir.Path, "sweep_g*.wav").Length);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "sweep.json")))!;
        Assert.StartsWith("guidance 5:", Assert.Single(summary["failed"]!.AsArray())!.GetValue<string>());
        Assert.Contains("guidance 5 (prediction_failed)", output);
        Assert.Contains("CUDA out of memory", output);
        Assert.Contains("image_consistency_db", output);
        Assert.DoesNotContain(FakeReplicateServer.Token, output);
        dir.AssertNoSecret();
    }

    [Theory]
    [InlineData("--guidance", "1,x")]
    [InlineData("--guidance", "60")]
    [InlineData("--setting", "9")]
    public async Task Bad_values_exit_2_with_one_sentence_before_any_call(string option, string value)
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(Env(fake), "sweep", option, value, "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.DoesNotContain("Parameter", output);
        Assert.DoesNotContain("Exception", output);
        Assert.Equal(0, fake.CreateRequests + fake.GetRequests);
    }

    [Fact]
    public async Task An_output_that_is_a_file_is_refused_before_any_call()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("taken"), "x");
        var (code, output) = await CliHarness.RunAsync(Env(fake), "sweep", "--guidance", "1", "-o", dir.Sub("taken"));
        Assert.Equal(2, code);
        Assert.Contains("is an existing file", output);
        Assert.Equal(0, fake.CreateRequests + fake.GetRequests);
    }
}
