using System.CommandLine;
using Spectre.Console;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora generate --setting 1..7|all [--seed n] [--backend replicate|cog] [--cog-url URL] -o &lt;dir&gt;</c>.</summary>
internal static class GenerateCommand
{
    internal static Command Create()
    {
        var setting = new Option<string>("--setting") { Description = "README setting 1–7, a list (1,3) or 'all'", Required = true };
        var seed = new Option<long?>("--seed") { Description = "Seed (default: random, recorded in the manifest)" };
        var backend = new Option<string>("--backend") { Description = "replicate or cog", DefaultValueFactory = _ => "replicate" };
        var cogUrl = new Option<string>("--cog-url") { Description = "Local Cog server", DefaultValueFactory = _ => "http://localhost:5000" };
        var cogWait = new Option<double>("--cog-connect-timeout") { Description = "Seconds to keep trying when nothing answers at --cog-url", DefaultValueFactory = _ => 10 };
        var model = new Option<string>("--model") { Description = "owner/name or owner/name:version on Replicate", DefaultValueFactory = _ => ReadmeSettings.Model };
        var output = new Option<string>("--output", "-o") { Description = "Folder for images and manifests", DefaultValueFactory = _ => Path.Combine("results", "generated") };
        var command = new Command("generate", "Generate images at the README's settings with the LoRA on Replicate or a local Cog container");
        foreach (var o in new Option[] { setting, seed, backend, cogUrl, cogWait, model, output }) command.Options.Add(o);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(async () =>
        {
            var settings = ReadmeSettings.Parse(r.GetValue(setting)!);
            var backendName = r.GetValue(backend)!.ToLowerInvariant();
            ReplicateClient? client = null;
            IPredictionBackend impl;
            switch (backendName)
            {
                case "replicate":
                    var options = ReplicateClientOptions.FromEnvironment();
                    options.RequireToken();
                    client = ReplicateClient.Create(options);
                    impl = new ReplicateBackend(client, r.GetValue(model)!);
                    break;
                case "cog":
                    if (!Uri.TryCreate(r.GetValue(cogUrl), UriKind.Absolute, out var cog))
                        throw new ArgumentException($"--cog-url {r.GetValue(cogUrl)} is not an absolute URL such as http://localhost:5000");
                    impl = CogClient.Create(new CogClientOptions { BaseAddress = cog, UnreachableTimeout = TimeSpan.FromSeconds(Math.Max(0, r.GetValue(cogWait))) });
                    break;
                default:
                    throw new ArgumentException($"--backend {backendName} must be 'replicate' or 'cog'");
            }
            try
            {
                var generator = new SettingGenerator(impl, client != null ? client.Redact : null);
                var seedValue = r.GetValue(seed);
                // Every check (inputs, version, Cog health) before the first billable call.
                await generator.PrepareAsync(settings, seedValue, ct);
                var dir = r.GetValue(output)!;
                var results = new List<(ReadmeSetting Setting, PredictionResult Result)>();
                await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
                {
                    foreach (var s in settings)
                    {
                        var task = ctx.AddTask($"setting {s.Number}", maxValue: 100);
                        var res = await generator.GenerateAsync(s, dir, seedValue, CommandSupport.For(task, $"setting {s.Number}"), ct);
                        task.Value = 100;
                        results.Add((s, res));
                    }
                });
                var table = new Table().AddColumn("setting").AddColumn("prediction").AddColumn("image").AddColumn("original");
                foreach (var (s, res) in results)
                    foreach (var f in res.Files)
                        table.AddRow(s.Number.ToString(), Markup.Escape(res.Prediction.Id), Markup.Escape(f.Path), s.OriginalImageFileName);
                AnsiConsole.Write(table);
                return 0;
            }
            finally
            {
                (impl as IDisposable)?.Dispose();
                client?.Dispose();
            }
        }, ct));
        return command;
    }
}
