using System.Text.Json.Nodes;
using SpecLora.Cli.NotebookRunner;
using SpecLora.IO;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class SeedNoticeTests
{
    private static (string Path, JsonObject Doc) Notebook(string dir, string name, string code)
    {
        var path = NotebookFiles.WriteCode(dir, name, code);
        return (path, (JsonObject)JsonNode.Parse(File.ReadAllText(path))!);
    }

    private const string UsesSeed = "try { await SeedData.EnsureAsync(\"../data/seed\"); } catch (SeedDataUnavailableException e) { Console.WriteLine(e.Message); }";

    [Fact]
    public void Notebooks_that_use_the_original_images_are_named_when_the_images_are_missing()
    {
        var root = NotebookFiles.TempDir();
        var dir = Directory.CreateDirectory(Path.Combine(root, "notebooks")).FullName;
        var ran = new[]
        {
            Notebook(dir, "01-basics.ipynb", "Console.WriteLine(1);"),
            Notebook(dir, "02-images.ipynb", UsesSeed),
            Notebook(dir, "04-results.ipynb", "var p = ReadmeSettings.OriginalImagePath(s, \"../data/seed\"); SeedData.MelFiles.Count"),
            Notebook(dir, "07-music.ipynb", UsesSeed),
        };
        var saved = Environment.GetEnvironmentVariable("SPECLORA_OFFLINE");
        try
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", "1");
            var seed = Path.Combine(root, "data", "seed");
            Assert.Equal($"ran without the original project's images (0 of 15 files in {seed}; SPECLORA_OFFLINE=1 forbids the download): " +
                         "notebooks 02, 04 and 07 show our own clip in their place", SeedNotice.For(ran));
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", null);
            Assert.Equal($"ran without the original project's images (0 of 15 files in {seed}): notebook 02 shows our own clip in their place", SeedNotice.For(ran[..2]));
            Assert.Null(SeedNotice.For(ran[..1]));

            foreach (var f in SeedData.AllFiles) { Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(seed, f))!); File.WriteAllBytes(Path.Combine(seed, f), [1]); }
            Assert.Null(SeedNotice.For(ran));
            File.Delete(Path.Combine(seed, SeedData.ResultFile(7)));
            Assert.StartsWith("ran without the original project's images (14 of 15 files in", SeedNotice.For(ran));
        }
        finally
        {
            Environment.SetEnvironmentVariable("SPECLORA_OFFLINE", saved);
        }
    }

    [Fact]
    public void The_repository_notebooks_that_use_the_images_are_the_ones_the_notice_can_name()
    {
        var notebooks = Directory.GetFiles(Path.Combine(Golden.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        var seeds = notebooks.Select(p => SeedNotice.SeedFolder(p, (JsonObject)JsonNode.Parse(File.ReadAllText(p))!)).ToList();
        Assert.Contains(seeds, s => s is not null);
        foreach (var s in seeds.Where(s => s is not null))
            Assert.Equal(Path.Combine(Golden.RepoRoot, "data", "seed"), s);
    }

    [Theory]
    [InlineData("02-make-spectrograms.ipynb", "02")]
    [InlineData("notes.ipynb", "notes.ipynb")]
    [InlineData("x\u001b]0;T\u0007.ipynb", "x\\e]0;T\\a.ipynb")]
    public void Labels_are_the_leading_number_or_the_visible_name(string name, string label)
        => Assert.Equal(label, SeedNotice.Label(name));

    [Theory]
    [InlineData(0, "0 images")]
    [InlineData(1, "1 image")]
    [InlineData(2, "2 images")]
    public void Counted_nouns_agree(int n, string text) => Assert.Equal(text, Words.Count(n, "image"));

    [Fact]
    public void Lists_read_as_prose() => Assert.Equal(["a", "a and b", "a, b and c"], new[] { 1, 2, 3 }.Select(n => Words.List(new[] { "a", "b", "c" }[..n])).ToArray());
}
