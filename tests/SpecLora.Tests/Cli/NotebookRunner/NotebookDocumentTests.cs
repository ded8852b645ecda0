using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class NotebookDocumentTests
{
    [Fact]
    public void Source_may_be_a_string_or_lines_and_lines_round_trip()
    {
        Assert.Equal("a\nb", NotebookDocument.JoinSource(new JsonArray("a\r\n", "b")));
        Assert.Equal("x", NotebookDocument.JoinSource(JsonValue.Create("x")));
        var lines = NotebookDocument.SplitLines("a\nb\n");
        Assert.Equal(["a\n", "b\n"], lines.Select(l => (string)l!).ToArray());
        Assert.Equal("a\nb\n", NotebookDocument.JoinSource(lines));
    }

    [Fact]
    public void Loads_cells_with_positions_and_saves_unknown_fields()
    {
        var dir = NotebookFiles.TempDir();
        var path = NotebookFiles.WriteCode(dir, "d.ipynb", "1+1");
        var doc = NotebookDocument.Load(path);
        Assert.Equal(["markdown", "code"], doc.Cells.Select(c => c.Kind).ToArray());
        Assert.Equal(2, doc.Cells[1].Index);
        doc.Root["metadata"]!["custom"] = "kept";
        doc.Save(Path.Combine(dir, "out.ipynb"));
        Assert.Equal("kept", (string?)NotebookDocument.Load(Path.Combine(dir, "out.ipynb")).Root["metadata"]!["custom"]);
    }

    [Fact]
    public void Not_a_notebook_is_a_typed_error_naming_the_file()
    {
        var path = Path.Combine(NotebookFiles.TempDir(), "bad.ipynb");
        File.WriteAllText(path, "{\"cells\": 3");
        var e = Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.Load(path));
        Assert.Contains("bad.ipynb", e.Message);
    }
}
