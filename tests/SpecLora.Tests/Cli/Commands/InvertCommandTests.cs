using System.Buffers.Binary;
using System.Text;
using SkiaSharp;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class InvertCommandTests(ITestOutputHelper log)
{
    private static Task<(int ExitCode, string Output)> Run(params string[] args) => CliHarness.RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>The summary table's row for <paramref name="file"/> (progress lines also name the files).</summary>
    private static string Row(string output, string file) =>
        output.Split('\n').Single(l => l.TrimStart().StartsWith('│') && l.Contains("│ " + file + " "));

    /// <summary>Every sample of every WAV in <paramref name="dir"/> is finite; returns the WAVs.</summary>
    private static string[] AssertFiniteWavs(string dir)
    {
        var wavs = Directory.GetFiles(dir, "*.wav");
        foreach (var wav in wavs)
        {
            var audio = WavFile.Read(wav);
            Assert.True(audio.Frames > 0, wav);
            Assert.Equal(22050, audio.SampleRate);
            foreach (var ch in audio.Channels) Assert.All(ch, v => Assert.True(float.IsFinite(v)));
        }
        return wavs;
    }

    /// <summary>A small magma mel picture of a synthetic clip (no metadata unless PNG).</summary>
    private static RgbaImage SmallMel(int width = 96, int height = 64)
    {
        var clip = PianoSynth.RenderFurEliseOpening();
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip.Samples.AsSpan(0, 22050 * 2), LibrosaDefaults.SampleRate), DbOptions.MakeMels);
        return SpectrogramRenderer.Render(db, new RenderOptions { Width = width, Height = height });
    }

    private static byte[] EncodeSkia(SKImageInfo info, byte[] pixels)
    {
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A PNG whose IHDR says <paramref name="w"/>×<paramref name="h"/> with one tiny (empty-stream) IDAT: no pixels allocated.</summary>
    internal static byte[] PngHeaderOnly(int w, int h)
    {
        static byte[] Chunk(string type, byte[] body)
        {
            var c = new byte[12 + body.Length];
            BinaryPrimitives.WriteInt32BigEndian(c, body.Length);
            Encoding.ASCII.GetBytes(type, c.AsSpan(4));
            body.CopyTo(c, 8);
            BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(8 + body.Length), Crc32(c.AsSpan(4, 4 + body.Length)));
            return c;
        }
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
        ihdr[8] = 8; ihdr[9] = 2;                                   // 8-bit RGB
        byte[] idat = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]; // zlib of nothing
        return [.. new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", idat), .. Chunk("IEND", [])];
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    [SkippableFact]
    public async Task Every_seed_image_inverts_and_the_summary_reports_off_colormap_and_consistency()
    {
        var mels = Golden.RequireShared("seed", "mels");
        var results = Golden.RequireShared("seed", "results");
        using var dir = new TempDir();
        var (code, output) = await Run("invert", mels, results, "-o", dir.Path, "-k", "1", "--iterations", "4", "--metrics");
        log.WriteLine(output);
        Assert.True(code == 0, output);
        var names = Directory.GetFiles(mels).Concat(Directory.GetFiles(results))
            .Where(f => PictureFiles.KnownExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Select(Path.GetFileNameWithoutExtension).ToArray();
        Assert.Equal(15, names.Length);                                   // 8 makeMels JPEGs + 7 SDXL outputs
        var wavs = AssertFiniteWavs(dir.Path);
        Assert.Equal(names.Order(), wavs.Select(Path.GetFileNameWithoutExtension).Order());
        Assert.Contains($"{names.Length} written, 0 failed", output);
        foreach (var name in names)
        {
            var row = output.Split('\n').Single(l => l.TrimStart().StartsWith('│') && l.Contains("│ " + name + "."));
            Assert.Matches(@"\d+(\.\d)?\s?%", row);                        // off-colormap fraction
            Assert.Matches(@"-?\d+\.\d\d dB", row);                        // image consistency
            Assert.Contains("ok", row);
        }
    }

    [Fact]
    public async Task Bad_pictures_fail_by_name_leave_no_file_and_good_ones_still_invert()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        var outDir = dir.Sub("out");
        File.WriteAllText(Path.Combine(input, "text.png"), "this is not a picture");
        File.WriteAllBytes(Path.Combine(input, "tiny.png"), EncodeSkia(new SKImageInfo(1, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul), [10, 20, 30, 255]));
        File.WriteAllBytes(Path.Combine(input, "huge.png"), PngHeaderOnly(20000, 20000));
        File.WriteAllBytes(Path.Combine(input, "good.png"), MelImage.EncodePng(SmallMel()));

        var (code, output) = await Run("invert", input, "-o", outDir, "-k", "1", "--iterations", "4");
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("1 written, 3 failed", output);
        Assert.Contains("not a picture", Row(output, "text.png"));
        Assert.Contains("1×1", Row(output, "tiny.png"));
        Assert.Contains("20000×20000", Row(output, "huge.png"));
        Assert.Contains("too large", Row(output, "huge.png"));
        Assert.Contains("ok", Row(output, "good.png"));
        Assert.Equal(new[] { "good.wav" }, Directory.GetFiles(outDir).Select(Path.GetFileName));   // no partial or temp file
        AssertFiniteWavs(outDir);
    }

    /// <summary>Issue 8 as a user meets it: the first 1000 bytes of a real picture exit 1 with the file named and no WAV;
    /// a one-colour picture exits 0 with a silent WAV flagged "no signal".</summary>
    [Fact]
    public async Task Truncated_picture_fails_by_name_and_a_blank_one_inverts_to_flagged_silence()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        var whole = MelImage.EncodeJpeg(SmallMel(640, 480));
        File.WriteAllBytes(Path.Combine(input, "cut.jpg"), whole[..1000]);
        var black = SmallMel(640, 480);
        for (int i = 0; i < black.Pixels.Length; i += 4) { black.Pixels[i] = 0; black.Pixels[i + 1] = 0; black.Pixels[i + 2] = 4; black.Pixels[i + 3] = 255; }
        File.WriteAllBytes(Path.Combine(input, "blank.jpg"), MelImage.EncodeJpeg(black));

        var (code, output) = await Run("invert", input, "-o", dir.Sub("out"), "--duration", "2", "--iterations", "2");
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("ends early", Row(output, "cut.jpg"));
        Assert.Contains("no signal", Row(output, "blank.jpg"));
        Assert.Equal(new[] { "blank.wav" }, Directory.GetFiles(dir.Sub("out")).Select(Path.GetFileName));
        Assert.All(WavFile.Read(dir.Sub("out/blank.wav")).Channels[0], v => Assert.Equal(0f, v));
    }

    [Fact]
    public async Task Grayscale_and_rgba_pngs_invert()
    {
        using var dir = new TempDir();
        var mel = SmallMel();
        // True 8-bit grayscale PNG: the gray levels of the magma picture's luma.
        var gray = new byte[mel.Width * mel.Height];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)Math.Round(0.299 * mel.Pixels[4 * i] + 0.587 * mel.Pixels[4 * i + 1] + 0.114 * mel.Pixels[4 * i + 2]);
        File.WriteAllBytes(dir.Sub("gray.png"), EncodeSkia(new SKImageInfo(mel.Width, mel.Height, SKColorType.Gray8, SKAlphaType.Opaque), gray));
        // RGBA PNG with a half-transparent band.
        var rgba = (byte[])mel.Pixels.Clone();
        for (int i = 0; i < rgba.Length / 4; i += 3) rgba[4 * i + 3] = 128;
        File.WriteAllBytes(dir.Sub("rgba.png"), MelImage.EncodePng(mel with { Pixels = rgba }));
        var outDir = dir.Sub("out");

        var (code, output) = await Run("invert", dir.Sub("gray.png"), dir.Sub("rgba.png"), "-o", outDir, "-k", "2", "--iterations", "4", "--metrics");
        log.WriteLine(output);
        Assert.True(code == 0, output);
        Assert.Contains("2 written, 0 failed", output);
        var wavs = AssertFiniteWavs(outDir);
        Assert.Equal(2, wavs.Length);
        foreach (var wav in wavs) Assert.Equal(512 * (96 * 2 - 1), WavFile.Read(wav).Frames);
    }

    [Fact]
    public async Task Random_noise_picture_gives_audio_with_the_off_colormap_fraction_reported()
    {
        using var dir = new TempDir();
        var rng = new Random(7);
        var px = new byte[4 * 80 * 60];
        rng.NextBytes(px);
        for (int i = 3; i < px.Length; i += 4) px[i] = 255;
        File.WriteAllBytes(dir.Sub("noise.png"), MelImage.EncodePng(new RgbaImage(80, 60, px)));
        var outDir = dir.Sub("out");

        var (code, output) = await Run("invert", dir.Sub("noise.png"), "-o", outDir, "-k", "1", "--iterations", "4");
        log.WriteLine(output);
        var row = Row(output, "noise.png");
        if (code == 0)
        {
            // Audio made: the row must say how much is off the colormap, and warn.
            var pct = System.Text.RegularExpressions.Regex.Match(row, @"(\d+(\.\d)?)\s?%");
            Assert.True(pct.Success, row);
            Assert.True(double.Parse(pct.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 25, row);
            Assert.Contains("off the colormap", row);
            Assert.Single(AssertFiniteWavs(outDir));
        }
        else
        {
            Assert.Contains("colormap", row);
            Assert.Empty(Directory.Exists(outDir) ? Directory.GetFiles(outDir) : []);
        }
    }

    [Theory]
    [InlineData("must be ≥ 1", "-k", "0")]
    [InlineData("must be ≥ 1", "-k", "-3")]
    [InlineData("must be > 0 seconds", "--duration", "0")]
    [InlineData("must be > 0 seconds", "--duration", "-1")]
    [InlineData("not several", "-k", "2", "--duration", "3")]
    [InlineData("not several", "--frames", "100", "--duration", "3")]
    [InlineData("must be ≥ 1", "--frames", "0")]
    public async Task Bad_time_axis_options_are_a_clear_error_and_write_nothing(string message, params string[] extra)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("good.png"), MelImage.EncodePng(SmallMel()));
        var outDir = dir.Sub("out");
        string[] args = ["invert", dir.Sub("good.png"), "-o", outDir, .. extra];
        var (code, output) = await Run(args);
        Assert.Equal(2, code);                                            // a usage error: exit 2, one line
        Assert.Contains(message, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any(), "nothing may be written");
    }

    [Fact]
    public async Task Pictures_with_the_same_name_do_not_overwrite_each_other()
    {
        using var dir = new TempDir();
        var mel = SmallMel();
        File.WriteAllBytes(dir.Sub("a.png"), MelImage.EncodePng(mel));
        File.WriteAllBytes(dir.Sub("a.jpg"), MelImage.EncodeJpeg(mel));
        var outDir = dir.Sub("out");
        var (code, output) = await Run("invert", dir.Path, "-o", outDir, "-k", "1", "--iterations", "2");
        Assert.True(code == 0, output);
        Assert.Equal(new[] { "a-2.wav", "a.wav" }, Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Folder_without_pictures_is_a_clear_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("notes.txt"), "x");
        var (code, output) = await Run("invert", dir.Path, "-o", dir.Sub("out"));
        Assert.Equal(2, code);
        Assert.Contains("no pictures found", output);
    }

    [Fact]
    public async Task Output_that_is_a_file_is_refused_before_any_picture_is_decoded()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("good.png"), MelImage.EncodePng(SmallMel()));
        File.WriteAllText(dir.Sub("out.wav"), "not a folder");
        var (code, output) = await Run("invert", dir.Sub("good.png"), "-o", dir.Sub("out.wav"));
        log.WriteLine(output);
        Assert.Equal(2, code);
        Assert.Contains("-o " + dir.Sub("out.wav") + " is an existing file; it must be a folder", output);
        Assert.DoesNotContain("good.png", output);                     // no row, no progress: nothing was inverted
        Assert.DoesNotContain("already exists", output);
        MelsCommandTests.AssertSentence(output);
        Assert.Equal("not a folder", File.ReadAllText(dir.Sub("out.wav")));
    }

    [Fact]
    public async Task Only_bad_pictures_leave_no_output_folder()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("text.png"), "this is not a picture");
        var outDir = dir.Sub("out");
        var (code, output) = await Run("invert", dir.Sub("text.png"), dir.Sub("missing.png"), "-o", outDir, "--iterations", "2");
        log.WriteLine(output);
        Assert.Equal(1, code);
        Assert.Contains("0 written, 2 failed", output);
        Assert.Contains("missing.png", Row(output, "missing.png"));
        MelsCommandTests.AssertSentence(output);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--duration", "3", 66150)]      // 3 s → 1 + ⌊66150/512⌋ = 130 frames → about 3 s of audio
    [InlineData("--frames", "100", 99 * 512)]   // librosa's iSTFT length for 100 frames: hop·(T − 1)
    [InlineData("-k", "2", 191 * 512)]          // 96 columns × 2 = 192 frames
    public async Task Each_time_axis_option_sets_the_length_of_the_audio(string option, string value, int expectedSamples)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("pic.jpg"), MelImage.EncodeJpeg(SmallMel()));   // a JPEG carries no metadata
        var outDir = dir.Sub("out");
        var (code, output) = await Run("invert", dir.Sub("pic.jpg"), "-o", outDir, option, value, "--iterations", "2");
        log.WriteLine(output);
        Assert.True(code == 0, output);
        var audio = WavFile.Read(Path.Combine(outDir, "pic.wav"));
        Assert.InRange(audio.Frames, expectedSamples - 512, expectedSamples + 512);
    }

    [Fact]
    public async Task Gl_and_fgla_differ_each_as_documented()
    {
        // --method fgla: fast Griffin-Lim (momentum 0.99) from a random phase; --method gl: the classic Griffin-Lim (no
        // momentum) from the same random phase. Each equals the library call that says so; the two differ.
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("pic.jpg"), MelImage.EncodeJpeg(SmallMel()));
        var decoded = SpectrogramImageDecoder.Decode(dir.Sub("pic.jpg"));
        var wavs = new Dictionary<string, byte[]>();
        foreach (var (method, options) in new[]
        {
            ("fgla", new InversionOptions { Method = PhaseMethod.Fgla, Iterations = 8 }),
            ("gl", new InversionOptions { Method = PhaseMethod.Fgla, Momentum = 0, Iterations = 8 }),
        })
        {
            var outDir = dir.Sub("out-" + method);
            var (code, output) = await Run("invert", dir.Sub("pic.jpg"), "-o", outDir, "--method", method, "--iterations", "8");
            Assert.True(code == 0, output);
            wavs[method] = File.ReadAllBytes(Path.Combine(outDir, "pic.wav"));
            var expected = dir.Sub(method + "-library.wav");
            WavFile.Write(expected, ImageInversion.FromImage(decoded, options));
            Assert.Equal(File.ReadAllBytes(expected), wavs[method]);
        }
        Assert.NotEqual(wavs["fgla"], wavs["gl"]);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("mel0.jpg"), MelImage.EncodeJpeg(SmallMel()));
        var (code, output) = await Run("invert", dir.Sub("mel0.jpg"), "-o", dir.Sub("x2"), "--frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown option --frobnicate", output);
        Assert.False(Directory.Exists(dir.Sub("x2")));
    }

    [Fact]
    public async Task The_recording_beside_its_picture_is_never_replaced_and_a_failed_row_leaves_the_old_wav()
    {
        using var dir = new TempDir();
        var song = dir.Sub("song.wav");
        WavFile.Write(song, new AudioClip(Enumerable.Range(0, 22050).Select(i => 0.3f * MathF.Sin(i * 0.05f)).ToArray(), 22050));
        var original = File.ReadAllBytes(song);
        Assert.Equal(0, (await Run("mels", song, "-o", dir.Path, "--format", "png")).ExitCode);
        // the picture's WAV would land on the recording: refused before any work, both named
        var (code, output) = await Run("invert", dir.Path, "-o", dir.Path);
        Assert.Equal(2, code);
        Assert.Contains("song.wav", output);
        Assert.Equal(original, File.ReadAllBytes(song));

        // a good WAV, then a failing row with --overwrite: the good WAV stays as it was
        var outDir = dir.Sub("X");
        Assert.Equal(0, (await Run("invert", dir.Sub("song.png"), "-o", outDir)).ExitCode);
        var good = File.ReadAllBytes(Path.Combine(outDir, "song.wav"));
        var (refused, _) = await Run("invert", dir.Sub("song.png"), "-o", outDir, "--duration", "0.00002");
        Assert.Equal(2, refused);                                            // exists, no --overwrite: nothing done
        var (failed, failedOutput) = await Run("invert", dir.Sub("song.png"), "-o", outDir, "--duration", "0.00002", "--overwrite");
        Assert.Equal(1, failed);
        Assert.Contains("song.png", failedOutput);
        Assert.Equal(good, File.ReadAllBytes(Path.Combine(outDir, "song.wav")));
    }

    [Fact]
    public async Task A_fifo_in_the_folder_is_refused_by_name_and_the_others_invert()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("good.jpg"), MelImage.EncodeJpeg(SmallMel()));
        var mk = System.Diagnostics.Process.Start("mkfifo", dir.Sub("pipe.png"));
        mk.WaitForExit();
        Assert.Equal(0, mk.ExitCode);
        var run = Run("invert", dir.Path, "-o", dir.Sub("out"), "--iterations", "2");
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(120))) == run, "invert hung on a FIFO");
        var (code, output) = await run;
        Assert.Equal(1, code);
        Assert.Contains("FIFO", output);
        Assert.True(File.Exists(Path.Combine(dir.Sub("out"), "good.wav")));
    }

    [Fact]
    public async Task An_assumed_time_axis_is_said_with_what_it_does_to_the_length()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("pic.jpg"), MelImage.EncodeJpeg(SmallMel()));
        var (code, output) = await Run("invert", dir.Sub("pic.jpg"), "-o", dir.Sub("out"), "--iterations", "2");
        Assert.Equal(0, code);
        Assert.Contains("4/column, assumed", output);
        Assert.Contains("length is a guess", output);
        Assert.DoesNotContain("median ΔE", output);    // no empty, unnamed column without --metrics
        var (code2, output2) = await Run("invert", dir.Sub("pic.jpg"), "-o", dir.Sub("out2"), "--iterations", "2", "--duration", "3");
        Assert.Equal(0, code2);
        Assert.DoesNotContain("assumed", output2);
    }
}
