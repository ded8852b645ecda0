using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class CellOutputsTests
{
    [Fact]
    public void Consecutive_console_writes_merge_and_other_outputs_split_them()
    {
        var o = new CellOutputs();
        o.Stdout.Write("a");
        o.Stdout.WriteLine("b");
        o.Stderr.WriteLine("e");
        o.AddDisplay(new FormattedValue("<i>h</i>", "h"));
        o.Stdout.Write("c");
        var json = o.ToJson();
        Assert.Equal(["stream", "stream", "display_data", "stream"], json.Select(x => (string)x!["output_type"]!).ToArray());
        Assert.Equal("ab\n", NotebookDocument.JoinSource(json[0]!["text"]));
        Assert.Equal("stderr", (string?)json[1]!["name"]);
        Assert.Equal("<i>h</i>", NotebookDocument.JoinSource(json[2]!["data"]!["text/html"]));
    }
}
