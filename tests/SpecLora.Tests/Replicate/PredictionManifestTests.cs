using System.Text.Json.Nodes;
using SpecLora.Jobs;
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

    /// <summary>Issue 17: a server that echoes the token in a prediction's id, model or version put it into the file name
    /// (setting1_r8_….png) and the manifest's file, model, version and prediction_id; a server-chosen id must not become a path.</summary>
    [Fact]
    public async Task A_server_echoing_the_token_in_id_model_version_and_url_leaks_it_into_no_file_name_or_manifest()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 0;
        fake.ProcessingPolls = 0;   // terminal in the create answer: the tampered id is never polled
        fake.LeakTokenInLogs = true;
        var token = FakeReplicateServer.Token;
        fake.Tamper = o =>
        {
            o["id"] = token;
            o["model"] = "evil/" + token;
            o["version"] = token.ToUpperInvariant();   // in another letter case too
            o["metrics"] = new JsonObject { ["note"] = token };
            if (o["output"] is JsonArray) o["output"] = new JsonArray((JsonNode)$"{fake.Root}hostile/png/{token}.png?sig={token}");
            return o;
        };
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var r = await new SettingGenerator(new ReplicateBackend(client), client.Redact).GenerateAsync(ReadmeSettings.Get(1), dir.Path, 1);
        var file = Assert.Single(r.Files);
        Assert.Equal("setting1_redacted.png", Path.GetFileName(file.Path));
        var m = JsonNode.Parse(File.ReadAllText(file.ManifestPath))!;
        Assert.Equal("***", m["prediction_id"]!.GetValue<string>());
        Assert.Equal("***", m["version"]!.GetValue<string>());
        Assert.Equal("evil/***", m["model"]!.GetValue<string>());
        Assert.Contains("hostile/png/***.png?sig=***", m["source_urls"]![0]!.GetValue<string>());
        Assert.Equal("***", r.Prediction.Id);   // what a caller prints is redacted too
        dir.AssertNoSecret();
        dir.AssertNoSecret(token.ToUpperInvariant());
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b\\c:d*e?f\u001b[31m")]
    public async Task A_server_chosen_id_never_becomes_a_path(string id)
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        foreach (var candidate in new[] { id, id + new string('z', 300) })
        {
            var p = new Prediction { Id = candidate, Status = PredictionStatus.Succeeded, Output = new JsonArray((JsonNode)$"{fake.Root}hostile/png/x.png") };
            var r = await PredictionManifest.SaveAsync(new ReplicateBackend(client), p, ReadmeSettings.Get(1).ToInput(1), dir.Path, "setting1");
            var path = Assert.Single(r.Files).Path;
            Assert.Equal(Path.GetFullPath(dir.Path), Path.GetDirectoryName(Path.GetFullPath(path)));
            var name = Path.GetFileName(path);
            Assert.Matches(@"^setting1_[A-Za-z0-9_-]{1,64}(-\d+)?\.png$", name);
            Assert.DoesNotContain("..", name);
        }
        Assert.Equal(4, Directory.GetFiles(dir.Path).Length);   // 2 pictures, 2 manifests, all in the folder
    }

    /// <summary>Outputs never overwrite a file the run did not create, and a failed download leaves it as it was.</summary>
    [Fact]
    public async Task An_existing_file_is_never_overwritten_and_a_failed_download_leaves_it_untouched()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var mine = System.IO.Path.Combine(dir.Path, "setting1_p1.png");
        File.WriteAllText(mine, "my own file, not a prediction");
        File.CreateSymbolicLink(System.IO.Path.Combine(dir.Path, "setting1_p1-2.png"), "/nonexistent/target");   // a dangling link holds its name too
        var good = new Prediction { Id = "p1", Status = PredictionStatus.Succeeded, Output = new JsonArray((JsonNode)$"{fake.Root}hostile/png/x.png") };
        var r = await PredictionManifest.SaveAsync(backend, good, ReadmeSettings.Get(1).ToInput(1), dir.Path, "setting1");
        Assert.EndsWith("setting1_p1-3.png", r.Files[0].Path);
        Assert.Equal("my own file, not a prediction", File.ReadAllText(mine));

        var before = Directory.GetFiles(dir.Path).Order().ToArray();
        var bad = good with { Output = new JsonArray((JsonNode)$"{fake.Root}hostile/html/x.png") };
        await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, bad, ReadmeSettings.Get(1).ToInput(1), dir.Path, "setting1"));
        Assert.Equal(before, Directory.GetFiles(dir.Path).Order().ToArray());
        Assert.Equal("my own file, not a prediction", File.ReadAllText(mine));
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
