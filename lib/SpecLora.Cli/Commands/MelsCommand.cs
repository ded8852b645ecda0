using System.CommandLine;
using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.IO;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora mels &lt;files or folders…&gt; -o &lt;dir&gt;</c>: the makeMels.py equivalent (<see cref="MelBatch"/>).</summary>
internal static class MelsCommand
{
    internal static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Audio files or folders of them (WAV natively; MP3, FLAC, OGG, M4A through ffmpeg)", Arity = ArgumentArity.OneOrMore };
        var output = CommandSupport.OutputFolderOption("Folder for the pictures (created when the first picture is ready)");
        var format = new Option<string>("--format") { Description = "jpg (what makeMels.py writes) or png (lossless, with metadata for exact inversion)", DefaultValueFactory = _ => "jpg" };
        format.AcceptOnlyFromAmong("jpg", "jpeg", "png");
        var size = new Option<string>("--size") { Description = "Picture size WIDTHxHEIGHT", DefaultValueFactory = _ => "640x480" };
        var npy = new Option<bool>("--npy") { Description = "Also save the dB matrix as float32 .npy (n_mels × frames)" };
        var offset = new Option<double>("--offset") { Description = "Start at this many seconds (librosa offset)" };
        var duration = new Option<double?>("--duration") { Description = "Read at most this many seconds (librosa duration)" };
        var numbered = new Option<bool>("--numbered") { Description = "Name outputs mel0, mel1, … like the original script" };
        var colormap = new Option<string>("--colormap") { Description = "magma (default), viridis, inferno or gray", DefaultValueFactory = _ => "magma" };
        colormap.AcceptOnlyFromAmong([.. Colormap.Names]);
        var overwrite = CommandSupport.OverwriteOption();
        var command = new Command("mels", "Audio → mel spectrogram pictures exactly like the original makeMels.py (22050 Hz, 128 mels, ref=max, magma, 640×480)");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, format, size, npy, offset, duration, numbered, colormap, overwrite }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var (width, height) = ParseSize(r.GetValue(size)!);
            var options = new MelBatchOptions
            {
                Format = r.GetValue(format) == "png" ? MelImageFormat.Png : MelImageFormat.Jpeg,
                Render = new RenderOptions { Width = width, Height = height, Colormap = r.GetValue(colormap)! },
                SaveNpy = r.GetValue(npy),
                OffsetSeconds = r.GetValue(offset),
                DurationSeconds = r.GetValue(duration),
                Numbered = r.GetValue(numbered),
                Overwrite = r.GetValue(overwrite),
            }.Validate();
            var files = MelBatch.ExpandInputs(r.GetValue(inputs)!);
            if (files.Count == 0) throw new ArgumentException("no audio files found in the given folders (known extensions: " + string.Join(", ", AudioLoader.KnownExtensions) + ")");
            var outDir = r.GetValue(output)!;
            var result = CommandSupport.Progress().Start(ctx =>
            {
                var task = ctx.AddTask($"mels: {Words.Count(files.Count, "file")}", maxValue: files.Count);
                int done = 0;
                return MelBatch.Run(files, outDir, options, new InlineProgress<MelBatchItem>(item =>
                {
                    task.Increment(1);
                    CommandSupport.PlainProgress(Interlocked.Increment(ref done), files.Count, Path.GetFileName(item.Input));
                }), ct);
            });
            var table = new Table().AddColumns("input", "output", "seconds", "frames", "time", "status");
            foreach (var item in result.Items)
                table.AddRow(CommandSupport.Cell(Path.GetFileName(item.Input)), CommandSupport.Cell(item.Output is null ? "—" : Path.GetFileName(item.Output)),
                    item.DurationSeconds.ToString("F1"), item.Frames.ToString(), $"{item.Elapsed.TotalSeconds:F2} s",
                    CommandSupport.Status(item, item.Warning is { } w ? " [yellow](" + Markup.Escape(w) + ")[/]" : ""));
            AnsiConsole.Write(table);
            return Task.FromResult(CommandSupport.Summary(result, outDir));
        }, ct));
        return command;
    }

    internal static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h))
            throw new ArgumentException($"--size '{text}' must look like 640x480");
        if (w is < 1 or > RenderOptions.MaxSize || h is < 1 or > RenderOptions.MaxSize)
            throw new ArgumentOutOfRangeException("--size", text, $"--size {text}: width and height must be 1…{RenderOptions.MaxSize}");
        return (w, h);
    }
}
