using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Audio;
using SpecLora.Cli.Commands;
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

    /// <summary>The executed notebooks of the run above, by file name.</summary>
    public IEnumerable<(string Name, JsonObject Executed)> All => Results.Select(r => (r.Name, (JsonObject)Executed(r.Name)));

    private readonly Lazy<OfflineRun> _withoutImages = new(OfflineRun.Start);

    /// <summary>The same notebooks run by <c>speclora notebooks</c> without the original images (started by the first
    /// test that asks, once).</summary>
    public OfflineRun WithoutImages => _withoutImages.Value;
}

/// <summary>
/// The repository's notebooks run as <c>speclora notebooks</c> runs them on a machine that cannot fetch the original
/// project's images: copies in a repository-like folder with the library and <c>data/</c> but no <c>data/seed</c>,
/// <c>SPECLORA_OFFLINE=1</c>, through <see cref="NotebooksCommand.RunAllAsync(IReadOnlyList{string}, string, TimeSpan, bool, TextWriter, CancellationToken)"/>
/// (console lines, pages, index).
/// </summary>
public sealed class OfflineRun
{
    public required string OutDir { get; init; }
    public required string Log { get; init; }
    public required string? Notice { get; init; }
    public required IReadOnlyList<NotebookRunResult> Results { get; init; }

    public string Index => File.ReadAllText(Path.Combine(OutDir, "index.html"));

