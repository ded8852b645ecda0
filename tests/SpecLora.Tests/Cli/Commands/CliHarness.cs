using Spectre.Console;
using SpecLora.Replicate;

namespace SpecLora.Tests.Cli.Commands;

/// <summary>Runs <c>speclora</c> in-process with captured console output and a scoped environment.</summary>
public static class CliHarness
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string?> env, params string[] args)
    {
        var saved = env.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        var writer = new StringWriter();
        var previous = AnsiConsole.Console;
        try
        {
            foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
            });
            AnsiConsole.Console.Profile.Width = 240;   // wide enough that summary table rows never wrap (tests parse them)
            var code = await SpecLora.Cli.Program.RunAsync(args);
            return (code, writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previous;
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }
    }

    public static Dictionary<string, string?> NoToken() => new()
    {
        [ReplicateClientOptions.TokenVariable] = null,
        [ReplicateClientOptions.BaseUrlVariable] = "http://127.0.0.1:9/v1", // closed port: nothing may be sent
    };
}
