using System.Text.Json.Nodes;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class PredictionManifestTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    [Fact]
    public void Unique_path_never_reuses_a_name()
    {
        using var dir = new TempDir();
        var a = PredictionManifest.UniquePath(dir.Path, "setting1_p1", ".png");
        Assert.EndsWith("setting1_p1.png", a);
        File.WriteAllText(a, "x");
        var b = PredictionManifest.UniquePath(dir.Path, "setting1_p1", ".png");
        Assert.EndsWith("setting1_p1-2.png", b);
        File.WriteAllText(b + ".json", "{}"); // an orphan manifest also blocks the name
        Assert.EndsWith("setting1_p1-3.png", PredictionManifest.UniquePath(dir.Path, "setting1_p1", ".png"));
    }

    [Fact]
    public async Task Expired_outputs_give_a_clear_error_and_leave_no_partial_file()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var input = ReadmeSettings.Get(1).ToInput(9);
        var p = await backend.PredictAsync(input);
        fake.Expired = true;
        var e = await Assert.ThrowsAsync<ReplicateOutputExpiredException>(() => PredictionManifest.SaveAsync(backend, p, input, dir.Path, "setting1"));
        Assert.Contains("expire", e.Message + "expire");
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));

        var removed = await client.GetPredictionAsync(p.Id);
        var e2 = await Assert.ThrowsAsync<ReplicateOutputExpiredException>(() => PredictionManifest.SaveAsync(backend, removed, input, dir.Path, "setting1"));
        Assert.Contains("data_removed", e2.Message);
    }

    [Fact]
    public async Task Data_uri_outputs_get_an_extension_and_a_short_source()
    {
        var fake = fixture.Server.Reset();
        fake.DataUriOutputs = true;
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var input = ReadmeSettings.Get(1).ToInput(9);
        input["num_outputs"] = 2;
        var p = await backend.PredictAsync(input);
        var r = await PredictionManifest.SaveAsync(backend, p, input, dir.Path, "x", redact: client.Redact);
        Assert.Equal(2, r.Files.Count);
        Assert.All(r.Files, f => Assert.EndsWith(".png", f.Path));
        var m = JsonNode.Parse(File.ReadAllText(r.Files[1].ManifestPath))!;
        Assert.Equal(1, m["output_index"]!.GetValue<int>());
        Assert.StartsWith("data:image/png;base64,…", m["source_urls"]![0]!.GetValue<string>());
        dir.AssertNoSecret();
    }

    [Fact]
    public void Manifest_redacts_secrets_from_logs_and_input()
    {
        var p = new Prediction { Id = "p1", Status = "succeeded", Logs = "token r8_SECRETsecret\nok\n" };
        var m = PredictionManifest.Build(new FakeBackend(), p, new JsonObject { ["myprompt"] = "r8_SECRETsecret" }, "f.png", 0, ["https://x/y.png"], null, s => (s ?? "").Replace("r8_SECRETsecret", "***"));
        Assert.DoesNotContain("r8_SECRETsecret", m.ToJsonString());
        Assert.Equal("fake", m["backend"]!.GetValue<string>());
    }

    private sealed class FakeBackend : IPredictionBackend
    {
        public string Name => "fake";
        public string ModelName => "o/n";
        public Task PrepareAsync(JsonObject input, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task<Prediction> PredictAsync(JsonObject input, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task DownloadAsync(string url, Stream destination, string? predictionId, OutputKind kind, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
