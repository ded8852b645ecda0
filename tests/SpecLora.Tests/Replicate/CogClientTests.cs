using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class CogClientTests
{
    private static CogClient Client(Uri root, TimeSpan? unreachable = null) =>
        new(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, new CogClientOptions
        {
            BaseAddress = root,
            HealthPollInterval = TimeSpan.FromMilliseconds(2),
            UnreachableTimeout = unreachable ?? TimeSpan.FromMilliseconds(200),
            SetupTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = TimeSpan.FromSeconds(2),
        });

    [Fact]
    public async Task Waits_for_READY_then_saves_data_uri_outputs_with_the_same_manifest()
    {
        await using var cog = await FakeCogServer.StartAsync();
        cog.StartingChecks = 3;
        using var dir = new TempDir();
        using var client = Client(cog.Root);
        var r = await new SettingGenerator(client).GenerateAsync(ReadmeSettings.Get(5), dir.Path, seed: 77);
        Assert.True(cog.HealthChecks >= 4);
        var id = Assert.Single(cog.PutIds);
        Assert.Equal(26, id.Length);
        Assert.Equal(r.Prediction.Id, id);
        var file = Assert.Single(r.Files);
        Assert.Equal(FakeReplicateServer.PngBytes, File.ReadAllBytes(file.Path));
        var m = JsonNode.Parse(File.ReadAllText(file.ManifestPath))!;
        Assert.Equal("cog", m["backend"]!.GetValue<string>());
        Assert.Equal(77, m["seed"]!.GetValue<long>());
        Assert.Equal(5.1, m["metrics"]!["predict_time"]!.GetValue<double>());
        Assert.Equal(5, m["readme_setting"]!.GetValue<int>());
        Assert.Equal("noisy", Assert.Single(cog.Inputs)["negative_prompt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Setup_failed_is_a_clear_error_with_setup_logs()
    {
        await using var cog = await FakeCogServer.StartAsync();
        cog.SetupFails = true;
        using var client = Client(cog.Root);
        var e = await Assert.ThrowsAsync<CogServerException>(() => client.PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Contains("SETUP_FAILED", e.Message);
        Assert.Contains("lora.safetensors not found", e.Message);
        Assert.Empty(cog.PutIds);
    }

    [Fact]
    public async Task Unreachable_url_fails_fast_with_how_to_start_the_container()
    {
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); port = ((IPEndPoint)l.LocalEndpoint).Port; }
        using var client = Client(new Uri($"http://127.0.0.1:{port}"));
        var e = await Assert.ThrowsAsync<CogServerException>(() => client.PrepareAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Contains("docker run", e.Message);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task Busy_not_ready_and_validation_errors_are_typed()
    {
        await using var cog = await FakeCogServer.StartAsync();
        using var client = Client(cog.Root);
        cog.Busy = true;
        var busy = await Assert.ThrowsAsync<CogServerException>(() => client.PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Contains("Already running", busy.Message);
        cog.Busy = false;
        cog.NotReady503 = true;
        var notReady = await Assert.ThrowsAsync<CogServerException>(() => client.PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        cog.NotReady503 = false;
        var input = ReadmeSettings.Get(1).ToInput(1);
        input["myprompt"] = "";
        var invalid = await Assert.ThrowsAsync<ReplicateValidationException>(() => client.PredictAsync(input));
        var field = Assert.Single(invalid.InvalidFields);
        Assert.Equal("input.myprompt", field.Field);
        Assert.Equal("field required", field.Description);
    }

    [Fact]
    public async Task Failed_as_200_surfaces_error_and_logs()
    {
        await using var cog = await FakeCogServer.StartAsync();
        cog.FailPrediction = true;
        using var client = Client(cog.Root);
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Equal("failed", e.Prediction.Status);
        Assert.Contains("CUDA out of memory", e.Message);
        Assert.Contains("Traceback", e.LogTail);
    }

    [Fact]
    public async Task Cancelling_sends_cancel_for_the_running_id()
    {
        await using var cog = await FakeCogServer.StartAsync();
        cog.HoldUntilCancel = true;
        using var client = Client(cog.Root);
        using var cts = new CancellationTokenSource();
        var run = client.PredictAsync(ReadmeSettings.Get(1).ToInput(1), null, cts.Token);
        var id = await cog.WaitForRunningAsync();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Contains(id, cog.CanceledIds);
    }

    [Fact]
    public async Task Schema_from_openapi_json_is_checked_before_the_put()
    {
        await using var cog = await FakeCogServer.StartAsync();
        using var client = Client(cog.Root);
        var input = ReadmeSettings.Get(1).ToInput(1);
        input["bogus"] = 1;
        Assert.Equal("bogus", (await Assert.ThrowsAsync<ReplicateInputException>(() => client.PredictAsync(input))).Field);
        input = ReadmeSettings.Get(1).ToInput(1);
        input["outWidth"] = 64;
        Assert.Equal("outWidth", (await Assert.ThrowsAsync<ReplicateInputException>(() => client.PredictAsync(input))).Field);
        Assert.Empty(cog.PutIds);
    }

    [Fact]
    public void Ids_are_26_base32_characters()
    {
        var ids = Enumerable.Range(0, 20).Select(_ => CogClient.NewId()).ToArray();
        Assert.All(ids, id => Assert.Matches("^[a-z2-7]{26}$", id));
        Assert.Equal(20, ids.Distinct().Count());
    }

    [Fact]
    public void Bad_url_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CogClient(new HttpClient(), new CogClientOptions { BaseAddress = new Uri("ftp://x/") }));
    }
}
