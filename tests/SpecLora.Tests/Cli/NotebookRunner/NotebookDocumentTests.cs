using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class NotebookDocumentTests
{
    [Fact]
    public void Source_may_be_a_string_or_lines()
    {
        Assert.Equal("a\nb", NotebookDocument.JoinSource(new JsonArray("a\r\n", "b")));
        Assert.Equal("x", NotebookDocument.JoinSource(JsonValue.Create("x")));
    }

    [Fact]
    public void Loads_cells_with_positions_for_the_convention_checks()
    {
        var path = NotebookFiles.WriteCode(NotebookFiles.TempDir(), "d.ipynb", "1+1");
        var doc = NotebookDocument.Load(path);
        Assert.Equal(["markdown", "code"], doc.Cells.Select(c => c.Kind).ToArray());
        Assert.Equal(2, doc.Cells[1].Index);
    }

    [Fact]
    public void Documents_round_trip_keeps_ids_cell_metadata_and_notebook_metadata()
    {
        var dir = NotebookFiles.TempDir();
        var path = NotebookFiles.WriteCode(dir, "d.ipynb", "1+1");
        var doc = NotebookDocument.ReadInteractive(path);
        Assert.Equal(["markdown", "csharp"], doc.Elements.Select(e => e.KernelName).ToArray());
        Assert.True(NotebookDocument.IsCode(doc.Elements[1]));
        var copy = Path.Combine(dir, "out.ipynb");
        NotebookDocument.WriteIpynb(doc, copy);
        var json = JsonNode.Parse(File.ReadAllText(copy))!;
        Assert.Equal("cell-1", (string?)json["cells"]![1]!["id"]);
        Assert.Equal("csharp", (string?)json["cells"]![1]!["metadata"]!["polyglot_notebook"]!["kernelName"]);
        Assert.True(JsonNode.DeepEquals(NotebookConventions.ExpectedMetadata()["kernelspec"], json["metadata"]!["kernelspec"]));
        Assert.Equal((4, 5), (json["nbformat"]!.GetValue<int>(), json["nbformat_minor"]!.GetValue<int>()));
    }

    [Fact]
    public void Not_a_notebook_is_a_typed_error_naming_the_file()
    {
        var path = Path.Combine(NotebookFiles.TempDir(), "bad.ipynb");
        File.WriteAllText(path, "{\"cells\": 3");
        Assert.Contains("bad.ipynb", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.Load(path)).Message);
        Assert.Contains("bad.ipynb", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.ReadInteractive(path)).Message);
    }
}
