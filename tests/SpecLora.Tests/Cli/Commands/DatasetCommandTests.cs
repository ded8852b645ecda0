using SpecLora.Tests.Jobs;
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

    /// <summary>Issue 17: <c>dataset in/ds1 -o song.wav</c> turned the recording into a zip.</summary>
    [Fact]
    public async Task An_existing_output_is_refused_unless_overwrite_and_then_it_says_so()
    {
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 1);
        var song = dir.Sub("song.wav");
        File.WriteAllBytes(song, [82, 73, 70, 70]);
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", song);
        Assert.Equal(2, code);
        Assert.Contains("already exists and was not made by this run", output);
        Assert.Contains("--overwrite", output);
        Assert.Equal([82, 73, 70, 70], File.ReadAllBytes(song));
        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", song, "--overwrite");
        Assert.True(code == 0, output);
        Assert.Contains("replaced the existing", output);
        Assert.Contains("1 image,", output);   // not "1 images"
        Assert.Contains("0 captions", output);
        (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", Path.Combine(dir.Sub("mels"), "mel0.png"), "--overwrite");
        Assert.Equal(2, code);
        Assert.Contains("one of the inputs", output);
    }

    [SkippableFact]
    public async Task A_fifo_in_the_folder_is_refused_at_once_and_nothing_is_left()
    {
        Skip.If(OperatingSystem.IsWindows(), "mkfifo is POSIX");
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 2);
        using (var p = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(dir.Sub("mels"), "zz.png")])!) { p.WaitForExit(); Skip.IfNot(p.ExitCode == 0, "mkfifo failed"); }
        var run = CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", dir.Sub("ds3.zip"));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "the FIFO was opened instead of refused");
        var (code, output) = await run;
        Assert.Equal(2, code);
        Assert.Contains("zz.png is a FIFO (named pipe)", output);
        Assert.Empty(Directory.GetFiles(dir.Path));   // no ds3.zip, no .ds3.zip.*.tmp
    }

    [Fact]
    public async Task Pictures_that_would_share_an_entry_name_are_refused_naming_both()
    {
        using var dir = new TempDir();
        TrainingDatasetTests.WriteImages(dir.Sub("mels"), 2);
        File.Copy(Path.Combine(dir.Sub("mels"), "mel1.png"), Path.Combine(dir.Sub("mels"), "mel1.jpg"));
        var (code, output) = await CliHarness.RunAsync(CliHarness.NoToken(), "dataset", dir.Sub("mels"), "-o", dir.Sub("d.zip"), "--size", "64");
        Assert.Equal(2, code);
        Assert.Contains("mel1.jpg and", output);
        Assert.Contains("would both be zipped as mel1.png", output);
        Assert.False(File.Exists(dir.Sub("d.zip")));
    }
}
