using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// The rules every notebook in <c>notebooks/</c> follows (specs/notebooks.md, style.md): Polyglot metadata, cell ids
/// and kernel names, the identical first code cell <see cref="FirstCell"/>, no magics or NuGet references, prose
/// before every code cell, short code cells, and <c>NN-kebab-title.ipynb</c> names.
/// </summary>
public static partial class NotebookConventions
{
    /// <summary>The notebooks' reference to the library, relative to <c>notebooks/</c> (after <c>dotnet build -c Release</c>).</summary>
    public const string LibraryReference = "#r \"../lib/SpecLora/bin/Release/net10.0/SpecLora.dll\"";

    /// <summary>
    /// Namespaces the first cell imports: System.IO (the kernel does not import it by default), every pipeline stage, the
    /// jobs on top of them and the IO utilities.
    /// </summary>
    public static readonly IReadOnlyList<string> FirstCellUsings = ["System", "System.IO", "SpecLora.Audio", "SpecLora.Spectrograms", "SpecLora.Imaging", "SpecLora.Inversion", "SpecLora.Analysis", "SpecLora.Replicate", "SpecLora.Notebook", "SpecLora.Jobs", "SpecLora.IO"];

    /// <summary>The first code cell, identical in every notebook.</summary>
    public static string FirstCell { get; } =
        LibraryReference + "\n" + string.Concat(FirstCellUsings.Select(u => $"using {u};\n")) + "Display.Register();";

    /// <summary>Longest code cell, in lines.</summary>
    public const int MaxCodeLines = 15;

    /// <summary>Notebook-level metadata every notebook carries, exactly.</summary>
    public static JsonObject ExpectedMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    [GeneratedRegex(@"^\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.ipynb$")]
    private static partial Regex FileNamePattern();

    /// <summary>Every rule <paramref name="path"/> breaks, one message each (empty when it follows them all).</summary>
    public static IReadOnlyList<string> Check(string path)
    {
        var problems = new List<string>();
        var name = Path.GetFileName(path);
        void Add(string message) => problems.Add($"{name}: {message}");
        if (!FileNamePattern().IsMatch(name)) Add("file name must be NN-kebab-title.ipynb");
        NotebookDocument doc;
        try { doc = NotebookDocument.Load(path); }
        catch (SpecLoraException e) { problems.Add(e.Message); return problems; }

        if (doc.Root["nbformat"]?.GetValue<int>() != 4 || (doc.Root["nbformat_minor"]?.GetValue<int>() ?? 0) < 5)
            Add("must be nbformat 4.5 or later (cell ids)");
        var metadata = doc.Root["metadata"] as JsonObject;
        foreach (var (key, expected) in ExpectedMetadata())
            if (!JsonNode.DeepEquals(metadata?[key], expected))
                Add($"metadata.{key} must be {expected!.ToJsonString()} (found {metadata?[key]?.ToJsonString() ?? "nothing"})");

        var ids = new HashSet<string>();
        NotebookCell? previous = null;
        var firstCode = true;
        foreach (var cell in doc.Cells)
        {
            var where = $"cell {cell.Index}";
            var id = cell.Json["id"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(id)) Add($"{where}: has no id");
            else if (!ids.Add(id)) Add($"{where}: id {id} is not unique");
            if (cell.Kind is not ("code" or "markdown")) Add($"{where}: only code and markdown cells are allowed (found {cell.Kind})");
            var kernel = cell.Json["metadata"]?["polyglot_notebook"]?["kernelName"]?.GetValue<string>();
            var expectedKernel = cell.IsCode ? "csharp" : "markdown";
            if (kernel != expectedKernel) Add($"{where}: metadata.polyglot_notebook.kernelName must be \"{expectedKernel}\" (found {kernel ?? "nothing"})");
            if (cell.IsCode)
            {
                if (previous is not { Kind: "markdown" }) Add($"{where}: a markdown cell must come before every code cell");
                if (UnsupportedSyntax(cell.Source) is { } why) Add($"{where}: {why}");
                var lines = cell.Source.TrimEnd('\n', ' ').Split('\n').Length;
                if (lines > MaxCodeLines) Add($"{where}: {lines} lines; code cells stay ≤ {MaxCodeLines} lines (move plotting into Show)");
                if (firstCode && Normalize(cell.Source) != Normalize(FirstCell))
                    Add($"{where}: the first code cell must be exactly NotebookConventions.FirstCell:\n{FirstCell}");
                firstCode = false;
            }
            previous = cell;
        }
        if (firstCode) Add("has no code cell");
        return problems;
    }

    private static readonly Regex NugetReference = new(@"^\s*#r\s*""\s*nuget\s*:", RegexOptions.Multiline | RegexOptions.IgnoreCase);
    private static readonly Regex Magic = new(@"^\s*(#!\S*)", RegexOptions.Multiline);
    private static readonly Regex IncludeDirective = new(@"^\s*#i\b", RegexOptions.Multiline);
    private static readonly Regex TopLevelUsingVar = new(@"^using\s+var\b", RegexOptions.Multiline);

    /// <summary>Why a cell breaks the notebooks' portability rules, or null: no <c>#r "nuget:…"</c> (offline, and
    /// not in every host), no magic commands, no <c>#i</c>, no <c>using var</c> at the top level of a cell (the kernel
    /// would dispose it only when the kernel ends; use a <c>using (…) { }</c> block or call Dispose).</summary>
    public static string? UnsupportedSyntax(string source)
    {
        if (NugetReference.IsMatch(source)) return "#r \"nuget:…\" is not allowed (notebooks run offline: reference the local build with #r \"path.dll\")";
        if (Magic.Match(source) is { Success: true } m) return $"magic command {m.Groups[1].Value} is not allowed (plain C# only)";
        if (IncludeDirective.IsMatch(source)) return "#i (package source) is not allowed";
        if (TopLevelUsingVar.IsMatch(source)) return "using var at the top level of a cell is not allowed (it is disposed only when the kernel ends): use a using block or Dispose()";
        return null;
    }

    private static string Normalize(string source)
        => string.Join("\n", source.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim();
}
