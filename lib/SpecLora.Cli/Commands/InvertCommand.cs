using System.CommandLine;
using SpecLora.Jobs;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using SpecLora.Spectrograms;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora invert &lt;images or folders…&gt; -o &lt;dir&gt;</c>: mel spectrogram pictures → WAV (<see cref="ImageBatch"/>).</summary>
internal static class InvertCommand
{
    /// <summary>Where the picture's time axis came from, in a table cell.</summary>
    private static string AxisCell(FrameAxis? axis) => axis is null ? "" : axis.Source switch
    {
        FrameAxisSource.Metadata => "its metadata",
        FrameAxisSource.Assumed => $"[yellow]{axis.FramesPerColumn:0.##}/column, assumed[/]",
        FrameAxisSource.Duration => "--duration",
        FrameAxisSource.Frames => "--frames",
        _ => $"-k {axis.FramesPerColumn:0.##}",
    };

    internal static Command Create()
    {
        var inputs = new Argument<string[]>("images") { Description = "Spectrogram pictures (PNG, JPEG) or folders of them", Arity = ArgumentArity.OneOrMore };
        var output = CommandSupport.OutputFolderOption("Folder for the WAV files (created when the first WAV is ready)");
        var k = new Option<int?>("--frames-per-column", "-k") { Description = "STFT frames made from each image column (default 4; a 640-column image → ≈ 59 s)" }
            .Check(v => v is <= 0 ? $"--frames-per-column {v} must be ≥ 1" : null);
        var duration = new Option<double?>("--duration") { Description = "Audio length in seconds instead of -k (e.g. the original track's length)" }
            .Check(v => v is { } d && !(d > 0) ? $"--duration {d} must be > 0 seconds" : null);
        var frames = new Option<int?>("--frames") { Description = "Exact STFT frame count instead of -k or --duration (librosa's 1 + ⌊samples/512⌋, e.g. 1292 for 30 s)" }
            .Check(v => v is <= 0 ? $"--frames {v} must be ≥ 1" : null);
        var method = new Option<string>("--method") { Description = "pghi-fgla (default: PGHI phase, then fast Griffin-Lim), fgla (fast Griffin-Lim, momentum 0.99, from a random phase) or gl (the classic Griffin-Lim, no momentum, from a random phase)", DefaultValueFactory = _ => "pghi-fgla" };
        method.AcceptOnlyFromAmong("pghi-fgla", "fgla", "gl");
        var iterations = new Option<int?>("--iterations") { Description = "Phase iterations (default 32; 12 for a picture inverted without its metadata — a picture we did not write, or any with --duration/--frames — by pghi-fgla: ImageInversion.Plan)" }
            .Check(v => v is < 0 ? $"--iterations {v} must be ≥ 0" : null);
        var seed = new Option<int>("--seed") { Description = "Random seed (results are deterministic for a seed)", DefaultValueFactory = _ => 0 };
        var colormap = new Option<string>("--colormap") { Description = "auto (default), magma, viridis, inferno or gray", DefaultValueFactory = _ => "auto" };
        colormap.AcceptOnlyFromAmong(["auto", .. Colormap.Names]);
        var metrics = new Option<bool>("--metrics") { Description = "Also print the decoder's median ΔE to the colormap and its warnings (image consistency is always printed; SC, LSD and mel-SC need the original audio: see 'roundtrip')" };
        var overwrite = CommandSupport.OverwriteOption();
        var command = new Command("invert", "Mel spectrogram pictures → audio (WAV, 22050 Hz, peak −1 dBFS): colormap decoding, NNLS, PGHI + fast Griffin-Lim");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, k, duration, frames, method, iterations, seed, colormap, metrics, overwrite }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            int given = new[] { r.GetResult(k), r.GetResult(duration), r.GetResult(frames) }.Count(x => x is { Implicit: false });
            if (given > 1) r.AddError("use one of --frames-per-column, --duration and --frames, not several");
        });
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new ImageBatchOptions
            {
                Inversion = new InversionOptions
                {
                    FramesPerColumn = r.GetValue(k),
                    DurationSeconds = r.GetValue(duration),
                    Frames = r.GetValue(frames),
                    Method = r.GetValue(method) switch { "fgla" => PhaseMethod.Fgla, "gl" => PhaseMethod.GriffinLim, _ => PhaseMethod.PghiFgla },
                    Iterations = r.GetValue(iterations),
                    Seed = r.GetValue(seed),
                },
                Decode = new ImageDecodeOptions { Colormap = r.GetValue(colormap)! },
                Overwrite = r.GetValue(overwrite),
            }.Validate();
            var files = ImageBatch.ExpandInputs(r.GetValue(inputs)!);
            if (files.Count == 0) throw new ArgumentException("no pictures found (known extensions: " + string.Join(", ", PictureFiles.KnownExtensions) + ")");
            var outDir = r.GetValue(output)!;
            bool withMetrics = r.GetValue(metrics);
            var result = CommandSupport.Progress().Start(ctx =>
            {
                var all = ctx.AddTask($"invert: {Words.Count(files.Count, "picture")}", maxValue: 1);
                ProgressTask? one = null;
                return ImageBatch.Run(files, outDir, options, new InlineProgress<ImageBatchProgress>(p =>
                {
                    if (one is null || one.Description != CommandSupport.Cell(Path.GetFileName(p.Input))) one = ctx.AddTask(CommandSupport.Cell(Path.GetFileName(p.Input)), maxValue: 1);
                    one.Value = p.FileFraction;
                    all.Value = p.Fraction;
                    if (p.Finished is not null) CommandSupport.PlainProgress(p.Index + 1, files.Count, Path.GetFileName(p.Input));
                }), ct);
            });
            string[] columns = ["image", "size", "decoded as", "off-colormap", "audio", "time axis", "time", "consistency", .. withMetrics ? new[] { "median ΔE / warnings" } : [], "status"];
            var table = new Table().AddColumns(columns);
            foreach (var item in result.Items)
            {
                var time = $"{item.Elapsed.TotalSeconds:F2} s";
                var cells = new List<string> { CommandSupport.Cell(Path.GetFileName(item.Input)) };
                if (item.Decoded is not { } d) cells.AddRange(["", "", "", "", "", time, ""]);
                else cells.AddRange([$"{d.SourceWidth}×{d.SourceHeight}", $"{d.Kind}/{d.Method}", $"{d.OffColormapFraction:P1}", $"{item.AudioSeconds:F1} s",
                    AxisCell(item.Axis), time, $"{item.ConsistencyDb:F2} dB"]);
                if (withMetrics) cells.Add(item.Decoded is { } m ? CommandSupport.Cell($"{m.MedianDeltaE:F1}" + string.Concat(m.Warnings.Select(w => "; " + w))) : "");
                cells.Add(CommandSupport.Status(item, item.Decoded is not { } dd ? "" : dd.NoSignal ? " [yellow](no signal in the picture: silent audio)[/]" : item.MostlyOffColormap ? " [yellow](mostly off the colormap)[/]" : ""));
                table.AddRow(cells.ToArray());
            }
            AnsiConsole.Write(table);
            if (result.Items.Any(i => i.Axis is { Source: FrameAxisSource.Assumed }))
                AnsiConsole.MarkupLine($"[yellow]assumed[/]: a picture that does not carry its frame count is inverted at {InversionOptions.DefaultFramesPerColumn} frames per column, so its length is a guess (a makeMels picture of a whole piece holds 10–60 frames per column); give --duration with the original's length, or -k");
            return Task.FromResult(CommandSupport.Summary(result, outDir));
        }, ct));
        return command;
    }
}
