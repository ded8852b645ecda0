using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Notebooks;

/// <summary>
/// Checks over an executed notebook (nbformat JSON with outputs) for what a reader sees: a display call that shows
/// nothing, a view thrown away by a trailing semicolon, an empty table, a number that is absurd or that the prose quotes
/// but no cell printed, "1 images", an emoji, an output line too long for its box, what each section shows without the
/// original images. Each returns one sentence per problem, naming the notebook and the cell or section.
/// </summary>
internal static partial class ReaderChecks
{
    /// <summary>One code cell: its position, source and outputs.</summary>
    internal sealed record CodeCell(int Index, string Id, string Source, IReadOnlyList<Output> Outputs);

    /// <summary>One output: its kind, its HTML (display outputs) and the text a reader sees.</summary>
    internal sealed record Output(string Kind, string Html, string Text)
    {
        /// <summary>True when it shows something: text, a picture, a player or a chart.</summary>
        public bool Visible => Text.Trim().Length > 0 || Html.Contains("<img", StringComparison.Ordinal)
                               || Html.Contains("<audio", StringComparison.Ordinal) || Html.Contains("<svg", StringComparison.Ordinal);
    }

    /// <summary>A heading and the cells under it up to the next heading.</summary>
    internal sealed record Section(string Heading, IReadOnlyList<CodeCell> Code, IReadOnlyList<string> Markdown);

    // ---------- reading ----------

    internal static IEnumerable<JsonObject> Cells(JsonObject notebook) => (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>();

    internal static string Kind(JsonObject cell) => (string?)cell["cell_type"] ?? "";

    internal static string Source(JsonObject cell) => NotebookDocument.JoinSource(cell["source"]).Replace("\r\n", "\n");

    internal static IReadOnlyList<CodeCell> CodeCells(JsonObject notebook)
        => Cells(notebook).Select((c, i) => (c, i)).Where(x => Kind(x.c) == "code")
            .Select(x => new CodeCell(x.i + 1, (string?)x.c["id"] ?? "", Source(x.c), Outputs(x.c))).ToList();

    internal static IReadOnlyList<Output> Outputs(JsonObject cell)
    {
        var list = new List<Output>();
        foreach (var o in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var kind = (string?)o["output_type"] ?? "";
            if (kind == "stream") list.Add(new Output(kind, "", NotebookDocument.JoinSource(o["text"])));
            else if (kind == "error") list.Add(new Output(kind, "", $"{(string?)o["ename"]}: {(string?)o["evalue"]}"));
            else if (o["data"] is JsonObject data)
            {
                var html = data["text/html"] is { } h ? NotebookDocument.JoinSource(h) : "";
                var text = html.Length > 0 ? VisibleText(html) : data["text/plain"] is { } p ? NotebookDocument.JoinSource(p) : "";
                list.Add(new Output(kind, html, text));
            }
        }
        return list;
    }

    /// <summary>The text of <paramref name="html"/> as a browser shows it (data URIs, tags and entities gone).</summary>
    internal static string VisibleText(string html)
    {
        var noData = DataUri().Replace(html, "");
        var noTags = Tag().Replace(noData, " ");
        return Space().Replace(WebUtility.HtmlDecode(noTags), " ").Trim();
    }

    /// <summary>Everything a reader sees in the outputs of the notebook (or of <paramref name="cells"/>).</summary>
    internal static string AllOutputText(IEnumerable<CodeCell> cells) => string.Join("\n", cells.SelectMany(c => c.Outputs).Select(o => o.Text));

    /// <summary>The notebook cut at its headings (markdown cells starting with #).</summary>
    internal static IReadOnlyList<Section> Sections(JsonObject notebook)
    {
        var sections = new List<Section>();
        string heading = "(top)";
        var code = new List<CodeCell>();
        var markdown = new List<string>();
        var all = Cells(notebook).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            var cell = all[i];
            var source = Source(cell);
            if (Kind(cell) == "markdown" && source.TrimStart().StartsWith('#'))
            {
                sections.Add(new Section(heading, code, markdown));
                heading = source.TrimStart().Split('\n')[0].TrimStart('#', ' ');
                code = []; markdown = [];
            }
            if (Kind(cell) == "markdown") markdown.Add(source);
            else if (Kind(cell) == "code") code.Add(new CodeCell(i + 1, (string?)cell["id"] ?? "", source, Outputs(cell)));
        }
        sections.Add(new Section(heading, code, markdown));
        return sections;
    }

