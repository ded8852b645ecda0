using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class NotebookConventionsTests
{
    /// <summary>The repository's notebooks/*.ipynb; while there are none yet, the sample notebook under Fixtures.</summary>
    public static IReadOnlyList<string> Notebooks()
    {
        var repo = Path.Combine(Golden.RepoRoot, "notebooks");
        var files = Directory.Exists(repo) ? Directory.GetFiles(repo, "*.ipynb") : [];
        return files.Length > 0 ? files.Order(StringComparer.Ordinal).ToArray() : Directory.GetFiles(NotebookFiles.FixtureDir, "*.ipynb");
    }

    public static TheoryData<string> NotebookNames()
    {
        var data = new TheoryData<string>();
        foreach (var f in Notebooks()) data.Add(f);
        return data;
    }

    [Fact]
    public void There_is_at_least_one_notebook_to_check()
        => Assert.True(Notebooks().Count > 0, "no notebooks found in notebooks/ nor in Fixtures/notebooks: the convention checks would pass vacuously");

    [Theory]
    [MemberData(nameof(NotebookNames))]
    public void Notebook_follows_the_conventions(string path)
        => Assert.True(NotebookConventions.Check(path).Count == 0, string.Join("\n", NotebookConventions.Check(path)));

    [Fact]
    public void First_code_cell_is_identical_in_every_notebook()
    {
        var firsts = Notebooks().Select(p => NotebookDocument.Load(p).Cells.First(c => c.IsCode).Source.Trim()).Distinct().ToList();
        Assert.Single(firsts);
    }

    [Fact]
    public void First_cell_references_the_release_build_imports_the_stages_and_registers_formatters()
    {
        var lines = NotebookConventions.FirstCell.Split('\n');
        Assert.Equal("#r \"../lib/SpecLora/bin/Release/net10.0/SpecLora.dll\"", lines[0]);
        Assert.Equal("Display.Register();", lines[^1]);
        Assert.Contains("using SpecLora.Notebook;", lines);
        Assert.True(lines.Length <= NotebookConventions.MaxCodeLines);
    }

    [Fact]
    public void Every_broken_rule_is_reported()
    {
        var dir = NotebookFiles.TempDir();
        var path = NotebookFiles.Write(dir, "Bad Name.ipynb",
            ("code", "var first = 1;"),
            ("markdown", "why"),
            ("code", "#!time\nvar x = 1;"),
            ("code", "#r \"nuget: X\""),
            ("markdown", "why"),
            ("code", string.Join("\n", Enumerable.Range(0, 16).Select(i => $"var v{i} = {i};"))),
            ("markdown", "why"),
            ("code", "using var zip = System.IO.Compression.ZipFile.OpenRead(\"x.zip\");"));
        var doc = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        doc["metadata"]!["kernelspec"]!["name"] = "csharp";
        doc["cells"]![1]!.AsObject().Remove("id");
        doc["cells"]![2]!["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp";
        File.WriteAllText(path, doc.ToJsonString());
        var problems = string.Join("\n", NotebookConventions.Check(path));
        Assert.Contains("file name must be NN-kebab-title.ipynb", problems);
        Assert.Contains("metadata.kernelspec must be", problems);
        Assert.Contains("cell 2: has no id", problems);
        Assert.Contains("cell 3: metadata.polyglot_notebook.kernelName must be \"csharp\" (found fsharp)", problems);
        Assert.Contains("cell 1: a markdown cell must come before every code cell", problems);
        Assert.Contains("cell 1: the first code cell must be exactly", problems);
        Assert.Contains("cell 3: magic command #!time", problems);
        Assert.Contains("cell 4: #r \"nuget:", problems);
        Assert.Contains("cell 4: a markdown cell must come before", problems);
        Assert.Contains("cell 6: 16 lines", problems);
        Assert.Contains("cell 8: using var at the top level of a cell is not allowed", problems);
    }
}
