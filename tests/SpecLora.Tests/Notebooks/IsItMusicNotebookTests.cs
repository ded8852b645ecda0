using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Notebooks;

/// <summary>
/// Notebook 07's conclusion follows from the numbers on its own page: with the original project's images (the
/// repository run of <see cref="RepositoryNotebooksFixture"/>, as CI copies them) and offline, without them (a copy of
/// the notebook in a repository-like folder that has no <c>data/seed</c>).
/// </summary>
[Collection(ProcessStateCollection.Name)]
public partial class IsItMusicNotebookTests(RepositoryNotebooksFixture fixture) : IClassFixture<RepositoryNotebooksFixture>
{
    private const string Name = "07-is-it-music.ipynb";

    /// <summary>Every output of the executed notebook as text, in order: console text as printed, HTML with its tags removed
    /// and its table cells separated by " | ".</summary>
    private static List<string> Outputs(JsonNode executed) => executed["cells"]!.AsArray()
        .Where(c => (string?)c!["cell_type"] == "code")
        .SelectMany(c => c!["outputs"]!.AsArray())
        .Select(o => (string?)o!["output_type"] == "stream" ? NotebookDocument.JoinSource(o["text"])
            : o["data"]?["text/html"] is { } h ? Tags().Replace(Cells().Replace(NotebookDocument.JoinSource(h), " | "), " ") : "")
        .Select(s => WebUtility.HtmlDecode(s) ?? "").ToList();

    /// <summary>The rows of the table whose header holds <paramref name="headers"/>, as cell texts.</summary>
    private static List<string[]> Table(JsonNode executed, params string[] headers)
    {
        var html = executed["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").SelectMany(c => c!["outputs"]!.AsArray())
            .Select(o => o!["data"]?["text/html"] is { } h ? NotebookDocument.JoinSource(h) : "")
            .Single(h => headers.All(x => h.Contains($">{x}</th>", StringComparison.Ordinal)));
        return Rows().Matches(html).Select(r => CellText().Matches(r.Groups[1].Value).Select(c => WebUtility.HtmlDecode(Tags().Replace(c.Groups[1].Value, "")).Trim()).ToArray())
            .Where(cells => cells.Length > 0).ToList();
    }

    private static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [SkippableFact]
    public void With_the_original_images_the_conclusion_counts_what_the_tables_show()
    {
        Skip.IfNot(fixture.SeedAvailable, "the original project's images are not in data/seed (CI copies them from ../shared/seed)");
        var r = fixture.Results.Single(x => x.Name == Name);
        Assert.True(r.Passed, r.Error);
        var doc = fixture.Executed(Name);
        var text = string.Join("\n", Outputs(doc));
        var conclusion = Regex.Match(text, @"Conclusion: at the scale the LoRA draws, (\d+) of (\d+) README results are music, (\d+) are not music and (\d+) are undecided;.*cross-validated accuracy ([0-9.]+), and (\d+) of (\d+) training mels, held out, are music\.");
        Assert.True(conclusion.Success, "no conclusion sentence with the results in:\n" + text);
        int G(int i) => int.Parse(conclusion.Groups[i].Value, CultureInfo.InvariantCulture);

        var results = Table(doc, "Setting", "Verdict", "MusicScore", "Interval");
        Assert.Equal(7, results.Count);
        Assert.Equal(results.Count, G(2));
        Assert.Equal(results.Count(x => x[1] == "music"), G(1));
        Assert.Equal(results.Count(x => x[1] == "not music"), G(3));
        Assert.Equal(results.Count(x => x[1] == "undecided"), G(4));

        var seeds = Table(doc, "Mel", "Verdict", "MusicScore");
        Assert.Equal(seeds.Count, G(7));
        Assert.Equal(seeds.Count(x => x[1] == "music"), G(6));
        Assert.Contains($"training mels judged music: {G(6)} of {G(7)}", text);
        Assert.True(G(6) >= 7, $"only {G(6)} of 8 training mels are music");

        Assert.Equal(Number(text, @"cross-validated accuracy ([0-9.]+) \(balanced"), double.Parse(conclusion.Groups[5].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Offline_the_conclusion_says_so_and_follows_the_numbers_printed()
    {
        var notebooks = NotebookFiles.NotebooksDirWithLibrary();
        var root = Path.GetDirectoryName(notebooks)!;
        Directory.CreateDirectory(Path.Combine(root, "data", "audio"));
        File.Copy(Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav"), Path.Combine(root, "data", "audio", "fur-elise-theme.wav"));
        var path = Path.Combine(notebooks, Name);
        File.Copy(Path.Combine(Golden.RepoRoot, "notebooks", Name), path);
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");
        NotebookRunResult r;
        try { r = await NotebookExecutor.RunAsync(path, TimeSpan.FromMinutes(5)); }
        finally { Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous); }
        Assert.True(r.Passed, $"cell {r.FailedCell}: {r.Error}");
        Assert.False(Directory.Exists(Path.Combine(root, "data", "seed")) && Directory.EnumerateFiles(Path.Combine(root, "data", "seed"), "*", SearchOption.AllDirectories).Any());

        JsonNode doc = r.Executed;
        var text = string.Join("\n", Outputs(doc));
        var conclusion = Regex.Match(text, @"Conclusion: offline, the seven README results cannot be judged here; .*cross-validated accuracy ([0-9.]+), and the stand-in piece is (music|not music|undecided)\.");
        Assert.True(conclusion.Success, "no offline conclusion in:\n" + text);
        Assert.Equal(Number(text, @"cross-validated accuracy ([0-9.]+) \(balanced"), double.Parse(conclusion.Groups[1].Value, CultureInfo.InvariantCulture));
        var standIn = Regex.Match(text, @"stand-in piece \([0-9]+ s, offline\): (music|not music|undecided), music score");
        Assert.True(standIn.Success, "the stand-in's verdict is not printed");
        Assert.Equal(standIn.Groups[1].Value, conclusion.Groups[2].Value);
        // no table is shown empty: each section without the images says what it would show
        Assert.Contains("Without the original project's images this section would show each README result's picture, a player, its verdict", text);
        Assert.Contains("Without the original project's images this section would show the eight training mels judged one by one", text);
        Assert.DoesNotContain("NaN", text);
        Assert.DoesNotContain("∞", text);
    }

    [GeneratedRegex(@"<[^>]+>")] private static partial Regex Tags();
    [GeneratedRegex(@"</t[dh]>")] private static partial Regex Cells();
    [GeneratedRegex(@"<tr>(.*?)</tr>", RegexOptions.Singleline)] private static partial Regex Rows();
    [GeneratedRegex(@"<td[^>]*>(.*?)</td>", RegexOptions.Singleline)] private static partial Regex CellText();
}
