using System.Text.Json.Nodes;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

public class ReplicateModelsTests
{
    [Fact]
    public void Model_with_latest_version_exposes_the_input_schema()
    {
        var json = new JsonObject
        {
            ["owner"] = "georgedavila", ["name"] = "m", ["visibility"] = "public",
            ["latest_version"] = new JsonObject { ["id"] = "v1", ["cog_version"] = "0.9.4", ["openapi_schema"] = FakeReplicateServer.ModelSchema() },
        };
        var m = ReplicateModel.FromJson(json);
        Assert.Equal("georgedavila/m", m.FullName);
        Assert.Equal("v1", m.LatestVersion!.Id);
        Assert.True(m.LatestVersion.InputSchema!["properties"]!.AsObject().ContainsKey("outWidth"));
        Assert.Null(ReplicateModel.FromJson(new JsonObject { ["owner"] = "a", ["name"] = "b", ["latest_version"] = null }).LatestVersion);
    }

    [Fact]
    public void File_parses_urls_and_expiry()
    {
        var f = ReplicateFile.FromJson((JsonObject)JsonNode.Parse("""
            {"id":"f1","name":"d.zip","content_type":"application/zip","size":42,"checksums":{"sha256":"ab"},
             "created_at":"2024-01-01T00:00:00Z","expires_at":"2024-01-02T00:00:00Z","urls":{"get":"https://api.replicate.com/v1/files/f1"}}
            """)!);
        Assert.Equal(42, f.Size);
        Assert.Equal("ab", f.Sha256);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), f.ExpiresAt);
        Assert.Equal("https://api.replicate.com/v1/files/f1", f.GetUrl.ToString());
        var missing = Assert.Throws<ReplicateServerException>(() => ReplicateFile.FromJson(new JsonObject { ["id"] = "x" }));
        Assert.Contains("urls.get = missing", missing.Message);
        // issue 17: a urls.get that is not a URL was "(unexpected; please report it…)"; now one sentence saying what to do
        foreach (var bad in new[] { "not a url", "file:///etc/passwd", "\u001b]0;PWNED\u0007" })
        {
            var e = Assert.Throws<ReplicateServerException>(() => ReplicateFile.FromJson(new JsonObject { ["id"] = "x", ["urls"] = new JsonObject { ["get"] = bad } }));
            Assert.Contains("gave no usable address", e.Message);
            Assert.Contains("Run again", e.Message);
            Assert.DoesNotContain("\u001b", e.Message);
            Assert.DoesNotContain("unexpected", e.Message);
        }
    }
}
