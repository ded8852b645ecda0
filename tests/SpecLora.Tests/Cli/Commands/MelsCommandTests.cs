using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class MelsCommandTests(ITestOutputHelper log)
{
    private static Task<(int ExitCode, string Output)> Run(params string[] args) => CliHarness.RunAsync(new Dictionary<string, string?>(), args);

    private static string WriteSine(string path, double seconds = 1.0)
    {
        WavFile.Write(path, new AudioClip(AudioTestFiles.Sine((int)(seconds * 22050), 440, 22050), 22050));
        return path;
    }

    [Fact]
    public async Task Folder_with_one_bad_file_exits_1_lists_it_and_writes_the_good_picture_only()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        WriteSine(Path.Combine(input, "good.wav"));
        File.WriteAllText(Path.Combine(input, "broken.wav"), "this is not audio");
        var outDir = dir.Sub("out");

        var (code, output) = await Run("mels", input, "-o", outDir);
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("1 written, 1 failed", output);
        var badRow = output.Split('\n').Single(l => l.Contains("broken.wav") && !l.Contains("→"));
        Assert.DoesNotContain(" ok", badRow);
        Assert.Contains("good.jpg", output);
        Assert.Equal(new[] { "good.jpg" }, Directory.GetFiles(outDir).Select(Path.GetFileName));   // no partial/temp file
        var picture = MelImage.DecodeRgba(File.ReadAllBytes(Path.Combine(outDir, "good.jpg")));
        Assert.Equal((640, 480), (picture.Width, picture.Height));
    }

    [Theory]
    [InlineData("0x480")]
    [InlineData("20000x480")]
    [InlineData("640x0")]
    public async Task Size_out_of_range_is_rejected_naming_the_allowed_range_and_writes_nothing(string size)
    {
        using var dir = new TempDir();
        var wav = WriteSine(dir.Sub("a.wav"));
        var outDir = dir.Sub("out");
        var (code, output) = await Run("mels", wav, "-o", outDir, "--size", size);
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains($"1…{RenderOptions.MaxSize}", output);
        Assert.Contains(size, output);
        Assert.DoesNotContain("   at ", output);                    // a message, not a stack trace
        Assert.False(Directory.Exists(outDir), "nothing may be written");
    }

    [Fact]
    public async Task Malformed_size_says_what_it_should_look_like()
    {
        using var dir = new TempDir();
        var (code, output) = await Run("mels", WriteSine(dir.Sub("a.wav")), "-o", dir.Sub("out"), "--size", "big");
        Assert.Equal(2, code);
        Assert.Contains("640x480", output);
    }

    [Fact]
    public async Task Numbered_names_follow_the_original_script()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        WriteSine(Path.Combine(input, "b.wav"), 0.5);
        WriteSine(Path.Combine(input, "a.wav"), 0.5);
        WriteSine(Path.Combine(input, "c.wav"), 0.5);
        var outDir = dir.Sub("out");
        var (code, output) = await Run("mels", input, "-o", outDir, "--numbered", "--size", "64x48");
        Assert.True(code == 0, output);
        Assert.Equal(new[] { "mel0.jpg", "mel1.jpg", "mel2.jpg" }, Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Matches(@"a\.wav\s*│\s*mel0\.jpg", output);             // sorted inputs, numbered in order
        Assert.Matches(@"c\.wav\s*│\s*mel2\.jpg", output);
    }

    [Fact]
    public async Task Png_with_npy_writes_both_with_metadata_and_the_matrix()
    {
        using var dir = new TempDir();
        var wav = WriteSine(dir.Sub("tone.wav"), 1.0);
        var outDir = dir.Sub("out");
        var (code, output) = await Run("mels", wav, "-o", outDir, "--format", "png", "--npy", "--size", "100x128");
        Assert.True(code == 0, output);
        Assert.Equal(new[] { "tone.npy", "tone.png" }, Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var meta = MelImageMetadata.TryRead(File.ReadAllBytes(Path.Combine(outDir, "tone.png")));
        Assert.NotNull(meta);
        Assert.Equal(1 + 22050 / 512, meta!.Frames);
        var npy = File.ReadAllBytes(Path.Combine(outDir, "tone.npy"));
        Assert.Equal("\u0093NUMPY", System.Text.Encoding.Latin1.GetString(npy, 0, 6));
        var header = System.Text.Encoding.ASCII.GetString(npy, 10, BitConverter.ToUInt16(npy, 8));
        Assert.Contains("'<f4'", header);
        Assert.Contains($"(128, {meta.Frames})", header);
        Assert.Equal(10 + header.Length + 4 * 128 * meta.Frames, npy.Length);
    }
}
