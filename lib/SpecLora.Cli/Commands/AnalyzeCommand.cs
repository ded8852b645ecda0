using System.CommandLine;
using System.Globalization;
using SpecLora.Jobs;
using SpecLora.Analysis;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora analyze &lt;audio or pictures…&gt; [--duration s | -k n] [--json FILE]</c>: the music-analysis
/// numbers of each input (librosa's onset, tempo, beats, chroma, flatness, HPSS, and our key, pulse and repetition
/// measures), a table per input and optionally a JSON array.</summary>
internal static class AnalyzeCommand
{
    internal static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Audio files or spectrogram pictures, or folders of them", Arity = ArgumentArity.OneOrMore };
        var k = new Option<int?>("--frames-per-column", "-k") { Description = "Pictures: STFT frames per image column (default 4), as in 'invert'" };
        var duration = new Option<double?>("--duration") { Description = "Pictures: reconstruct this many seconds instead of -k (audio files are analysed whole)" };
        var json = new Option<string?>("--json") { Description = "Also write a JSON array with one object per input to FILE (atomically; an existing FILE only with --overwrite)" };
        var overwrite = CommandSupport.OverwriteOption();
        var command = new Command("analyze", "Is it music? Pictures: a verdict (music / not music / undecided) and music score from measures of the picture at its own scale, each placed among real pieces and controls; key, harmonic ratio and flatness from the reconstruction; rhythm only where the picture's scale shows it. Audio: tempo, beats, onsets, key, pulse clarity, harmonic ratio, flatness and chroma");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { k, duration, json, overwrite }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            if (r.GetValue(k) is not null && r.GetValue(duration) is not null) r.AddError("use either --frames-per-column or --duration, not both");
            if (r.GetValue(k) is <= 0 and var kv) r.AddError($"--frames-per-column {kv} must be ≥ 1");
            if (r.GetValue(duration) is <= 0 and var dv) r.AddError($"--duration {dv} must be > 0 seconds");
        });
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new AnalysisOptions { Inversion = new InversionOptions { FramesPerColumn = r.GetValue(k), DurationSeconds = r.GetValue(duration) } }.Validate();
            var files = AnalysisBatch.ExpandInputs(r.GetValue(inputs)!);
            if (files.Count == 0) throw new ArgumentException("no audio files or pictures found in the given folders");
            var jsonPath = r.GetValue(json);
            // one bad input never stops the others; it is named with its sentence (AnalysisBatch)
            var result = AnalysisBatch.Run(files, options, jsonPath, new InlineProgress<AnalysisBatchItem>(item =>
            {
                if (item.Analysis is { } a) AnsiConsole.Write(Table(a));
                else AnsiConsole.MarkupLine($"[red]{CommandSupport.Cell(Path.GetFileName(item.Input))}:[/] {CommandSupport.Cell(item.Error!)}");
            }), ct, r.GetValue(overwrite));
            foreach (var replaced in result.Replaced) AnsiConsole.MarkupLine($"[yellow]replaced[/] {CommandSupport.Cell(replaced)} (--overwrite)");
            if (jsonPath is not null && result.Succeeded > 0) AnsiConsole.MarkupLine($"JSON → [blue]{CommandSupport.Cell(Path.GetFullPath(jsonPath))}[/]");
            AnsiConsole.MarkupLine($"{result.Succeeded} analysed, {result.Failed} failed");
            return Task.FromResult(result.Failed == 0 ? 0 : 1);
        }, ct));
        return command;
    }

    /// <summary>One input's numbers as a table: for a picture first its verdict and the measures at its own scale with
    /// their percentiles among the real reference pieces and among the controls, then what the reconstruction adds;
    /// rhythm only where the picture's scale shows it.</summary>
    internal static Table Table(MusicAnalysis a)
    {
        static string F(double? v, string f = "F3") => v is { } x && double.IsFinite(x) ? x.ToString(f, CultureInfo.InvariantCulture) : "—";
        var t = new Table().Title(CommandSupport.Cell($"{Path.GetFileName(a.Input)} ({a.Kind}, {a.DurationSeconds:F1} s)")).AddColumns("measure", "value", "from");
        string rhythm = a.Sources.GetValueOrDefault("rhythm", ""), harmony = a.Sources.GetValueOrDefault("harmony", "");
        void Row(string name, string value, string from) => t.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(from));
        if (a.Verdict is { } verdict)
        {
            string interval = a.MusicScoreInterval is [var lo, var hi] && double.IsFinite(lo) ? $", 90 % interval {F(lo, "F2")}–{F(hi, "F2")}" : "";
            t.AddRow(Markup.Escape("verdict"), $"[bold]{Markup.Escape(verdict)}[/]", Markup.Escape($"music score {F(a.MusicScore, "F2")}{interval}"));
            Row("", CommandSupport.Cell(a.VerdictReason), "");
            foreach (var p in a.Percentiles ?? [])
            {
                string controls = string.Join(", ", p.AmongControls.Select(kv => $"{kv.Key} {F(kv.Value, "F0")}"));
                Row(p.Name.Replace('_', ' '), F(p.Value), $"percentile among real pieces {F(p.AmongReal, "F0")}; among controls: {controls}");
            }
        }
        if (a.Scale is { RhythmMeasurable: false } scale)
            Row("tempo, beats, onsets", "—", scale.RhythmNote ?? "not measurable at this scale");
        else
        {
            Row("tempo", $"{F(a.TempoBpm, "F1")} BPM", rhythm);
            Row("beats", $"{a.BeatFrames.Length}", rhythm);
            Row("onsets", $"{a.OnsetFrames.Length} ({F(a.OnsetFrames.Length / Math.Max(a.DurationSeconds, 1e-9), "F2")}/s)", rhythm);
            Row("pulse clarity", F(a.PulseClarity), rhythm);
            Row("tempo stability", F(a.TempoStability, "F2"), rhythm);
        }
        Row("key", $"{a.Key} (clarity {F(a.KeyClarity)})", a.Sources.GetValueOrDefault("key", harmony));
        Row("harmonic ratio", F(a.HarmonicRatio), harmony);
        Row("flatness (mean)", double.IsFinite(a.FlatnessMean) ? a.FlatnessMean.ToString("E2", CultureInfo.InvariantCulture) : "—", harmony);
        Row("repetition", F(a.RepetitionScore), harmony);
        Row("tuning", $"{F(a.Tuning, "F2")} semitone", harmony);
        return t;
    }
}
