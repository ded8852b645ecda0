using System.CommandLine;
using SpecLora.Jobs;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora roundtrip &lt;audio…&gt;</c>: audio → picture → audio, with the metrics against the original (<see cref="RoundTrip"/>).</summary>
internal static class RoundtripCommand
{
    internal static Command Create()
    {
        var inputs = new Argument<string[]>("audio") { Description = "Audio files or folders of them (WAV natively; MP3 etc. through ffmpeg)", Arity = ArgumentArity.OneOrMore };
        var output = CommandSupport.OutputFolderOption("Folder for the pictures and reconstructions (default: a temporary folder, deleted)", required: false);
        var format = new Option<string>("--format") { Description = "png (exact, with metadata) or jpg (like makeMels.py; length from the audio)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpg");
        var baseline = new Option<bool>("--baseline") { Description = "Also run the librosa-equivalent baseline (pinv + librosa griffinlim: 32 fast Griffin-Lim iterations from a random phase)" };
        var duration = new Option<double?>("--duration") { Description = "Read at most this many seconds of each file" };
        var overwrite = CommandSupport.OverwriteOption();
        var command = new Command("roundtrip", "Audio → mel picture → audio, reporting SC, LSD, mel-SC and image consistency against the original");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, format, baseline, duration, overwrite }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new RoundTripOptions
            {
                Format = r.GetValue(format) == "jpg" ? MelImageFormat.Jpeg : MelImageFormat.Png,
                Baseline = r.GetValue(baseline),
                DurationSeconds = r.GetValue(duration),
                Overwrite = r.GetValue(overwrite),
            }.Validate();
            var outDir = r.GetValue(output);
            var files = MelBatch.ExpandInputs(r.GetValue(inputs)!);
            var result = CommandSupport.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"roundtrip: {Words.Count(files.Count, "file")}", maxValue: files.Count);
                int done = 0;
                return RoundTrip.Run(files, outDir, options, new InlineProgress<RoundTripItem>(item =>
                {
                    task.Increment(1);
                    CommandSupport.PlainProgress(++done, files.Count, Path.GetFileName(item.Input));
                }), ct);
            });
            var table = new Table().AddColumns("input", "method", "seconds", "SC", "SC (dB)", "LSD (dB)", "mel-SC", "consistency (dB)");
            foreach (var item in result.Items)
            {
                if (item.Error is not null) { table.AddRow(CommandSupport.Cell(Path.GetFileName(item.Input)), CommandSupport.Status(item), "", "", "", "", "", ""); continue; }
                foreach (var run in item.Runs)
                    table.AddRow(CommandSupport.Cell(Path.GetFileName(item.Input)), Markup.Escape(run.Method), $"{run.AudioSeconds:F1}", $"{run.Metrics.Sc:F3}",
                        $"{run.Metrics.ScDb:F1}", $"{run.Metrics.LsdDb:F2}", $"{run.Metrics.MelSc:F3}", $"{run.ConsistencyDb:F2}");
            }
            AnsiConsole.Write(table);
            foreach (var replaced in result.Replaced) AnsiConsole.MarkupLine($"[yellow]replaced[/] {CommandSupport.Cell(replaced)} (--overwrite)");
            return Task.FromResult(result.Failed == 0 ? 0 : CommandSupport.Failed);
        }, ct));
        return command;
    }
}
