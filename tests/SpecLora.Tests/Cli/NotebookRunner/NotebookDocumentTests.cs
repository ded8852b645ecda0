using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;
using static SpecLora.Tests.Cli.NotebookRunner.RunnerTestKit;

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
        Assert.Equal(["markdown", "csharp"], doc.Elements.Select(e => e.KernelName ?? "").ToArray());
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

    [Theory]
    [InlineData("nbformat3.ipynb", ": nbformat 3; the runner runs nbformat 4 notebooks only (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE)")]
    [InlineData("cells-not-a-list.ipynb", ": not a notebook (\"cells\" is not a list)")]
    [InlineData("empty.ipynb", ": the file is empty (0 bytes), not a notebook")]
    [InlineData("python-kernel.ipynb", ": a python notebook (metadata.kernelspec.language); the runner runs C# notebooks only")]
    [InlineData("javascript-cell.dib", ": cell 2 is a javascript cell; the runner runs C# cells only (move it to a markdown or raw cell, or run the notebook in VS Code)")]
    public void Notebooks_the_runner_cannot_round_trip_are_refused_in_one_sentence_naming_the_file(string fixture, string why)
    {
        var path = Hostile(fixture);
        var e = Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(path));
        Assert.Equal(path + why, e.Message);
    }

    [Fact]
    public void Cells_of_other_types_and_sources_that_are_not_text_are_refused()
    {
        var dir = NotebookFiles.TempDir();
        var odd = Path.Combine(dir, "odd.ipynb");
        File.WriteAllText(odd, """{"cells":[{"cell_type":"heading","source":"x"}],"metadata":{},"nbformat":4,"nbformat_minor":5}""");
        Assert.Equal($"{odd}: cell 1: cell_type heading; nbformat 4 has code, markdown and raw cells only", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(odd)).Message);
        File.WriteAllText(odd, """{"cells":[{"cell_type":"code","source":[1,2]}],"metadata":{},"nbformat":4,"nbformat_minor":5}""");
        Assert.Equal($"{odd}: cell 1: its source is not text (a string or a list of strings)", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(odd)).Message);
        File.WriteAllText(odd, "[1, 2]");
        Assert.Equal($"{odd}: not a notebook (the top level is not a JSON object)", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(odd)).Message);
        File.WriteAllText(odd, new string('[', 10_000));
        Assert.StartsWith($"{odd}: not valid notebook JSON (", Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(odd)).Message);
    }

    [SkippableFact]
    public void A_fifo_named_like_a_notebook_is_refused_without_blocking()
    {
        Skip.If(OperatingSystem.IsWindows(), "no FIFOs on Windows");
        var fifo = Path.Combine(NotebookFiles.TempDir(), "pipe.ipynb");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        Assert.Equal($"{fifo}: a FIFO (named pipe), which would block until another program writes to it, not a notebook file",
            Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(fifo)).Message);
    }

    [Fact]
    public void A_name_with_control_characters_is_shown_visibly_in_the_sentence()
    {
        var path = Path.Combine(NotebookFiles.TempDir(), "evil\u001b]0;PWNED\u0007.ipynb");
        File.WriteAllText(path, "");
        var message = Assert.ThrowsAny<SpecLoraException>(() => NotebookDocument.LoadForRun(path)).Message;
        Assert.DoesNotContain('\u001b', message);
        Assert.Contains("evil\\e]0;PWNED\\a.ipynb: the file is empty", message);
    }

    [Fact]
    public void Raw_cells_and_attachments_are_read_as_they_are_and_only_code_cells_are_run()
    {
        var path = Hostile("raw-and-attachments.ipynb");
        var source = NotebookDocument.LoadForRun(path);
        Assert.Equal([4], source.CodeCells.Select(c => c.Index).ToArray());
        Assert.Equal("raw", (string?)source.Document["cells"]![1]!["cell_type"]);
        Assert.NotNull(source.Document["cells"]![0]!["attachments"]!["dot.png"]);

        var copy = Path.Combine(NotebookFiles.TempDir(), "copy.ipynb");
        NotebookDocument.WriteIpynb(source.Document, copy);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(path)), JsonNode.Parse(File.ReadAllText(copy))));
        Assert.StartsWith("{\n \"cells\": [\n  {", File.ReadAllText(copy)); // indented by one space, as Jupyter writes
    }

    [Fact]
    public void A_dib_becomes_nbformat_4_with_csharp_and_markdown_cells()
    {
        var dib = Path.Combine(NotebookFiles.TempDir(), "d.dib");
        File.WriteAllText(dib, "#!markdown\n\n# A dib\n\n#!csharp\n\nConsole.WriteLine(6 * 7);\n");
        var source = NotebookDocument.LoadForRun(dib);
        Assert.Equal(4, (int)source.Document["nbformat"]!);
        Assert.Equal([("markdown"), ("code")], source.Document["cells"]!.AsArray().Select(c => (string)c!["cell_type"]!).ToArray());
        Assert.Equal(new KernelCell(2, "Console.WriteLine(6 * 7);"), source.CodeCells.Single());
    }
}
