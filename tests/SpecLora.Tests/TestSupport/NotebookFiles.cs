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

    /// <summary>
    /// A fresh repository-like folder: <c>lib/SpecLora/bin/Release/net10.0</c> is a link to the test binaries (SpecLora.dll
    /// and every dependency beside it), so a notebook in the returned <c>notebooks/</c> folder loads the library with the
    /// same relative <c>#r</c> as the repository's notebooks.
    /// </summary>
    public static string NotebooksDirWithLibrary()
    {
        var root = TempDir();
        var bin = Path.Combine(root, "lib", "SpecLora", "bin", "Release");
        Directory.CreateDirectory(bin);
        Directory.CreateSymbolicLink(Path.Combine(bin, "net10.0"), AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var notebooks = Path.Combine(root, "notebooks");
        Directory.CreateDirectory(notebooks);
        return notebooks;
    }

    /// <summary>A copy of the sample notebook (Fixtures/notebooks) in <see cref="NotebooksDirWithLibrary"/>.</summary>
    public static string SampleNotebook()
    {
        var from = Directory.GetFiles(FixtureDir, "*.ipynb")[0];
        var to = Path.Combine(NotebooksDirWithLibrary(), Path.GetFileName(from));
        File.Copy(from, to);
        return to;
    }

    /// <summary>Code cells only, each preceded by a one-line markdown cell.</summary>
    public static string WriteCode(string dir, string name, params string[] code)
        => Write(dir, name, code.SelectMany(c => new[] { ("markdown", "Why."), ("code", c) }).ToArray());
}

/// <summary>Tests that change process-wide state (console, current directory, environment) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessStateCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = "process-state";
}
