using SpecLora.Cli;
using SpecLora.Tests.Cli.Commands;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli;

[Collection(ProcessStateCollection.Name)]
public class ProgramTests
{
    /// <summary>Runs the program with System.CommandLine's own output (help, version) captured.</summary>
    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var sw = new StringWriter();
        int code = await Program.RunAsync(args, new System.CommandLine.InvocationConfiguration { Output = sw, Error = sw });
        return (code, sw.ToString());
    }

    [Fact]
    public async Task The_program_and_every_verb_call_themselves_speclora_in_their_help()
    {
        var (code, output) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("speclora [command] [options]", output);
        Assert.DoesNotContain("SpecLora.Cli", output);
        foreach (var verb in Program.BuildRoot().Subcommands.Where(c => !c.Hidden))
        {
            var (vcode, help) = await Run(verb.Name, "--help");
            Assert.Equal(0, vcode);
            Assert.Contains($"speclora {verb.Name}", help);
            Assert.DoesNotContain("SpecLora.Cli", help);
        }
    }

    [Fact]
    public async Task A_usage_error_names_the_program_speclora()
    {
        var (code, output) = await CliHarness.RunAsync(new Dictionary<string, string?>(), "invert", "x.png", "-o", Path.Combine(Path.GetTempPath(), "never-made"), "--frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("see: speclora invert --help", output);
        Assert.DoesNotContain("SpecLora.Cli", output);
        var (vcode, version) = await Run("--version");
        Assert.Equal(0, vcode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Trim());
    }
}
