using SpecLora.Tests.Jobs;
using System.Text.Json.Nodes;
using SpecLora.Jobs;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class LoraTrainerTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    private static LoraTrainingOptions Options => new() { TrainerVersion = FakeReplicateServer.TrainerVersion, MaxTrainSteps = 10 };

    private static string Zip(TempDir dir)
    {
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 2);
        TrainingDataset.Create(dir.Sub("mels"), dir.Sub("data.zip"), captions: true);
        return dir.Sub("data.zip");
    }

    [Fact]
    public async Task Trainer_as_prediction_goes_from_zip_to_downloaded_weights()
    {
        var fake = fixture.Server.Reset();
        fake.ProcessingPolls = 5;
        using var dir = new TempDir();
        var zip = Zip(dir);
        using var client = fake.NewClient();
        var reports = new List<PredictionProgress>();
        var result = await new LoraTrainer(client).TrainAsync(zip, dir.Sub("lora"), Options, new SyncProgress<PredictionProgress>(reports.Add));

        var upload = Assert.Single(fake.Uploads);
        Assert.Equal("data.zip", upload.Name);
        Assert.Equal(new FileInfo(zip).Length, upload.Bytes);
        Assert.Equal(1, fake.PredictionsCreated);
        var p = fake.Predictions[result.Result.Prediction.Id];
        Assert.StartsWith(fake.BaseAddress + "/files/", p.Input["input_images"]!.GetValue<string>());
        Assert.Equal("SPECTROGRAM", p.Input["token_string"]!.GetValue<string>());
        Assert.Equal(FakeReplicateServer.TarBytes, File.ReadAllBytes(result.WeightsPath));
        Assert.EndsWith(".tar", result.WeightsPath);
        Assert.Contains(reports, r => r.Status == "uploading");
        Assert.Contains(reports, r => r.Percent is > 0 and < 100);
        var m = JsonNode.Parse(File.ReadAllText(result.Result.Files[0].ManifestPath))!;
        Assert.Equal("lora-training", m["kind"]!.GetValue<string>());
        Assert.Equal("prediction", m["mode"]!.GetValue<string>());
        Assert.Equal(upload.Bytes, m["dataset_bytes"]!.GetValue<long>());
        Assert.EndsWith("trained_model.tar", m["source_urls"]![0]!.GetValue<string>());
        Assert.Null(result.NewVersion);
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task Trainings_endpoint_creates_the_destination_and_returns_the_new_version()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        var zip = Zip(dir);
        using var client = fake.NewClient();
        var options = Options with { Mode = TrainingMode.Training, Destination = "me/beethoven-lora", CreateDestination = true };
        var result = await new LoraTrainer(client).TrainAsync(zip, dir.Sub("lora"), options);
        Assert.True(fake.Models.ContainsKey("me/beethoven-lora"));
        Assert.StartsWith("me/beethoven-lora:", result.NewVersion);
        Assert.Equal(FakeReplicateServer.TarBytes, File.ReadAllBytes(result.WeightsPath));
        Assert.Equal(1, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Missing_destination_gives_the_404_without_creating_anything()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        var zip = Zip(dir);
        using var client = fake.NewClient();
        var options = Options with { Mode = TrainingMode.Training, Destination = "me/missing" };
        await Assert.ThrowsAsync<ReplicateNotFoundException>(() => new LoraTrainer(client).TrainAsync(zip, dir.Sub("lora"), options));
        Assert.Empty(fake.Uploads);
        Assert.Equal(0, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Failed_training_surfaces_the_log_tail_and_expired_weights_are_a_clear_error()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "failed";
        using var dir = new TempDir();
        var zip = Zip(dir);
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => new LoraTrainer(client).TrainAsync(zip, dir.Sub("lora"), Options));
        Assert.Contains("Traceback", e.Message);
        fake.Outcome = "succeeded";
        fake.Expired = true;
        await Assert.ThrowsAsync<ReplicateOutputExpiredException>(() => new LoraTrainer(client).TrainAsync(zip, dir.Sub("lora"), Options));
    }

    [Fact]
    public async Task Bad_zip_or_options_fail_before_any_http_call()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var big = dir.Sub("big.zip");
        using (var fs = File.Create(big)) fs.SetLength(ReplicateClient.MaxFileBytes + 1);
        var e = await Assert.ThrowsAsync<TrainingDatasetException>(() => new LoraTrainer(client).TrainAsync(big, dir.Sub("lora"), Options));
        Assert.Contains("100 MiB", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => new LoraTrainer(client).TrainAsync(big, dir.Sub("lora"), Options with { CaptionPrefix = "a photo of " }));
        await Assert.ThrowsAsync<ArgumentException>(() => new LoraTrainer(client).TrainAsync(big, dir.Sub("lora"), Options with { Mode = TrainingMode.Training }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new LoraTrainer(client).TrainAsync(big, dir.Sub("lora"), Options with { Resolution = 10 }));
        Assert.Equal(0, fake.GetRequests + fake.CreateRequests);
        Assert.Empty(fake.Uploads);
    }

    [Fact]
    public void Options_validate_reports_every_bad_value_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new LoraTrainingOptions
        {
            TrainerVersion = "not a version!", Resolution = 10, MaxTrainSteps = 0, CaptionPrefix = "a photo of ", Mode = TrainingMode.Training,
        }.Validate());
        Assert.Equal("TrainerVersion", e.ParamName);
        Assert.Contains("5 problems", e.Message);
        foreach (var quoted in new[] { "\"not a version!\"", "resolution=10", "max_train_steps=0", "caption_prefix=\"a photo of \"", "destination (owner/name) is required" })
            Assert.Contains(quoted, e.Message);
        var ranges = Assert.Throws<ArgumentOutOfRangeException>(() => new LoraTrainingOptions { Resolution = 4096, TrainBatchSize = 0 }.Validate());
        Assert.Contains("2 problems", ranges.Message);
        Assert.Equal("Resolution", ranges.ParamName);
    }

    [Fact]
    public void Input_carries_the_trainer_names()
    {
        var input = new LoraTrainingOptions { Seed = 3, ExtraInput = new JsonObject { ["lora_lr"] = 0.0002 } }.ToInput(new Uri("https://api.replicate.com/v1/files/f1"));
        Assert.Equal("https://api.replicate.com/v1/files/f1", input["input_images"]!.GetValue<string>());
        Assert.Equal(1024, input["resolution"]!.GetValue<int>());
        Assert.Equal("a SPECTROGRAM image, ", input["caption_prefix"]!.GetValue<string>());
        Assert.Equal(3L, input["seed"]!.GetValue<long>());
        Assert.Equal(0.0002, input["lora_lr"]!.GetValue<double>());
        Assert.True(input["is_lora"]!.GetValue<bool>());
    }
}
