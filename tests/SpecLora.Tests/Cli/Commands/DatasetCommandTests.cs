using SpecLora.Tests.TestSupport;
using System.IO.Compression;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Cli.Commands;

[Collection(ProcessStateCollection.Name)]
public class DatasetCommandTests
{
    [Fact]
    public async Task Dataset_resizes_captions_and_reports()
    {
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 3);
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", dir.Sub("d.zip"), "--size", "256", "--captions");
        Assert.True(code == 0, output);
        Assert.Contains("3 images at 256×256, 3 captions", output);
        Assert.Contains("mel2.txt", output);
        using var zip = ZipFile.OpenRead(dir.Sub("d.zip"));
        Assert.Equal(6, zip.Entries.Count);
    }

    [Fact]
    public async Task Bad_size_or_folder_is_a_clear_error()
    {
        using var dir = new TempDir();
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("nope"), "-o", dir.Sub("d.zip"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", output);
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 1);
        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", dir.Sub("d.zip"), "--size", "5");
        Assert.Equal(2, code);
        Assert.Contains("size=5", output);
        Assert.False(File.Exists(dir.Sub("d.zip")));
    }
}
