using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using SpecLora.Jobs;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class ReplicateClientTests(FakeReplicateFixture fixture) : IClassFixture<FakeReplicateFixture>
{
    private static PredictionRequest Request(long seed = 1) => new(FakeReplicateServer.VersionId, ReadmeSettings.Get(1).ToInput(seed));

    /// <summary>Counts requests; optionally fails before sending (connection error) or after the body was sent.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public int Calls;
        public int FailConnectTimes;
        public bool FailAfterBody;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            if (FailConnectTimes > 0 && request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/predictions"))
            {
                FailConnectTimes--;
                throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)");
            }
            if (FailAfterBody && request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/predictions"))
            {
                FailAfterBody = false;
                var resp = await base.SendAsync(request, cancellationToken); // the server created it; the reply is lost
                resp.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely");
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public void Missing_token_throws_before_any_http_call()
    {
        var handler = new CountingHandler(new SocketsHttpHandler());
        var http = new HttpClient(handler);
        var e = Assert.Throws<ReplicateTokenMissingException>(() => new ReplicateClient(http, new ReplicateClientOptions { ApiToken = null }));
        Assert.Contains("export REPLICATE_API_TOKEN=r8_", e.Message);
        Assert.Contains("replicate.com/account/api-tokens", e.Message);
        Assert.Throws<ReplicateTokenMissingException>(() => new ReplicateClient(http, new ReplicateClientOptions { ApiToken = "Bearer r8_abcdefghijklmnopqrstuvwxyz" }));
        Assert.Throws<ReplicateTokenMissingException>(() => ReplicateClient.Create(new ReplicateClientOptions { ApiToken = "short" }));
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public async Task Run_polls_to_success_with_progress_percent_and_metrics()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 2;
        fake.ProcessingPolls = 4;
        using var client = fake.NewClient();
        var reports = new List<PredictionProgress>();
        var p = await client.RunAsync(Request(), new SyncProgress<PredictionProgress>(reports.Add));
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.NotNull(p.Metrics);
        Assert.Equal(4.2, p.Metrics!["predict_time"]!.GetValue<double>());
        Assert.Single(p.OutputUrls());
        Assert.Contains(reports, r => r.Status == PredictionStatus.Starting);
        Assert.Contains(reports, r => r.Status == PredictionStatus.Processing && r.Percent is > 0 and < 100);
        Assert.Equal(100, reports[^1].Percent);
        Assert.Equal(1, fake.PredictionsCreated);
        Assert.Equal(1, fake.CreateRequests);
    }

    [Fact]
    public async Task Prefer_wait_holds_then_returns_running_with_location_and_client_polls()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 100_000; // never finishes within the hold
        using var client = fake.NewClient(o => o with { PreferWaitSeconds = 2, Timeout = TimeSpan.FromMinutes(1) });
        var t0 = fake.Clock.GetUtcNow();
        var created = await client.CreatePredictionAsync(Request());
        Assert.Equal(PredictionStatus.Starting, created.Status);
        Assert.Null(created.Output);
        Assert.Equal(TimeSpan.FromSeconds(2), fake.TestClock!.Since(t0)); // held exactly wait=2 s of (fake) time
        await Assert.ThrowsAsync<ReplicateTimeoutException>(() => client.WaitAsync(created));
        Assert.Contains(created.Id, fake.CancelRequests);
        Assert.True(fake.TestClock.Since(t0) >= TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2), "gave up before the overall timeout");
    }

    [Fact]
    public async Task Prefer_wait_returns_final_body_without_polling_when_done_in_time()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient(o => o with { PreferWaitSeconds = 60 });
        var p = await client.RunAsync(Request());
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.Equal(0, fake.GetRequests);
    }

    [Fact]
    public async Task Processing_with_output_filled_is_followed_to_the_terminal_status()
    {
        var fake = fixture.Server.Reset();
        fake.OutputDuringProcessing = true;
        using var client = fake.NewClient(o => o with { PreferWaitSeconds = 60 });
        var created = await client.CreatePredictionAsync(Request());
        Assert.Equal(PredictionStatus.Processing, created.Status);
        Assert.NotEmpty(created.OutputUrls());
        var done = await client.WaitAsync(created);
        Assert.Equal(PredictionStatus.Succeeded, done.Status);
        Assert.NotNull(done.Metrics);
    }

    [Fact]
    public async Task Failed_prediction_surfaces_error_and_log_tail()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "failed";
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request()));
        Assert.Contains("CUDA out of memory", e.Message);
        Assert.Contains("Traceback", e.Message);
        Assert.Contains("RuntimeError", e.LogTail);
        Assert.Equal(PredictionStatus.Failed, e.Prediction.Status);
        Assert.Null(e.Prediction.Output);
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_on_the_server()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 100_000;
        using var client = fake.NewClient();
        using var cts = new CancellationTokenSource();
        var reports = 0;
        var task = client.RunAsync(Request(), new SyncProgress<PredictionProgress>(_ => { if (++reports == 3) cts.Cancel(); }), cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        var id = Assert.Single(fake.Predictions.Keys);
        Assert.Contains(id, fake.CancelRequests);
        Assert.Equal(PredictionStatus.Canceled, fake.Predictions[id].Status);
    }

    [Fact]
    public async Task Cancelling_during_a_prefer_wait_hold_cancels_the_prediction_on_the_server()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 100_000; // wait=5 → held 5 s (fake clock)
        using var client = fake.NewClient(o => o with { PreferWaitSeconds = 5 });
        using var cts = new CancellationTokenSource();
        var run = client.RunAsync(Request(), null, cts.Token);
        while (fake.PredictionsCreated == 0) await Task.Delay(5);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var id = Assert.Single(fake.Predictions.Keys);
        Assert.Contains(id, fake.CancelRequests);
        Assert.Equal(1, fake.CreateRequests);
    }

    [Fact]
    public async Task Cancel_is_delayed_or_leaves_a_finished_prediction_unchanged()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 100_000;
        fake.CancelDelayPolls = 2;
        using var client = fake.NewClient();
        var created = await client.CreatePredictionAsync(Request());
        var afterCancel = await client.CancelPredictionAsync(created.Id);
        Assert.Equal(PredictionStatus.Starting, afterCancel.Status);
        var final = await client.WaitAsync(afterCancel);
        Assert.Equal(PredictionStatus.Canceled, final.Status);

        fake.StartingPolls = 0;
        var done = await client.RunAsync(Request(2));
        var again = await client.CancelPredictionAsync(done.Id);
        Assert.Equal(PredictionStatus.Succeeded, again.Status);
    }

    [Fact]
    public async Task Cancel_After_gives_aborted_before_start_and_canceled_while_running_both_terminal()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 100_000; // Cancel-After: 1s on the fake clock; polls every 0.5 s and more
        using var client = fake.NewClient(o => o with { CancelAfter = TimeSpan.FromSeconds(1) });
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request()));
        Assert.Equal(PredictionStatus.Aborted, e.Prediction.Status);
        Assert.Contains("aborted", e.Message);

        fake.StartingPolls = 0;
        fake.ProcessingPolls = 100_000;
        e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request(2)));
        Assert.Equal(PredictionStatus.Canceled, e.Prediction.Status);
    }

    [Fact]
    public async Task Unknown_future_status_is_terminal()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "vaporized";
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request()));
        Assert.Equal("vaporized", e.Prediction.Status);
        Assert.Contains("vaporized", e.Message);
    }

    [Fact]
    public async Task Create_429_is_retried_after_the_servers_wait_and_creates_once()
    {
        var fake = fixture.Server.Reset();
        fake.RetryAfterSeconds = 30; // "Your rate limit resets in ~30s", as the real API says
        fake.CreateFaults.Enqueue("429");
        fake.CreateFaults.Enqueue("429");
        using var client = fake.NewClient();
        var p = await client.RunAsync(Request());
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.Equal(3, fake.CreateRequests);
        Assert.Equal(1, fake.PredictionsCreated);
        var times = fake.CreateRequestTimes.ToArray(); // fake-clock times: exact, whatever the machine's load
        Assert.Equal(TimeSpan.FromSeconds(30), times[1] - times[0]);
        Assert.Equal(TimeSpan.FromSeconds(30), times[2] - times[1]);
    }

    [Fact]
    public async Task Polling_starts_at_half_a_second_and_grows_by_half_up_to_five_seconds()
    {
        var fake = fixture.Server.Reset();
        fake.StartingPolls = 3;
        fake.ProcessingPolls = 6;
        using var client = fake.NewClient();
        var created = await client.CreatePredictionAsync(Request());
        var t0 = fake.Clock.GetUtcNow();
        var done = await client.WaitAsync(created);
        Assert.Equal(PredictionStatus.Succeeded, done.Status);
        var times = new[] { t0 }.Concat(fake.GetRequestTimes).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToArray();
        double[] expected = [0.5, 0.75, 1.125, 1.6875, 2.53125, 3.796875, 5, 5, 5, 5];
        Assert.Equal(expected.Length, gaps.Length);
        for (var i = 0; i < gaps.Length; i++) Assert.Equal(expected[i], gaps[i], 0.001); // the fake clock's timers tick in whole ms
    }

    [Fact]
    public async Task Get_backoff_doubles_from_half_a_second_with_jitter()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var created = await client.CreatePredictionAsync(Request());
        foreach (var f in new[] { "503", "503", "503" }) fake.GetFaults.Enqueue(f);
        await client.GetPredictionAsync(created.Id);
        var t = fake.GetRequestTimes.ToArray();
        Assert.Equal(4, t.Length);
        Assert.InRange((t[1] - t[0]).TotalSeconds, 0.4, 0.6);   // 0.5 s ± 20 %
        Assert.InRange((t[2] - t[1]).TotalSeconds, 0.8, 1.2);
        Assert.InRange((t[3] - t[2]).TotalSeconds, 1.6, 2.4);
    }

    [Fact]
    public async Task Create_429_in_burst_mode_gives_a_rate_limit_error_after_max_retries()
    {
        var fake = fixture.Server.Reset();
        fake.RetryAfterSeconds = 120; // above MaxRetryDelay: capped at 60 s
        for (var i = 0; i < 10; i++) fake.CreateFaults.Enqueue("429");
        using var client = fake.NewClient(o => o with { MaxRetries = 2 });
        var e = await Assert.ThrowsAsync<ReplicateRateLimitException>(() => client.CreatePredictionAsync(Request()));
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(3, fake.CreateRequests);
        Assert.Equal(0, fake.PredictionsCreated);
        var times = fake.CreateRequestTimes.ToArray();
        Assert.Equal(TimeSpan.FromSeconds(60), times[1] - times[0]);
        Assert.Equal(TimeSpan.FromSeconds(60), times[2] - times[1]);
    }

    [Fact]
    public void Retry_hint_prefers_header_then_body_then_detail()
    {
        using var withHeader = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        withHeader.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(3), ReplicateClient.RetryHint(withHeader.Headers, "{\"retry_after\":30}", now));
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(30), ReplicateClient.RetryHint(none.Headers, "{\"detail\":\"~7s\",\"retry_after\":30}", now));
        Assert.Equal(TimeSpan.FromSeconds(7), ReplicateClient.RetryHint(none.Headers, "{\"detail\":\"Request was throttled. Your rate limit resets in ~7s.\"}", now));
        Assert.Null(ReplicateClient.RetryHint(none.Headers, "<html>busy</html>", now));
        using var dated = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        dated.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(12));
        Assert.Equal(TimeSpan.FromSeconds(12), ReplicateClient.RetryHint(dated.Headers, null, now));           // a date: measured from the given clock
        Assert.Equal(TimeSpan.Zero, ReplicateClient.RetryHint(dated.Headers, null, now.AddMinutes(1)));       // already past
    }

    [Fact]
    public async Task Retry_After_header_wins_over_body()
    {
        var fake = fixture.Server.Reset();
        fake.CreateFaults.Enqueue("429h"); // Retry-After: 0, body retry_after 30
        using var client = fake.NewClient(o => o with { MaxRetryDelay = TimeSpan.FromSeconds(30) });
        await client.CreatePredictionAsync(Request());
        var times = fake.CreateRequestTimes.ToArray();
        Assert.True(times[1] - times[0] < TimeSpan.FromSeconds(30), "waited for the body's 30 s although Retry-After said 0");
        Assert.Equal(1, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Get_5xx_html_reset_and_hang_are_retried_without_a_second_create()
    {
        var fake = fixture.Server.Reset();
        fake.HangMilliseconds = 5 * 60_000; // hangs 5 min; the client gives up after RequestTimeout = 30 s
        foreach (var f in new[] { "500", "502html", "503", "504", "reset", "hang", "429" }) fake.GetFaults.Enqueue(f);
        using var client = fake.NewClient(o => o with { MaxRetries = 8, RequestTimeout = TimeSpan.FromSeconds(30) });
        var t0 = fake.Clock.GetUtcNow();
        var p = await client.RunAsync(Request());
        Assert.InRange(fake.TestClock!.Since(t0), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)); // waited out one request timeout, not the hang
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.True(fake.GetFaults.IsEmpty);
        Assert.Equal(1, fake.CreateRequests);
        Assert.Equal(1, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Get_5xx_beyond_retries_gives_a_server_error_naming_the_status()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient(o => o with { MaxRetries = 1 });
        var created = await client.CreatePredictionAsync(Request());
        fake.GetFaults.Enqueue("502html");
        fake.GetFaults.Enqueue("502html");
        var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.GetPredictionAsync(created.Id));
        Assert.Equal(HttpStatusCode.BadGateway, e.StatusCode);
        Assert.Contains("502", e.Message);
        Assert.Contains("non-JSON", e.Message);
    }

    [Fact]
    public async Task Create_5xx_after_the_server_created_it_adopts_the_existing_prediction()
    {
        var fake = fixture.Server.Reset();
        fake.CreateFaults.Enqueue("502after");
        using var client = fake.NewClient();
        var p = await client.RunAsync(Request());
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.Equal(1, fake.CreateRequests);
        Assert.Equal(1, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Create_5xx_that_created_nothing_is_not_retried()
    {
        var fake = fixture.Server.Reset();
        fake.CreateFaults.Enqueue("503");
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.CreatePredictionAsync(Request()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(1, fake.CreateRequests);
        Assert.Equal(0, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Create_connection_reset_or_hang_is_not_retried_and_finds_the_created_prediction()
    {
        var fake = fixture.Server.Reset();
        fake.CreateFaults.Enqueue("reset"); // aborted before creating
        using var client = fake.NewClient(o => o with { RequestTimeout = TimeSpan.FromSeconds(30) });
        var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.CreatePredictionAsync(Request()));
        Assert.Contains("not retried", e.Message);
        Assert.Equal(1, fake.CreateRequests);
        fake.CreateFaults.Enqueue("hang");
        fake.HangMilliseconds = 10 * 60_000;
        var t0 = fake.Clock.GetUtcNow();
        var hung = await Assert.ThrowsAsync<ReplicateServerException>(() => client.CreatePredictionAsync(Request(2)));
        Assert.Contains("no response within 00:00:30.5", hung.Message); // RequestTimeout + 0.5 s margin, on the fake clock
        Assert.Equal(TimeSpan.FromSeconds(30.5), fake.TestClock!.Since(t0));
        Assert.Equal(2, fake.CreateRequests);
        Assert.Equal(0, fake.PredictionsCreated);
    }

    [Fact]
    public async Task Connect_failure_before_sending_is_retried_but_a_lost_reply_is_not()
    {
        var fake = fixture.Server.Reset();
        var handler = new CountingHandler(new SocketsHttpHandler()) { FailConnectTimes = 2 };
        using var client = fake.NewClient(handler: handler);
        var p = await client.CreatePredictionAsync(Request());
        Assert.Equal(1, fake.CreateRequests);
        Assert.Equal(1, fake.PredictionsCreated);

        handler.FailAfterBody = true;
        var adopted = await client.CreatePredictionAsync(Request(2));
        Assert.Equal(2, fake.CreateRequests);
        Assert.Equal(2, fake.PredictionsCreated);
        Assert.NotEqual(p.Id, adopted.Id);
        Assert.Equal(2L, adopted.Input!["seed"]!.GetValue<long>());
    }

    [Fact]
    public async Task Validation_errors_map_to_typed_exceptions_with_invalid_fields()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var input = ReadmeSettings.Get(1).ToInput(1);
        input["not_an_input"] = 3;
        var e = await Assert.ThrowsAsync<ReplicateValidationException>(() => client.CreatePredictionAsync(new PredictionRequest(FakeReplicateServer.VersionId, input)));
        var field = Assert.Single(e.InvalidFields);
        Assert.Equal("additional_property_not_allowed", field.Type);
        Assert.Contains("not_an_input", e.Message);

        var v = await Assert.ThrowsAsync<ReplicateValidationException>(() => client.CreatePredictionAsync(new PredictionRequest(new string('9', 64), ReadmeSettings.Get(1).ToInput(1))));
        Assert.Contains("Invalid version", v.Message);
        Assert.Empty(v.InvalidFields);
    }

    [Fact]
    public async Task Known_ranges_are_checked_before_sending()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var input = ReadmeSettings.Get(1).ToInput(1);
        input["num_outputs"] = 5;
        var e = await Assert.ThrowsAsync<ReplicateInputException>(() => client.CreatePredictionAsync(new PredictionRequest(FakeReplicateServer.VersionId, input)));
        Assert.Equal("num_outputs", e.Field);
        Assert.Equal(0, fake.CreateRequests);
    }

    [Fact]
    public async Task Status_401_402_404_map_to_typed_exceptions_without_the_token()
    {
        var fake = fixture.Server.Reset();
        using var bad = fake.NewClient(o => o with { ApiToken = "r8_WRONGtoken0123456789abcdefghijkl" });
        var a = await Assert.ThrowsAsync<ReplicateAuthenticationException>(() => bad.GetModelAsync(FakeReplicateServer.Owner, FakeReplicateServer.Name));
        Assert.Contains("REPLICATE_API_TOKEN", a.Message);
        Assert.DoesNotContain("r8_WRONG", a.Message);

        using var client = fake.NewClient();
        fake.BillingRequired = true;
        var b = await Assert.ThrowsAsync<ReplicatePaymentRequiredException>(() => client.CreatePredictionAsync(Request()));
        Assert.Contains("billing", b.Message, StringComparison.OrdinalIgnoreCase);
        fake.BillingRequired = false;

        var n = await Assert.ThrowsAsync<ReplicateNotFoundException>(() => client.GetPredictionAsync("nope"));
        Assert.Equal(HttpStatusCode.NotFound, n.StatusCode);
        Assert.Equal("nope", n.PredictionId);
        await Assert.ThrowsAsync<ReplicateNotFoundException>(() => client.ResolveVersionAsync("someone/unknown-model"));
        foreach (var ex in new Exception[] { a, b, n }) Assert.DoesNotContain(FakeReplicateServer.Token, ex.ToString());
    }

    [Fact]
    public async Task Resolve_version_takes_latest_or_pinned_with_schema()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var latest = await client.ResolveVersionAsync(ReadmeSettings.Model);
        Assert.Equal(FakeReplicateServer.VersionId, latest.Id);
        Assert.NotNull(latest.InputSchema);
        var pinned = await client.ResolveVersionAsync($"{ReadmeSettings.Model}:{FakeReplicateServer.VersionId}");
        Assert.Equal(latest.Id, pinned.Id);
        await Assert.ThrowsAsync<ArgumentException>(() => client.ResolveVersionAsync("not a model"));
    }

    [Fact]
    public async Task List_follows_cursor_pages()
    {
        var fake = fixture.Server.Reset();
        fake.PageSize = 2;
        using var client = fake.NewClient();
        var t0 = fake.Clock.GetUtcNow().AddSeconds(-1);
        for (var i = 0; i < 5; i++) await client.CreatePredictionAsync(Request(i));
        var all = new List<Prediction>();
        await foreach (var p in client.ListPredictionsAsync(t0)) all.Add(p);
        Assert.Equal(5, all.Count);
        Assert.Equal(5, all.Select(p => p.Id).Distinct().Count());
        var none = new List<Prediction>();
        await foreach (var p in client.ListPredictionsAsync(fake.Clock.GetUtcNow().AddMinutes(1))) none.Add(p);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Upload_parses_multipart_and_refuses_over_100_MiB_before_sending()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient();
        var small = dir.Sub("data.zip");
        await File.WriteAllBytesAsync(small, new byte[1234]);
        var f = await client.UploadFileAsync(small);
        Assert.Equal("data.zip", f.Name);
        Assert.Equal(1234, f.Size);
        Assert.Equal("application/zip", f.ContentType);
        Assert.InRange((f.ExpiresAt!.Value - fake.Clock.GetUtcNow()).TotalHours, 23.9, 24.1);
        Assert.StartsWith(fake.BaseAddress.ToString(), f.GetUrl.ToString());

        var big = dir.Sub("big.zip");
        using (var fs = File.Create(big)) fs.SetLength(ReplicateClient.MaxFileBytes + 1);
        var e = await Assert.ThrowsAsync<ReplicateInputException>(() => client.UploadFileAsync(big));
        Assert.Contains("100 MiB", e.Message);
        Assert.Single(fake.Uploads);

        fake.MaxFileBytes = 1000; // the server's own 413
        var s413 = await Assert.ThrowsAsync<ReplicateApiException>(() => client.UploadFileAsync(small));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, s413.StatusCode);
    }

    [Fact]
    public async Task Token_is_sent_only_to_the_api_and_delivery_hosts()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        Assert.True(client.MaySendToken(new Uri(fake.BaseAddress, "x")));
        Assert.True(client.MaySendToken(new Uri("https://api.replicate.com/v1/predictions")));
        Assert.True(client.MaySendToken(new Uri("https://replicate.delivery/pbxt/abc/out.png")));
        Assert.True(client.MaySendToken(new Uri("https://pbxt.replicate.delivery/abc/out.png")));
        Assert.False(client.MaySendToken(new Uri("https://replicate.delivery.evil.example/x.png")));
        Assert.False(client.MaySendToken(new Uri("https://example.com/x.png")));
        Assert.False(client.MaySendToken(new Uri("http://replicate.delivery/x.png")));
        Assert.False(client.MaySendToken(new Uri($"http://localhost:{fake.Port}/delivery/x.png")));
        // plain http: only to a loopback API host; any other plain-http API root is refused before anything is sent
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(), new ReplicateClientOptions { ApiToken = FakeReplicateServer.Token, BaseAddress = new Uri("http://api.example.com/v1") }));
        foreach (var loopback in new[] { "http://127.0.0.1:8080/v1", "http://127.5.6.7:8080/v1", "http://[::1]:8080/v1", "http://localhost:8080/v1" })
        {
            using var local = new ReplicateClient(new HttpClient(), new ReplicateClientOptions { ApiToken = FakeReplicateServer.Token, BaseAddress = new Uri(loopback) });
            Assert.True(local.MaySendToken(new Uri(local.Options.BaseAddress, "v1/predictions")), loopback);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(), new ReplicateClientOptions { ApiToken = FakeReplicateServer.Token, BaseAddress = new Uri("http://api.replicate.com/v1") }));

        var p = await client.RunAsync(Request());
        using (var ms = new MemoryStream()) await client.DownloadAsync(p.OutputUrls()[0], ms, p.Id);
        fake.OutputHost = "localhost";
        var q = await client.RunAsync(Request(2));
        using (var ms = new MemoryStream())
        {
            await client.DownloadAsync(q.OutputUrls()[0], ms, q.Id);
            Assert.Equal(FakeReplicateServer.PngBytes, ms.ToArray());
        }
        var deliveries = fake.DeliveryRequests.ToArray();
        Assert.Equal(2, deliveries.Length);
        Assert.Equal("Bearer " + FakeReplicateServer.Token, deliveries[0].Auth);
        Assert.Equal("localhost", deliveries[1].Host);
        Assert.Null(deliveries[1].Auth);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    [InlineData(410)]
    public async Task Expired_output_url_gives_a_clear_error(int status)
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var p = await client.RunAsync(Request());
        fake.Expired = true;
        fake.ExpiredStatus = status;
        using var ms = new MemoryStream();
        var e = await Assert.ThrowsAsync<ReplicateOutputExpiredException>(() => client.DownloadAsync(p.OutputUrls()[0], ms, p.Id));
        Assert.Contains("1 hour", e.Message);
        Assert.Equal(p.Id, e.PredictionId);
        var removed = await client.GetPredictionAsync(p.Id);
        Assert.True(removed.DataRemoved);
        Assert.Null(removed.Output);
    }

    [Fact]
    public async Task Data_uri_outputs_are_decoded()
    {
        var fake = fixture.Server.Reset();
        fake.DataUriOutputs = true;
        using var client = fake.NewClient();
        var p = await client.RunAsync(Request());
        var url = Assert.Single(p.OutputUrls());
        Assert.StartsWith("data:image/png;base64,", url);
        using var ms = new MemoryStream();
        await client.DownloadAsync(url, ms, p.Id);
        Assert.Equal(FakeReplicateServer.PngBytes, ms.ToArray());
    }

    [Fact]
    public async Task Training_endpoint_requires_an_existing_destination()
    {
        var fake = fixture.Server.Reset();
        using var client = fake.NewClient();
        var trainer = $"{FakeReplicateServer.TrainerOwner}/{FakeReplicateServer.TrainerName}:{FakeReplicateServer.TrainerVersion}";
        var input = new JsonObject { ["input_images"] = "https://api.replicate.com/v1/files/x" };
        var e = await Assert.ThrowsAsync<ReplicateNotFoundException>(() => client.CreateTrainingAsync(trainer, "me/missing", input));
        Assert.Contains("training destination does not exist", e.Message);
        await client.CreateModelAsync("me", "lora");
        var dup = await Assert.ThrowsAsync<ReplicateApiException>(() => client.CreateModelAsync("me", "lora"));
        Assert.Equal(HttpStatusCode.Conflict, dup.StatusCode);
        var t = await client.CreateTrainingAsync(trainer, "me/lora", input);
        var done = await client.WaitForTrainingAsync(t);
        Assert.Equal(PredictionStatus.Succeeded, done.Status);
        Assert.Equal("me/lora", done.Destination);
        Assert.StartsWith("me/lora:", done.Output!["version"]!.ToString());
        Assert.EndsWith("trained_model.tar", Assert.Single(done.OutputUrls()));
    }

    [Fact]
    public async Task Token_never_appears_in_exception_messages_or_written_files_even_when_the_server_echoes_it()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        using var client = fake.NewClient(o => o with { MaxRetries = 0 });
        var errors = new List<Exception>();
        async Task Catch(Func<Task> f)
        {
            try { await f(); }
            catch (Exception e) { errors.Add(e); }
        }
        var existing = await client.CreatePredictionAsync(Request());
        fake.GetFaults.Enqueue("500echo");
        await Catch(() => client.GetPredictionAsync(existing.Id));
        fake.CreateFaults.Enqueue("422echo");
        await Catch(() => client.CreatePredictionAsync(Request()));
        fake.LeakTokenInLogs = true;
        fake.Outcome = "failed";
        await Catch(() => client.RunAsync(Request()));
        await Catch(() => new LoraTrainer(client).TrainAsync(dir.Sub("missing.zip"), dir.Path));
        using var bad = fake.NewClient(o => o with { ApiToken = FakeReplicateServer.Token + "x" });
        await Catch(() => bad.GetPredictionAsync("p"));
        await Catch(() => Task.FromResult(new ReplicateClient(new HttpClient(), new ReplicateClientOptions { ApiToken = FakeReplicateServer.Token + " " })));
        Assert.True(6 == errors.Count, string.Join(" | ", errors.Select(e => e.GetType().Name)));
        Assert.IsType<ReplicateServerException>(errors[0]);
        var v = Assert.IsType<ReplicateValidationException>(errors[1]);
        Assert.DoesNotContain(FakeReplicateServer.Token, v.InvalidFields[0].Description);
        var failed = Assert.IsType<ReplicatePredictionFailedException>(errors[2]);
        Assert.Contains("CUDA out of memory", failed.Message);
        Assert.DoesNotContain(FakeReplicateServer.Token, failed.LogTail);
        foreach (var e in errors)
        {
            Assert.DoesNotContain(FakeReplicateServer.Token, e.ToString());
            Assert.DoesNotContain(FakeReplicateServer.Token, (e as ReplicateApiException)?.Detail ?? "");
        }

        fake.Outcome = "succeeded"; // a successful run whose logs leak the token: the manifest must not
        var generator = new SettingGenerator(new ReplicateBackend(client), client.Redact);
        var r = await generator.GenerateAsync(ReadmeSettings.Get(1), dir.Path, 1);
        Assert.Contains("***", File.ReadAllText(r.Files[0].ManifestPath));
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task Options_are_validated_and_never_print_the_token()
    {
        var fake = fixture.Server.Reset();
        var o = fake.FastOptions();
        Assert.DoesNotContain(FakeReplicateServer.Token, o.ToString());
        Assert.Contains("***", o.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(), o with { PreferWaitSeconds = 61 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(), o with { PollInterval = TimeSpan.Zero }));
    }

    // ------------------------------------------------------------------ a hostile server (issue 17)

    private const string Esc = "\u001b]0;PWNED\u0007\u001b[31m";

    /// <summary>No raw control character, no token, no exception type, no "unexpected".</summary>
    internal static void AssertClean(string text)
    {
        Assert.DoesNotContain(FakeReplicateServer.Token, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007' || (char.IsControl(c) && c != '\n'));
        Assert.DoesNotContain("unexpected", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", text);
    }

    [Fact]
    public async Task A_422_whose_fields_echo_the_token_and_escape_codes_is_shown_redacted_and_visible()
    {
        var fake = fixture.Server.Reset();
        fake.CreateFaults.Enqueue("422field");
        using var client = fake.NewClient();
        var e = await Assert.ThrowsAsync<ReplicateValidationException>(() => client.CreatePredictionAsync(Request()));
        AssertClean(e.Message);
        Assert.Contains("Fields: *** (\\e]0;PWNED\\ax) bad ***", e.Message);   // was "Fields: r8_… (x) bad ***"
        var f = Assert.Single(e.InvalidFields);
        Assert.Equal("***", f.Field);
        AssertClean(f.Type + f.Description + e.Detail);
    }

    [Fact]
    public async Task A_status_with_escape_codes_and_the_token_is_printed_visible_and_redacted()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "weird";
        fake.Tamper = o => { if (o["status"]!.GetValue<string>() == "weird") o["status"] = Esc + FakeReplicateServer.Token; return o; };
        using var client = fake.NewClient();
        var reports = new List<PredictionProgress>();
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request(), new SyncProgress<PredictionProgress>(reports.Add)));
        AssertClean(e.Message);
        Assert.Contains("ended with status '\\e]0;PWNED\\a\\e[31m***'", e.Message);
        Assert.DoesNotContain(FakeReplicateServer.Token, e.Prediction.Status);   // the exception carries the redacted prediction
        foreach (var r in reports) AssertClean(r.PredictionId + r.Status + r.LastLogLine);
        Assert.Contains(reports, r => r.Status.StartsWith("\\e]0;PWNED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_huge_logs_field_is_bounded_in_memory_and_in_the_message()
    {
        var fake = fixture.Server.Reset();
        fake.Outcome = "failed";
        var line = Esc + FakeReplicateServer.Token + new string('x', 5_000_000);
        fake.Tamper = o => { o["logs"] = o["logs"]!.GetValue<string>() + line + "\nlast line\n"; o["error"] = Esc + new string('e', 1_000_000); return o; };
        using var client = fake.NewClient(o => o with { MaxJsonBytes = 16L << 20 });
        var e = await Assert.ThrowsAsync<ReplicatePredictionFailedException>(() => client.RunAsync(Request()));
        Assert.InRange(e.Message.Length, 100, 20_000);   // 5 MB of logs and 1 MB of error, shown as ≤ 20 lines of ≤ 500 characters and 2000 of error
        AssertClean(e.Message);
        Assert.Contains("last line", e.Message);
        Assert.True(e.Prediction.Logs.Length <= Prediction.MaxLogChars, $"{e.Prediction.Logs.Length} log characters kept");
        Assert.True(e.Prediction.Error!.Length <= Prediction.MaxErrorChars);
    }

    [Fact]
    public async Task An_answer_larger_than_the_json_limit_is_refused_with_one_sentence()
    {
        var fake = fixture.Server.Reset();
        fake.Tamper = o => { o["logs"] = new string('x', 200_000); return o; };
        using var client = fake.NewClient(o => o with { MaxJsonBytes = 64 << 10 });
        var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.CreatePredictionAsync(Request()));
        Assert.Contains("with more than 64 KiB", e.Message);
        Assert.Contains("REPLICATE_BASE_URL", e.Message);
        AssertClean(e.Message);
    }

    [Fact]
    public async Task A_status_that_never_becomes_terminal_is_given_up_at_the_timeout_and_cancelled()
    {
        var fake = fixture.Server.Reset();
        fake.Tamper = o => { o["status"] = "processing"; return o; };   // whatever happens, "still processing"
        using var client = fake.NewClient(o => o with { Timeout = TimeSpan.FromMinutes(3) });
        var t0 = fake.Clock.GetUtcNow();
        var e = await Assert.ThrowsAsync<ReplicateTimeoutException>(() => client.RunAsync(Request()));
        Assert.InRange(fake.TestClock!.Since(t0), TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5));
        Assert.Contains("did not finish within 00:03:00", e.Message);
        Assert.Contains(e.PredictionId, fake.CancelRequests);
        Assert.InRange(fake.GetRequests, 1, 60);   // polls back off to one per 5 s: about 40 in 3 min, never a tight loop
    }

    [Fact]
    public async Task A_Retry_After_of_ten_years_waits_at_most_MaxRetryDelay_and_never_overflows()
    {
        var fake = fixture.Server.Reset();
        fake.RetryAfterHeader = "315360000";   // ten years, in seconds
        fake.CreateFaults.Enqueue("429r");
        using var client = fake.NewClient();
        await client.CreatePredictionAsync(Request());
        var times = fake.CreateRequestTimes.ToArray();
        Assert.Equal(TimeSpan.FromSeconds(60), times[1] - times[0]);   // MaxRetryDelay

        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(ReplicateClient.MaxRetryHint, ReplicateClient.RetryHint(none.Headers, "{\"retry_after\":1e300}", now));
        Assert.Equal(ReplicateClient.MaxRetryHint, ReplicateClient.RetryHint(none.Headers, "{\"detail\":\"resets in ~99999999999999999999999s\"}", now));
        using var dated = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        dated.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddYears(500));
        Assert.Equal(ReplicateClient.MaxRetryHint, ReplicateClient.RetryHint(dated.Headers, null, now));
    }

    [Fact]
    public async Task An_endless_next_cursor_is_read_for_at_most_twenty_pages()
    {
        var fake = fixture.Server.Reset();
        fake.EndlessNextCursor = true;
        fake.CreateFaults.Enqueue("502after");   // created, then a 502: the client looks for it in the list
        using var client = fake.NewClient();
        var p = await client.RunAsync(Request());
        Assert.Equal(PredictionStatus.Succeeded, p.Status);
        Assert.Equal(1, fake.PredictionsCreated);
        Assert.Equal(ReplicateClient.MaxFindPages, fake.ListRequests);
    }

    [Theory]
    [InlineData("../../models/x")]
    [InlineData("/")]
    [InlineData("..")]
    [InlineData("p1?x=1")]
    public async Task A_prediction_id_that_is_not_an_id_is_never_put_into_a_request(string id)
    {
        var fake = fixture.Server.Reset();
        fake.Tamper = o => { o["id"] = id; return o; };
        using var client = fake.NewClient();
        var created = await client.CreatePredictionAsync(Request());
        var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.WaitAsync(created));
        Assert.Contains("which is not an id", e.Message);
        AssertClean(e.Message);
        Assert.Equal(0, fake.GetRequests);
        Assert.False(ReplicateClient.IsId(new string('a', 300)));
        Assert.True(ReplicateClient.IsId("gm3qorzdhgbfurvjtvhg6dckhu"));
    }

    [Fact]
    public async Task A_files_api_answer_whose_urls_get_is_not_a_url_is_one_sentence()
    {
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        var zip = dir.Sub("data.zip");
        await File.WriteAllBytesAsync(zip, new byte[100]);
        using var client = fake.NewClient();
        foreach (var bad in new[] { "not a url", "file:///etc/passwd", Esc })
        {
            fake.FilesGetUrl = bad;
            var e = await Assert.ThrowsAsync<ReplicateServerException>(() => client.UploadFileAsync(zip));   // was "(unexpected; please report it…)"
            Assert.Contains("gave no usable address", e.Message);
            AssertClean(e.Message);
        }
    }

    [SkippableFact]
    public async Task Uploading_a_fifo_is_refused_before_it_is_opened()
    {
        Skip.If(OperatingSystem.IsWindows(), "mkfifo is POSIX");
        var fake = fixture.Server.Reset();
        using var dir = new TempDir();
        var fifo = dir.Sub("data.zip");
        using (var p = System.Diagnostics.Process.Start("mkfifo", [fifo])!) { p.WaitForExit(); Skip.IfNot(p.ExitCode == 0, "mkfifo failed"); }
        using var client = fake.NewClient();
        var upload = Task.Run(() => Assert.ThrowsAsync<ReplicateInputException>(() => client.UploadFileAsync(fifo)));
        Assert.True(upload.Wait(TimeSpan.FromSeconds(30)), "uploading a FIFO blocked: it was opened instead of refused");
        Assert.Contains("FIFO", upload.Result.Message);
        Assert.Empty(fake.Uploads);
    }
}

/// <summary>IProgress that reports synchronously, in order.</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
