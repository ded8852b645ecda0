using System.CommandLine;
using SpecLora.Cli.Commands;

namespace SpecLora.Cli;

/// <summary>Entry point of the <c>speclora</c> command.</summary>
public static class Program
{
    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("speclora: mel spectrogram images of music, and back to audio (SpecLora.Notebooks)");
        foreach (var command in CommandRegistry.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs a command line with the CLI's one rule for failures: a usage error is one line and
    /// exit 2, a failure one sentence (exit 2 for bad input, 1 at run time), Ctrl+C exit 130 saying what was done.</summary>
    public static Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null)
        => CommandSupport.RunAsync(BuildRoot(), args, configuration);

    /// <summary>Runs the command line.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = Math.Max(Spectre.Console.AnsiConsole.Profile.Width, 160);
        return await RunAsync(args);
    }
}
