using System.Text;
using System.Text.Encodings.Web;
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

    /// <summary>The kernels our notebooks name, C# (the default) and markdown, and the other kernels of .NET Interactive,
    /// so that a <c>.dib</c>'s <c>#!javascript</c> or <c>#!fsharp</c> cell is read as a cell of its own (and refused)
    /// instead of being folded into the cell before it.</summary>
    public static KernelInfoCollection KernelInfos()
    {
        var infos = new KernelInfoCollection
        {
            new KernelInfo("csharp", languageName: "C#", aliases: ["c#", "C#", "cs"]),
            new KernelInfo("markdown", languageName: "Markdown", aliases: ["md"]),
        };
        foreach (var (name, aliases) in OtherKernels) infos.Add(new KernelInfo(name, aliases: aliases));
        infos.DefaultKernelName = "csharp";
        return infos;
    }

    private static readonly (string Name, string[] Aliases)[] OtherKernels =
    [
        ("fsharp", ["f#", "F#", "fs"]), ("pwsh", ["powershell"]), ("javascript", ["js"]), ("html", []), ("sql", []),
        ("kql", []), ("mermaid", []), ("value", []), ("http", []), ("python", []), ("r", []), ("vscode", []), ("webview", []),
    ];

    /// <summary>Names a C# cell may carry in its metadata (<c>polyglot_notebook.kernelName</c>, <c>dotnet_interactive.language</c>).</summary>
    internal static bool IsCSharpName(string? name) => name is null || name.ToLowerInvariant() is "csharp" or "c#" or "cs" or ".net-csharp";

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
    /// <summary>Largest notebook file the runner reads: 100 MB.</summary>
    public const long MaxFileBytes = 100_000_000;

    /// <summary>
    /// Reads a notebook to run: an <c>.ipynb</c> as its own JSON (so that everything the runner does not run, such as
    /// raw cells, markdown attachments, metadata and ids, is written back as it was), a <c>.dib</c> through .NET
    /// Interactive's Documents library, converted to the same nbformat 4 JSON. Refuses, in one sentence naming the
    /// file, what the runner cannot run and write back faithfully: an empty or oversized file, JSON that is not a
    /// notebook, nbformat other than 4, <c>cells</c> that is not a list, a cell that is not code, markdown or raw, and
    /// code cells of another kernel than C# (a <c>#!javascript</c> cell, a Python notebook).
    /// </summary>
    /// <exception cref="SpecLoraException">The file cannot be run (the message says why and what to do).</exception>
    internal static NotebookSource LoadForRun(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var name = TerminalText.Visible(path);
        var ext = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".ipynb" or ".dib")) throw new SpecLoraException($"{name}: not a notebook (give an .ipynb or .dib file)");
        if (RegularFile.NonRegularKind(path) is { } fileKind) throw new SpecLoraException($"{name}: {fileKind}, not a notebook file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new SpecLoraException($"{name}: no such notebook");
        if (info.Length == 0) throw new SpecLoraException($"{name}: the file is empty (0 bytes), not a notebook");
        if (info.Length > MaxFileBytes) throw new SpecLoraException($"{name}: {info.Length:N0} bytes; the runner reads notebooks up to {MaxFileBytes:N0} bytes (clear the outputs first)");
        JsonObject root;
        if (ext == ".dib")
        {
            try
            {
                using var stream = File.OpenRead(path);
                var doc = CodeSubmission.Read(stream, KernelInfos());
                foreach (var element in doc.Elements) element.KernelName ??= "csharp";
                root = (JsonObject)JsonNode.Parse(doc.ToJupyterJson("C#"))!;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or IOException)
            {
                throw new SpecLoraException($"{name}: not a valid .dib notebook ({e.Message})", e);
            }
        }
        else
        {
            try
            {
                root = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
                       ?? throw new SpecLoraException($"{name}: not a notebook (the top level is not a JSON object)");
            }
            catch (JsonException e)
            {
                throw new SpecLoraException($"{name}: not valid notebook JSON ({e.Message})", e);
            }
        }
        var nbformat = root["nbformat"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : (int?)null;
        if (nbformat != 4)
            throw new SpecLoraException(nbformat is { } old
                ? $"{name}: nbformat {old}; the runner runs nbformat 4 notebooks only (convert it: jupyter nbconvert --to notebook --nbformat 4 FILE)"
                : $"{name}: not a notebook (no \"nbformat\": 4)");
        if (root["cells"] is not JsonArray cells) throw new SpecLoraException($"{name}: not a notebook (\"cells\" is not a list)");
        var language = root["metadata"]?["kernelspec"]?["language"] is JsonValue l && l.TryGetValue<string>(out var ls) ? ls : null;
        if (language is not null && !IsCSharpName(language))
            throw new SpecLoraException($"{name}: a {TerminalText.Visible(language)} notebook (metadata.kernelspec.language); the runner runs C# notebooks only");
        var defaultKernel = root["metadata"]?["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"] is JsonValue d && d.TryGetValue<string>(out var ds) ? ds : null;
        if (defaultKernel is not null && !IsCSharpName(defaultKernel))
            throw new SpecLoraException($"{name}: its default kernel is {TerminalText.Visible(defaultKernel)}; the runner runs C# notebooks only");
        var code = new List<KernelCell>();
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"{name}: cell {i + 1}";
            if (cells[i] is not JsonObject cell) throw new SpecLoraException($"{where} is not a JSON object; not a notebook the runner can write back");
            var kind = cell["cell_type"] is JsonValue k && k.TryGetValue<string>(out var ks) ? ks : null;
            if (kind is not ("code" or "markdown" or "raw"))
                throw new SpecLoraException($"{where}: cell_type {TerminalText.Visible(kind ?? "missing")}; nbformat 4 has code, markdown and raw cells only");
            if (cell["source"] is not (JsonValue or JsonArray) || cell["source"] is JsonValue sv && !sv.TryGetValue<string>(out _)
                || cell["source"] is JsonArray sa && sa.Any(x => x is not JsonValue xv || !xv.TryGetValue<string>(out _)))
                throw new SpecLoraException($"{where}: its source is not text (a string or a list of strings)");
            if (kind != "code") continue;
            var kernel = cell["metadata"]?["polyglot_notebook"]?["kernelName"] ?? cell["metadata"]?["dotnet_interactive"]?["language"];
            var kernelName = kernel is JsonValue kv && kv.TryGetValue<string>(out var kn) ? kn : null;
            if (!IsCSharpName(kernelName))
                throw new SpecLoraException($"{where} is a {TerminalText.Visible(kernelName)} cell; the runner runs C# cells only (move it to a markdown or raw cell, or run the notebook in VS Code)");
            code.Add(new KernelCell(i + 1, JoinSource(cell["source"])));
        }
        return new NotebookSource(path, root, code);
    }

    /// <summary>Writes an executed notebook as .ipynb (indented by one space, as Jupyter writes it; UTF-8), atomically.</summary>
    public static void WriteIpynb(JsonObject notebook, string path)
        => AtomicFile.Write(path, s =>
        {
            using (var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true, IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                notebook.WriteTo(w);
            s.WriteByte((byte)'\n');
        });
}

/// <summary>A notebook ready to run (see <see cref="NotebookDocument.LoadForRun"/>).</summary>
/// <param name="Path">The file (full path).</param>
/// <param name="Document">Its nbformat 4 JSON, as read (a <c>.dib</c> converted).</param>
/// <param name="CodeCells">The code cells the kernel runs, in order.</param>
internal sealed record NotebookSource(string Path, JsonObject Document, IReadOnlyList<KernelCell> CodeCells)
{
    /// <summary>The notebook's file name.</summary>
    public string Name => System.IO.Path.GetFileName(Path);
}
