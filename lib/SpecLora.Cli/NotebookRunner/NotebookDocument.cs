using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
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

/// <summary>An .ipynb (nbformat 4) document as raw JSON, for the convention checks (ids, metadata, nbformat version);
/// running and writing notebooks goes through .NET Interactive's Documents library (<see cref="ReadInteractive"/>,
/// <see cref="WriteIpynb"/>).</summary>
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

    /// <summary>The kernels our notebooks name: C# (the default) and markdown.</summary>
    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new KernelInfo("csharp", languageName: "C#", aliases: ["c#", "C#", "cs"]),
            new KernelInfo("markdown", languageName: "Markdown", aliases: ["md"]),
        };
        infos.DefaultKernelName = "csharp";
        return infos;
    }

    /// <summary>True for a cell the C# kernel runs (anything that is not markdown or raw).</summary>
    public static bool IsCode(InteractiveDocumentElement element)
        => element.KernelName is not ("markdown" or "md" or "raw");

    /// <summary>Reads an <c>.ipynb</c> (Jupyter) or <c>.dib</c> (Polyglot) file with .NET Interactive's Documents library.</summary>
    /// <exception cref="SpecLoraException">Missing file, unknown extension or a document that does not parse.</exception>
    public static InteractiveDocument ReadInteractive(string path)
    {
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".ipynb" or ".dib")) throw new SpecLoraException($"{path}: not a notebook (give an .ipynb or .dib file)");
        if (!File.Exists(path)) throw new SpecLoraException($"{path}: no such notebook");
        try
        {
            using var stream = File.OpenRead(path);
            var doc = ext == ".ipynb" ? Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Read(stream, KernelInfos()) : CodeSubmission.Read(stream, KernelInfos());
            foreach (var element in doc.Elements) element.KernelName ??= "csharp";
            return doc;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new SpecLoraException($"{path}: not a valid notebook: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="doc"/> as Jupyter .ipynb (nbformat 4.5, Polyglot metadata, the outputs' mime
    /// bundles) with Documents' own writer, atomically.</summary>
    public static void WriteIpynb(InteractiveDocument doc, string path)
    {
        // a .dib has no Jupyter metadata: give it what Documents gives a C# notebook, then merge the kernel infos
        var json = doc.Metadata.ContainsKey("kernelspec") ? null : doc.ToJupyterJson("C#");
        if (json is null)
        {
            using var buffer = new MemoryStream();
            Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Write(doc, buffer, KernelInfos());
            AtomicFile.WriteAllBytes(path, buffer.ToArray());
        }
        else AtomicFile.WriteAllText(path, json);
    }
}
