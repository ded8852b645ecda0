using SpecLora.Tests.TestSupport;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class TrainCommandTests
{
    [Fact]
    public async Task Train_uploads_runs_and_downloads_the_weights()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 2);
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "dataset", dir.Sub("mels"), "-o", dir.Sub("data.zip"), "--captions");
        Assert.True(code == 0, output);
        (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", dir.Sub("data.zip"), "--trainer-version", FakeReplicateServer.TrainerVersion, "-o", dir.Sub("lora"));
        Assert.True(code == 0, output);
        Assert.Single(Directory.GetFiles(dir.Sub("lora"), "*.tar"));
        Assert.Single(Directory.GetFiles(dir.Sub("lora"), "*.tar.json"));
        Assert.Single(fake.Uploads);
        Assert.Contains("weights:", output);
        Assert.DoesNotContain(FakeReplicateServer.Token, output);
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task Oversized_or_missing_zip_and_missing_token_fail_before_any_call()
    {
        using var dir = new TempDir();
        var big = dir.Sub("big.zip");
        using (var fs = File.Create(big)) fs.SetLength(100L * 1024 * 1024 + 1);
        var env = CliHarness.NoToken();
        env["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token;
        var (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", big);
        Assert.Equal(2, code);
        Assert.Contains("100 MiB", output);
        (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", dir.Sub("none.zip"));
        Assert.Equal(2, code);
        Assert.Contains("speclora dataset", output);
        (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", big, "--mode", "training");
        Assert.Equal(2, code);
        Assert.Contains("destination", output);

        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 1);
        SpecLora.Replicate.TrainingDataset.Create(dir.Sub("mels"), dir.Sub("ok.zip"));
        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "train", "--dataset", dir.Sub("ok.zip"));
        Assert.Equal(2, code);
        Assert.Contains("export REPLICATE_API_TOKEN=r8_", output);

        // a plain-http API root that is not this machine: refused before the upload
        env[SpecLora.Replicate.ReplicateClientOptions.BaseUrlVariable] = "http://api.replicate.com/v1";
        (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", dir.Sub("ok.zip"));
        Assert.Equal(2, code);
        Assert.Contains("plain http", output);
        Assert.DoesNotContain("401", output);
    }
}
