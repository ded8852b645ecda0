using System.Text.Json.Nodes;
using SpecLora.Replicate;

namespace SpecLora.Tests.Replicate;

public class PredictionTests
{
    private const string Json = """
        {"id":"abc","model":"o/n","version":"v1","input":{"seed":3},"output":["https://replicate.delivery/a/out-0.png","data:image/png;base64,AAAA"],
         "logs":"Using seed: 3\n 10%|█ | 5/50 [00:01<00:09]\r 46%|████▌ | 23/50 [00:05<00:06]\n","error":null,"status":"succeeded","data_removed":false,
         "created_at":"2024-01-01T00:00:00.123456Z","started_at":"2024-01-01T00:00:01Z","completed_at":"2024-01-01T00:00:09Z",
         "metrics":{"predict_time":8.0},"urls":{"get":"https://api.replicate.com/v1/predictions/abc","cancel":"https://api.replicate.com/v1/predictions/abc/cancel"}}
        """;

    [Fact]
    public void Parses_the_api_object()
    {
        var p = Prediction.FromJson((JsonObject)JsonNode.Parse(Json)!);
        Assert.Equal("abc", p.Id);
        Assert.Equal("o/n", p.Model);
        Assert.True(p.IsTerminal);
        Assert.Equal(2, p.OutputUrls().Count);
        Assert.Equal(8.0, p.Metrics!["predict_time"]!.GetValue<double>());
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 9, TimeSpan.Zero), p.CompletedAt);
        Assert.Equal("https://api.replicate.com/v1/predictions/abc/cancel", p.CancelUrl!.ToString());
        Assert.Equal(46, p.ProgressPercent());
        Assert.Equal(" 46%|████▌ | 23/50 [00:05<00:06]", p.LogTail(1));
    }

    [Theory]
    [InlineData("starting", false)]
    [InlineData("processing", false)]
    [InlineData("succeeded", true)]
    [InlineData("failed", true)]
    [InlineData("canceled", true)]
    [InlineData("aborted", true)]
    [InlineData("some_future_status", true)]
    [InlineData(null, true)]
    public void Unknown_statuses_are_terminal(string? status, bool terminal) => Assert.Equal(terminal, PredictionStatus.IsTerminal(status));

    [Fact]
    public void Error_objects_and_missing_fields_are_tolerated()
    {
        var p = Prediction.FromJson(new JsonObject { ["id"] = "x", ["status"] = "failed", ["error"] = new JsonObject { ["msg"] = "boom" }, ["output"] = new JsonObject { ["weights"] = "https://replicate.delivery/w.tar", ["version"] = "me/lora:abc" } });
        Assert.Contains("boom", p.Error);
        Assert.Equal("", p.Logs);
        Assert.Equal("", p.LogTail());
        Assert.Equal(["https://replicate.delivery/w.tar"], p.OutputUrls());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("loading model\n", null)]
    [InlineData("  0%|          | 0/50 [00:00<?, ?it/s]", 0.0)]
    [InlineData(" 45%|██  | 23/50 [00:02<00:03]\n", 45.0)]
    [InlineData("100%|██████████| 50/50 [00:05<00:00]", 100.0)]
    [InlineData("steps 23/50 [00:02<00:03]", 46.0)]
    public void Percent_is_parsed_from_tqdm_lines(string logs, double? expected) => Assert.Equal(expected, LogProgress.ParsePercent(logs));
}
