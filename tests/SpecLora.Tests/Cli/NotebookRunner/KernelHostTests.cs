using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class KernelHostTests
{
    [Fact]
    public void Hosted_by_another_program_the_child_is_dotnet_exec_on_the_cli_with_this_programs_dependencies()
    {
        // the tests are such a program: testhost under dotnet, the CLI a library in it
        var host = KernelHost.Current();
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(host.FileName));
        Assert.Equal("exec", host.Arguments[0]);
        var config = host.Arguments[host.Arguments.ToList().IndexOf("--runtimeconfig") + 1];
        var deps = host.Arguments[host.Arguments.ToList().IndexOf("--depsfile") + 1];
        Assert.True(File.Exists(config), config);
        Assert.True(File.Exists(deps), deps);
        Assert.Equal(typeof(KernelHost).Assembly.Location, host.Arguments[^1]);
    }

    [Fact]
    public void The_start_info_adds_the_hidden_verb_the_job_and_the_notebooks_folder()
    {
        var psi = new KernelHost("/opt/speclora", []).StartInfo("/tmp/job.json", "/work/notebooks");
        Assert.Equal("/opt/speclora", psi.FileName);
        Assert.Equal(["notebooks", KernelHost.JobOption, "/tmp/job.json"], psi.ArgumentList.ToArray());
        Assert.Equal("/work/notebooks", psi.WorkingDirectory);
        Assert.True(psi.RedirectStandardInput && psi.RedirectStandardOutput && psi.RedirectStandardError);
        Assert.Equal("1", psi.Environment["NO_COLOR"]);
    }

    [Fact]
    public void The_hidden_option_is_not_in_the_help()
    {
        var command = SpecLora.Cli.Program.BuildRoot().Subcommands.Single(c => c.Name == "notebooks");
        Assert.True(command.Options.Single(o => o.Name == KernelHost.JobOption).Hidden);
    }
}
