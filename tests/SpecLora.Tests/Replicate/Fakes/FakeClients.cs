using SpecLora.Replicate;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Replicate.Fakes;

/// <summary>
/// Clients wired to the fakes. After <see cref="FakeReplicateServer.Reset"/> they run on the server's
/// <see cref="TestClock"/> with the spec's real intervals (poll 0.5 s → 5 s, backoff from 0.5 s): the clock jumps over
/// every wait, so nothing sleeps and no timeout races the machine's load. Request, overall and download timeouts sit beyond the
/// clock's horizon unless a test sets them, so only a test about a timeout ever reaches one.
/// </summary>
public static class FakeClients
{
    public static ReplicateClientOptions FastOptions(this FakeReplicateServer server) => new()
    {
        ApiToken = FakeReplicateServer.Token,
        BaseAddress = server.BaseAddress,
        PollInterval = TimeSpan.FromSeconds(0.5),
        MaxPollInterval = TimeSpan.FromSeconds(5),
        RetryBaseDelay = TimeSpan.FromSeconds(0.5),
        MaxRetryDelay = TimeSpan.FromSeconds(60),
        RequestTimeout = TimeSpan.FromHours(1),
        PreferWaitSeconds = null,
        Timeout = TimeSpan.FromHours(2),
        TrainingTimeout = TimeSpan.FromHours(4),
        Downloads = new DownloadLimits { PictureTimeout = TimeSpan.FromHours(1), FileTimeout = TimeSpan.FromHours(2), StallTimeout = TimeSpan.FromHours(1) },
    };

    public static ReplicateClient NewClient(this FakeReplicateServer server, Func<ReplicateClientOptions, ReplicateClientOptions>? tweak = null, HttpMessageHandler? handler = null)
    {
        var options = server.FastOptions();
        if (tweak != null) options = tweak(options);
        handler ??= new SocketsHttpHandler { AllowAutoRedirect = false };   // as ReplicateClient.Create: downloads follow redirects themselves
        if (server.TestClock is { } clock) handler = clock.Wrap(handler);
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        return new ReplicateClient(http, options, server.Clock);
    }

    /// <summary>A client on the system clock without the <see cref="TestClock"/>'s handler, which reads every body whole
    /// before the client sees it: for bodies that never end, lie about their length or announce gigabytes, whose limits
    /// are enforced while the body streams. Nothing in these tests waits on the clock.</summary>
    public static ReplicateClient PlainClient(this FakeReplicateServer server, Func<ReplicateClientOptions, ReplicateClientOptions>? tweak = null)
    {
        var options = server.FastOptions() with { MaxRetries = 0 };
        if (tweak != null) options = tweak(options);
        return new ReplicateClient(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan }, options, TimeProvider.System);
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
