using System.CommandLine;
using Spectre.Console;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora dataset &lt;mels folder&gt; -o &lt;zip&gt; [--size 1024] [--captions]</c>: builds a LoRA training zip.</summary>
internal static class DatasetCommand
{
    internal static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Folder of mel spectrogram images (png/jpg/webp)" };
        var output = new Option<string>("--output", "-o") { Description = "Zip to write", Required = true };
        var size = new Option<int?>("--size") { Description = "Resize every image to SIZE×SIZE pixels (e.g. 1024) and store PNG" };
        var captions = new Option<bool>("--captions") { Description = "Add a caption .txt per image with the trigger word SPECTROGRAM" };
        var caption = new Option<string>("--caption") { Description = "Caption text (must contain SPECTROGRAM)", DefaultValueFactory = _ => TrainingDataset.DefaultCaption };
        var command = new Command("dataset", "Zip a folder of mel images for LoRA training (≤ 100 MiB, Replicate Files API)");
        command.Arguments.Add(folder);
        command.Options.Add(output);
        command.Options.Add(size);
        command.Options.Add(captions);
        command.Options.Add(caption);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(() =>
        {
            var report = TrainingDataset.Create(r.GetValue(folder)!, r.GetValue(output)!, r.GetValue(size), r.GetValue(captions), r.GetValue(caption)!);
            var table = new Table().AddColumn("entry").AddColumn(new TableColumn("bytes").RightAligned());
            foreach (var e in report.Entries) table.AddRow(Markup.Escape(e.Name), e.Bytes.ToString("N0"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(Markup.Escape(report.ToString()));
            return Task.FromResult(0);
        }, ct));
        return command;
    }
}
