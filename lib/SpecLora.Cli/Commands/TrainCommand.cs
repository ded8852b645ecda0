using System.CommandLine;
using Spectre.Console;
using SpecLora.IO;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora train --dataset &lt;zip&gt; [--destination owner/name] …</c>: LoRA training on Replicate.</summary>
internal static class TrainCommand
{
    internal static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "Training zip (speclora dataset), ≤ 100 MiB", Required = true };
        var destination = new Option<string?>("--destination") { Description = "owner/name of the model to train into (uses the trainings API)" };
        var createDestination = new Option<bool>("--create-destination") { Description = "Create the destination model (private) if missing" };
        var mode = new Option<string?>("--mode") { Description = "prediction (default without --destination) or training" };
        var steps = new Option<int>("--steps") { Description = "max_train_steps", DefaultValueFactory = _ => 1000 };
        var resolution = new Option<int>("--resolution") { Description = "Training resolution in pixels", DefaultValueFactory = _ => 1024 };
        var seed = new Option<long?>("--seed") { Description = "Trainer seed" };
        var trainerVersion = new Option<string?>("--trainer-version") { Description = "Pin another version of zylim0702/sdxl-lora-customize-training" };
        var output = new Option<string>("--output", "-o") { Description = "Folder for the trained .tar and its manifest", DefaultValueFactory = _ => Path.Combine("results", "lora") };
        var command = new Command("train", "Train an SDXL LoRA on Replicate (zylim0702/sdxl-lora-customize-training) and download the weights at once");
        foreach (var o in new Option[] { dataset, destination, createDestination, mode, steps, resolution, seed, trainerVersion, output }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(async () =>
        {
            var dest = r.GetValue(destination);
            var modeText = r.GetValue(mode) ?? (dest != null ? "training" : "prediction");
            var trainingMode = modeText.ToLowerInvariant() switch
            {
                "prediction" => TrainingMode.Prediction,
                "training" => TrainingMode.Training,
                _ => throw new ArgumentException($"--mode {TerminalText.Visible(modeText)} must be 'prediction' or 'training'"),
            };
            var options = new LoraTrainingOptions
            {
                Mode = trainingMode,
                Destination = dest,
                CreateDestination = r.GetValue(createDestination),
                MaxTrainSteps = r.GetValue(steps),
                Resolution = r.GetValue(resolution),
                Seed = r.GetValue(seed),
            };
            if (r.GetValue(trainerVersion) is { } tv) options = options with { TrainerVersion = tv };
            options.Validate();
            var outDir = GenerateCommand.OutputFolder(r.GetValue(output));
            var zip = r.GetValue(dataset)!;
            var report = TrainingZip.Inspect(zip);
            AnsiConsole.MarkupLine(Markup.Escape($"dataset {report}"));
            var clientOptions = ReplicateClientOptions.FromEnvironment();
            clientOptions.Validate(); // https or loopback http only, no credentials: nothing is sent otherwise
            clientOptions.RequireToken();
            using var client = ReplicateClient.Create(clientOptions);
            LoraTrainingResult result = null!;
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 100);
                result = await new LoraTrainer(client).TrainAsync(zip, outDir, options, CommandSupport.For(task, "training"), ct);
                task.Value = 100;
            });
            AnsiConsole.MarkupLine(Markup.Escape($"weights: {TerminalText.Visible(result.WeightsPath)}"));
            AnsiConsole.MarkupLine(Markup.Escape($"manifest: {TerminalText.Visible(result.Result.Files[0].ManifestPath)}"));
            if (result.NewVersion != null) AnsiConsole.MarkupLine(Markup.Escape($"new version: {TerminalText.Visible(result.NewVersion)}"));
            return 0;
        }, ct));
        return command;
    }
}