    // ---------- display calls ----------

    /// <summary>The last statement of a cell: from the last line that starts at column 0 (not a brace or a
    /// continuation) to the end, comments removed.</summary>
    internal static string LastStatement(string source)
    {
        var lines = source.Split('\n').Select(StripComment).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0) return "";
        int i = lines.Count - 1;
        while (i > 0 && (char.IsWhiteSpace(lines[i][0]) || lines[i][0] is '{' or '}' or ')' or '.' or ':' or '?' or '+'))
            i--;
        return string.Join("\n", lines[i..]).Trim();
    }

    /// <summary>A line without its // comment (a // inside a string literal is kept).</summary>
    internal static string StripComment(string line)
    {
        bool inString = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '"' && (i == 0 || line[i - 1] != '\\')) inString = !inString;
            else if (!inString && c == '/' && i + 1 < line.Length && line[i + 1] == '/') return line[..i].TrimEnd();
        }
        return line.TrimEnd();
    }

    internal enum LastKind { None, Display, ShowDiscarded }

    /// <summary>What a cell's last statement does: a display call (<c>display(…)</c>, a <c>Show.…</c> view or any trailing
    /// expression the kernel shows), a <c>Show.…(…);</c> whose view the semicolon throws away, or neither.</summary>
    internal static LastKind ClassifyLast(string source)
    {
        var s = LastStatement(source);
        s = ElsePrefix().Replace(s, "");
        if (s.Length == 0 || s.StartsWith('#')) return LastKind.None;
        if (s.StartsWith("Show.", StringComparison.Ordinal)) return s.EndsWith(';') ? LastKind.ShowDiscarded : LastKind.Display;
        if (s.StartsWith("display(", StringComparison.Ordinal)) return LastKind.Display;
        if (BlockStart().IsMatch(s)) return LastKind.None;
        return s.EndsWith(';') || s.EndsWith('}') ? LastKind.None : LastKind.Display;
    }

    /// <summary>Cells whose last statement is a display call but which show nothing, and cells that end in a
    /// <c>Show.…(…);</c> whose view the semicolon throws away.</summary>
    internal static IEnumerable<string> SilentDisplays(string name, JsonObject executed)
    {
        foreach (var cell in CodeCells(executed))
        {
            var kind = ClassifyLast(cell.Source);
            if (kind == LastKind.ShowDiscarded)
                yield return $"{name}: cell {cell.Index} ends in \"{Short(LastStatement(cell.Source))}\": the semicolon throws the view away (drop it, or wrap the call in display(…))";
            else if (kind == LastKind.Display && !cell.Outputs.Any(o => o.Kind is "display_data" or "execute_result" && o.Visible))
                yield return $"{name}: cell {cell.Index} ends in a display call (\"{Short(LastStatement(cell.Source))}\") but shows nothing";
        }
    }

    /// <summary>Displayed outputs that show nothing (an empty gallery), and tables with no rows or with a row of
    /// placeholders ("—") where values should be.</summary>
    internal static IEnumerable<string> EmptyViews(string name, JsonObject executed)
    {
        foreach (var cell in CodeCells(executed))
            foreach (var o in cell.Outputs.Where(o => o.Kind is "display_data" or "execute_result"))
            {
                if (!o.Visible) yield return $"{name}: cell {cell.Index} displays an empty view";
                foreach (Match body in TableBody().Matches(o.Html))
                {
                    var rows = TableRow().Matches(body.Groups[1].Value);
                    if (rows.Count == 0) yield return $"{name}: cell {cell.Index} shows a table with headers only";
                    foreach (Match row in rows)
                    {
                        var cells = TableCell().Matches(row.Groups[1].Value).Select(m => VisibleText(m.Groups[1].Value)).ToList();
                        var values = cells.Skip(1).ToList();
                        if (values.Count >= 2 && values.Count(v => v is "" or "—" or "-" or "–" or "n/a" or "NaN") * 2 > values.Count)
                            yield return $"{name}: cell {cell.Index} shows a table row of placeholders: \"{Short(string.Join(" | ", cells))}\"";
                    }
                }
            }
    }

    // ---------- numbers ----------

    /// <summary>Printed numbers that cannot be right: NaN or ∞, a ratio (N×) above 10⁶, a ratio below 1 worded
    /// "N× slower/faster", a share above 100 %.</summary>
    internal static IEnumerable<string> AbsurdNumbers(string name, JsonObject executed)
    {
        foreach (var cell in CodeCells(executed))
        {
            var text = string.Join("\n", cell.Outputs.Select(o => o.Text));
            foreach (Match m in NotANumber().Matches(text))
                yield return $"{name}: cell {cell.Index} prints \"{m.Value}\": {Around(text, m)}";
            foreach (Match m in Ratio().Matches(text))
            {
                var v = Parse(m.Groups[1].Value);
                if (v > 1e6) yield return $"{name}: cell {cell.Index} prints a ratio of {m.Groups[1].Value}×: {Around(text, m)}";
                else if (m.Groups[2].Success && v < 1) yield return $"{name}: cell {cell.Index} prints \"{m.Value}\": a ratio below 1 is the other way round ({Around(text, m)})";
            }
            foreach (Match m in Percent().Matches(text))
                if (Parse(m.Groups[1].Value) > 100) yield return $"{name}: cell {cell.Index} prints a share of {m.Value}: {Around(text, m)}";
        }
    }

    /// <summary>
    /// Numbers the prose gives as facts that no cell of the notebook printed: decimals (0.65), percentages (75 %),
    /// ratios (6×) and quantities in s, ms, dB or BPM. A prose number matches an output number that rounds to it at the
    /// prose's precision. Not checked: whole numbers without a unit (counts, settings, section numbers, sizes like
    /// 640×480), code spans and blocks, link targets, version numbers, and <see cref="Definitions"/>.
    /// </summary>
    internal static IEnumerable<string> UnprintedProseNumbers(string name, JsonObject executed)
    {
        var printed = OutputNumber().Matches(AllOutputText(CodeCells(executed)).Replace('−', '-')).Select(m => m.Value).ToList();
        foreach (var (cell, i) in Cells(executed).Select((c, i) => (c, i)).Where(x => Kind(x.c) == "markdown"))
        {
            var prose = Prose(Source(cell));
            foreach (var (number, quoted) in QuotedNumbers(prose))
                if (!Definitions.Contains(number) && !printed.Any(p => RoundsTo(p, number)))
                    yield return $"{name}: cell {i + 1} says \"{quoted}\" but no cell prints it";
        }
    }

    /// <summary>Numbers in prose that are definitions, not results, and so need no cell to print them. Kept small:
    /// each is a constant of a formula the prose writes out.</summary>
    internal static readonly IReadOnlySet<string> Definitions = new HashSet<string>
    {
        "0.5",   // 01 §2: the Hann window's formula, w[n] = 0.5 − 0.5·cos(2πn/N)
    };

    /// <summary>Markdown without code blocks, code spans, link targets and HTML comments.</summary>
    internal static string Prose(string markdown)
    {
        var s = CodeBlock().Replace(markdown, " ");
        s = CodeSpan().Replace(s, " ");
        s = LinkTarget().Replace(s, "]");
        return s.Replace('−', '-');
    }

    /// <summary>The checked numbers of <paramref name="prose"/>: (the number, the text around it).</summary>
    internal static IEnumerable<(string Number, string Quoted)> QuotedNumbers(string prose)
    {
        foreach (Match m in ProseNumber().Matches(prose))
        {
            var number = m.Groups[1].Value;
            bool hasUnit = m.Groups[2].Success;
            if (number.Count(c => c == '.') > 1) continue;                       // a version (0.10.2)
            if (!number.Contains('.') && !hasUnit) continue;                      // a count, a setting, a size
            if (VersionBefore().IsMatch(prose[..m.Index])) continue;              // librosa 0.10
            yield return (number, m.Value.Trim());
        }
    }

    /// <summary>True when <paramref name="printed"/> (as printed) rounds to <paramref name="quoted"/> at the quoted precision.</summary>
    internal static bool RoundsTo(string printed, string quoted)
    {
        int qd = quoted.Contains('.') ? quoted.Length - quoted.IndexOf('.') - 1 : 0;
        int pd = printed.Contains('.') ? printed.Length - printed.IndexOf('.') - 1 : 0;
        return pd >= qd && Math.Abs(Math.Round(Parse(printed), qd, MidpointRounding.AwayFromZero) - Parse(quoted)) < 1e-9;
    }

    // ---------- wording and layout ----------

    private static readonly HashSet<string> NotPlurals = ["is", "was", "has", "this", "its", "thus", "plus", "less", "us", "as", "does", "axis", "analysis", "class", "across", "focus", "status", "basis", "series", "always", "whereas", "ms"];

    /// <summary>"1 images", "1 captions", "1 audio elements": a count of one with a plural noun, in any output.</summary>
    internal static IEnumerable<string> PluralsAfterOne(string name, JsonObject executed)
    {
        foreach (var cell in CodeCells(executed))
            foreach (var o in cell.Outputs)
                foreach (Match m in OneThings().Matches(o.Text))
                    if (!NotPlurals.Contains(m.Groups[2].Value.ToLowerInvariant()))
                        yield return $"{name}: cell {cell.Index} prints \"{m.Value.Trim()}\" (use Words.Count)";
    }

    /// <summary>The longest printed line a page's output box shows without scrolling (≈ 1030 px of 13-px monospace).</summary>
    internal const int MaxPrintedLine = 120;

    /// <summary>Printed lines longer than <see cref="MaxPrintedLine"/>: they overflow the output box (show long
    /// messages with Show.Notice, which wraps).</summary>
    internal static IEnumerable<string> LongPrintedLines(string name, JsonObject executed)
    {
        foreach (var cell in CodeCells(executed))
            foreach (var o in cell.Outputs.Where(o => o.Kind == "stream"))
                foreach (var line in o.Text.Split('\n').Where(l => l.TrimEnd().Length > MaxPrintedLine))
                    yield return $"{name}: cell {cell.Index} prints a line of {line.TrimEnd().Length} characters, wider than its box: \"{Short(line)}\"";
    }

    /// <summary>Emoji (⏩, ⏪, 🎵 …) in prose or outputs: they render as empty boxes where no emoji font is installed.</summary>
    internal static IEnumerable<string> Emoji(string name, JsonObject executed)
    {
        foreach (var (cell, i) in Cells(executed).Select((c, i) => (c, i)))
        {
            var text = Source(cell) + "\n" + (Kind(cell) == "code" ? string.Join("\n", Outputs(cell).Select(o => o.Text)) : "");
            foreach (var rune in text.EnumerateRunes())
                if (IsEmoji(rune.Value))
                {
                    yield return $"{name}: cell {i + 1} has the emoji {rune} (U+{rune.Value:X4}); write it in words";
                    break;
                }
        }
    }

    internal static bool IsEmoji(int c) => c is (>= 0x1F000 and <= 0x1FAFF) or (>= 0x23E9 and <= 0x23FA) or (>= 0x2600 and <= 0x26FF)
        or (>= 0x2B05 and <= 0x2B55) or 0xFE0F or 0x231A or 0x231B or 0x2705 or 0x274C or 0x2728;

    /// <summary>The last markdown cell links the previous and the next notebook (when they exist) in plain text:
    /// "Previous: [..](NN-….ipynb)", "Next: [..](NN-….ipynb)".</summary>
    internal static IEnumerable<string> FooterLinks(string path, JsonObject notebook, IReadOnlyList<string> allNotebooks)
    {
        var name = Path.GetFileName(path);
        var names = allNotebooks.Select(Path.GetFileName).ToList();
        int at = names.IndexOf(name);
        var last = Cells(notebook).LastOrDefault(c => Kind(c) == "markdown") is { } c ? Source(c) : "";
        if (at > 0 && (!last.Contains("Previous: [", StringComparison.Ordinal) || !last.Contains($"]({names[at - 1]})", StringComparison.Ordinal)))
            yield return $"{name}: the last cell does not link the previous notebook as \"Previous: [...]({names[at - 1]})\"";
        if (at >= 0 && at + 1 < names.Count && (!last.Contains("Next: [", StringComparison.Ordinal) || !last.Contains($"]({names[at + 1]})", StringComparison.Ordinal)))
            yield return $"{name}: the last cell does not link the next notebook as \"Next: [...]({names[at + 1]})\"";
    }

    // ---------- time axes ----------

    /// <summary>A time axis as <c>FrameAxis.Describe()</c> words it, found in an output.</summary>
    internal sealed record AxisSentence(int Cell, int Frames, double Seconds, int Columns, string Source, string Context);

    /// <summary>Every <c>FrameAxis.Describe()</c> sentence in the outputs, with the output line or caption around it.</summary>
    internal static IReadOnlyList<AxisSentence> AxisSentences(JsonObject executed)
    {
        var list = new List<AxisSentence>();
        foreach (var cell in CodeCells(executed))
            foreach (var o in cell.Outputs)
            {
                // captions and printed lines are the contexts: figcaption text, or one printed line
                var contexts = o.Kind == "stream" ? o.Text.Split('\n').ToList()
                    : Caption().Matches(o.Html).Select(m => VisibleText(m.Groups[1].Value)).Concat(MetricCell().Matches(o.Html).Select(m => VisibleText(m.Groups[1].Value))).ToList();
                foreach (var context in contexts)
                    foreach (Match m in Describe().Matches(context))
                        list.Add(new AxisSentence(cell.Index, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Parse(m.Groups[2].Value),
                            int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), m.Groups[4].Value, context));
            }
        return list;
    }

    /// <summary>Code cells that invert a picture without saying its time axis: a call of <c>ImageInversion.From…</c>
    /// in a cell that prints no <c>.Describe()</c> of the plan (use <c>ImageInversion.Plan</c> and show
    /// <c>plan.Axis.Describe()</c>, which says what was assumed and the length it gives).</summary>
    internal static IEnumerable<string> InversionsWithoutAxis(string name, JsonObject notebook)
    {
        foreach (var cell in CodeCells(notebook))
            if (Inverts().IsMatch(cell.Source) && !cell.Source.Contains(".Describe()", StringComparison.Ordinal))
                yield return $"{name}: cell {cell.Index} inverts a picture ({Inverts().Match(cell.Source).Value}…) but shows no Describe() of its time axis";
    }

    // ---------- offline ----------

    /// <summary>The outputs' "would show" sentences (<c>Show.WithoutOriginalImages</c>).</summary>
    internal static int WouldShowCount(IEnumerable<CodeCell> cells)
        => cells.SelectMany(c => c.Outputs).Count(o => o.Html.Contains("speclora-would-show", StringComparison.Ordinal));

    /// <summary>How much a section shows: pictures, players, table cells.</summary>
    internal static int Shown(IEnumerable<CodeCell> cells)
        => cells.SelectMany(c => c.Outputs).Sum(o => Regex.Count(o.Html, "<img[ >]") + Regex.Count(o.Html, "<audio[ >]") + Regex.Count(o.Html, "<td[ >]"));

    /// <summary>Sections that show less without the original images than with them (<paramref name="withImages"/>,
    /// <paramref name="withoutImages"/>: the same notebook executed both ways) and do not say, in a
    /// <c>Show.WithoutOriginalImages</c> sentence, what they would show.</summary>
    internal static IEnumerable<string> SilentlyReducedSections(string name, JsonObject withImages, JsonObject withoutImages)
    {
        var with = Sections(withImages);
        var without = Sections(withoutImages);
        if (with.Count != without.Count) { yield return $"{name}: {with.Count} sections with the images, {without.Count} without"; yield break; }
        for (int i = 0; i < with.Count; i++)
            if (Shown(without[i].Code) < Shown(with[i].Code) && WouldShowCount(without[i].Code) == 0)
                yield return $"{name}: section \"{with[i].Heading}\" shows {Shown(with[i].Code)} pictures, players and table cells with the original images and {Shown(without[i].Code)} without, and does not say what it would show";
    }

    // ---------- helpers ----------

    private static double Parse(string s) => double.Parse(s.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Short(string s) => s.Length <= 90 ? s.Replace('\n', ' ') : s[..87].Replace('\n', ' ') + "…";

    private static string Around(string text, Match m)
        => Short(text.Substring(Math.Max(0, m.Index - 40), Math.Min(text.Length, m.Index + m.Length + 30) - Math.Max(0, m.Index - 40)));

    [GeneratedRegex(@"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+")] private static partial Regex DataUri();
    [GeneratedRegex(@"<[^>]*>")] private static partial Regex Tag();
    [GeneratedRegex(@"\s+")] private static partial Regex Space();
    [GeneratedRegex(@"^else\s+")] private static partial Regex ElsePrefix();
    [GeneratedRegex(@"^(if|for|foreach|while|using|try|switch|do|lock)\b")] private static partial Regex BlockStart();
    [GeneratedRegex(@"<tbody>(.*?)</tbody>", RegexOptions.Singleline)] private static partial Regex TableBody();
    [GeneratedRegex(@"<tr>(.*?)</tr>", RegexOptions.Singleline)] private static partial Regex TableRow();
    [GeneratedRegex(@"<td[^>]*>(.*?)</td>", RegexOptions.Singleline)] private static partial Regex TableCell();
    [GeneratedRegex(@"(?<![\w])(NaN|-?nan|[+-]?∞|-?Infinity)(?![\w])")] private static partial Regex NotANumber();
    [GeneratedRegex(@"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?(?:E[+-]?\d+)?)\s?×(?!\s?\d)(\s?(?:slower|faster|smaller|larger|louder|quieter))?")] private static partial Regex Ratio();
    [GeneratedRegex(@"(?<![\w.+±-])(\d+(?:\.\d+)?)\s?%")] private static partial Regex Percent();
    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)?")] private static partial Regex OutputNumber();
    [GeneratedRegex(@"(?<![\w.§/-])(\d+(?:\.\d+)*)(?![\w]|\.\d)(\s?%|×(?!\s?\d)|\s?(?:s|ms|dB|BPM)\b|-s\b)?")] private static partial Regex ProseNumber();
    [GeneratedRegex(@"(librosa|version|v)\s*$", RegexOptions.IgnoreCase)] private static partial Regex VersionBefore();
    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)] private static partial Regex CodeBlock();
    [GeneratedRegex(@"`[^`\n]*`")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"\]\([^)\s]*\)")] private static partial Regex LinkTarget();
    [GeneratedRegex(@"(?<![\d.,])\b1 ([a-z]+ )?([a-z]+s)\b")] private static partial Regex OneThings();
    [GeneratedRegex(@"<figcaption[^>]*>(.*?)</figcaption>", RegexOptions.Singleline)] private static partial Regex Caption();
    [GeneratedRegex(@"<td style=""text-align:(?:left|right)[^>]*>(.*?)</td>", RegexOptions.Singleline)] private static partial Regex MetricCell();
    [GeneratedRegex(@"(\d+) frames \(([\d.]+) s\) in (\d+) columns, [\d.]+ per column, (from the picture's metadata|from the frame count given|from the duration given|at the frames per column given|assumed)")] private static partial Regex Describe();
    [GeneratedRegex(@"ImageInversion\.From(Image|File)\(")] private static partial Regex Inverts();
}
