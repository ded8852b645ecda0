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

    /// <summary>Runs the command line.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
            Spectre.Console.AnsiConsole.Profile.Width = Math.Max(Spectre.Console.AnsiConsole.Profile.Width, 160);
        return await BuildRoot().Parse(args).InvokeAsync();
    }
}
