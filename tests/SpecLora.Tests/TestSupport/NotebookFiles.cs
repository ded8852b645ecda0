using System.Text.Json.Nodes;

namespace SpecLora.Tests.TestSupport;

/// <summary>Writes small .ipynb files with Polyglot metadata for runner and convention tests.</summary>
public static class NotebookFiles
{
    /// <summary>The folder of the sample notebook(s) copied with the test binaries.</summary>
    public static string FixtureDir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "notebooks");

    /// <summary>A fresh temporary folder (deleted by the caller if it wants).</summary>
    public static string TempDir() => Directory.CreateTempSubdirectory("speclora-nb-").FullName;

    /// <summary>Writes <paramref name="name"/> in <paramref name="dir"/> with the given cells ("code"/"markdown", source).</summary>
    public static string Write(string dir, string name, params (string Kind, string Source)[] cells)
    {
        var array = new JsonArray();
        for (var i = 0; i < cells.Length; i++)
        {
            var (kind, source) = cells[i];
            var cell = new JsonObject
            {
                ["cell_type"] = kind,
                ["id"] = $"cell-{i}",
                ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = kind == "code" ? "csharp" : "markdown" } },
                ["source"] = source,
            };
            if (kind == "code") { cell["execution_count"] = null; cell["outputs"] = new JsonArray(); }
            array.Add(cell);
        }
        var root = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = SpecLora.Cli.NotebookRunner.NotebookConventions.ExpectedMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>Code cells only, each preceded by a one-line markdown cell.</summary>
    public static string WriteCode(string dir, string name, params string[] code)
        => Write(dir, name, code.SelectMany(c => new[] { ("markdown", "Why."), ("code", c) }).ToArray());
}

/// <summary>Tests that change process-wide state (console, current directory, progress writer) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = "process-state";
}
