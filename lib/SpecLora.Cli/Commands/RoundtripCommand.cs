using System.CommandLine;
using SpecLora.Jobs;
using SpecLora.Imaging;
using SpecLora.Inversion;
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
        var baseline = new Option<bool>("--baseline") { Description = "Also run the librosa-equivalent baseline (pinv + Griffin-Lim 32 from random phase)" };
        var duration = new Option<double?>("--duration") { Description = "Read at most this many seconds of each file" };
        var command = new Command("roundtrip", "Audio → mel picture → audio, reporting SC, LSD, mel-SC and image consistency against the original");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, format, baseline, duration }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new RoundTripOptions
            {
                Format = r.GetValue(format) == "jpg" ? MelImageFormat.Jpeg : MelImageFormat.Png,
                Baseline = r.GetValue(baseline),
                DurationSeconds = r.GetValue(duration),
            }.Validate();
            var outDir = r.GetValue(output);
            var files = MelBatch.ExpandInputs(r.GetValue(inputs)!);
            var result = CommandSupport.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"roundtrip: {files.Count} file(s)", maxValue: files.Count);
                return RoundTrip.Run(files, outDir, options, new SpecLora.IO.InlineProgress<RoundTripItem>(_ => task.Increment(1)), ct);
            });
            var table = new Table().AddColumns("input", "method", "seconds", "SC", "SC (dB)", "LSD (dB)", "mel-SC", "consistency (dB)");
            foreach (var item in result.Items)
            {
                if (item.Error is not null) { table.AddRow(Markup.Escape(Path.GetFileName(item.Input)), CommandSupport.Status(item), "", "", "", "", "", ""); continue; }
                foreach (var run in item.Runs)
                    table.AddRow(Markup.Escape(Path.GetFileName(item.Input)), Markup.Escape(run.Method), $"{run.AudioSeconds:F1}", $"{run.Metrics.Sc:F3}",
                        $"{run.Metrics.ScDb:F1}", $"{run.Metrics.LsdDb:F2}", $"{run.Metrics.MelSc:F3}", $"{run.ConsistencyDb:F2}");
            }
            AnsiConsole.Write(table);
            return Task.FromResult(result.Failed == 0 ? 0 : CommandSupport.Failed);
        }, ct));
        return command;
    }
}
