using System.CommandLine;
using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora invert &lt;images or folders…&gt; -o &lt;dir&gt;</c>: mel spectrogram pictures → WAV.</summary>
internal static class InvertCommand
{
    internal static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"];

    internal static Command Create()
    {
        var inputs = new Argument<string[]>("images") { Description = "Spectrogram pictures (PNG, JPEG) or folders of them", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the WAV files", Required = true };
        var k = new Option<int?>("--frames-per-column", "-k") { Description = "STFT frames made from each image column (default 4; a 640-column image → ≈ 59 s)" };
        var duration = new Option<double?>("--duration") { Description = "Audio length in seconds instead of -k (e.g. the original track's length)" };
        var method = new Option<string>("--method") { Description = "pghi-fgla (default), fgla or gl", DefaultValueFactory = _ => "pghi-fgla" };
        method.AcceptOnlyFromAmong("pghi-fgla", "fgla", "gl");
        var iterations = new Option<int>("--iterations") { Description = "Phase iterations", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "Random seed (results are deterministic for a seed)", DefaultValueFactory = _ => 0 };
        var colormap = new Option<string>("--colormap") { Description = "auto (default), magma, viridis, inferno or gray", DefaultValueFactory = _ => "auto" };
        colormap.AcceptOnlyFromAmong("auto", "magma", "viridis", "inferno", "gray");
        var metrics = new Option<bool>("--metrics") { Description = "Also print the decoder's median ΔE to the colormap and its warnings (image consistency is always printed; SC, LSD and mel-SC need the original audio: see 'roundtrip')" };
        var command = new Command("invert", "Mel spectrogram pictures → audio (WAV, 22050 Hz, peak −1 dBFS): colormap decoding, NNLS, PGHI + fast Griffin-Lim");
        command.Arguments.Add(inputs);
        foreach (var o in new Option[] { output, k, duration, method, iterations, seed, colormap, metrics }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            if (r.GetValue(k) is not null && r.GetValue(duration) is not null) r.AddError("use either --frames-per-column or --duration, not both");
            if (r.GetValue(k) is <= 0 and var kv) r.AddError($"--frames-per-column {kv} must be ≥ 1");
            if (r.GetValue(duration) is <= 0 and var dv) r.AddError($"--duration {dv} must be > 0 seconds");
            if (r.GetValue(iterations) < 0) r.AddError($"--iterations {r.GetValue(iterations)} must be ≥ 0");
        });
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new InversionOptions
            {
                FramesPerColumn = r.GetValue(k) ?? 4,
                DurationSeconds = r.GetValue(duration),
                Method = r.GetValue(method) switch { "fgla" => PhaseMethod.Fgla, "gl" => PhaseMethod.GriffinLim, _ => PhaseMethod.PghiFgla },
                Iterations = r.GetValue(iterations),
                Seed = r.GetValue(seed),
            }.Validate();
            var decodeOptions = new ImageDecodeOptions { Colormap = r.GetValue(colormap)! };
            var files = ExpandImages(r.GetValue(inputs)!);
            if (files.Count == 0) throw new ArgumentException("no pictures found (known extensions: " + string.Join(", ", ImageExtensions) + ")");
            var outDir = r.GetValue(output)!;
            bool withMetrics = r.GetValue(metrics);
            var table = new Table().AddColumns("image", "size", "decoded as", "off-colormap", "audio", "time", "consistency", withMetrics ? "median ΔE / warnings" : "", "status");
            int failed = 0;
            var usedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            AnsiConsole.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var all = ctx.AddTask($"invert: {files.Count} picture(s)", maxValue: files.Count);
                    foreach (var file in files)
                    {
                        ct.ThrowIfCancellationRequested();
                        var one = ctx.AddTask(Markup.Escape(Path.GetFileName(file)), maxValue: 1);
                        var sw = Stopwatch.StartNew();
                        try
                        {
                            var decoded = SpectrogramImageDecoder.Decode(file, decodeOptions);
                            var progress = new CommandSupport.InlineProgress<InversionProgress>(p => one.Value = Fraction(p, options.Iterations));
                            var audio = ImageInversion.FromImage(decoded, options, true, progress, ct);
                            var wav = Path.Combine(outDir, UniqueName(Path.GetFileNameWithoutExtension(file), usedNames));
                            WavFile.Write(wav, audio);
                            string consistency = $"{QualityMetrics.ImageConsistency(decoded.Db, audio):F2} dB";
                            string details = withMetrics ? Markup.Escape($"{decoded.MedianDeltaE:F1}" + string.Concat(decoded.Warnings.Select(w => "; " + w))) : "";
                            string warn = decoded.NoSignal ? " [yellow](no signal in the picture: silent audio)[/]"
                                : decoded.OffColormapFraction > 0.5 ? " [yellow](mostly off the colormap)[/]" : "";
                            table.AddRow(Markup.Escape(Path.GetFileName(file)), $"{decoded.SourceWidth}×{decoded.SourceHeight}",
                                $"{decoded.Kind}/{decoded.Method}", $"{decoded.OffColormapFraction:P1}", $"{audio.DurationSeconds:F1} s",
                                $"{sw.Elapsed.TotalSeconds:F2} s", consistency, details, "[green]ok[/]" + warn);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // One bad picture never stops the others; it is listed with its error.
                            failed++;
                            table.AddRow(Markup.Escape(Path.GetFileName(file)), "", "", "", "", $"{sw.Elapsed.TotalSeconds:F2} s", "", "",
                                "[red]" + Markup.Escape(e is ArgumentException a ? CommandSupport.Clean(a) : e.Message) + "[/]");
                        }
                        one.Value = 1;
                        all.Increment(1);
                    }
                });
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{files.Count - failed} written, {failed} failed → [blue]{Markup.Escape(Path.GetFullPath(outDir))}[/]");
            return Task.FromResult(failed == 0 ? 0 : 1);
        }, ct));
        return command;
    }

    /// <summary>stem.wav, or stem-2.wav, stem-3.wav, … when an earlier picture (a.png beside a.jpg) took the name.</summary>
    internal static string UniqueName(string stem, HashSet<string> used)
    {
        var name = stem + ".wav";
        for (int n = 2; !used.Add(name); n++) name = $"{stem}-{n}.wav";
        return name;
    }

    internal static double Fraction(InversionProgress p, int iterations) => p.Stage switch
    {
        InversionStage.MelToLinear => 0.1 * p.Completed / Math.Max(1, p.Total),
        InversionStage.TimeAxis => 0.15,
        InversionStage.PhaseInit => 0.15 + 0.1 * p.Completed / Math.Max(1, p.Total),
        InversionStage.PhaseIterations => 0.25 + 0.7 * p.Completed / Math.Max(1, p.Total),
        _ => 0.95 + 0.05 * p.Completed / Math.Max(1, p.Total),
    };

    internal static IReadOnlyList<string> ExpandImages(IEnumerable<string> inputs)
    {
        var list = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                list.AddRange(Directory.EnumerateFiles(input).Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal));
            else list.Add(input);
        }
        return list;
    }
}
