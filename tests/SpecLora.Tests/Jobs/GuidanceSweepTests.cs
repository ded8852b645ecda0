using System.Text.Json.Nodes;
using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Inversion;
using SpecLora.Imaging;
using SpecLora.Replicate;
using SpecLora.Spectrograms;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

/// <remarks>In the "cli-env" collection with the command tests: one test runs <c>speclora invert</c> in-process, which swaps
/// the process-wide console (<see cref="SpecLora.Tests.Cli.Commands.CliHarness"/>) and must not overlap another that does.</remarks>
[Collection("cli-env")]
public class GuidanceSweepTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    /// <summary>A small mel picture of a two-note chord (1 s), as our PNG with metadata: decodable and quick to invert.</summary>
    internal static byte[] MelPicture()
    {
        const int sr = 22050;
        var y = new float[sr];
        for (var i = 0; i < y.Length; i++) y[i] = 0.3f * MathF.Sin(2 * MathF.PI * 440 * i / sr) + 0.2f * MathF.Sin(2 * MathF.PI * 660 * i / sr);
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate), DbOptions.MakeMels, out var refPower);
        var render = new RenderOptions { Width = 128, Height = 128 };
        return MelImage.EncodePng(SpectrogramRenderer.Render(db, render), MelImageMetadata.From(db, render, null, refPower, 1.0));
    }

    /// <summary>A small mel picture as a plain PNG: no metadata, so the picture policy decides its time axis.</summary>
    internal static byte[] PlainPicture()
    {
        const int sr = 22050;
        var y = new float[sr / 2];
        for (var i = 0; i < y.Length; i++) y[i] = 0.3f * MathF.Sin(2 * MathF.PI * 330 * i / sr) * MathF.Exp(-3f * i / sr);
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate), DbOptions.MakeMels);
        return MelImage.EncodePng(SpectrogramRenderer.Render(db, new RenderOptions { Width = 48, Height = 128 }));
    }

    [Fact]
    public async Task A_picture_gives_the_same_wav_bytes_through_invert_the_notebook_call_and_the_sweep()
    {
        foreach (var picture in new[] { MelPicture(), PlainPicture() })
        {
            var fake = fixture.Server.Reset();
            fake.OutputPng = picture;
            using var dir = new TempDir();
            using var client = fake.NewClient();
            var result = await new GuidanceSweep(new ReplicateBackend(client), client.Redact)
                .RunAsync(ReadmeSettings.Get(1), dir.Path, new GuidanceSweepOptions { GuidanceScales = [7.5], Analyze = false });
            var point = Assert.Single(result.Points);
            Assert.True(point.Succeeded, point.Error);
            var sweepWav = File.ReadAllBytes(point.AudioPath!);

            // the call notebooks 05–07 make
            var notebookWav = dir.Sub("notebook.wav");
            WavFile.Write(notebookWav, ImageInversion.FromImage(SpectrogramImageDecoder.Decode(point.ImagePath!)));

            // speclora invert
            var (code, output) = await SpecLora.Tests.Cli.Commands.CliHarness.RunAsync(new Dictionary<string, string?>(), "invert", point.ImagePath!, "-o", dir.Sub("cli"));
            Assert.True(code == 0, output);
            var cliWav = File.ReadAllBytes(Path.Combine(dir.Sub("cli"), Path.GetFileNameWithoutExtension(point.ImagePath!) + ".wav"));

            Assert.Equal(sweepWav, cliWav);
            Assert.Equal(sweepWav, File.ReadAllBytes(notebookWav));
        }
    }

    [Fact]
    public async Task One_create_per_guidance_value_at_one_seed_with_manifests_wavs_and_a_summary()
    {
        var fake = fixture.Server.Reset();
        fake.OutputPng = MelPicture();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var sweep = new GuidanceSweep(new ReplicateBackend(client), client.Redact);
        var options = new GuidanceSweepOptions { GuidanceScales = [1, 7.5, 40], Seed = 42 };
        await sweep.PrepareAsync(ReadmeSettings.Get(2), options);
        Assert.Equal(0, fake.CreateRequests);

        var result = await sweep.RunAsync(ReadmeSettings.Get(2), dir.Path, options);
        Assert.Equal(3, fake.CreateRequests);
        Assert.Equal(3, fake.PredictionsCreated);
        var sent = fake.Predictions.Values.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).Select(p => p.Input).ToArray();
        Assert.Equal([1.0, 7.5, 40.0], sent.Select(i => i["guidanceScale"]!.GetValue<double>()).Order());
        Assert.All(sent, i => Assert.Equal(42, i["seed"]!.GetValue<long>()));
        Assert.All(sent, i => Assert.Equal("fuzzy, lone pixels", i["negative_prompt"]!.GetValue<string>())); // every other input from setting 2
        Assert.All(sent, i => Assert.Equal(1024, i["outWidth"]!.GetValue<int>()));

        Assert.All(result.Points, p => Assert.True(p.Succeeded, p.Error));
        Assert.Equal(3, Directory.GetFiles(dir.Path, "sweep_g*.png").Length);
        Assert.Equal(3, Directory.GetFiles(dir.Path, "sweep_g*.png.json").Length);
        Assert.Equal(3, Directory.GetFiles(dir.Path, "sweep_g*.wav").Length);
        foreach (var p in result.Points)
        {
            var m = JsonNode.Parse(File.ReadAllText(p.ManifestPath!))!;
            Assert.Equal(p.GuidanceScale, m["input"]!["guidanceScale"]!.GetValue<double>());
            Assert.Equal(p.GuidanceScale, m["sweep_guidance_scale"]!.GetValue<double>());
            Assert.Equal(42, m["seed"]!.GetValue<long>());
            Assert.Equal(2, m["readme_setting"]!.GetValue<int>());
            Assert.InRange(p.Measures!["duration_s"]!.GetValue<double>(), 0.9, 1.1); // the picture's metadata gives its true length
            Assert.True(new FileInfo(p.AudioPath!).Length > 44);
            // the music analysis of the picture: rhythm from its decoded mel, harmony from the reconstruction
            Assert.Contains("decoded mel", p.Measures["sources"]!["rhythm"]!.GetValue<string>());
            Assert.Contains("reconstruction", p.Measures["sources"]!["harmony"]!.GetValue<string>());
            Assert.InRange(p.Measures["harmonic_ratio"]!.GetValue<double>(), 0.5, 1.0); // a steady chord is harmonic
            Assert.Matches("^[A-G][♭♯]? (major|minor)$", p.Measures["key"]!.GetValue<string>());
        }

        var summary = JsonNode.Parse(File.ReadAllText(result.SummaryPath))!;
        Assert.Equal("sweep.json", Path.GetFileName(result.SummaryPath));
        Assert.Equal(42, summary["seed"]!.GetValue<long>());
        Assert.Equal(3, summary["succeeded"]!.GetValue<int>());
        Assert.Empty(summary["failed"]!.AsArray());
        Assert.Null(summary["input"]!["guidanceScale"]);
        Assert.Equal([1.0, 7.5, 40.0], summary["points"]!.AsArray().Select(p => p!["guidance_scale"]!.GetValue<double>()));
        Assert.All(summary["points"]!.AsArray(), p => Assert.True(File.Exists(Path.Combine(dir.Path, p!["image"]!.GetValue<string>()))));
        dir.AssertNoSecret();

        // a second sweep into the same folder adds files and a second summary; nothing is overwritten
        var again = await sweep.RunAsync(ReadmeSettings.Get(2), dir.Path, options with { GuidanceScales = [5], Invert = false });
        Assert.Equal("sweep-2.json", Path.GetFileName(again.SummaryPath));
        Assert.Equal(4, Directory.GetFiles(dir.Path, "sweep_g*.png").Length);
        Assert.Equal(4, fake.CreateRequests);
    }

    [Fact]
    public async Task A_failing_prediction_is_named_in_the_summary_while_the_others_complete()
    {
        var fake = fixture.Server.Reset();
        fake.FailIf = input => input["guidanceScale"]!.GetValue<double>() == 15;
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var sweep = new GuidanceSweep(new ReplicateBackend(client), client.Redact);
        var result = await sweep.RunAsync(ReadmeSettings.Get(1), dir.Path, new GuidanceSweepOptions { GuidanceScales = [10, 15, 20], Invert = false });
        Assert.Equal(3, fake.CreateRequests); // the failure was not retried
        var failed = Assert.Single(result.Failed);
        Assert.Equal(15, failed.GuidanceScale);
        Assert.Equal("prediction_failed", failed.Status);
        Assert.Contains("CUDA out of memory", failed.Error);
        Assert.NotNull(failed.PredictionId);
        Assert.Equal(2, Directory.GetFiles(dir.Path, "sweep_g*.png").Length);
        Assert.Empty(Directory.GetFiles(dir.Path, "sweep_g15_*"));
        var summary = JsonNode.Parse(File.ReadAllText(result.SummaryPath))!;
        Assert.Equal(2, summary["succeeded"]!.GetValue<int>());
        Assert.StartsWith("guidance 15:", Assert.Single(summary["failed"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task A_picture_that_cannot_be_decoded_is_kept_and_reported_as_an_analysis_failure()
    {
        var fake = fixture.Server.Reset(); // serves a 1×1 PNG: too small to be a spectrogram
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var result = await new GuidanceSweep(new ReplicateBackend(client), client.Redact).RunAsync(ReadmeSettings.Get(1), dir.Path, new GuidanceSweepOptions { GuidanceScales = [3] });
        var p = Assert.Single(result.Points);
        Assert.Equal("analysis_failed", p.Status);
        Assert.True(File.Exists(p.ImagePath));
        Assert.Contains("too small", p.Error);
    }

    [Fact]
    public async Task Without_inversion_only_pictures_and_manifests_are_written()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var result = await new GuidanceSweep(new ReplicateBackend(client)).RunAsync(ReadmeSettings.Get(3), dir.Path, new GuidanceSweepOptions { GuidanceScales = [2, 4], Invert = false });
        Assert.All(result.Points, p => Assert.True(p.Succeeded && p.Measures == null && p.AudioPath == null));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.wav"));
        Assert.Equal(2, Directory.GetFiles(dir.Path, "sweep_g*.png.json").Length);
    }

    [Fact]
    public async Task Cancelled_it_keeps_a_summary_of_the_finished_values_and_says_which_were_not_run()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<SweepProgress>(p => { if (p.Index == 0 && p.Stage == "done") cts.Cancel(); });
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new GuidanceSweep(new ReplicateBackend(client))
            .RunAsync(ReadmeSettings.Get(1), dir.Path, new GuidanceSweepOptions { GuidanceScales = [1, 3, 5], Invert = false }, progress, cts.Token));
        Assert.Contains("after 1 of 3", e.Message);
        Assert.Contains("not run: 3, 5", e.Message);
        Assert.Equal(1, fake.CreateRequests);
        var summary = JsonNode.Parse(File.ReadAllText(dir.Sub("sweep.json")))!;
        Assert.True(summary["cancelled"]!.GetValue<bool>());
        Assert.Single(summary["points"]!.AsArray());
    }

    [Fact]
    public async Task A_rejected_token_stops_the_sweep_instead_of_failing_every_value()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient(o => o with { ApiToken = "r8_WRONGtoken0123456789abcdefghijkl" });
        var sweep = new GuidanceSweep(new ReplicateBackend(client), client.Redact);
        await Assert.ThrowsAsync<ReplicateAuthenticationException>(() => sweep.RunAsync(ReadmeSettings.Get(1), dir.Path, new GuidanceSweepOptions { GuidanceScales = [1, 2] }));
        Assert.Equal(0, fake.PredictionsCreated);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("1,3,5,7.5", new[] { 1, 3, 5, 7.5 })]
    [InlineData(" 40 ", new[] { 40.0 })]
    public void Guidance_lists_parse_in_invariant_culture(string text, double[] expected) => Assert.Equal(expected, GuidanceSweepOptions.ParseGuidance(text));

    [Fact]
    public void Bad_guidance_lists_are_clear_errors()
    {
        Assert.Contains("not a number", Assert.Throws<ArgumentException>(() => GuidanceSweepOptions.ParseGuidance("1,x")).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => GuidanceSweepOptions.ParseGuidance(" , ")).Message);
        Assert.Contains("0–50", Assert.Throws<ArgumentException>(() => new GuidanceSweepOptions { GuidanceScales = [60] }.Validate()).Message);
        Assert.Contains("repeat", Assert.Throws<ArgumentException>(() => new GuidanceSweepOptions { GuidanceScales = [5, 5] }.Validate()).Message);
    }
}
