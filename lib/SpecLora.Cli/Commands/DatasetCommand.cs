using System.CommandLine;
using Spectre.Console;
using SpecLora.Jobs;
using SpecLora.IO;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora dataset &lt;mels folder&gt; -o &lt;zip&gt; [--size 1024] [--captions] [--overwrite]</c>: builds a LoRA training zip.</summary>
internal static class DatasetCommand
{
    internal static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of mel spectrogram images (png/jpg/webp)" };
        var output = new Option<string>("--output", "-o") { Description = "Zip to write (an existing file is refused unless --overwrite)", Required = true };
        var size = new Option<int?>("--size") { Description = "Resize every image to SIZE×SIZE pixels (e.g. 1024) and store PNG" };
        var captions = new Option<bool>("--captions") { Description = "Add a caption .txt per image with the trigger word SPECTROGRAM" };
        var caption = new Option<string>("--caption") { Description = "Caption text (must contain SPECTROGRAM)", DefaultValueFactory = _ => TrainingDataset.DefaultCaption };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace the zip when it exists already" };
        var command = new Command("dataset", "Zip a folder of mel images for LoRA training (≤ 100 MiB, Replicate Files API)");
        command.Arguments.Add(folder);
        command.Options.Add(output);
        command.Options.Add(size);
        command.Options.Add(captions);
        command.Options.Add(caption);
        command.Options.Add(overwrite);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(async () =>
        {
            var options = new TrainingDatasetOptions
            {
                Size = r.GetValue(size), Captions = r.GetValue(captions), Caption = r.GetValue(caption)!, Overwrite = r.GetValue(overwrite),
            }.Validate();
            var (input, zip) = (r.GetValue(folder)!, r.GetValue(output)!);
            // On a worker, so that Ctrl+C is answered at once even if a file blocks while it is read; the zip is written
            // only after every picture was read, so nothing is left behind.
            var report = await Task.Run(() => TrainingDataset.Create(input, zip, options, ct), ct).WaitAsync(ct);
            var table = new Table().AddColumn("entry").AddColumn(new TableColumn("bytes").RightAligned());
            foreach (var e in report.Entries) table.AddRow(Markup.Escape(TerminalText.Visible(e.Name)), e.Bytes.ToString("N0"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape(report.ToString()));
            if (report.Replaced) AnsiConsole.MarkupLine(Markup.Escape($"replaced the existing {TerminalText.Visible(report.ZipPath)} (--overwrite)"));
            return 0;
        }, ct));
        return command;
    }
}
