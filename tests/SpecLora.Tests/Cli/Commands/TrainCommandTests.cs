using SpecLora.Tests.Jobs;
using SpecLora.Jobs;
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
        SpecLora.Jobs.TrainingDataset.Create(dir.Sub("mels"), dir.Sub("ok.zip"));
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

    [Fact]
    public async Task Weights_that_are_an_html_page_are_refused_and_nothing_is_saved()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.Tamper = o => { if (o["output"] is System.Text.Json.Nodes.JsonValue) o["output"] = $"{fake.Root}hostile/htmltar/trained_model.tar"; return o; };
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 2);
        SpecLora.Jobs.TrainingDataset.Create(dir.Sub("mels"), dir.Sub("data.zip"));
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "train", "--dataset", dir.Sub("data.zip"), "--trainer-version", FakeReplicateServer.TrainerVersion, "-o", dir.Sub("lora"));
        Assert.Equal(1, code);
        Assert.Contains("is an HTML or XML page, not the file; nothing was saved", output);
        SpecLora.Tests.Replicate.ReplicateClientTests.AssertClean(output);
        Assert.Empty(Directory.Exists(dir.Sub("lora")) ? Directory.GetFiles(dir.Sub("lora"), "*", SearchOption.AllDirectories) : []);
    }

    [SkippableFact]
    public async Task A_fifo_as_the_dataset_is_refused_at_once()
    {
        Skip.If(OperatingSystem.IsWindows(), "mkfifo is POSIX");
        using var dir = new TempDir();
        var fifo = dir.Sub("data.zip");
        using (var p = System.Diagnostics.Process.Start("mkfifo", [fifo])!) { p.WaitForExit(); Skip.IfNot(p.ExitCode == 0, "mkfifo failed"); }
        var env = CliHarness.NoToken();
        env["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token;
        var run = CliHarness.RunAsync(env, "train", "--dataset", fifo);
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "the FIFO was opened instead of refused");
        var (code, output) = await run;
        Assert.Equal(2, code);
        Assert.Contains("is a FIFO (named pipe)", output);
    }
}
