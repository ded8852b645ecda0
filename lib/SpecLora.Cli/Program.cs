using System.CommandLine;
using SpecLora.Cli.Commands;

namespace SpecLora.Cli;

/// <summary>Entry point of the <c>speclora</c> command.</summary>
public static class Program
{
    /// <summary>The program's name in every help text, usage line and message.</summary>
    public const string Name = "speclora";

    /// <summary>Builds the root command with every verb. A plain command named <see cref="Name"/> (System.CommandLine's
    /// RootCommand takes the name of the file it runs from, which would be the assembly's, SpecLora.Cli), with the
    /// options RootCommand would add: --help and --version.</summary>
    public static Command BuildRoot()
    {
        var root = new Command(Name, "speclora: mel spectrogram pictures of music and back to audio; is it music? (SpecLora.Notebooks)");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
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
        {
            // a pipe or a file: plain text, no ANSI codes, no live progress (CommandSupport.PlainProgress writes plain
            // lines to stderr instead), and rows wide enough not to wrap
            Spectre.Console.AnsiConsole.Console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
            {
                Ansi = Spectre.Console.AnsiSupport.No, ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
                Interactive = Spectre.Console.InteractionSupport.No, Out = new Spectre.Console.AnsiConsoleOutput(Console.Out),
            });
            Spectre.Console.AnsiConsole.Profile.Width = Math.Max(Spectre.Console.AnsiConsole.Profile.Width, 160);
        }
        return await RunAsync(args);
    }
}
