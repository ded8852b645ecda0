using SpecLora.IO;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.IO;

[Collection(ProcessStateCollection.Name)]
public class SeedDataTests
{
    [Fact]
    public void Lists_the_eight_mels_and_seven_results_of_the_original_repository()
    {
        Assert.Equal(8, SeedData.MelFiles.Count);
        Assert.Equal("mels/mel7.jpg", SeedData.MelFiles[7]);
        Assert.Equal(7, SeedData.ResultFiles.Count);
        Assert.Equal("results/res1.png", SeedData.ResultFiles[0]);
    }

    [Fact]
    public void One_owner_of_the_original_layout_the_readme_settings_use()
    {
        Assert.Equal("results/res7.png", SeedData.ResultFile(7));
        Assert.Equal("mels/mel0.jpg", SeedData.MelFile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedData.ResultFile(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => SeedData.MelFile(8));
        foreach (var s in SpecLora.Replicate.ReadmeSettings.All)
        {
            Assert.Equal(SeedData.ResultFile(s.Number), s.OriginalImage);
            Assert.Equal(Path.Combine("seed", "results", $"res{s.Number}.png"), SpecLora.Replicate.ReadmeSettings.OriginalImagePath(s, "seed"));
        }
    }

    [Fact]
    public async Task Offline_mode_never_touches_the_network_and_says_what_to_do()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-seed-").FullName;
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");
        try
        {
            var handler = new CountingHandler();
            var e = await Assert.ThrowsAsync<SeedDataUnavailableException>(() => SeedData.EnsureAsync(dir, new HttpClient(handler)));
            Assert.Equal(0, handler.Calls);
            Assert.Contains("mels/", e.Message);
            Assert.Contains("SPECLORA_OFFLINE", e.Message);
            Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
        }
        finally { Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous); }
    }

    [Fact]
    public async Task Downloads_only_what_is_missing_through_the_given_client()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-seed-").FullName;
        foreach (var f in SeedData.AllFiles.Skip(1))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, f))!);
            File.WriteAllBytes(Path.Combine(dir, f), [1]);
        }
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", null);
        try
        {
            var handler = new CountingHandler();
            await SeedData.EnsureAsync(dir, new HttpClient(handler));   // a local fake: nothing leaves the machine
            Assert.Equal(1, handler.Calls);
            Assert.EndsWith("mels/mel0.jpg", handler.LastUri!.AbsolutePath);
            Assert.True(SeedData.IsComplete(dir));
        }
        finally { Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous); }
    }

    [Fact]
    public async Task A_failed_download_is_a_typed_error_and_writes_nothing()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-seed-").FullName;
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", null);
        try
        {
            var handler = new CountingHandler { Fail = true };
            var e = await Assert.ThrowsAsync<SeedDataUnavailableException>(() => SeedData.EnsureAsync(dir, new HttpClient(handler)));
            Assert.Contains("by hand", e.Message);
            Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
        }
        finally { Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous); }
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Calls;
        public bool Fail;
        public Uri? LastUri;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            LastUri = request.RequestUri;
            if (Fail) throw new HttpRequestException("no route to host (test)");
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent([0xFF, 0xD8, 0xFF]) });
        }
    }
}
