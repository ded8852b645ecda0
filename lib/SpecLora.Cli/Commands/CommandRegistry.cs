using System.CommandLine;

namespace SpecLora.Cli.Commands;

/// <summary>Every verb of the CLI; each lives in its own file with a static <c>Create()</c>.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> All()
    {
        yield return MelsCommand.Create();
        yield return InvertCommand.Create();
        yield return RoundtripCommand.Create();
        yield return DatasetCommand.Create();
        yield return TrainCommand.Create();
        yield return GenerateCommand.Create();
        yield return SweepCommand.Create();
        yield return NotebooksCommand.Create();
        yield return BenchCommand.Create();
        yield return AnalyzeCommand.Create();
        yield return ReferenceCommand.Create();
    }
}
