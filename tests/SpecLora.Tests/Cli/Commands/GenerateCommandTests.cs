using SpecLora.Tests.TestSupport;
using System.Text.Json.Nodes;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class GenerateCommandTests
{
    [Fact]
    public async Task Generate_all_writes_seven_images_and_manifests_with_one_create_each_and_no_token()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.RetryAfterSeconds = 0.01;
        fake.CreateFaults.Enqueue("429");
        fake.CreateFaults.Enqueue("429");
        fake.GetFaults.Enqueue("503");
        using var dir = new TempDir();
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "all", "--seed", "5", "-o", dir.Path);
        Assert.True(code == 0, output);
        Assert.Equal(7, fake.PredictionsCreated);
        Assert.Equal(9, fake.CreateRequests);
        Assert.Equal(7, Directory.GetFiles(dir.Path, "*.png").Length);
        Assert.Equal(7, Directory.GetFiles(dir.Path, "*.png.json").Length);
        var manifest = JsonNode.Parse(File.ReadAllText(Directory.GetFiles(dir.Path, "setting7_*.json").Single()))!;
        Assert.Equal(40.0, manifest["input"]!["guidanceScale"]!.GetValue<double>());
        Assert.Equal(5, manifest["seed"]!.GetValue<long>());
        Assert.Contains("res7.png", output);
        Assert.DoesNotContain(FakeReplicateServer.Token, output);
        dir.AssertNoSecret();

        // a second run adds, never overwrites
        (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "--seed", "5", "-o", dir.Path);
        Assert.True(code == 0, output);
        Assert.Equal(8, Directory.GetFiles(dir.Path, "*.png").Length);
    }

    [Fact]
    public async Task Without_a_token_it_says_how_to_set_one_and_sends_nothing()
    {
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "generate", "--setting", "1", "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("export REPLICATE_API_TOKEN=r8_", output);
        Assert.Contains("replicate.com/account/api-tokens", output);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("8")]
    [InlineData("0")]
    [InlineData("x")]
    public async Task Unknown_setting_is_a_clear_error_before_any_call(string setting)
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", setting);
        Assert.Equal(2, code);
        Assert.Contains("1–7", output);
        Assert.DoesNotContain("Parameter", output);
        Assert.Equal(0, fake.CreateRequests + fake.GetRequests);
    }

    [Fact]
    public async Task Malformed_token_and_bad_backend_are_rejected()
    {
        var env = CliHarness.NoToken();
        env["REPLICATE_API_TOKEN"] = "r8_has space in it 0123456789";
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1");
        Assert.Equal(2, code);
        Assert.Contains("malformed", output);
        Assert.DoesNotContain("r8_has space", output);
        (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "--backend", "colab");
        Assert.Equal(2, code);
        Assert.Contains("replicate' or 'cog", output);
        (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "--backend", "cog", "--cog-url", "not a url");
        Assert.Equal(2, code);
        Assert.Contains("not an absolute URL", output);
    }

    [Fact]
    public async Task Model_failure_exits_1_with_error_and_log_tail()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.Outcome = "failed";
        using var dir = new TempDir();
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "2", "-o", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("CUDA out of memory", output);
        Assert.Contains("Traceback", output);
    }

    [Fact]
    public async Task Cog_backend_generates_and_unreachable_cog_is_a_clear_error()
    {
        await using var cog = await FakeCogServer.StartAsync();
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "generate", "--setting", "3", "--backend", "cog", "--cog-url", cog.Root.ToString(), "-o", dir.Path);
        Assert.True(code == 0, output);
        Assert.Single(Directory.GetFiles(dir.Path, "setting3_*.png"));

        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "generate", "--setting", "3", "--backend", "cog", "--cog-url", "http://127.0.0.1:9", "--cog-connect-timeout", "0.2", "-o", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("No Cog server answers", output);
        Assert.Contains("docker run", output);
    }

    [Theory]
    [InlineData("http://api.replicate.com/v1")]
    [InlineData("http://192.0.2.10:5000/v1")]
    public async Task A_plain_http_base_url_that_is_not_loopback_is_refused_before_any_request(string url)
    {
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = url };
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("plain http", output);
        Assert.Contains("Only https", output);
        Assert.Contains("nothing was sent", output);
        Assert.DoesNotContain("401", output);
        Assert.DoesNotContain("Parameter", output);
        Assert.DoesNotContain(FakeReplicateServer.Token, output);
    }

    [Theory]
    [InlineData("http://alice:pa55word@127.0.0.1:9/v1")]
    [InlineData("https://alice:pa55word@api.replicate.com/v1")]
    [InlineData("ftp://alice:pa55word@example.com/v1")]
    public async Task Credentials_in_the_base_url_are_never_repeated(string url)
    {
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = url };
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1");
        Assert.Equal(2, code);
        Assert.DoesNotContain("pa55word", output);
        Assert.DoesNotContain("alice", output);
        Assert.DoesNotContain("Exception", output);
        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "generate", "--setting", "1", "--backend", "cog", "--cog-url", url.Replace("/v1", ""));
        Assert.Equal(2, code);
        Assert.DoesNotContain("pa55word", output);
    }

    [Fact]
    public async Task An_output_that_is_a_file_is_refused_before_any_request()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("taken"), "x");
        var env = new Dictionary<string, string?> { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "-o", dir.Sub("taken"));
        Assert.Equal(2, code);
        Assert.Contains("is an existing file", output);
        Assert.Equal(0, fake.CreateRequests + fake.GetRequests);
    }

    // ------------------------------------------------------------------ a hostile server (issue 17)

    private const string Esc = "\u001b]0;PWNED\u0007\u001b[31m";

    private static Dictionary<string, string?> Env(FakeReplicateServer fake) =>
        new() { ["REPLICATE_API_TOKEN"] = FakeReplicateServer.Token, ["REPLICATE_BASE_URL"] = fake.BaseAddress.ToString() };

    [Fact]
    public async Task A_server_echoing_the_token_leaks_it_into_no_file_name_manifest_or_table()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.StartingPolls = 0;
        fake.ProcessingPolls = 0;   // done in the create answer, so the tampered id is never polled
        var token = FakeReplicateServer.Token;
        fake.Tamper = o =>
        {
            o["id"] = token;
            o["model"] = Esc + token;
            o["version"] = token;
            o["logs"] = Esc + "env " + token + "\n";
            if (o["output"] is JsonArray) o["output"] = new JsonArray((JsonNode)$"{fake.Root}hostile/png/{token}.png");
            return o;
        };
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(Env(fake), "generate", "--setting", "1", "--seed", "3", "-o", dir.Path);
        Assert.True(code == 0, output);
        ReplicateClientTests.AssertClean(output);
        var png = Assert.Single(Directory.GetFiles(dir.Path, "*.png"));
        Assert.Equal("setting1_redacted.png", Path.GetFileName(png));   // was setting1_r8_….png
        Assert.Contains("setting1_redacted.png", output);
        var m = JsonNode.Parse(File.ReadAllText(png + ".json"))!;
        Assert.Equal("***", m["prediction_id"]!.GetValue<string>());
        Assert.Equal("***", m["version"]!.GetValue<string>());
        Assert.EndsWith("***", m["model"]!.GetValue<string>());
        dir.AssertNoSecret();
    }

    [Fact]
    public async Task A_status_with_escape_codes_is_printed_visible_without_the_token()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.Outcome = "weird";
        fake.Tamper = o => { if (o["status"]!.GetValue<string>() == "weird") o["status"] = Esc + FakeReplicateServer.Token; return o; };
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(Env(fake), "generate", "--setting", "1", "-o", dir.Path);
        Assert.Equal(1, code);
        ReplicateClientTests.AssertClean(output);
        Assert.Contains("ended with status '\\e]0;PWNED\\a\\e[31m***'", output);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("#x", "fragment")]
    [InlineData("?v=2", "query")]
    public async Task A_base_url_with_a_fragment_or_query_is_refused_before_any_request(string extra, string what)
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        var env = Env(fake);
        env["REPLICATE_BASE_URL"] = fake.BaseAddress + extra;   // http://127.0.0.1:port/v1#x silently dropped the API path
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(env, "generate", "--setting", "1", "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains(what, output);
        Assert.Contains("nothing was sent", output);
        Assert.Single(output.Trim().Split('\n'));   // one sentence
        Assert.Equal(0, fake.CreateRequests + fake.GetRequests);
    }

    [Fact]
    public async Task Outputs_never_overwrite_a_file_the_run_did_not_create_and_a_refused_download_leaves_it_untouched()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        using var dir = new TempDir();
        var mine = dir.Sub("setting1_p000001xq7rrmbc.png");   // the name the fresh server's first prediction gets
        File.WriteAllText(mine, "my own picture");
        var (code, output) = await CliHarness.RunAsync(Env(fake), "generate", "--setting", "1", "--seed", "1", "-o", dir.Path);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(dir.Sub("setting1_p000001xq7rrmbc-2.png")), output);
        Assert.Equal("my own picture", File.ReadAllText(mine));

        var before = Directory.GetFiles(dir.Path).Order().ToArray();
        fake.Tamper = o => { if (o["output"] is JsonArray) o["output"] = new JsonArray((JsonNode)$"{fake.Root}hostile/html/x.png"); return o; };
        (code, output) = await CliHarness.RunAsync(Env(fake), "generate", "--setting", "1", "--seed", "1", "-o", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("is an HTML or XML page, not a PNG, JPEG or WebP picture", output);
        ReplicateClientTests.AssertClean(output);
        Assert.Equal(before, Directory.GetFiles(dir.Path).Order().ToArray());
        Assert.Equal("my own picture", File.ReadAllText(mine));
    }

    [Fact]
    public async Task An_endless_body_stops_at_64_MiB_and_nothing_is_saved()
    {
        await using var fake = await FakeReplicateServer.StartAsync();
        fake.Tamper = o => { if (o["output"] is JsonArray) o["output"] = new JsonArray((JsonNode)$"{fake.Root}hostile/endless/x.png"); return o; };
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(Env(fake), "generate", "--setting", "1", "-o", dir.Path);
        Assert.Equal(1, code);   // was a 3 GiB .png and exit 0
        Assert.Contains("went on past 64 MiB", output);
        ReplicateClientTests.AssertClean(output);
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }
}
