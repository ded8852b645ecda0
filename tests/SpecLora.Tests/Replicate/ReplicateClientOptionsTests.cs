using SpecLora.Replicate;

namespace SpecLora.Tests.Replicate;

public class ReplicateClientOptionsTests
{
    [Fact]
    public void Defaults_follow_the_spec()
    {
        var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = ReplicateClientOptions.DefaultBaseAddress };
        Assert.Equal(TimeSpan.FromSeconds(0.5), o.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), o.MaxPollInterval);
        Assert.Equal(60, o.PreferWaitSeconds);
        Assert.Null(o.CancelAfter);
        Assert.Equal("https://api.replicate.com/v1", o.BaseAddress.ToString().TrimEnd('/'));
        o.Validate();
        o.RequireToken();
    }

    [Theory]
    [InlineData(null, "not set")]
    [InlineData("", "not set")]
    [InlineData("   ", "not set")]
    [InlineData("Bearer r8_abcdefghijklmnopqrstuvwxyz0123", "auth scheme")]
    [InlineData("r8_abc def ghijklmnopqrstuvwxyz0123", "whitespace")]
    [InlineData("\"r8_abcdefghijklmnopqrstuvwxyz0123\"", "quotes")]
    [InlineData("r8_short", "only 8 characters")]
    public void Missing_or_malformed_token_says_how_to_set_it_without_quoting_it(string? token, string reason)
    {
        var o = new ReplicateClientOptions { ApiToken = token };
        var e = Assert.Throws<ReplicateTokenMissingException>(o.RequireToken);
        Assert.Contains(reason, e.Message);
        Assert.Contains("export REPLICATE_API_TOKEN=r8_", e.Message);
        Assert.Contains("https://replicate.com/account/api-tokens", e.Message);
        if (!string.IsNullOrWhiteSpace(token)) Assert.DoesNotContain(token.Trim('"'), e.Message);
        Assert.IsAssignableFrom<SpecLoraException>(e);
    }

    [Fact]
    public void ToString_redacts_the_token()
    {
        const string secret = "r8_DoNotPrintMe0123456789abcdefghijklmn";
        var o = new ReplicateClientOptions { ApiToken = secret };
        Assert.DoesNotContain(secret, o.ToString());
        Assert.DoesNotContain(secret, $"{o}");
        Assert.Contains("ApiToken = ***", o.ToString());
        Assert.Contains("ApiToken = (none)", (o with { ApiToken = null }).ToString());
    }

    [Theory]
    [InlineData("htps//api.replicate.com/v1")]
    [InlineData("api.replicate.com/v1")]
    [InlineData("ftp://api.replicate.com/v1")]
    [InlineData("http://")]
    public void A_malformed_REPLICATE_BASE_URL_is_an_error_not_a_silent_fallback_to_the_real_API(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => ReplicateClientOptions.ParseBaseUrl(value));
        Assert.Equal("REPLICATE_BASE_URL", e.ParamName);
        Assert.Contains($"REPLICATE_BASE_URL=\"{value}\"", e.Message);
        Assert.Contains("https://api.replicate.com/v1", e.Message);
    }

    [Fact]
    public void A_blank_REPLICATE_BASE_URL_means_the_default_and_a_good_one_is_used()
    {
        Assert.Equal(ReplicateClientOptions.DefaultBaseAddress, ReplicateClientOptions.ParseBaseUrl(null));
        Assert.Equal(ReplicateClientOptions.DefaultBaseAddress, ReplicateClientOptions.ParseBaseUrl("  "));
        Assert.Equal(new Uri("http://127.0.0.1:5000/v1"), ReplicateClientOptions.ParseBaseUrl(" http://127.0.0.1:5000/v1 "));
    }

    [Fact]
    public void The_printed_record_members_redact_the_token()
    {
        const string secret = "r8_DoNotPrintMe0123456789abcdefghijklmn";
        var o = new ReplicateClientOptions { ApiToken = secret };
        var print = typeof(ReplicateClientOptions).GetMethod("PrintMembers", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!;
        var sb = new System.Text.StringBuilder();
        print.Invoke(o, [sb]);
        Assert.DoesNotContain(secret, sb.ToString());
        Assert.Contains("ApiToken = ***", sb.ToString());
    }

    [Fact]
    public void Validate_names_the_bad_setting()
    {
        var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789" };
        Assert.Equal("PollInterval", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { PollInterval = TimeSpan.Zero }).Validate()).ParamName);
        Assert.Equal("MaxPollInterval", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { MaxPollInterval = TimeSpan.FromMilliseconds(1) }).Validate()).ParamName);
        Assert.Equal("PreferWaitSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { PreferWaitSeconds = 0 }).Validate()).ParamName);
        Assert.Equal("MaxRetries", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { MaxRetries = -1 }).Validate()).ParamName);
        Assert.Equal("BaseAddress", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { BaseAddress = new Uri("ftp://x/") }).Validate()).ParamName);
        Assert.Equal("BaseAddress", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { BaseAddress = new Uri("http://api.example.com/v1") }).Validate()).ParamName);
        Assert.Equal("CancelAfter", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { CancelAfter = TimeSpan.Zero }).Validate()).ParamName);
    }

    [Fact]
    public void Validate_reports_every_bad_setting_at_once_quoting_each_value()
    {
        var o = new ReplicateClientOptions
        {
            ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = new Uri("http://api.example.com/v1"),
            PollInterval = TimeSpan.Zero, MaxRetries = -1, PreferWaitSeconds = 0, Downloads = new DownloadLimits { MaxPictureBytes = -5 },
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
        Assert.Equal("BaseAddress", e.ParamName);
        Assert.Contains("5 problems", e.Message);
        foreach (var quoted in new[] { "http://api.example.com/v1", "PollInterval=00:00:00", "MaxRetries=-1", "PreferWaitSeconds=0", "Downloads.MaxPictureBytes=-5" })
            Assert.Contains(quoted, e.Message);
        Assert.Equal("PollInterval", Assert.Throws<ArgumentOutOfRangeException>(() => (o with { BaseAddress = ReplicateClientOptions.DefaultBaseAddress, MaxRetries = 1, PreferWaitSeconds = 1, Downloads = new() }).Validate()).ParamName);
    }

    /// <summary>Issue 17: REPLICATE_BASE_URL=http://127.0.0.1:9/v1#x silently dropped the API path (every request went to
    /// /v1). A fragment or a query is refused, in one sentence, before any request.</summary>
    [Theory]
    [InlineData("http://127.0.0.1:9/v1#x", "fragment ('#x')")]
    [InlineData("https://api.replicate.com/v1?x=1", "query ('?x=1')")]
    public void A_base_url_with_a_fragment_or_a_query_is_refused_before_any_request(string url, string part)
    {
        var e = Assert.Throws<ArgumentException>(() => ReplicateClientOptions.ParseBaseUrl(url));
        Assert.Contains(part, e.Message);
        Assert.Contains("nothing was sent", e.Message);
        Assert.Contains("Remove it", e.Message);
        var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = new Uri(url) };
        Assert.Contains(part, Assert.Throws<ArgumentOutOfRangeException>(o.Validate).Message);
        var handler = new CountingHandler();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(handler), o));
        Assert.Equal(0, handler.Calls);
    }

    [Fact]
    public void Cancel_After_header_uses_minutes_or_seconds()
    {
        var o = new ReplicateClientOptions();
        Assert.Equal("1m", (o with { CancelAfter = TimeSpan.FromMinutes(1) }).CancelAfterHeader);
        Assert.Equal("90s", (o with { CancelAfter = TimeSpan.FromSeconds(90) }).CancelAfterHeader);
        Assert.Equal("1s", (o with { CancelAfter = TimeSpan.FromMilliseconds(10) }).CancelAfterHeader);
        Assert.Equal("", o.CancelAfterHeader);
    }

    [Theory]
    [InlineData("http://api.replicate.com/v1")]
    [InlineData("http://10.0.0.7:5000/v1")]
    [InlineData("http://my-fake.example/v1")]
    public void A_plain_http_REPLICATE_BASE_URL_that_is_not_loopback_is_refused_before_any_request(string url)
    {
        var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = ReplicateClientOptions.ParseBaseUrl(url) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
        Assert.Contains("only https", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("loopback", e.Message);
        Assert.Contains("nothing was sent", e.Message);
        var handler = new CountingHandler();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicateClient(new HttpClient(handler), o));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReplicateClient.Create(o));
        Assert.Equal(0, handler.Calls);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/v1")]
    [InlineData("http://localhost:8080/v1")]
    [InlineData("http://[::1]:8080/v1")]
    [InlineData("https://api.replicate.com/v1")]
    [InlineData("https://proxy.example.org/replicate/v1")]
    public void Https_or_loopback_http_is_allowed(string url)
    {
        var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = ReplicateClientOptions.ParseBaseUrl(url) };
        o.Validate();
    }

    [Theory]
    [InlineData("http://user:s3cr3tpw@127.0.0.1:5000/v1")]
    [InlineData("https://user:s3cr3tpw@api.replicate.com/v1")]
    [InlineData("http://user:s3cr3tpw@api.example.com/v1")]
    [InlineData("htps://user:s3cr3tpw@api.replicate.com/v1")]
    [InlineData("user:s3cr3tpw@api.replicate.com/v1")]
    public void Credentials_in_REPLICATE_BASE_URL_are_refused_and_never_repeated(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => ReplicateClientOptions.ParseBaseUrl(url));
        Assert.Equal("REPLICATE_BASE_URL", e.ParamName);
        Assert.DoesNotContain("s3cr3tpw", e.ToString());
        Assert.DoesNotContain("user:", e.ToString());
        // set in code rather than through the environment: Validate refuses it the same way
        if (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme.StartsWith("http"))
        {
            var o = new ReplicateClientOptions { ApiToken = "r8_abcdefghijklmnopqrstuvwxyz0123456789", BaseAddress = u };
            var v = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
            Assert.Contains("user name or password", v.Message);
            Assert.DoesNotContain("s3cr3tpw", v.ToString());
            Assert.DoesNotContain("s3cr3tpw", o.ToString());
        }
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
