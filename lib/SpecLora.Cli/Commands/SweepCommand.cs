using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SpecLora.Jobs;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora sweep --guidance 1,3,5,7.5,10,15,20,40 [--setting N] [--prompt … --negative …] --seed 42 -o DIR</c>:
/// one prediction per guidance value at a fixed seed (<see cref="GuidanceSweep"/>), then a summary table and JSON.</summary>
internal static class SweepCommand
{
    internal static Command Create()
    {
        var guidance = new Option<string>("--guidance") { Description = "Guidance values, comma-separated", DefaultValueFactory = _ => "1,3,5,7.5,10,15,20,40" };
        var setting = new Option<int>("--setting") { Description = "README setting 1–7 giving every other input", DefaultValueFactory = _ => 1 };
        var prompt = new Option<string?>("--prompt") { Description = "Replace the setting's prompt" };
        var negative = new Option<string?>("--negative") { Description = "Replace the setting's negative prompt ('' for none)" };
        var seed = new Option<long>("--seed") { Description = "The one seed of every prediction", DefaultValueFactory = _ => 42 };
        var noInvert = new Option<bool>("--no-invert") { Description = "Only generate: do not decode, invert and measure the pictures" };
        var backendOptions = new BackendOptions();
        var output = new Option<string>("--output", "-o") { Description = "Folder for pictures, manifests, WAVs and sweep.json", DefaultValueFactory = _ => Path.Combine("results", "sweep") };
        var command = new Command("sweep", "Generate at several guidance values with one seed, invert and measure each picture, and summarise");
        foreach (var o in new Option[] { guidance, setting, prompt, negative, seed, noInvert }) command.Options.Add(o);
        backendOptions.AddTo(command);
        command.Options.Add(output);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(async () =>
        {
            var options = new GuidanceSweepOptions
            {
                GuidanceScales = GuidanceSweepOptions.ParseGuidance(r.GetValue(guidance)!),
                Seed = r.GetValue(seed),
                Invert = !r.GetValue(noInvert),
            }.Validate();
            var chosen = ReadmeSettings.Get(r.GetValue(setting));
            if (r.GetValue(prompt) is { } p)
            {
                if (string.IsNullOrWhiteSpace(p)) throw new ArgumentException("--prompt is empty: give the prompt text, or leave the option out to use the setting's");
                chosen = chosen with { Prompt = p };
            }
            if (r.GetValue(negative) is { } n) chosen = chosen with { NegativePrompt = n.Length == 0 ? null : n };
            var dir = GenerateCommand.OutputFolder(r.GetValue(output));
            var (impl, client) = backendOptions.Create(r);
            try
            {
                var sweep = new GuidanceSweep(impl, client != null ? client.Redact : null);
                await sweep.PrepareAsync(chosen, options, ct); // every input checked before the first billable call
                GuidanceSweepResult result = null!;
                await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
                {
                    var tasks = options.GuidanceScales.Select(g => ctx.AddTask(Markup.Escape($"guidance {Format(g)}"), autoStart: false, maxValue: 100)).ToArray();
                    var progress = new SpecLora.IO.InlineProgress<SweepProgress>(s =>
                    {
                        var task = tasks[s.Index];
                        if (!task.IsStarted) task.StartTask();
                        if (s.Prediction?.Percent is { } pct) task.Value = Math.Min(pct, 99);
                        task.Description = Markup.Escape($"guidance {Format(s.GuidanceScale)} {s.Prediction?.Status ?? s.Stage}");
                        if (s.Stage is "done" or "failed") task.Value = 100;
                    });
                    result = await sweep.RunAsync(chosen, dir, options, progress, ct);
                });
                AnsiConsole.Write(Table(result));
                AnsiConsole.MarkupLine(Markup.Escape($"summary: {result.SummaryPath}"));
                foreach (var f in result.Failed)
                    AnsiConsole.MarkupLine("[red]failed:[/] " + Markup.Escape($"guidance {Format(f.GuidanceScale)} ({f.Status}): {f.Error}"));
                return result.Failed.Count == 0 ? 0 : CommandSupport.Failed;
            }
            finally
            {
                (impl as IDisposable)?.Dispose();
                client?.Dispose();
            }
        }, ct));
        return command;
    }

    private static Table Table(GuidanceSweepResult result)
    {
        var measureNames = GuidanceSweep.TableMeasures.Where(m => result.Points.Any(p => p.Measures?.ContainsKey(m) == true)).ToArray();
        var table = new Table().AddColumn("guidance").AddColumn("status").AddColumn("prediction").AddColumn("image");
        foreach (var m in measureNames) table.AddColumn(new TableColumn(m).RightAligned());
        foreach (var p in result.Points)
        {
            var cells = new List<string> { Format(p.GuidanceScale), p.Status, p.PredictionId ?? "-", p.ImagePath is null ? "-" : Path.GetFileName(p.ImagePath) };
            cells.AddRange(measureNames.Select(m => p.Measures?[m]?.ToString() ?? "-"));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        return table;
    }

    private static string Format(double g) => g.ToString("0.###", CultureInfo.InvariantCulture);
}
