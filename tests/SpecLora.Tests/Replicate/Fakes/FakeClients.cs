using SpecLora.Replicate;

namespace SpecLora.Tests.Replicate.Fakes;

/// <summary>Clients wired to the fakes with millisecond poll/backoff so the suite stays fast.</summary>
public static class FakeClients
{
    public static ReplicateClientOptions FastOptions(this FakeReplicateServer server) => new()
    {
        ApiToken = FakeReplicateServer.Token,
        BaseAddress = server.BaseAddress,
        PollInterval = TimeSpan.FromMilliseconds(2),
        MaxPollInterval = TimeSpan.FromMilliseconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(5),
        PreferWaitSeconds = null,
        Timeout = TimeSpan.FromSeconds(20),
        TrainingTimeout = TimeSpan.FromSeconds(20),
    };

    public static ReplicateClient NewClient(this FakeReplicateServer server, Func<ReplicateClientOptions, ReplicateClientOptions>? tweak = null, HttpMessageHandler? handler = null)
    {
        var options = server.FastOptions();
        if (tweak != null) options = tweak(options);
        var http = new HttpClient(handler ?? new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        return new ReplicateClient(http, options);
    }
}

/// <summary>A temporary folder deleted at dispose, plus a scan proving no secret was written into it.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "speclora-test-" + Guid.NewGuid().ToString("N")[..10]));

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }

    /// <summary>Asserts <paramref name="secret"/> occurs in no file under the folder (binary scan, UTF-8 and UTF-16).</summary>
    public void AssertNoSecret(string secret = FakeReplicateServer.Token)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(secret);
        var utf16 = System.Text.Encoding.Unicode.GetBytes(secret);
        foreach (var f in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(f);
            Assert.True(bytes.AsSpan().IndexOf(utf8) < 0 && bytes.AsSpan().IndexOf(utf16) < 0, $"the API token was written into {f}");
        }
    }
}
