using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.Commands;
using SpecLora.IO;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Says, at the top of the console summary and of <c>index.html</c>, when notebooks ran without the original project's
/// images (<see cref="SeedData"/>: fetched into <c>data/seed/</c>, which may be absent offline or under
/// <c>SPECLORA_OFFLINE=1</c>), and which notebooks that touches. The list is derived from the notebooks themselves: a
/// notebook uses the images when one of its code cells names <c>SeedData</c>, and it reads them from the folder its
/// code names (a string ending in <c>data/seed</c>, relative to the notebook), else from <c>data/seed</c> of the
/// repository around it.
/// </summary>
internal static partial class SeedNotice
{
    [GeneratedRegex(@"\bSeedData\s*\.")]
    private static partial Regex UsesSeed();

    [GeneratedRegex(@"""([^""\r\n]*data/seed)/?""")]
    private static partial Regex SeedFolderLiteral();

    [GeneratedRegex(@"^\d+")]
    private static partial Regex LeadingNumber();

    /// <summary>The seed folder <paramref name="notebook"/> reads (full path), or null when it does not use the images.</summary>
    internal static string? SeedFolder(string notebookPath, JsonObject notebook)
    {
        var code = (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["cell_type"] is JsonValue t && t.TryGetValue<string>(out var k) && k == "code")
            .Select(c => NotebookDocument.JoinSource(c["source"])).ToList();
        if (!code.Any(c => UsesSeed().IsMatch(c))) return null;
        var dir = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        foreach (var c in code)
            if (SeedFolderLiteral().Match(c) is { Success: true } m)
                return Path.GetFullPath(Path.Combine(dir, m.Groups[1].Value));
        return Path.Combine(CommandSupport.FindRepoRoot(dir) ?? Path.GetDirectoryName(dir) ?? dir, "data", "seed");
    }

    /// <summary>The sentence, or null when every notebook that uses the images found them all
    /// ("ran without the original project's images (0 of 15 files in /…/data/seed; SPECLORA_OFFLINE=1 forbids the
    /// download): notebooks 02, 04, 06 and 07 show our own clip in their place").</summary>
    /// <param name="ran">The notebooks that ran (after the run: online, they fetched the images).</param>
    public static string? For(IEnumerable<(string Path, JsonObject Notebook)> ran)
    {
        var missing = ran.Select(r => (r.Path, Seed: SeedFolder(r.Path, r.Notebook)))
            .Where(r => r.Seed is not null && !SeedData.IsComplete(r.Seed))
            .GroupBy(r => r.Seed!, StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return null;
        var offline = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE") is "1" or "true";
        var folders = string.Join("; ", missing.Select(g =>
        {
            var present = SeedData.AllFiles.Count(f => File.Exists(Path.Combine(g.Key, f)));
            return $"{present.ToString(CultureInfo.InvariantCulture)} of {SeedData.AllFiles.Count.ToString(CultureInfo.InvariantCulture)} files in {TerminalText.Visible(g.Key)}";
        }));
        var names = missing.SelectMany(g => g.Select(r => Label(r.Path))).Distinct().ToList();
        var which = names.Count == 1 ? $"notebook {names[0]} shows" : $"notebooks {Words.List(names)} show";
        return $"ran without the original project's images ({folders}{(offline ? "; SPECLORA_OFFLINE=1 forbids the download" : "")}): " +
               $"{which} our own clip in their place";
    }

    /// <summary>"02" for <c>02-make-spectrograms.ipynb</c>; the file name when it has no leading number.</summary>
    internal static string Label(string path)
    {
        var name = Path.GetFileName(path);
        return LeadingNumber().Match(name) is { Success: true } m ? m.Value : TerminalText.Visible(name);
    }
}
