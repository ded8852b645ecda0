using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>One cell of a notebook: its kind, source text and position.</summary>
/// <param name="Index">1-based position among all cells (the "cell N" of messages).</param>
/// <param name="Kind">"code", "markdown" or "raw".</param>
/// <param name="Source">The cell's text, lines joined with \n.</param>
/// <param name="Json">The cell's JSON object in the document (outputs are written into it).</param>
public sealed record NotebookCell(int Index, string Kind, string Source, JsonObject Json)
{
    /// <summary>True for C# code cells.</summary>
    public bool IsCode => Kind == "code";
}

/// <summary>An .ipynb (nbformat 4) document held as JSON so that unknown fields survive a round trip.</summary>
public sealed class NotebookDocument
{
    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }
    /// <summary>The cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }
    /// <summary>File the document was read from.</summary>
    public string Path { get; }

    private NotebookDocument(string path, JsonObject root)
    {
        Path = path;
        Root = root;
        var cells = new List<NotebookCell>();
        if (root["cells"] is JsonArray array)
            for (var i = 0; i < array.Count; i++)
                if (array[i] is JsonObject cell)
                    cells.Add(new NotebookCell(i + 1, cell["cell_type"]?.GetValue<string>() ?? "", JoinSource(cell["source"]), cell));
        Cells = cells;
    }

    /// <summary>Reads and parses an .ipynb file.</summary>
    /// <exception cref="SpecLoraException">The file is not notebook JSON.</exception>
    public static NotebookDocument Load(string path)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                       ?? throw new SpecLoraException($"{path}: not a notebook (top level is not a JSON object)");
            if (root["cells"] is not JsonArray) throw new SpecLoraException($"{path}: not a notebook (no \"cells\" array)");
            return new NotebookDocument(path, root);
        }
        catch (JsonException e)
        {
            throw new SpecLoraException($"{path}: not valid notebook JSON: {e.Message}", e);
        }
    }

    /// <summary>nbformat's source: a string or an array of strings (lines with their \n).</summary>
    internal static string JoinSource(JsonNode? source) => source switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")).Replace("\r\n", "\n"),
        JsonValue v => (v.GetValue<string>() ?? "").Replace("\r\n", "\n"),
        _ => "",
    };

    /// <summary>nbformat's multi-line string: lines keeping their \n, as Jupyter and VS Code write them.</summary>
    internal static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') { array.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) array.Add(text[start..]);
        return array;
    }

    /// <summary>Writes the document (with whatever outputs were set) atomically, indented like Jupyter (1 space).</summary>
    public void Save(string path)
    {
        var json = Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        AtomicFile.WriteAllText(path, json + "\n");
    }
}
