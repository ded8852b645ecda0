using SpecLora.Analysis;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class ReferenceCommandTests
{
    private static Task<(int ExitCode, string Output)> Run(params string[] args) => CliHarness.RunAsync(new Dictionary<string, string?>(), args);

    [Fact]
    public async Task Usage_errors_exit_2_before_any_work()
    {
        using var dir = new TempDir();
        var (noOutput, text1) = await Run("reference", dir.Path);
        Assert.Equal(2, noOutput);
        Assert.Contains("--output", text1);
        var (unknown, text2) = await Run("reference", dir.Path, "-o", dir.Sub("t.json"), "--frobnicate");
        Assert.Equal(2, unknown);
        Assert.Contains("--frobnicate", text2);
        Assert.Contains("speclora reference --help", text2);
        var (folderOut, text3) = await Run("reference", dir.Path, "-o", dir.Path);
        Assert.Equal(2, folderOut);
        Assert.Contains("is a folder; give the JSON file to write", text3);
        var (noFolder, text4) = await Run("reference", "-o", dir.Sub("t.json"));
        Assert.Equal(2, noFolder);
        var (missing, text5) = await Run("reference", dir.Sub("nowhere"), "-o", dir.Sub("t.json"));
        Assert.Equal(2, missing);
        Assert.Contains("is not a folder; give a folder laid out like ../shared/corpus/pieces", text5);
        Assert.DoesNotContain("Exception", text1 + text2 + text3 + text4 + text5);
        Assert.False(File.Exists(dir.Sub("t.json")));
    }

    [Fact]
    public async Task An_existing_table_needs_overwrite_and_is_then_replaced()
    {
        using var dir = new TempDir();
        SyntheticPieces.WriteFolder(dir.Sub("pieces"), count: 3);
        var table = dir.Sub("table.json");
        File.WriteAllText(table, "old");
        var (refused, text) = await Run("reference", dir.Sub("pieces"), "-o", table);
        Assert.Equal(2, refused);
        Assert.Contains("already exists", text);
        Assert.Contains("--overwrite", text);
        Assert.Equal("old", File.ReadAllText(table));

        var (code, output) = await Run("reference", dir.Sub("pieces"), "-o", table, "--overwrite");
        Assert.True(code == 0, output);
        Assert.Contains("3 pieces, 90 pictures measured", output);
        Assert.Contains("leave-one-piece-out accuracy", output);
        Assert.Contains("octave_harmonicity", output);
        Assert.Contains("(--overwrite)", output);
        Assert.Contains("table →", output);
        var model = MusicScoreModel.FromJson(File.ReadAllText(table));
        Assert.Equal(200, model.Bootstrap.Count);
        Assert.Equal(["table.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
