using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class OutputCaptureTests
{
    private static readonly OutputLimits Small = new() { HeadLines = 3, HeadChars = 1_000, TailLines = 2, TailChars = 100, MaxStoredChars = 5_000, MaxPrintedChars = 1_000_000 };

    private static string Text(JsonNode? o) => (string)o!["text"]!;

    private static JsonObject Data(string html) => new() { ["text/html"] = html };

    [Fact]
    public void Short_output_is_kept_whole_and_merged_per_stream_in_order()
    {
        var c = new OutputCapture(Small, 1);
        c.AddText("stdout", "a\n");
        c.AddText("stdout", "b\n");
        c.AddText("stderr", "e\n");
        c.AddData("execute_result", Data("<b>x</b>"), null);
        var o = c.Finish();
        Assert.Equal(["stream", "stream", "execute_result"], o.Select(x => (string)x!["output_type"]!).ToArray());
        Assert.Equal("a\nb\n", Text(o[0]));
        Assert.Equal("stderr", (string)o[1]!["name"]!);
        Assert.Equal(1, (int)o[2]!["execution_count"]!);
    }

    [Fact]
    public void A_flood_keeps_the_head_and_the_tail_and_says_how_much_was_dropped()
    {
        var c = new OutputCapture(Small, 1);
        for (var i = 0; i < 1000; i++) c.AddText("stdout", $"line {i}\n");
        var text = string.Concat(c.Finish().Select(Text));
        Assert.StartsWith("line 0\nline 1\nline 2\n", text);
        Assert.EndsWith("line 998\nline 999\n", text);
        Assert.Contains("[speclora notebooks: 995 lines (", text);
        Assert.Contains("of this cell's output dropped here; a cell keeps its first 3 and last 2 lines]", text);
        Assert.DoesNotContain("line 3\n", text);
        Assert.DoesNotContain("line 997\n", text);
    }

    [Fact]
    public void Fifty_thousand_lines_with_the_default_limits_keep_2000_plus_500_lines()
    {
        var c = new OutputCapture(new OutputLimits(), 1);
        for (var i = 0; i < 50_000; i++) c.AddText("stdout", $"line {i}\n");
        var text = string.Concat(c.Finish().Select(Text));
        Assert.Contains("line 1999\n", text);
        Assert.DoesNotContain("line 2000\n", text);
        Assert.Contains("47,500 lines", text);
        Assert.DoesNotContain("line 49499\n", text);
        Assert.Contains("line 49500\n", text);
        Assert.EndsWith("line 49999\n", text);
    }

    [Fact]
    public void One_huge_line_keeps_its_first_and_last_characters()
    {
        var c = new OutputCapture(Small with { MaxPrintedChars = 100_000_000 }, 1);
        c.AddText("stdout", "<" + new string('x', 10_000_000) + ">");
        var text = string.Concat(c.Finish().Select(Text));
        Assert.True(text.Length < 1_300, $"{text.Length} characters kept");
        Assert.StartsWith("<xxx", text);
        Assert.EndsWith("xxx>", text);
        Assert.Contains("(9,998,902 characters)", text);
    }

    [Fact]
    public void Text_after_a_display_stays_in_order_around_it()
    {
        var c = new OutputCapture(Small, 1);
        for (var i = 0; i < 10; i++) c.AddText("stdout", $"a{i}\n");
        c.AddData("display_data", Data("<i>picture</i>"), "v1");
        for (var i = 0; i < 10; i++) c.AddText("stdout", $"b{i}\n");
        var o = c.Finish();
        var kinds = string.Join(",", o.Select(x => (string)x!["output_type"]!));
        Assert.Equal("stream,display_data,stream", kinds);
        Assert.Contains("a8\na9\n", Text(o[0]));
        Assert.Contains("b8\nb9\n", Text(o[2]));
        Assert.Contains("dropped here", Text(o[2]));
    }

    [Fact]
    public void Displays_past_the_stored_limit_are_dropped_and_counted_and_updates_replace_in_place()
    {
        var c = new OutputCapture(Small, 1);
        c.AddData("display_data", Data(new string('p', 3_000)), "v1");
        c.UpdateDisplay("v1", Data("done"));
        c.AddData("display_data", Data(new string('q', 3_000)), null);
        c.AddData("display_data", Data(new string('r', 3_000)), null);
        var o = c.Finish();
        Assert.Equal("done", (string)o[0]!["data"]!["text/html"]!);
        Assert.Equal(new string('q', 3_000), (string)o[1]!["data"]!["text/html"]!);
        Assert.Contains("1 displayed value dropped", Text(o[^1]));
    }

    [Fact]
    public async Task Printing_past_the_hard_limit_fails_the_cell_in_a_sentence()
    {
        var c = new OutputCapture(Small with { MaxPrintedChars = 10_000 }, 1);
        for (var i = 0; i < 100; i++) c.AddText("stdout", new string('z', 999) + "\n");
        Assert.True(c.Overflowed.IsCompleted);
        var why = await c.Overflowed;
        Assert.StartsWith("the cell printed more than 10,000 characters, the most a cell may print", why);
    }

    [Fact]
    public void The_token_is_masked_even_where_the_cap_cut_it()
    {
        const string token = "r8_CaptureToken0123456789abcdefghij";
        var saved = Environment.GetEnvironmentVariable("REPLICATE_API_TOKEN");
        try
        {
            Environment.SetEnvironmentVariable("REPLICATE_API_TOKEN", token);
            var c = new OutputCapture(Small with { HeadChars = 20, HeadLines = 100 }, 1);
            // the head ends 16 characters into the token; the rest of it is dropped
            c.AddText("stdout", "0123" + token + new string('.', 500));
            c.AddText("stdout", "\n" + new string('.', 50) + "\nend " + token + "\n");
            var text = string.Concat(c.Finish().Select(Text));
            Assert.DoesNotContain(token[..8], text);
            Assert.DoesNotContain(token[^8..], text);
            Assert.Contains("0123***", text);
            Assert.Contains("end ***", text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("REPLICATE_API_TOKEN", saved);
        }
    }

    [Fact]
    public void Many_threads_printing_at_once_lose_no_count()
    {
        var c = new OutputCapture(new OutputLimits { HeadLines = 100_000 }, 1);
        Parallel.For(0, 8, t => { for (var i = 0; i < 1000; i++) c.AddText("stdout", "x\n"); });
        Assert.Equal(8000, Text(c.Finish()[0]).Count(ch => ch == '\n'));
    }

    [Fact]
    public void Limits_report_every_problem_at_once_quoting_each_value()
    {
        var problems = new OutputLimits { HeadLines = 0, HeadChars = -1, TailLines = -2, MaxStoredChars = 5, MaxPrintedChars = 0 }.Validate();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("HeadLines=0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TailLines=-2", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxStoredChars=5", StringComparison.Ordinal));
        Assert.Empty(new OutputLimits().Validate());
    }
}
