using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SpecLora.Jobs;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class CogClientTests(FakeCogFixture fixture) : IClassFixture<FakeCogFixture>
{

    [Fact]
    public async Task Waits_for_READY_then_saves_data_uri_outputs_with_the_same_manifest()
    {
        var cog = fixture.Server.Reset();
        cog.StartingChecks = 3;
        using var dir = new TempDir();
        using var client = cog.NewClient();
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
        var cog = fixture.Server.Reset();
        cog.SetupFails = true;
        using var client = cog.NewClient();
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
        var cog = fixture.Server.Reset();
        using var client = cog.NewClient(new Uri($"http://127.0.0.1:{port}"));
        var t0 = cog.Clock.GetUtcNow();
        var e = await Assert.ThrowsAsync<CogServerException>(() => client.PrepareAsync(ReadmeSettings.Get(1).ToInput(1)));
        // kept trying once a second (fake clock) for UnreachableTimeout = 10 s, then gave up
        Assert.InRange(cog.Clock.Since(t0), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(12));
        Assert.Contains("docker run", e.Message);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task Busy_not_ready_and_validation_errors_are_typed()
    {
        var cog = fixture.Server.Reset();
        using var client = cog.NewClient();
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
        var cog = fixture.Server.Reset();
        cog.FailPrediction = true;
        using var client = cog.NewClient();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.PredictAsync(ReadmeSettings.Get(1).ToInput(1)));
        Assert.Equal("failed", e.Prediction.Status);
        Assert.Contains("CUDA out of memory", e.Message);
        Assert.Contains("Traceback", e.LogTail);
    }

    [Fact]
    public async Task Cancelling_sends_cancel_for_the_running_id()
    {
        var cog = fixture.Server.Reset();
        cog.HoldUntilCancel = true;
        using var client = cog.NewClient();
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
        var cog = fixture.Server.Reset();
        using var client = cog.NewClient();
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

    [Fact]
    public void Credentials_in_the_url_are_refused_without_being_repeated()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CogClient(new HttpClient(), new CogClientOptions { BaseAddress = new Uri("http://admin:hunter2@localhost:5000") }));
        Assert.Contains("user name or password", e.Message);
        Assert.DoesNotContain("hunter2", e.ToString());
        Assert.DoesNotContain("admin", e.ToString());
    }

    [Fact]
    public void Options_validate_reports_every_bad_value_at_once_and_never_repeats_a_password()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CogClientOptions
        {
            BaseAddress = new Uri("http://alice:pa55word@localhost:5000"), HealthPollInterval = TimeSpan.Zero, PredictionTimeout = TimeSpan.FromSeconds(-1),
            Downloads = new DownloadLimits { MaxOutputs = 0 },
        }.Validate());
        Assert.Equal("BaseAddress", e.ParamName);
        Assert.Contains("4 problems", e.Message);
        foreach (var quoted in new[] { "user name or password", "HealthPollInterval=00:00:00", "PredictionTimeout=-00:00:01", "Downloads.MaxOutputs=0" })
            Assert.Contains(quoted, e.Message);
        Assert.DoesNotContain("pa55word", e.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => CogClient.Create(new CogClientOptions { BaseAddress = new Uri("http://localhost:5000/#x") }));
    }

    [Fact]
    public async Task A_data_uri_output_that_is_not_a_picture_is_not_saved()
    {
        var cog = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = cog.NewClient();
        var p = new Prediction { Id = "c1", Status = PredictionStatus.Succeeded, Output = new JsonArray((JsonNode)("data:image/png;base64," + Convert.ToBase64String("<html>not a picture</html>"u8.ToArray()))) };
        var e = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(client, p, ReadmeSettings.Get(1).ToInput(1), dir.Path, "s"));
        Assert.Contains("is an HTML or XML page, not a PNG, JPEG or WebP picture", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
