using System.CommandLine;

namespace SpecLora.Cli.Commands;

/// <summary>Every verb of the CLI; each lives in its own file with a static <c>Create()</c>.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        // Verbs are added here, one line each, as they land.
        yield return BenchCommand.Create();
        yield break;
    }
}
