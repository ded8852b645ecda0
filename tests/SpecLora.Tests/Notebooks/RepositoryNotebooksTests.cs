using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;
using SpecLora.IO;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Notebooks;

/// <summary>Runs every notebook in <c>notebooks/</c> once, offline, in the real .NET Interactive C# kernel hosted
/// in-process, as the README's main command does, and writes the executed notebooks and their pages; the tests below
/// check what they show.</summary>
public sealed class RepositoryNotebooksFixture
{
    public string PagesDir { get; } = NotebookFiles.TempDir();
    public IReadOnlyList<NotebookRunResult> Results { get; }
    public IReadOnlyList<string> Files { get; }
    public bool SeedAvailable { get; }
    public string Log { get; }

    public RepositoryNotebooksFixture()
    {
        var seedDir = Path.Combine(Golden.RepoRoot, "data", "seed");
        if (!SeedData.IsComplete(seedDir) && Golden.SharedDir is { } shared && Directory.Exists(Path.Combine(shared, "seed")))
            foreach (var file in SeedData.AllFiles)
            {
                var from = Path.Combine(shared, "seed", file);
                if (File.Exists(from)) AtomicFile.WriteAllBytes(Path.Combine(seedDir, file), File.ReadAllBytes(from));
            }
        SeedAvailable = SeedData.IsComplete(seedDir);
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");   // tests never reach the internet
        var log = new StringWriter();
        try
        {
            var results = new List<NotebookRunResult>();
            Files = Directory.GetFiles(Path.Combine(Golden.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
            foreach (var path in Files)
            {
                var result = NotebookExecutor.RunAsync(path, TimeSpan.FromMinutes(5), log).GetAwaiter().GetResult();
                NotebookHtmlWriter.WritePage(result, Path.Combine(PagesDir, Path.ChangeExtension(result.Name, ".html")));
                NotebookDocument.WriteIpynb(result.Executed, Path.Combine(PagesDir, result.Name));
                results.Add(result);
            }
            Results = results;
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous);
        }
        Log = log.ToString();
    }

    public string Page(string name) => File.ReadAllText(Path.Combine(PagesDir, Path.ChangeExtension(name, ".html")));

    public JsonNode Executed(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(PagesDir, name)))!;
}

[Collection(ProcessStateCollection.Name)]
public class RepositoryNotebooksTests(RepositoryNotebooksFixture fixture) : IClassFixture<RepositoryNotebooksFixture>
{
    [Fact]
    public void Every_notebook_runs_top_to_bottom_offline_in_the_kernel()
    {
        Assert.True(fixture.Files.Count >= 7, $"only {fixture.Files.Count} notebooks in notebooks/");
        Assert.Equal(fixture.Files.Count, fixture.Results.Count);
        foreach (var r in fixture.Results)
            Assert.True(r.Passed, $"{r.Name}: cell {r.FailedCell}: {r.Error}\n{fixture.Log}");
    }

    [Fact]
    public void Executed_notebooks_carry_the_kernels_pictures_and_players_in_jupyter_mime_bundles()
    {
        foreach (var r in fixture.Results)
        {
            var doc = fixture.Executed(r.Name);
            Assert.Equal(".net-csharp", (string?)doc["metadata"]!["kernelspec"]!["name"]);
            var html = doc["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code")
                .SelectMany(c => c!["outputs"]!.AsArray())
                .Where(o => (string?)o!["output_type"] is "display_data" or "execute_result" && o!["data"]?["text/html"] is not null)
                .Select(o => NotebookDocument.JoinSource(o!["data"]!["text/html"])).ToList();
            Assert.Contains(html, h => h.Contains("src=\"data:image/", StringComparison.Ordinal));
            Assert.Contains(html, h => h.Contains("<audio controls", StringComparison.Ordinal));
            foreach (var cell in doc["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"))
                Assert.True(cell!["execution_count"]?.GetValue<int>() > 0, $"{r.Name}: cell {cell!["id"]} has no execution count");
        }
    }

    [Fact]
    public void Every_page_shows_a_spectrogram_image_and_an_audio_player()
    {
        foreach (var r in fixture.Results)
        {
            var html = fixture.Page(r.Name);
            Assert.True(Regex.Matches(html, "<img[^>]+src=\"data:image/(png|jpeg)").Count >= 1, $"{r.Name}: no picture");
            Assert.True(Regex.Matches(html, "<audio[^>]+src=\"data:audio/wav").Count >= 1, $"{r.Name}: no audio player");
        }
    }

    [SkippableFact]
    public void Listen_side_by_side_has_a_row_for_each_of_the_seven_README_results()
    {
        Skip.IfNot(fixture.SeedAvailable, "the original project's images are not in data/seed and ../shared/seed is absent (offline): the seven README rows cannot be shown");
        var html = fixture.Page("06-listen-side-by-side.ipynb");
        for (int i = 1; i <= 7; i++)
            Assert.Contains($"README result {i}: res{i}.png", html);
    }

    [SkippableFact]
    public async Task Pages_open_in_headless_Chromium_with_decoded_images_playable_audio_and_no_errors()
    {
        var chromium = HtmlChecker.FindChromium();
        Skip.If(chromium is null, "headless Chromium not found (install Debian's chromium package, as .ci/run does): pages not opened");
        foreach (var r in fixture.Results)
        {
            var check = await HtmlChecker.CheckAsync(Path.Combine(fixture.PagesDir, Path.ChangeExtension(r.Name, ".html")), chromium!, TimeSpan.FromMinutes(2));
            Assert.True(check.Ok, $"{r.Name}: " + string.Join("\n", check.Problems));
            Assert.True(check.Images >= 1 && check.Audio >= 1, $"{r.Name}: {check.Images} images, {check.Audio} audio elements");
        }
    }
}
