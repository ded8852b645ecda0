using System.CommandLine;
using System.Text.Json;
using SpecLora.Cli.Bench;
using SpecLora.IO;
using Spectre.Console;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora bench [--quick] [--json file]</c>: the speed table (our code against a reference measured in
/// the same run, with the targets of the issues).</summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var quick = new Option<bool>("--quick", "-q") { Description = "Fewer repetitions: a rough table in a few seconds" };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the rows as JSON to this file" }
            .Check(f => f is null ? null
                : Directory.Exists(f.FullName) ? $"--json {f} is a folder; give a file name"
                : CommandSupport.FolderProblem(f.DirectoryName!) is { } why ? $"--json {f}: its folder {why}" : null);
        var baseline = new Option<FileInfo?>("--baseline-cli") { Description = "The program file (.dll) of another speclora build, e.g. the previous commit's: the whole-process rows run it alternately with this build, as their reference" }
            .Check(f => f is null || f.Exists ? null : $"--baseline-cli {f}: no such file; give the path of another build's SpecLora.Cli.dll");
        var command = new Command("bench", "Speed table: FFT, STFT, melspectrogram, inversion and mels end to end, each beside a reference measured in the same run, with the targets");
        command.Options.Add(quick);
        command.Options.Add(json);
        command.Options.Add(baseline);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var options = new BenchOptions(r.GetValue(quick)) { BaselineCli = r.GetValue(baseline)?.FullName };
            string loadBefore = LoadAverage();
            if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180);
            var rows = new List<BenchRow>();
            foreach (var suite in BenchSuites.All())
            {
                ct.ThrowIfCancellationRequested();
                AnsiConsole.MarkupLine($"[grey]running {Markup.Escape(suite.Name)}…[/]");
                rows.AddRange(suite.Run(options));
            }
            string load = $"load average {loadBefore} before, {LoadAverage()} after; {Environment.ProcessorCount} cores";
            AnsiConsole.Write(ToTable(rows, options, load));
            if (r.GetValue(json) is { } file)
            {
                AtomicFile.WriteAllText(file.FullName, Json(rows, options, load));
                AnsiConsole.MarkupLine($"rows written to [blue]{Markup.Escape(file.FullName)}[/]");
            }
            return Task.FromResult(rows.Any(x => x.Pass == false) ? 1 : 0);
        }, ct));
        return command;
    }

    /// <summary>The rows as the <c>--json</c> file holds them.</summary>
    internal static string Json(IReadOnlyList<BenchRow> rows, BenchOptions options, string load)
    {
        var payload = new
        {
            machine = new { processors = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            quick = options.Quick,
            samples = options.Samples,
            load,
            rows = rows.Select(x => new
            {
                what = x.What, ours_s = Finite(x.OursSeconds), ours_min_s = Finite(x.OursMinSeconds), reference = x.ReferenceName, reference_s = Finite(x.ReferenceSeconds),
                speedup = Finite(x.Speedup), target_s = Finite(x.TargetSeconds), pass = x.Pass, note = x.Note,
            }),
        };
        return JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>A number for JSON, or null where it is not finite (a row not measured): JSON has no NaN or infinity.</summary>
    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    /// <summary>1-minute load average (Linux), so a table measured on a busy machine says so; "?" elsewhere.</summary>
    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
        catch (UnauthorizedAccessException) { return "?"; }
    }

    private static Table ToTable(IEnumerable<BenchRow> rows, BenchOptions options, string load)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"speclora bench{(options.Quick ? " --quick" : "")}: median of {options.Samples} after {options.WarmUps} warm-ups")
            .Caption(load)
            .AddColumn("what").AddColumn(new TableColumn("ours").RightAligned()).AddColumn("reference")
            .AddColumn(new TableColumn("ratio").RightAligned()).AddColumn(new TableColumn("target").RightAligned())
            .AddColumn("pass/fail").AddColumn("note");
        foreach (var x in rows)
        {
            string reference = x.ReferenceSeconds is double s ? $"{BenchTimer.Format(s)} {x.ReferenceName}" : x.ReferenceName;
            string ratio = x.Speedup is double v && v > 0 ? (v >= 1 ? $"{v:0.00}× faster" : $"{1 / v:0.00}× slower") : "–";
            string target = x.TargetSeconds is double t ? $"≤ {BenchTimer.Format(t)}" : "–";
            string pass = x.Pass switch { true => "[green]pass[/]", false => "[red]FAIL[/]", null => "–" };
            string ours = BenchTimer.Format(x.OursSeconds) + (x.OursMinSeconds is double mn ? $" (min {BenchTimer.Format(mn)})" : "");
            table.AddRow(Markup.Escape(x.What), ours, Markup.Escape(reference), ratio, target, pass, Markup.Escape(x.Note));
        }
        return table;
    }
}
