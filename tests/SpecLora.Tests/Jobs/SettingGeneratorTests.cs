using System.Text.Json.Nodes;
using SpecLora.Jobs;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

public class SettingGeneratorTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    [Fact]
    public async Task All_seven_settings_generate_once_each_despite_429s_and_5xx_and_never_overwrite()
    {
        var fake = fixture.Server.Reset();
        fake.RetryAfterSeconds = 0.01;
        foreach (var f in new[] { "429", "429", "429" }) fake.CreateFaults.Enqueue(f);
        foreach (var f in new[] { "500", "502html", "503", "504", "reset", "500", "429" }) fake.GetFaults.Enqueue(f);
        using var dir = new TempDir();
        using var client = fake.NewClient(o => o with { MaxRetries = 8 });
        var generator = new SettingGenerator(new ReplicateBackend(client), client.Redact);
        await generator.PrepareAsync(ReadmeSettings.All);
        Assert.Equal(0, fake.CreateRequests);

        var results = new List<PredictionResult>();
        foreach (var s in ReadmeSettings.All) results.Add(await generator.GenerateAsync(s, dir.Path, seed: 1000 + s.Number));

        Assert.Equal(7, fake.PredictionsCreated);
        Assert.Equal(7 + 3, fake.CreateRequests); // the three 429s, and nothing else
        Assert.True(fake.GetFaults.IsEmpty);
        foreach (var (s, r) in ReadmeSettings.All.Zip(results))
        {
            var file = Assert.Single(r.Files);
            Assert.Equal(FakeReplicateServer.PngBytes, File.ReadAllBytes(file.Path));
            Assert.StartsWith($"setting{s.Number}_", Path.GetFileName(file.Path));
            var m = (JsonObject)JsonNode.Parse(File.ReadAllText(file.ManifestPath))!;
            Assert.Equal(s.Number, m["readme_setting"]!.GetValue<int>());
            Assert.Equal("seed/results/" + s.OriginalImageFileName, m["original_image"]!.GetValue<string>());
            Assert.Equal(1000 + s.Number, m["seed"]!.GetValue<long>());
            Assert.Equal(1000 + s.Number, m["input"]!["seed"]!.GetValue<long>());
            Assert.Equal(s.GuidanceScale, m["input"]!["guidanceScale"]!.GetValue<double>());
            Assert.Equal(FakeReplicateServer.VersionId, m["version"]!.GetValue<string>());
            Assert.Equal($"{FakeReplicateServer.Owner}/{FakeReplicateServer.Name}", m["model"]!.GetValue<string>());
            Assert.Equal(r.Prediction.Id, m["prediction_id"]!.GetValue<string>());
            Assert.Equal("succeeded", m["status"]!.GetValue<string>());
            Assert.Equal(4.2, m["metrics"]!["predict_time"]!.GetValue<double>());
            Assert.Contains("100%", m["log_tail"]!.GetValue<string>());
            Assert.NotNull(m["created_at"]);
            Assert.NotNull(m["completed_at"]);
            Assert.Contains("/delivery/", m["source_urls"]![0]!.GetValue<string>());
        }

        // a second run of setting 1 with the same seed adds files, never replaces
        var again = await generator.GenerateAsync(ReadmeSettings.Get(1), dir.Path, seed: 1001);
        Assert.Equal(16, Directory.GetFiles(dir.Path).Length);
        Assert.DoesNotContain(again.Files[0].Path, results.SelectMany(r => r.Files).Select(f => f.Path));
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task Random_seed_is_drawn_and_recorded_when_none_is_given()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var r = await new SettingGenerator(new ReplicateBackend(client)).GenerateAsync(ReadmeSettings.Get(3), dir.Path);
        var m = JsonNode.Parse(File.ReadAllText(r.Files[0].ManifestPath))!;
        Assert.NotNull(m["seed"]);
        Assert.Equal(m["seed"]!.GetValue<long>(), fake.Predictions[r.Prediction.Id].Input["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Failed_prediction_writes_nothing_and_reports_the_log_tail()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "failed";
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => new SettingGenerator(new ReplicateBackend(client)).GenerateAsync(ReadmeSettings.Get(1), dir.Path, 1));
        Assert.Contains("RuntimeError: CUDA out of memory", e.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
