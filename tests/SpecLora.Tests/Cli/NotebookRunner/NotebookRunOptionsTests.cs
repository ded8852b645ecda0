using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class NotebookRunOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(new NotebookRunOptions().Validate());

    [Fact]
    public void Validate_reports_every_problem_at_once_quoting_each_value()
    {
        var options = new NotebookRunOptions
        {
            CellTimeout = TimeSpan.Zero,
            StartupTimeout = TimeSpan.FromDays(2),
            Output = new OutputLimits { HeadLines = 0 },
        };
        var problems = options.Validate();
        Assert.Equal(3, problems.Count);
        Assert.Equal("--cell-timeout 0 must be > 0 and ≤ 86400 seconds", problems[0]);
        Assert.Equal("StartupTimeout=172800 s must be > 0 and ≤ 86400 seconds", problems[1]);
        Assert.StartsWith("HeadLines=0", problems[2]);
        var e = Assert.Throws<ArgumentException>(() => options.Validated());
        Assert.Contains("--cell-timeout 0", e.Message);
        Assert.Contains("HeadLines=0", e.Message);
    }
}
