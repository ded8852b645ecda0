using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Where a run of <c>speclora notebooks</c> writes, and the rule that keeps the user's files safe, checked for every
/// output before any notebook runs (a refusal names both paths):
/// <list type="number">
/// <item>each notebook gets <c>NAME.ipynb</c> and <c>NAME.html</c>, so two notebooks with one name (in two folders, or
/// <c>a.ipynb</c> beside <c>a.dib</c>; compared ignoring case) and a notebook named <c>index</c> (the index page) are
/// refused;</item>
/// <item>no output may be a notebook being run (the same file, symbolic links resolved), whatever the options;</item>
/// <item>an existing file is replaced only when an earlier run of <c>speclora notebooks</c> wrote it into this folder and
/// it is unchanged since: the folder's record <c>.speclora-notebooks.json</c> holds the SHA-256 of every file a run
/// wrote. Any other existing file, a notebook or page of the user's own, is refused unless <c>--overwrite</c> is given
/// (each replaced file is then named) — except a notebook (<c>.ipynb</c>, <c>.dib</c>) in a folder being read, which
/// is a source and is never replaced.</item>
/// </list>
/// So <c>notebooks in/nb -o in/nb</c> is refused before any work and leaves the sources byte for byte as they were,
/// while running the same notebooks into the same <c>-o</c> folder again simply replaces the earlier run's outputs.
/// </summary>
internal sealed class OutputFolder
{
    /// <summary>The folder's record of the files runs wrote there.</summary>
    public const string RecordName = ".speclora-notebooks.json";

    private readonly Dictionary<string, string> _record;
    private readonly object _gate = new();

    private OutputFolder(string folder, Dictionary<string, string> record)
    {
        Folder = folder;
        _record = record;
    }

    /// <summary>The output folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The index page.</summary>
    public string IndexPath => Path.Combine(Folder, "index.html");

    /// <summary>The executed notebook of <paramref name="source"/>.</summary>
    public string IpynbPath(string source) => Path.Combine(Folder, Path.GetFileNameWithoutExtension(source) + ".ipynb");

    /// <summary>The page of <paramref name="source"/>.</summary>
    public string HtmlPath(string source) => Path.Combine(Folder, Path.GetFileNameWithoutExtension(source) + ".html");

    /// <summary>Checks every output of running <paramref name="sources"/> into <paramref name="folder"/> (nothing is
    /// written). <paramref name="problems"/> gets one sentence per refusal; <paramref name="replacing"/> the files
    /// that <c>--overwrite</c> will replace.</summary>
    public static OutputFolder Plan(IReadOnlyList<string> sources, string folder, bool overwrite, out List<string> problems, out List<string> replacing)
    {
        problems = [];
        replacing = [];
        folder = Path.GetFullPath(folder);
        var record = ReadRecord(folder, overwrite, problems);
        var plan = new OutputFolder(folder, record ?? []);
        var v = TerminalText.Visible;

        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in sources)
        {
            var stem = Path.GetFileNameWithoutExtension(source);
            if (stem.Equals("index", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{v(source)} would be written as {v(plan.IndexPath)}, the index page of the run: rename the notebook");
            else if (byName.TryGetValue(stem, out var other))
                problems.Add($"{v(other)} and {v(source)} would both be written as {v(Path.Combine(folder, stem))}.ipynb and .html: rename one, or run them into different -o folders");
            else byName[stem] = source;
        }

        var comparer = StringComparer.OrdinalIgnoreCase;
        var realSources = sources.ToDictionary(s => RealPath(s), s => s, comparer);
        var readFolders = new HashSet<string>(sources.Select(s => RealPath(Path.GetDirectoryName(Path.GetFullPath(s))!)), comparer);
        var outputs = sources.SelectMany(s => new[] { plan.IpynbPath(s), plan.HtmlPath(s) }).Append(plan.IndexPath).Distinct(comparer);
        foreach (var output in outputs)
        {
            var real = RealPath(output);
            if (realSources.TryGetValue(real, out var source))
            {
                problems.Add($"-o {v(folder)} would write {v(output)} over the notebook being run, {v(source)}: choose another -o folder");
                continue;
            }
            if (Directory.Exists(output))
            {
                problems.Add($"{v(output)} is a folder, where the run would write a file: move it, or choose another -o folder");
                continue;
            }
            if (!File.Exists(output) && !IsLink(output) || plan.WrittenByEarlierRun(output)) continue;
            var isNotebook = output.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase);
            if (isNotebook && readFolders.Contains(RealPath(Path.GetDirectoryName(output)!)))
                problems.Add($"{v(output)} is a notebook in a folder being read and would be replaced by the executed copy of another: choose another -o folder");
            else if (!overwrite)
                problems.Add($"{v(output)} exists and no earlier run of speclora notebooks wrote it there (or it changed since): move it, choose another -o folder, or add --overwrite");
            else replacing.Add(output);
        }
        return plan;
    }

    /// <summary>True when <paramref name="path"/> is recorded as written by a run into this folder and is unchanged.</summary>
    private bool WrittenByEarlierRun(string path)
    {
        if (!_record.TryGetValue(Path.GetFileName(path), out var hash) || IsLink(path)) return false;
        try { return Hash(path) == hash; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Records <paramref name="path"/> (just written by this run) in the folder's record, atomically.</summary>
    public void Recorded(string path)
    {
        lock (_gate)
        {
            _record[Path.GetFileName(path)] = Hash(path);
            var json = new JsonObject
            {
                ["written_by"] = "speclora notebooks",
                ["about"] = "files a run of speclora notebooks wrote into this folder, with their SHA-256; a file listed and unchanged is replaced by the next run, any other needs --overwrite",
                ["files"] = new JsonObject(_record.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
            };
            AtomicFile.WriteAllText(Path.Combine(Folder, RecordName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
    }

    private static Dictionary<string, string>? ReadRecord(string folder, bool overwrite, List<string> problems)
    {
        var path = Path.Combine(folder, RecordName);
        if (!File.Exists(path)) return null;
        try
        {
            if (new FileInfo(path).Length > 16_000_000) throw new JsonException("larger than 16 MB");
            var files = (JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject)?["files"] as JsonObject ?? throw new JsonException("no \"files\" object");
            return files.Where(kv => kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            if (!overwrite)
                problems.Add($"{TerminalText.Visible(path)} is not the record speclora notebooks writes ({e.Message}): move it, or add --overwrite");
            return null;
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (IOException) { return false; }
    }

    /// <summary><paramref name="path"/> with every symbolic link along it resolved (at most 40), as the file system
    /// sees it; the parts that do not exist are kept as written.</summary>
    internal static string RealPath(string path) => RealPath(Path.GetFullPath(path), 0);

    private static string RealPath(string full, int depth)
    {
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return full;
        var joined = Path.Combine(RealPath(parent, depth), Path.GetFileName(full));
        if (depth >= 40) return joined;
        try
        {
            FileSystemInfo info = Directory.Exists(joined) ? new DirectoryInfo(joined) : new FileInfo(joined);
            if (info.LinkTarget is { } target)
                return RealPath(Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(joined)!, target)), depth + 1);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return joined;
    }
}