    public JsonObject Executed(string name) => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(OutDir, name)))!;

    public IEnumerable<(string Name, JsonObject Executed)> All => Results.Select(r => (r.Name, Executed(r.Name)));

    internal static OfflineRun Start()
    {
        var notebooks = NotebookFiles.NotebooksDirWithLibrary();
        var root = Path.GetDirectoryName(notebooks)!;
        foreach (var file in Directory.GetFiles(Path.Combine(Golden.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            File.Copy(file, Path.Combine(notebooks, Path.GetFileName(file)));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(Golden.RepoRoot, "data")).Where(e => Path.GetFileName(e) != "seed"))
            if (Directory.Exists(entry)) Directory.CreateSymbolicLink(Path.Combine(root, "data", Path.GetFileName(entry)), entry);
            else File.Copy(entry, Path.Combine(root, "data", Path.GetFileName(entry)));
        var outDir = Path.Combine(root, "results", "notebooks");
        var previous = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");
        var log = new StringWriter();
        try
        {
            var files = Directory.GetFiles(notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            var run = NotebooksCommand.RunAllAsync(files, outDir, TimeSpan.FromMinutes(5), false, log, CancellationToken.None).GetAwaiter().GetResult();
            return new OfflineRun { OutDir = outDir, Log = log.ToString(), Notice = run.Notice, Results = run.Results };
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", previous);
        }
    }
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
            Assert.True(check.Images >= 1 && check.Audio >= 1, $"{r.Name}: {HtmlChecker.Summary(check)}");
        }
    }

    // ---- what a reader sees (issue 18): every check runs over the executed notebooks above, and where the original
    // images matter, over the same notebooks run without them (fixture.WithoutImages, one run for all the tests) ----

    /// <summary>Notebooks kept out of the reader checks: none (07 was, while it was being rewritten).</summary>
    private static readonly HashSet<string> RewrittenByTheLead = [];

    private static IEnumerable<(string Name, JsonObject Executed)> Checked(IEnumerable<(string Name, JsonObject Executed)> runs)
        => runs.Where(r => !RewrittenByTheLead.Contains(r.Name));

    private IEnumerable<(string Run, string Name, JsonObject Executed)> BothRuns()
        => Checked(fixture.All).Select(r => (fixture.SeedAvailable ? "with the images" : "without the images", r.Name, r.Executed))
            .Concat(Checked(fixture.WithoutImages.All).Select(r => ("without the images", r.Name, r.Executed)));

    private static void NoProblems(IEnumerable<string> problems)
    {
        var list = problems.Distinct().ToList();
        Assert.True(list.Count == 0, $"{Words.Count(list.Count, "problem")}:\n" + string.Join("\n", list));
    }

    [Fact]
    public void Every_cell_that_ends_in_a_display_call_shows_something()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.SilentDisplays($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void No_view_is_empty_and_no_table_is_headers_or_placeholders_only()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.EmptyViews($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void No_printed_number_is_absurd()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.AbsurdNumbers($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void Every_number_the_prose_quotes_is_printed_by_a_cell()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.UnprintedProseNumbers($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void A_count_of_one_takes_a_singular_noun()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.PluralsAfterOne($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void Printed_lines_fit_their_output_box()
        => NoProblems(BothRuns().SelectMany(r => ReaderChecks.LongPrintedLines($"{r.Name} ({r.Run})", r.Executed)));

    [Fact]
    public void Prose_and_outputs_use_words_not_emoji_and_end_with_plain_previous_and_next_links()
    {
        NoProblems(Checked(fixture.All).SelectMany(r => ReaderChecks.Emoji(r.Name, r.Executed)));
        NoProblems(Checked(fixture.All).SelectMany(r => ReaderChecks.FooterLinks(r.Name, r.Executed, fixture.Files)));
    }

    [Fact]
    public void Every_inversion_of_a_picture_shows_the_time_axis_it_was_given_or_assumed()
        => NoProblems(fixture.Files.Where(f => !RewrittenByTheLead.Contains(Path.GetFileName(f)))
            .SelectMany(f => ReaderChecks.InversionsWithoutAxis(Path.GetFileName(f), (JsonObject)JsonNode.Parse(File.ReadAllText(f))!)));

    [Fact]
    public void Notebook_05_describes_the_interpolation_between_columns_the_inverter_uses()
    {
        // 05 §4 said "we interpolate each band's level between columns (in dB)" after the default became the cubic on power^¼
        Assert.Equal(SpecLora.Inversion.BetweenColumns.CubicQuarterPower, new SpecLora.Inversion.InversionOptions().BetweenColumns);
        Assert.Equal(SpecLora.Inversion.BetweenColumns.LogLinear, SpecLora.Inversion.InversionOptions.LibrosaBaseline.BetweenColumns);
        var prose = string.Join("\n", ReaderChecks.Cells((JsonObject)JsonNode.Parse(File.ReadAllText(fixture.Files.Single(f => f.EndsWith("05-spectrogram-to-audio.ipynb", StringComparison.Ordinal))))!)
            .Where(c => ReaderChecks.Kind(c) == "markdown").Select(c => ReaderChecks.Source(c)));
        var sentences = Regex.Split(prose.Replace('\n', ' '), @"(?<=[.;:])\s+").Where(s => s.Contains("interpolat", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(sentences, s => s.Contains("Catmull-Rom", StringComparison.Ordinal) && s.Contains("power^¼", StringComparison.Ordinal) && s.Contains("default", StringComparison.Ordinal));
        foreach (var s in sentences.Where(s => s.Contains("in dB", StringComparison.Ordinal)))
            Assert.True(s.Contains("baseline", StringComparison.Ordinal), $"05 says the interpolation is linear in dB without saying that only the librosa-style baseline does that: \"{s}\"");
    }

    [Fact]
    public void Without_the_images_every_picture_we_made_is_inverted_at_its_true_length()
    {
        // offline every picture inverted is one we made: our own clip's, or (07) the stand-in piece, whose length 07
        // prints. On its metadata or its known duration it must last as long as that (within one hop); a deliberate
        // other k must say "instead of"; nothing may be assumed
        var clip = AudioLoader.Load(Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav"));
        double hop = 512.0 / clip.SampleRate;
        var problems = new List<string>();
        var perNotebook = new Dictionary<string, int>();
        foreach (var (name, executed) in Checked(fixture.WithoutImages.All))
        {
            var standIn = Regex.Match(string.Join("\n", ReaderChecks.CodeCells(executed).SelectMany(c => c.Outputs).Select(o => o.Text)), @"stand-in piece: ([0-9.]+) s");
            bool is07 = name == "07-is-it-music.ipynb";
            if (is07 && !standIn.Success) problems.Add($"{name}: offline it prints no \"stand-in piece: N s\" line, so its inversions cannot be checked");
            var lengths = new List<double> { clip.DurationSeconds };
            if (is07 && standIn.Success) lengths.Add(double.Parse(standIn.Groups[1].Value, CultureInfo.InvariantCulture));
            string what = string.Join(" or ", lengths.Select(l => $"{l:F2} s"));
            foreach (var axis in ReaderChecks.AxisSentences(executed))
            {
                perNotebook[name] = perNotebook.GetValueOrDefault(name) + 1;
                var where = $"{name}: cell {axis.Cell}: \"{axis.Context}\"";
                if (axis.Source is "from the picture's metadata" or "from the duration given")
                {
                    if (lengths.All(l => Math.Abs(axis.Seconds - l) > hop + 0.005)) problems.Add($"{where}: {axis.Seconds} s on its own axis; what we made lasts {what}");
                }
                else if (axis.Source == "assumed") problems.Add($"{where}: our clip's length is known, nothing needs assuming");
                else if (!axis.Context.Contains("instead of", StringComparison.Ordinal)) problems.Add($"{where}: a length other than the clip's, and no word that it is wrong");
            }
        }
        foreach (var name in new[] { "04-generate-at-readme-settings.ipynb", "05-spectrogram-to-audio.ipynb", "06-listen-side-by-side.ipynb", "07-is-it-music.ipynb" })
            if (perNotebook.GetValueOrDefault(name) == 0) problems.Add($"{name}: shows no time axis for the clip it inverts");
        NoProblems(problems);
    }

    [Fact]
    public void Without_the_images_the_console_and_the_index_say_so_and_name_every_notebook_they_touch()
    {
        var offline = fixture.WithoutImages;
        Assert.NotNull(offline.Notice);
        Assert.StartsWith("ran without the original project's images", offline.Notice);
        Assert.Contains(offline.Notice!, offline.Log);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(offline.Notice!), offline.Index);
        foreach (var (name, executed) in offline.All)
        {
            int wouldShow = ReaderChecks.WouldShowCount(ReaderChecks.CodeCells(executed));
            bool named = offline.Notice!.Contains(SeedNotice.Label(name), StringComparison.Ordinal);
            if (wouldShow > 0) Assert.True(named, $"{name} says what it would show with the images, but the notice does not name it: {offline.Notice}");
            if (named && !RewrittenByTheLead.Contains(name)) Assert.True(wouldShow > 0, $"the notice names {name}, which nowhere says what it would show with the images");
        }
    }

    [SkippableFact]
    public void Without_the_images_every_section_that_shows_less_says_what_it_would_show()
    {
        Skip.IfNot(fixture.SeedAvailable, "the original images are not here (../shared/seed absent): there is no run with them to compare with");
        var without = fixture.WithoutImages.All.ToDictionary(r => r.Name, r => r.Executed);
        var problems = new List<string>();
        foreach (var (name, executed) in Checked(fixture.All))
        {
            problems.AddRange(ReaderChecks.SilentlyReducedSections(name, executed, without[name]));
            if (ReaderChecks.WouldShowCount(ReaderChecks.CodeCells(executed)) > 0) problems.Add($"{name}: says what it would show with the images, though it has them");
        }
        NoProblems(problems);
    }

    [SkippableFact]
    public async Task Pages_lay_out_as_the_prose_says_rows_on_one_line_nothing_wider_than_its_box_legends_off_the_data()
    {
        var chromium = HtmlChecker.FindChromium();
        Skip.If(chromium is null, "headless Chromium not found (install Debian's chromium package, as .ci/run does): pages not laid out");
        var pages = fixture.Results.Select(r => Path.Combine(fixture.PagesDir, Path.ChangeExtension(r.Name, ".html")))
            .Concat(fixture.WithoutImages.Results.Select(r => Path.Combine(fixture.WithoutImages.OutDir, Path.ChangeExtension(r.Name, ".html"))))
            .Where(p => !RewrittenByTheLead.Contains(Path.ChangeExtension(Path.GetFileName(p), ".ipynb")));
        var problems = new List<string>();
        foreach (var page in pages)
            problems.AddRange(await PageLayout.ProblemsAsync(page, chromium!, TimeSpan.FromMinutes(2)));
        NoProblems(problems);
    }
}
