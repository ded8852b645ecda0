using System.CommandLine;
using Spectre.Console;
using SpecLora.Jobs;
using SpecLora.IO;
using SpecLora.Replicate;

namespace SpecLora.Cli.Commands;

/// <summary><c>speclora generate --setting 1..7|all [--seed n] [--backend replicate|cog] [--cog-url URL] -o &lt;dir&gt;</c>.</summary>
internal static class GenerateCommand
{
    internal static Command Create()
    {
        var setting = new Option<string>("--setting") { Description = "README setting 1–7, a list (1,3) or 'all'", Required = true };
        var seed = new Option<long?>("--seed") { Description = "Seed (default: random, recorded in the manifest)" };
        var backendOptions = new BackendOptions();
        var output = new Option<string>("--output", "-o") { Description = "Folder for images and manifests", DefaultValueFactory = _ => Path.Combine("results", "generated") };
        var command = new Command("generate", "Generate images at the README's settings with the LoRA on Replicate or a local Cog container");
        command.Options.Add(setting);
        command.Options.Add(seed);
        backendOptions.AddTo(command);
        command.Options.Add(output);
        command.SetAction((ParseResult r, CancellationToken ct) => CommandSupport.GuardAsync(async () =>
        {
            var settings = ReadmeSettings.Parse(r.GetValue(setting)!);
            var dir = OutputFolder(r.GetValue(output));
            var (impl, client) = backendOptions.Create(r);
            try
            {
                var generator = new SettingGenerator(impl, client != null ? client.Redact : null);
                var seedValue = r.GetValue(seed);
                // Every check (inputs, version, Cog health) before the first billable call.
                await generator.PrepareAsync(settings, seedValue, ct);
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
                        // the prediction is already redacted (SaveAsync); the id and path are shown with control characters visible
                        table.AddRow(s.Number.ToString(), Markup.Escape(TerminalText.Visible(res.Prediction.Id)), Markup.Escape(TerminalText.Visible(f.Path)), s.OriginalImageFileName);
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

    /// <summary>The <c>-o</c> folder, refused before anything runs when it is empty or names an existing file.</summary>
    internal static string OutputFolder(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("-o/--output is empty: give a folder for the images and manifests");
        if (File.Exists(value)) throw new ArgumentException($"-o {TerminalText.Visible(value)} is an existing file: give a folder (it is created if missing)");
        return value;
    }
}

/// <summary>The backend options the prediction verbs share (<c>generate</c>, <c>sweep</c>): <c>--backend replicate|cog</c>,
/// <c>--cog-url</c>, <c>--cog-connect-timeout</c>, <c>--model</c>.</summary>
internal sealed class BackendOptions
{
    private readonly Option<string> _backend = new("--backend") { Description = "replicate or cog", DefaultValueFactory = _ => "replicate" };
    private readonly Option<string> _cogUrl = new("--cog-url") { Description = "Local Cog server", DefaultValueFactory = _ => "http://localhost:5000" };
    private readonly Option<double> _cogWait = new("--cog-connect-timeout") { Description = "Seconds to keep trying when nothing answers at --cog-url", DefaultValueFactory = _ => 10 };
    private readonly Option<string> _model = new("--model") { Description = "owner/name or owner/name:version on Replicate", DefaultValueFactory = _ => ReadmeSettings.Model };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { _backend, _cogUrl, _cogWait, _model }) command.Options.Add(o);
    }

    /// <summary>The backend, and the Replicate client behind it (null for Cog) whose <see cref="ReplicateClient.Redact"/> cleans manifests.
    /// Nothing is sent: a missing token, a bad URL or a plain-http non-loopback REPLICATE_BASE_URL is refused here.</summary>
    public (IPredictionBackend Backend, ReplicateClient? Client) Create(ParseResult r)
    {
        var backendName = r.GetValue(_backend)!.ToLowerInvariant();
        switch (backendName)
        {
            case "replicate":
                var options = ReplicateClientOptions.FromEnvironment();
                options.Validate();
                options.RequireToken();
                var client = ReplicateClient.Create(options);
                return (new ReplicateBackend(client, r.GetValue(_model)!), client);
            case "cog":
                var text = r.GetValue(_cogUrl);
                if (!Uri.TryCreate(text, UriKind.Absolute, out var cog))
                    throw new ArgumentException($"--cog-url {TerminalText.Visible(Secrets.MaskUserInfo(text))} is not an absolute URL such as http://localhost:5000");
                var wait = r.GetValue(_cogWait);
                if (!double.IsFinite(wait) || wait < 0) throw new ArgumentException($"--cog-connect-timeout {wait} must be ≥ 0 seconds");
                return (CogClient.Create(new CogClientOptions { BaseAddress = cog, UnreachableTimeout = TimeSpan.FromSeconds(wait) }), null);
            default:
                throw new ArgumentException($"--backend {TerminalText.Visible(backendName)} must be 'replicate' or 'cog'");
        }
    }
}
