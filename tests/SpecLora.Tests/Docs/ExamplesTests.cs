using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Docs;

/// <summary>
/// The house rule for the library's documentation: each public entry point the notebooks call carries a short
/// <c>&lt;example&gt;</c> that names the notebook teaching it (<c>notebooks/NN-name.ipynb</c>). Checked against the XML
/// documentation file the build writes (SpecLora.xml, copied beside SpecLora.dll into the test output).
/// </summary>
public sealed partial class ExamplesTests
{
    private static readonly Assembly Library = typeof(SpecLora.Audio.AudioClip).Assembly;

    private static string NotebooksDir => Path.Combine(Golden.RepoRoot, "notebooks");

    /// <summary><c>Type.Member(</c> and <c>Type.Member&lt;T&gt;(</c> (the last two names of a qualified call).</summary>
    [GeneratedRegex(@"\b(?<type>[A-Z]\w*)\s*\.\s*(?<member>[A-Z]\w*)\s*(?:<[^<>()]*>)?\s*\(")]
    private static partial Regex StaticCall();

    /// <summary><c>new Type(</c>, <c>new Type {</c> and <c>new Type&lt;T&gt;(</c>.</summary>
    [GeneratedRegex(@"\bnew\s+(?<type>[A-Z]\w*)\s*(?:<[^<>()]*>)?\s*[({]")]
    private static partial Regex Construction();

    [GeneratedRegex(@"notebooks/(?<file>\d\d-[\w.-]+?\.ipynb)")]
    private static partial Regex NotebookReference();

    [Fact]
    public void EveryPublicEntryPointTheNotebooksCallHasAnExampleNamingItsNotebook()
    {
        var types = Library.GetExportedTypes().GroupBy(SimpleName).ToDictionary(g => g.Key, g => g.ToList());
        var uses = NotebookUses(types.Keys.ToHashSet(StringComparer.Ordinal));
        Assert.NotEmpty(uses);
        var usedTypes = uses.Keys.Select(u => u.Type).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("ImageInversion", usedTypes);
        Assert.Contains("MelSpectrogram", usedTypes);

        var docs = LoadDocs();
        var missing = new List<string>();
        foreach (var ((type, member), notebooks) in uses.OrderBy(u => u.Key.Type, StringComparer.Ordinal).ThenBy(u => u.Key.Member, StringComparer.Ordinal))
        {
            var candidates = types[type].SelectMany(t => DocsOf(docs, t, member));
            if (!candidates.Any(HasExampleNamingANotebook))
                missing.Add($"{type}.{member} (called in {string.Join(", ", notebooks.Order(StringComparer.Ordinal))})");
        }
        Assert.True(missing.Count == 0,
            $"{missing.Count} of {uses.Count} public entry points the notebooks call have neither a type nor a member doc with an "
            + "<example> naming an existing notebook (Notebook: <c>notebooks/NN-name.ipynb</c>.):" + Environment.NewLine
            + string.Join(Environment.NewLine, missing.Select(m => "  " + m)));
    }

    [Fact]
    public void EveryNotebookAnExampleNamesExists()
    {
        var stale = LoadDocs()
            .SelectMany(d => d.Value.Descendants("example").Select(e => (Id: d.Key, Example: e)))
            .SelectMany(x => NotebookReference().Matches(x.Example.Value).Select(m => (x.Id, File: m.Groups["file"].Value)))
            .Where(x => !File.Exists(Path.Combine(NotebooksDir, x.File)))
            .Select(x => $"{x.Id}: notebooks/{x.File}")
            .ToList();
        Assert.True(stale.Count == 0, "Examples name notebooks that do not exist:" + Environment.NewLine + string.Join(Environment.NewLine, stale));
    }

    /// <summary>Every (type, member) a notebook code cell calls, member <c>#ctor</c> for a construction, with the notebooks
    /// that call it; only types of the library.</summary>
    private static Dictionary<(string Type, string Member), SortedSet<string>> NotebookUses(IReadOnlySet<string> libraryTypes)
    {
        var uses = new Dictionary<(string, string), SortedSet<string>>();
        var files = Directory.GetFiles(NotebooksDir, "*.ipynb");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var cells = JsonNode.Parse(File.ReadAllText(file))!["cells"]!.AsArray();
            foreach (var cell in cells)
            {
                if ((string?)cell!["cell_type"] != "code") continue;
                var code = cell["source"] switch
                {
                    JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
                    JsonNode single => (string?)single ?? "",
                    null => "",
                };
                var found = StaticCall().Matches(code).Select(m => (m.Groups["type"].Value, m.Groups["member"].Value))
                    .Concat(Construction().Matches(code).Select(m => (m.Groups["type"].Value, "#ctor")));
                foreach (var use in found.Where(u => libraryTypes.Contains(u.Item1)))
                {
                    if (!uses.TryGetValue(use, out var where)) uses[use] = where = new SortedSet<string>(StringComparer.Ordinal);
                    where.Add(name);
                }
            }
        }
        return uses;
    }

    /// <summary>The library's XML documentation, by member id (<c>T:…</c>, <c>M:…</c>, …).</summary>
    private static Dictionary<string, XElement> LoadDocs()
    {
        var xml = Path.ChangeExtension(Library.Location, ".xml");
        Assert.True(File.Exists(xml), $"{xml} is missing: the build writes it (GenerateDocumentationFile in lib/SpecLora/SpecLora.csproj) and copies it beside SpecLora.dll.");
        var members = XDocument.Load(xml).Root!.Element("members")!.Elements("member").ToList();
        Assert.NotEmpty(members);
        return members.GroupBy(m => (string)m.Attribute("name")!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The type's own doc and the docs of every overload of <paramref name="member"/> declared on it.</summary>
    private static IEnumerable<XElement> DocsOf(Dictionary<string, XElement> docs, Type type, string member)
    {
        var id = type.FullName!.Replace('+', '.');
        if (docs.TryGetValue("T:" + id, out var own)) yield return own;
        var prefix = new Regex(@"^[MPFE]:" + Regex.Escape(id + "." + member) + @"(``\d+)?(\(|$)");
        foreach (var (key, doc) in docs)
            if (prefix.IsMatch(key)) yield return doc;
    }

    private static bool HasExampleNamingANotebook(XElement doc) =>
        doc.Elements("example").Any(e => NotebookReference().Matches(e.Value)
            .Any(m => File.Exists(Path.Combine(NotebooksDir, m.Groups["file"].Value))));

    private static string SimpleName(Type t) => t.Name.Split('`')[0];
}
