using System.Text.Json.Nodes;
using SkiaSharp;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

/// <summary>Issue 17: downloads had no size cap, no content check and no body timeout (an endless body became a 3 GiB
/// .png, an HTML body and a 60-MB data: URI that was not a picture were saved as pictures, a 1-byte/s body was still
/// downloading after 120 s). Each hostile body here comes from the fake server on 127.0.0.1.</summary>
public class OutputDownloadTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    private static readonly JsonObject Input = ReadmeSettings.Get(1).ToInput(1);

    private static Prediction With(params string[] urls) =>
        new() { Id = "p1", Status = PredictionStatus.Succeeded, Output = new JsonArray(urls.Select(u => (JsonNode)u!).ToArray()) };

    private static string Hostile(FakeReplicateServer fake, string kind, string rest = "out.png") => $"{fake.Root}hostile/{kind}/{rest}";

    /// <summary>A 256×256 PNG of noise: large enough that half of it still has a whole header.</summary>
    internal static byte[] NoisyPng(int side = 256)
    {
        using var bmp = new SKBitmap(side, side);
        var rnd = new Random(7);
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++) bmp.SetPixel(x, y, new SKColor((byte)rnd.Next(256), (byte)rnd.Next(256), (byte)rnd.Next(256)));
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void AssertSentence(Exception e)
    {
        Assert.DoesNotContain("unexpected", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", e.Message);
        Assert.DoesNotContain("   at ", e.Message);
        Assert.DoesNotContain(FakeReplicateServer.Token, e.Message);
        Assert.Contains("nothing was saved", e.Message);
    }

    private static void AssertEmpty(TempDir dir) =>
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));   // hidden temporary files included

    [Fact]
    public async Task An_endless_body_stops_at_the_cap_and_leaves_nothing_behind()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.PlainClient(o => o with { Downloads = new DownloadLimits { MaxPictureBytes = 1 << 20, MaxFileBytes = 2 << 20 } });
        var backend = new ReplicateBackend(client);
        var picture = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "endless")), Input, dir.Path, "setting1"));
        Assert.Contains("went on past 1 MiB", picture.Message);
        AssertSentence(picture);
        // another file (weights) streams into a temporary file: deleted when the cap is hit
        var file = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "endless", "weights.bin")), Input, dir.Path, "lora", OutputKind.File));
        Assert.Contains("went on past 2 MiB", file.Message);
        AssertEmpty(dir);
    }

    [Fact]
    public async Task A_one_byte_per_second_body_ends_at_the_time_limit_on_the_fake_clock()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient(o => o with { Downloads = new DownloadLimits { PictureTimeout = TimeSpan.FromSeconds(20) } });
        var t0 = fake.Clock.GetUtcNow();
        var e = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(new ReplicateBackend(client), With(Hostile(fake, "slow")), Input, dir.Path, "setting1"));
        Assert.InRange(fake.TestClock!.Since(t0), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(21));   // the body's 1 byte/s did not extend it
        Assert.Contains("did not arrive within 00:00:20", e.Message);
        AssertSentence(e);
        AssertEmpty(dir);
    }

    [Fact]
    public void Default_limits_are_generous_for_a_1024_png_and_a_lora_tar_and_bounded()
    {
        var d = new DownloadLimits().Validate();
        Assert.Equal(64L << 20, d.MaxPictureBytes);
        Assert.Equal(4L << 30, d.MaxFileBytes);
        Assert.Equal(TimeSpan.FromMinutes(5), d.PictureTimeout);
        Assert.Equal(TimeSpan.FromHours(1), d.FileTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), d.StallTimeout);
        Assert.Equal(16, d.MaxOutputs);
        Assert.Equal(5, d.MaxRedirects);
    }

    [Fact]
    public void Limits_validate_reports_every_bad_value_at_once()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DownloadLimits { MaxPictureBytes = 0, PictureTimeout = TimeSpan.FromSeconds(-3), MaxOutputs = 5000, MaxRedirects = -1 }.Validate());
        Assert.Equal("MaxPictureBytes", e.ParamName);
        Assert.Contains("4 problems", e.Message);
        foreach (var quoted in new[] { "MaxPictureBytes=0", "PictureTimeout=-00:00:03", "MaxOutputs=5000", "MaxRedirects=-1" }) Assert.Contains(quoted, e.Message);
    }

    [Fact]
    public async Task An_html_page_a_cut_picture_or_a_gif_is_never_saved_as_a_picture()
    {
        var fake = fixture.Server.Reset();
        fake.OutputPng = NoisyPng();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var html = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "html")), Input, dir.Path, "s"));
        Assert.Contains("is an HTML or XML page, not a PNG, JPEG or WebP picture", html.Message);
        AssertSentence(html);
        var cut = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "cut")), Input, dir.Path, "s"));
        Assert.Contains("ends early or is damaged", cut.Message);
        AssertEmpty(dir);

        Assert.Null(OutputDownload.PictureProblem(fake.OutputPng));
        Assert.Contains("not a PNG, JPEG or WebP", OutputDownload.PictureProblem("GIF89a\u0001\u0000\u0001\u0000"u8.ToArray()));
        var garbage = new byte[4096];
        FakeReplicateServer.PngBytes.AsSpan(0, 8).CopyTo(garbage);   // a PNG signature, then nothing a PNG holds
        Assert.Contains("header does not decode", OutputDownload.PictureProblem(garbage));
    }

    [Fact]
    public async Task A_picture_is_named_after_what_it_is_not_after_the_url()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var r = await PredictionManifest.SaveAsync(new ReplicateBackend(client), With(Hostile(fake, "png", "payload.exe")), Input, dir.Path, "setting1");
        var file = Assert.Single(r.Files);
        Assert.EndsWith(".png", file.Path);
        Assert.Equal(FakeReplicateServer.PngBytes, File.ReadAllBytes(file.Path));
    }

    [Fact]
    public async Task A_data_uri_that_is_not_a_picture_not_base64_or_without_a_comma_is_one_sentence()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var junk = new byte[3 << 20];
        new Random(3).NextBytes(junk);
        var cases = new (string Uri, string Says)[]
        {
            ("data:image/png;base64," + Convert.ToBase64String(junk), "of unknown data, not a PNG, JPEG or WebP picture"),
            ("data:image/png;base64,%%%%not-base64%%%%", "not valid base64"),
            ("data:image/png;base64" + new string('A', 300), "no ','"),
        };
        foreach (var (uri, says) in cases)
        {
            var e = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(uri), Input, dir.Path, "s"));
            Assert.Contains(says, e.Message);
            AssertSentence(e);
        }
        // over the picture cap: refused from its length, before it is decoded
        using var small = fake.NewClient(o => o with { Downloads = new DownloadLimits { MaxPictureBytes = 1 << 20 } });
        var big = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(new ReplicateBackend(small), With(cases[0].Uri), Input, dir.Path, "s"));
        Assert.Contains("more than the 1 MiB allowed", big.Message);
        AssertEmpty(dir);
    }

    [Fact]
    public async Task A_redirect_to_a_file_url_or_a_redirect_loop_is_one_sentence()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var file = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "file")), Input, dir.Path, "s"));
        Assert.Contains("to file: file:///etc/passwd, which is not a web address; it was not followed", file.Message);
        AssertSentence(file);
        var loop = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "loop")), Input, dir.Path, "s"));
        Assert.Contains("more than 5 times", loop.Message);
        Assert.Equal(1 + 1 + 5, fake.DeliveryRequests.Count);   // the file redirect, then the loop's first request and 5 hops
        AssertEmpty(dir);

        // an HttpClient that follows redirects itself gives up on file: with an exception of its own: one sentence too
        using var following = fake.NewClient(handler: new SocketsHttpHandler());
        var auto = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(new ReplicateBackend(following), With(Hostile(fake, "file")), Input, dir.Path, "s"));
        Assert.Contains("not", auto.Message);
        AssertSentence(auto);
    }

    [Fact]
    public async Task A_redirect_to_another_host_does_not_carry_the_token()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var r = await PredictionManifest.SaveAsync(new ReplicateBackend(client), With(Hostile(fake, "otherhost")), Input, dir.Path, "s", redact: client.Redact);
        Assert.Equal(FakeReplicateServer.PngBytes, File.ReadAllBytes(Assert.Single(r.Files).Path));
        var requests = fake.DeliveryRequests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("Bearer " + FakeReplicateServer.Token, requests[0].Auth);   // the API host itself
        Assert.Equal("localhost", requests[1].Host);
        Assert.Null(requests[1].Auth);
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task A_content_length_that_lies_or_announces_gigabytes_is_refused()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.PlainClient();
        var backend = new ReplicateBackend(client);
        var lie = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(fake.LyingUrl.ToString()), Input, dir.Path, "s"));
        Assert.Contains($"was cut off after {FakeReplicateServer.PngBytes.Length} bytes of the 976.6 KiB announced", lie.Message);
        AssertSentence(lie);
        var huge = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "huge")), Input, dir.Path, "s"));
        Assert.Contains("announces 10 GiB, more than the 64 MiB a picture may be; it was not downloaded", huge.Message);
        AssertEmpty(dir);
    }

    [Fact]
    public async Task Ten_thousand_output_urls_are_refused_before_any_download()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var urls = Enumerable.Range(0, 10_000).Select(i => Hostile(fake, "png", $"{i}.png")).ToArray();
        var e = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(new ReplicateBackend(client), With(urls), Input, dir.Path, "s"));
        Assert.Contains("lists 10000 output files, more than the 16", e.Message);
        AssertSentence(e);
        Assert.Empty(fake.DeliveryRequests);
        AssertEmpty(dir);
    }

    [Fact]
    public async Task Weights_that_are_an_html_page_are_refused_and_a_real_tar_is_saved()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var backend = new ReplicateBackend(client);
        var e = await Assert.ThrowsAsync<ReplicateDownloadException>(() => PredictionManifest.SaveAsync(backend, With(Hostile(fake, "htmltar", "trained_model.tar")), Input, dir.Path, "lora", OutputKind.File));
        Assert.Contains("is an HTML or XML page, not the file", e.Message);
        AssertSentence(e);
        AssertEmpty(dir);
        var r = await PredictionManifest.SaveAsync(backend, With(Hostile(fake, "tar", "trained_model.tar")), Input, dir.Path, "lora", OutputKind.File);
        Assert.Equal(FakeReplicateServer.TarBytes, File.ReadAllBytes(Assert.Single(r.Files).Path));
        Assert.EndsWith(".tar", r.Files[0].Path);
        Assert.Contains("not a tar archive", OutputDownload.FileProblem("just some text, not a tar"u8, "/x/trained_model.tar"));
        Assert.Contains("not a zip archive", OutputDownload.FileProblem("just some text"u8, "/x/w.zip"));
        Assert.Null(OutputDownload.FileProblem("PK\u0003\u0004rest"u8, "/x/w.zip"));
    }
}
