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

    /// <summary>A sentence, not a stack trace or .NET text.</summary>
    internal static void AssertSentence(string output)
    {
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Exception", output);
        Assert.DoesNotContain("(Parameter '", output);
        Assert.DoesNotContain("Actual value was", output);
        Assert.DoesNotContain("System.", output);
    }

    [Fact]
    public async Task Output_that_is_an_existing_file_is_a_usage_error_naming_o_and_nothing_runs()
    {
        using var dir = new TempDir();
        var wav = WriteSine(dir.Sub("a.wav"));
        File.WriteAllText(dir.Sub("taken"), "a file");
        var (code, output) = await Run("mels", wav, "-o", dir.Sub("taken"));
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains("-o " + dir.Sub("taken"), output);
        Assert.Contains("must be a folder", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        AssertSentence(output);
        Assert.Equal("a file", File.ReadAllText(dir.Sub("taken")));
    }

    [Fact]
    public async Task Output_under_a_regular_file_cannot_be_created_and_says_which_file_is_in_the_way()
    {
        using var dir = new TempDir();
        var wav = WriteSine(dir.Sub("a.wav"));
        File.WriteAllText(dir.Sub("taken"), "a file");
        var (code, output) = await Run("mels", wav, "-o", Path.Combine(dir.Sub("taken"), "sub", "out"));
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains("-o ", output);
        Assert.Contains($"cannot be created: {dir.Sub("taken")} is a file", output);
        AssertSentence(output);
    }

    [SkippableFact]
    public async Task Output_in_a_read_only_folder_is_one_sentence_naming_o_not_one_failure_per_file()
    {
        // Tests run as root, for whom permission bits do not stop writes; the immutable attribute does.
        using var dir = new TempDir();
        var ro = Directory.CreateDirectory(dir.Sub("ro")).FullName;
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        WriteSine(Path.Combine(input, "a.wav"), 0.5);
        WriteSine(Path.Combine(input, "b.wav"), 0.5);
        bool immutable = ChAttr("+i", ro);
        if (!immutable)
        {
            // Not root, or no chattr: an ordinary read-only folder then stops us.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            Skip.If(CanWrite(ro), "cannot make a read-only folder here (root without chattr +i support)");
        }
        try
        {
            var (code, output) = await Run("mels", input, "-o", Path.Combine(ro, "out"), "--size", "64x48");
            log.WriteLine(output);
            Assert.Equal(2, code);
            Assert.Contains("-o " + Path.Combine(ro, "out") + " cannot be created", output);
            Assert.Contains("choose a folder you can write to", output);
            AssertSentence(output);
            Assert.False(Directory.Exists(Path.Combine(ro, "out")));

            // The read-only folder itself as -o: it exists, so the first write fails, and that stops the batch.
            (code, output) = await Run("mels", input, "-o", ro, "--size", "64x48");
            log.WriteLine(output);
            Assert.Equal(2, code);
            Assert.Contains("-o " + ro + " cannot be written to", output);
            Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("error:"));
            AssertSentence(output);
            Assert.Empty(Directory.GetFileSystemEntries(ro));
        }
        finally
        {
            if (immutable) ChAttr("-i", ro);
            else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(ro, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static bool ChAttr(string flag, string path)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    private static bool CanWrite(string folder)
    {
        try { File.WriteAllText(Path.Combine(folder, "probe"), ""); File.Delete(Path.Combine(folder, "probe")); return true; }
        catch (UnauthorizedAccessException) { return false; }
        catch (IOException) { return false; }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Empty_output_names_the_option(string value)
    {
        using var dir = new TempDir();
        var (code, output) = await Run("mels", WriteSine(dir.Sub("a.wav")), "-o", value);
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains("-o/--output is empty", output);
        AssertSentence(output);
    }

    [Fact]
    public async Task Offset_past_the_end_is_a_sentence_with_the_clip_length()
    {
        using var dir = new TempDir();
        var wav = WriteSine(dir.Sub("short.wav"), 1.5);
        var outDir = dir.Sub("out");
        var (code, output) = await Run("mels", wav, "-o", outDir, "--offset", "100");
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("beyond the end", output);
        Assert.Contains("1.5 s", output);
        AssertSentence(output);
        Assert.False(Directory.Exists(outDir), "nothing to write: no folder");
    }

    [Fact]
    public async Task A_missing_input_leaves_no_empty_output_folder()
    {
        using var dir = new TempDir();
        var outDir = dir.Sub("d");
        var (code, output) = await Run("mels", dir.Sub("missing.wav"), "-o", outDir);
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("missing.wav", output);
        Assert.Contains("not found", output);
        AssertSentence(output);
        Assert.False(Directory.Exists(outDir), "the output folder is created only when there is something to write");
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_before_any_work()
    {
        using var dir = new TempDir();
        WriteSine(dir.Sub("a.wav"));
        var (code, output) = await Run("mels", dir.Sub("a.wav"), "-o", dir.Sub("out"), "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --bogus", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(dir.Sub("out")), "nothing may be written");
        // after --, a name that starts with '-' is a file
        var (code2, output2) = await Run("mels", "-o", dir.Sub("out2"), "--", "-missing.wav");
        Assert.Equal(1, code2);
        Assert.Contains("-missing.wav", output2);
        Assert.DoesNotContain("unknown option", output2);
    }

    [Fact]
    public async Task An_existing_picture_is_never_replaced_without_overwrite_and_is_named_when_it_is()
    {
        using var dir = new TempDir();
        WriteSine(dir.Sub("song.wav"));
        Assert.Equal(0, (await Run("mels", dir.Sub("song.wav"), "-o", dir.Sub("out"))).ExitCode);
        var first = File.ReadAllBytes(dir.Sub("out/song.jpg"));
        File.WriteAllBytes(dir.Sub("out/song.jpg"), [1, 2, 3]);   // the user's own file now
        var (code, output) = await Run("mels", dir.Sub("song.wav"), "-o", dir.Sub("out"));
        Assert.Equal(2, code);
        Assert.Contains("song.jpg", output);
        Assert.Contains("--overwrite", output);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dir.Sub("out/song.jpg")));
        var (code2, output2) = await Run("mels", dir.Sub("song.wav"), "-o", dir.Sub("out"), "--overwrite");
        Assert.Equal(0, code2);
        Assert.Contains("replaced", output2);
        Assert.Equal(first, File.ReadAllBytes(dir.Sub("out/song.jpg")));
    }

    [Fact]
    public async Task A_file_name_with_escape_codes_is_printed_with_them_visible()
    {
        using var dir = new TempDir();
        var name = "x\u001b]0;PWNED\u0007\u001b[31mred.wav";
        WriteSine(dir.Sub(name));
        var (code, output) = await Run("mels", dir.Path, "-o", dir.Sub("out"));
        Assert.Equal(0, code);
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.Contains("\\e]0;PWNED", output);
    }
}
