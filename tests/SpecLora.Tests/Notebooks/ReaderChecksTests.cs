using System.Text.Json.Nodes;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebooks;

/// <summary>Each reader check, on small executed notebooks that carry the defects issue 18 found.</summary>
public class ReaderChecksTests
{
    private static JsonObject Nb(params JsonObject[] cells) => new() { ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()) };

    private static JsonObject Md(string source) => new() { ["cell_type"] = "markdown", ["id"] = Guid.NewGuid().ToString("N")[..8], ["source"] = source };

    private static JsonObject Code(string source, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code", ["id"] = Guid.NewGuid().ToString("N")[..8], ["source"] = source,
        ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()),
    };

    private static JsonObject Stream(string text) => new() { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text };

    private static JsonObject Html(string html) => new() { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = html } };

    private static JsonObject View(IHtmlView view) => Html(view.ToHtml());

    [Fact]
    public void A_Show_call_ending_in_a_semicolon_is_flagged_and_a_display_call_without_output_too()
    {
        // 03 §2: Console.WriteLine(report); Show.Table(…); → only the summary showed
        var nb = Nb(Code("Console.WriteLine(report);\nShow.Table(report.Entries.Take(6).Select(e => new { e.Name }));", Stream("zip: 1 image")),
            Code("var x = 1;\nShow.Gallery(paths.Select(p => Show.Image(p)))", Html("<div class=\"speclora-gallery\" style=\"display:flex\"></div>")),
            Code("if (n == 0) display(Show.Notice(\"none\"));\nelse display(Show.Gallery(views));"),
            Code("var decoded = Decode(path);   // a comment: Show.Table(x);\nConsole.WriteLine(decoded);", Stream("ok")),
            Code("Show.Table(rows.Select(r => new\n{\n    r.Name,\n}))", View(Show.Table(new[] { new { Name = "a" } }))));
        var problems = ReaderChecks.SilentDisplays("nb", nb).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains("nb: cell 1 ends in \"Show.Table(report.Entries.Take(6).Select(e => new { e.Name }));\": the semicolon throws the view away", problems[0]);
        Assert.StartsWith("nb: cell 2 ends in a display call (\"Show.Gallery(", problems[1]);
        Assert.StartsWith("nb: cell 3 ends in a display call (\"else display(Show.Gallery(views));\")", problems[2]);
    }

    [Theory]
    [InlineData("Show.Row(a, b)", "Display")]
    [InlineData("display(x);", "Display")]
    [InlineData("progress.Complete();", "None")]
    [InlineData("foreach (var s in all)\n    display(Show.Row(s));", "None")]
    [InlineData("if (x)\n{\n    Show.Table(t);\n}", "None")]
    [InlineData("var n = 3;\nn", "Display")]
    [InlineData("Console.WriteLine(cond\n    ? \"a\"\n    : \"b\");", "None")]
    [InlineData("Show.Chart(x, y);   // drawn", "ShowDiscarded")]
    public void The_last_statement_is_classified(string source, string kind) => Assert.Equal(kind, ReaderChecks.ClassifyLast(source).ToString());

    [Fact]
    public void A_table_of_headers_only_a_row_of_placeholders_and_an_empty_gallery_are_flagged()
    {
        // 04 §3 offline: a table of headers only; 06 §4 offline: groups that all read "—"; 02 §3 offline: an empty gallery
        var headersOnly = Show.Table(Array.Empty<(int Setting, string OffColormap)>().Select(x => new { x.Setting, x.OffColormap }));
        var placeholders = Show.Table(new[] { new { Group = "our clip", Images = 1, Off = "0.0 %", Db = "2.4 dB" }, new { Group = "training mels", Images = 0, Off = "—", Db = "—" } });
        var settings = Show.Table(new[] { new { Number = 1, Negative = "—", Size = "1024×1024", Guidance = 7.5 } });
        var nb = Nb(Code("Show.Table(a)", View(headersOnly)), Code("Show.Table(b)", View(placeholders)), Code("Show.Gallery(c)", View(Show.Gallery([]))),
            Code("Show.Table(d)", View(settings)), Code("Show.Notice(e)", View(Show.WithoutOriginalImages("the seven results"))));
        var problems = ReaderChecks.EmptyViews("nb", nb).ToList();
        Assert.Equal(["nb: cell 1 shows a table with headers only", "nb: cell 2 shows a table row of placeholders: \"training mels | 0 | — | —\"", "nb: cell 3 displays an empty view"], problems);
    }

    [Fact]
    public void NaN_infinity_huge_ratios_ratios_below_one_worded_slower_and_shares_above_100_percent_are_absurd()
    {
        var nb = Nb(Code("x", Stream("tempo NaN BPM, gain ∞\n742.7 ms against 308.0 ms: 0.41× slower\nspeed-up 3.2e+09×: 3200000000× faster\nshare 140.0 %\n")),
            Code("y", Stream("1024×1024, 2.4× slower, 6.1× as long, 16/16 (100%), off-colormap 41.1 %, −3.5 % change")));
        var problems = ReaderChecks.AbsurdNumbers("nb", nb).ToList();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("prints \"NaN\""));
        Assert.Contains(problems, p => p.Contains("prints \"∞\""));
        Assert.Contains(problems, p => p.Contains("\"0.41× slower\": a ratio below 1 is the other way round"));
        Assert.Contains(problems, p => p.Contains("a ratio of 3200000000×"));
        Assert.Contains(problems, p => p.Contains("a share of 140.0 %"));
        Assert.All(problems, p => Assert.StartsWith("nb: cell 1 ", p));
    }

    [Fact]
    public void A_number_the_prose_quotes_must_be_printed_to_its_precision()
    {
        // 05 §4: "75 %-overlapping windows" was printed in notebook 01 only; "0.65" and "9.7 s" are printed here
        var nb = Nb(Md("The clip's axis is ≈ 0.65 frames per column; k = 1, 2 and 4 play the 9.7-s clip in 15, 30 and 59 s.\n" +
                       "Windows overlap by 75 %; librosa 0.10.2 (`hop 512`, `0.25`), §2.1, 640×480 pictures, 1.5× as long, -80 dB."),
            Code("x", Stream("0.65 frames per column → 9.72 s\nk = 4: 59.42 s\n1.58× as long\n")));
        var problems = ReaderChecks.UnprintedProseNumbers("nb", nb).ToList();
        Assert.Equal(["nb: cell 1 says \"75 %\" but no cell prints it", "nb: cell 1 says \"1.5×\" but no cell prints it"], problems);
    }

    [Theory]
    [InlineData("0.654", "0.65", true)]
    [InlineData("9.72", "9.7", true)]
    [InlineData("59.42", "59", true)]
    [InlineData("9.7", "9.72", false)]
    [InlineData("0.66", "0.65", false)]
    [InlineData("2.45", "2.5", true)]
    public void Printed_numbers_match_prose_by_rounding(string printed, string quoted, bool matches) => Assert.Equal(matches, ReaderChecks.RoundsTo(printed, quoted));

    [Fact]
    public void One_with_a_plural_noun_is_flagged()
    {
        var nb = Nb(Code("x", Stream("1 training images in images/\nzip: 1 images at 1024×1024, 1 captions\n1 image, 1 caption, 1 is enough, 10 images, 21 frames\n")),
            Code("y", Html("<p>2 images, 1 audio elements, ok</p>")));
        var problems = ReaderChecks.PluralsAfterOne("nb", nb).ToList();
        Assert.Equal(["nb: cell 1 prints \"1 training images\" (use Words.Count)", "nb: cell 1 prints \"1 images\" (use Words.Count)",
            "nb: cell 1 prints \"1 captions\" (use Words.Count)", "nb: cell 2 prints \"1 audio elements\" (use Words.Count)"], problems);
    }

    [Fact]
    public void A_printed_line_wider_than_the_output_box_is_flagged_and_a_notice_is_not()
    {
        var message = "15 of the original project's images are missing from /work/repo/data/seed and SPECLORA_OFFLINE is set, so nothing is downloaded. Copy its mels/ and results/ folders there, or unset SPECLORA_OFFLINE.";
        var nb = Nb(Code("Console.WriteLine(e.Message);", Stream(message + "\n0 of 8 original mels available\n")), Code("display(Show.Notice(e.Message));", View(Show.Notice(message))));
        var problem = Assert.Single(ReaderChecks.LongPrintedLines("nb", nb));
        Assert.StartsWith($"nb: cell 1 prints a line of {message.Length} characters, wider than its box", problem);
    }

    [Fact]
    public void Emoji_arrows_are_flagged_and_plain_links_pass()
    {
        var files = new[] { "01-a.ipynb", "02-b.ipynb", "03-c.ipynb" };
        var emoji = Nb(Md("# 02"), Md("⏪ Previous: [01 · A](01-a.ipynb) · ⏩ Next: [03 · C](03-c.ipynb)"));
        Assert.Equal(["02-b.ipynb: cell 2 has the emoji ⏪ (U+23EA); write it in words"], ReaderChecks.Emoji("02-b.ipynb", emoji));
        Assert.Empty(ReaderChecks.FooterLinks("02-b.ipynb", emoji, files));
        var plain = Nb(Md("# 02 → 03 ≈ ×"), Md("Previous: [01 · A](01-a.ipynb) · Next: [03 · C](03-c.ipynb)"));
        Assert.Empty(ReaderChecks.Emoji("02-b.ipynb", plain));
        var noNext = Nb(Md("# 02"), Md("Previous: [01 · A](01-a.ipynb)"));
        Assert.Equal(["02-b.ipynb: the last cell does not link the next notebook as \"Next: [...](03-c.ipynb)\""], ReaderChecks.FooterLinks("02-b.ipynb", noNext, files));
        Assert.Empty(ReaderChecks.FooterLinks("03-c.ipynb", Nb(Md("Previous: [02 · B](02-b.ipynb)")), files));
    }

    [Fact]
    public void Time_axes_are_read_from_captions_printed_lines_and_grid_metrics()
    {
        var axis = SpecLora.Spectrograms.FrameAxis.ForFramesPerColumn(640, 4, assumed: true);
        var audio = Show.Audio(new SpecLora.Audio.AudioClip(new float[100], 22050), $"our clip: the first 9.0 s of {axis.Describe()}");
        var grid = Show.Grid(new GridRow("our clip", Metrics: new Dictionary<string, object> { ["inverted on"] = "419 frames (9.72 s) in 640 columns, 0.65 per column, from the picture's metadata; 32 phase iterations" }));
        var nb = Nb(Code("a", View(audio)), Code("b", View(grid)), Code("c", Stream("wrong: k = 1, 640 frames (14.84 s) in 640 columns, 1 per column, at the frames per column given: 15 s instead of 9.7 s\n")));
        var axes = ReaderChecks.AxisSentences(nb);
        Assert.Equal(3, axes.Count);
        Assert.Equal((1, 2560, 59.42, "assumed"), (axes[0].Cell, axes[0].Frames, axes[0].Seconds, axes[0].Source));
        Assert.Equal((2, 419, 9.72, "from the picture's metadata"), (axes[1].Cell, axes[1].Frames, axes[1].Seconds, axes[1].Source));
        Assert.Equal("at the frames per column given", axes[2].Source);
        Assert.Contains("instead of", axes[2].Context);
    }

    [Fact]
    public void An_inversion_that_hides_its_time_axis_is_flagged()
    {
        // 05 §5: FromImage(res, new InversionOptions()) inverted res1.png at an assumed 4 frames per column, unsaid
        var nb = Nb(Code("var audio = ImageInversion.FromImage(res, new InversionOptions());\nShow.Audio(audio)"),
            Code("var plan = ImageInversion.Plan(res);\nvar audio = ImageInversion.FromPlan(res, plan);\nShow.Audio(audio, plan.Axis.Describe())"),
            Code("var audio = ImageInversion.FromFile(path);\nConsole.WriteLine(ImageInversion.Plan(d).Describe());"));
        Assert.Equal(["nb: cell 1 inverts a picture (ImageInversion.FromImage(…) but shows no Describe() of its time axis"], ReaderChecks.InversionsWithoutAxis("nb", nb));
    }

    [Fact]
    public void A_section_that_shows_less_without_the_images_must_say_what_it_would_show()
    {
        JsonObject picture() => Html("<img src=\"data:image/png;base64,AA==\"/>");
        JsonObject Run(bool images, bool says) => Nb(Md("# Title"), Code("a", Stream("intro")), Md("## 2. The recorded results"),
            images ? Code("b", picture(), picture()) : says ? Code("b", View(Show.WithoutOriginalImages("the seven results"))) : Code("b", Stream("0 of 7")),
            Md("## 3. Ours"), Code("c", picture()));
        Assert.Equal(["nb: section \"2. The recorded results\" shows 2 pictures, players and table cells with the original images and 0 without, and does not say what it would show"],
            ReaderChecks.SilentlyReducedSections("nb", Run(true, false), Run(false, false)));
        Assert.Empty(ReaderChecks.SilentlyReducedSections("nb", Run(true, false), Run(false, true)));
        Assert.Equal(1, ReaderChecks.WouldShowCount(ReaderChecks.CodeCells(Run(false, true))));
    }
}
