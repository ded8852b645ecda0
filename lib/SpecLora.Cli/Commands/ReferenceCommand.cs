using System.CommandLine;
using System.Globalization;
using SpecLora.Analysis;
using SpecLora.IO;
using SpecLora.Jobs;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora reference &lt;pieces folder&gt; -o &lt;table.json&gt; [--overwrite]</c>: rebuilds the "is it music?"
/// reference table from whole pieces drawn as makeMels draws them (<see cref="MusicReference"/>).</summary>
internal static class ReferenceCommand
{
    internal static Command Create()
    {
        var folder = new Argument<string>("pieces") { Description = "Folder laid out like ../shared/corpus/pieces: index.json listing the keys, KEY.jpg per piece" };
        var output = new Option<string>("--output", "-o") { Description = "The table to write, e.g. data/picture-music-reference.json (atomically; an existing file only with --overwrite)", Required = true };
        output.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value)) { r.AddError("-o/--output is empty: give the JSON file to write"); return; }
            if (Directory.Exists(value)) { r.AddError($"-o {TerminalText.Visible(value)} is a folder; give the JSON file to write (e.g. data/picture-music-reference.json)"); return; }
            string? parent;
            try { parent = Path.GetDirectoryName(Path.GetFullPath(value)); }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { r.AddError($"-o {TerminalText.Visible(value)} is not a valid path"); return; }
            if (parent is not null && CommandSupport.FolderProblem(parent) is { } why) r.AddError($"-o {TerminalText.Visible(value)}: its folder {why}");
        });
        var overwrite = CommandSupport.OverwriteOption();
        var command = new Command("reference", "Rebuild the \"is it music?\" reference table (the measures of whole pieces and their controls, the fitted score, its leave-one-piece-out accuracy) from a folder of pieces; 73 s on 2 idle cores for the 24 pieces of ../shared/corpus/pieces");
        command.Arguments.Add(folder);
        command.Options.Add(output);
        command.Options.Add(overwrite);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new MusicReferenceOptions { Overwrite = r.GetValue(overwrite) }.Validate();
            var path = r.GetValue(output)!;
            var result = CommandSupport.Progress().Start(ctx =>
            {
                ProgressTask? task = null;
                var gate = new object();
                return MusicReference.Build(r.GetValue(folder)!, path, options, new InlineProgress<MusicReferenceProgress>(p =>
                {
                    lock (gate)   // pieces are measured in parallel: one report at a time
                    {
                        task ??= ctx.AddTask("reference: measuring pieces", maxValue: p.PieceCount);
                        task.Value = Math.Max(task.Value, p.PiecesDone);
                        task.Description = Markup.Escape(p.Stage == "measured" ? $"reference: {task.Value}/{p.PieceCount} pieces measured" : $"reference: {p.Stage}");
                        CommandSupport.PlainProgress(p.PiecesDone, p.PieceCount, p.Stage == "measured" ? p.Piece : p.Stage);
                    }
                }), ct);
            });
            AnsiConsole.Write(Table(result.Model));
            var v = result.Model.Validation;
            AnsiConsole.MarkupLine(Markup.Escape($"{Words.Count(result.Pieces, "piece")}, {Words.Count(result.Pictures, "picture")} measured in {result.Elapsed.TotalMinutes:F1} min; " +
                $"leave-one-piece-out accuracy {F(result.Model.CrossValidatedAccuracy)} (the verdict is given at ≥ {F(MusicScoreModel.RequiredAccuracy, "F2")})" +
                (v is null ? "" : $", balanced {F(v.BalancedAccuracy)}; same verdict after the 1024×1024 resize {v.Resize.SameVerdict}/{v.Resize.Pairs}, |Δ score| 90th percentile {F(v.Resize.P90AbsDelta)}")));
            foreach (var replaced in result.Replaced) AnsiConsole.MarkupLine($"[yellow]replaced[/] {CommandSupport.Cell(replaced)} (--overwrite)");
            AnsiConsole.MarkupLine($"table → [blue]{CommandSupport.Cell(Path.GetFullPath(result.Path))}[/]");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static string F(double v, string format = "F3") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The fitted score: per scored measure, the real pieces' median and the weight.</summary>
    internal static Table Table(MusicScoreModel model)
    {
        var t = new Table().Title("music score (logistic on the shares of a real piece's structure)").AddColumns("measure", "null", "real median", "weight");
        foreach (var m in model.Coefficients.Measures.Zip(model.Coefficients.Weights))
            t.AddRow(Markup.Escape(m.First.Name), F(m.First.Null, "F2"), F(m.First.RealMedian, "F4"), F(m.Second, "F2"));
        t.AddRow("intercept", "", "", F(model.Coefficients.Intercept, "F2"));
        return t;
    }
}
