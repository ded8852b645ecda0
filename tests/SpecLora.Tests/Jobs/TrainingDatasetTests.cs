using System.IO.Compression;
using SkiaSharp;
using SpecLora.Jobs;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

public class TrainingDatasetTests
{
    internal static void WriteImages(string folder, int count, int width = 64, int height = 48)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < count; i++)
        {
            using var bmp = new SKBitmap(width, height);
            bmp.Erase(new SKColor((byte)(40 * i), 80, 160));
            using var img = SKImage.FromBitmap(bmp);
            using var data = img.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, $"mel{i}.png"), data.ToArray());
        }
        File.WriteAllText(Path.Combine(folder, "notes.md"), "not an image");
    }

    [Fact]
    public void Zip_with_resize_and_captions_reports_its_contents()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 3);
        var report = TrainingDataset.Create(dir.Sub("mels"), dir.Sub("out/data.zip"), size: 128, captions: true);
        Assert.Equal(3, report.ImageCount);
        Assert.Equal(3, report.CaptionCount);
        Assert.Equal(6, report.Entries.Count);
        Assert.Equal(new FileInfo(dir.Sub("out/data.zip")).Length, report.ZipBytes);
        Assert.Contains("3 images at 128×128", report.ToString());
        using var zip = ZipFile.OpenRead(dir.Sub("out/data.zip"));
        Assert.Equal(["mel0.png", "mel0.txt", "mel1.png", "mel1.txt", "mel2.png", "mel2.txt"], zip.Entries.Select(e => e.FullName));
        using (var s = zip.GetEntry("mel1.png")!.Open())
        using (var bmp = SKBitmap.Decode(s))
            Assert.Equal((128, 128), (bmp.Width, bmp.Height));
        using (var r = new StreamReader(zip.GetEntry("mel1.txt")!.Open()))
            Assert.Contains("SPECTROGRAM", r.ReadToEnd());
        Assert.Equal(3, TrainingZip.Inspect(dir.Sub("out/data.zip")).ImageCount);
    }

    [Fact]
    public void Without_size_images_are_copied_unchanged()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 2);
        var report = TrainingDataset.Create(dir.Sub("mels"), dir.Sub("d.zip"));
        Assert.Equal(0, report.CaptionCount);
        using var zip = ZipFile.OpenRead(dir.Sub("d.zip"));
        Assert.Equal(new FileInfo(dir.Sub("mels/mel0.png")).Length, zip.GetEntry("mel0.png")!.Length);
    }

    [Fact]
    public void Over_the_limit_is_refused_and_leaves_no_file()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 3, 256, 256);
        var e = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("big.zip"), maxBytes: 1000));
        Assert.Contains("MiB", e.Message);
        Assert.Contains("Nothing was uploaded", e.Message);
        Assert.False(File.Exists(dir.Sub("big.zip")));
        Assert.Empty(Directory.GetFiles(dir.Path));
        TrainingDataset.Create(dir.Sub("mels"), dir.Sub("ok.zip"));
        Assert.Throws<TrainingDatasetException>(() => TrainingZip.Inspect(dir.Sub("ok.zip"), maxBytes: 100));
    }

    [Fact]
    public void Bad_inputs_are_rejected_with_clear_messages()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("empty"));
        Assert.Contains("No images", Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("empty"), dir.Sub("x.zip"))).Message);
        Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("missing"), dir.Sub("x.zip")));
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingDataset.Create(dir.Sub("empty"), dir.Sub("x.zip"), size: 10));
        Assert.Throws<ArgumentException>(() => TrainingDataset.Create(dir.Sub("empty"), dir.Sub("x.zip"), captions: true, caption: "no trigger"));
        Assert.Contains("speclora dataset", Assert.Throws<TrainingDatasetException>(() => TrainingZip.Inspect(dir.Sub("nope.zip"))).Message);
        File.WriteAllText(dir.Sub("fake.zip"), "not a zip");
        Assert.Throws<TrainingDatasetException>(() => TrainingZip.Inspect(dir.Sub("fake.zip")));
    }

    /// <summary>Issue 8: a truncated picture (its first 1000 bytes) was zipped without a word. Now the dataset is refused
    /// with the file named, and no zip (not even a partial one) is left.</summary>
    [Fact]
    public void Truncated_picture_is_refused_and_no_zip_is_left()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 2, 640, 480);
        var whole = File.ReadAllBytes(System.IO.Path.Combine(dir.Sub("mels"), "mel1.png"));
        File.WriteAllBytes(System.IO.Path.Combine(dir.Sub("mels"), "mel1.png"), whole[..Math.Min(1000, whole.Length / 2)]);
        var e = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("out/data.zip")));
        Assert.Contains("mel1.png", e.Message);
        Assert.Contains("ends early", e.Message);
        Assert.False(File.Exists(dir.Sub("out/data.zip")));
        Assert.Empty(Directory.Exists(dir.Sub("out")) ? Directory.GetFiles(dir.Sub("out")) : []);
    }

    // ------------------------------------------------------------------ issue 17

    private static byte[] Jpeg(int seed)
    {
        using var bmp = new SKBitmap(64, 48);
        bmp.Erase(new SKColor((byte)(30 * seed), 90, 200));
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    private static void AssertNothingWritten(string folder) =>
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.EndsWith(".zip") || f.EndsWith(".tmp"));

    [SkippableFact]
    public void A_fifo_or_a_device_named_png_is_refused_before_it_is_opened()
    {
        Skip.If(OperatingSystem.IsWindows(), "mkfifo is POSIX");
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 2);
        var fifo = System.IO.Path.Combine(dir.Sub("mels"), "stream.png");
        using (var p = System.Diagnostics.Process.Start("mkfifo", [fifo])!) { p.WaitForExit(); Skip.IfNot(p.ExitCode == 0, "mkfifo failed"); }
        // a regression would block forever on open (no writer ever comes): run it on a worker with a bound
        var run = Task.Run(() => Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("d.zip"))));
        Assert.True(run.Wait(TimeSpan.FromSeconds(30)), "the FIFO was opened instead of refused");
        Assert.Contains("stream.png is a FIFO (named pipe)", run.Result.Message);
        Assert.Contains("remove it", run.Result.Message);
        File.Delete(fifo);
        if (File.Exists("/dev/zero"))
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(dir.Sub("mels"), "zero.png"), "/dev/zero");   // would never end
            Assert.Contains("zero.png is a character device", Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("d.zip"))).Message);
        }
        AssertNothingWritten(dir.Path);
    }

    [Fact]
    public void Two_pictures_that_would_share_an_entry_name_are_refused_naming_both()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 6);
        File.WriteAllBytes(System.IO.Path.Combine(dir.Sub("mels"), "mel0.jpg"), Jpeg(1));   // mel0.jpg beside mel0.png: 7 pictures
        // as they are: distinct names, 7 entries, 7 counted
        var plain = TrainingDataset.Create(dir.Sub("mels"), dir.Sub("plain.zip"));
        Assert.Equal(7, plain.ImageCount);
        using (var zip = ZipFile.OpenRead(dir.Sub("plain.zip"))) Assert.Equal(7, zip.Entries.Select(e => e.FullName).Distinct().Count());
        // --size stores both as mel0.png; --captions gives both mel0.txt: refused, both files named, nothing written
        var sized = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("sized.zip"), size: 64));
        Assert.Contains("mel0.jpg", sized.Message);
        Assert.Contains("mel0.png", sized.Message);
        Assert.Contains("would both be zipped as mel0.png", sized.Message);
        var captioned = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("cap.zip"), captions: true));
        Assert.Contains("would both be zipped as mel0.txt", captioned.Message);
        Assert.False(File.Exists(dir.Sub("sized.zip")) || File.Exists(dir.Sub("cap.zip")));
    }

    [Fact]
    public void Counts_come_from_the_zip_and_one_is_singular()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 1);
        var r = TrainingDataset.Create(dir.Sub("mels"), dir.Sub("one.zip"), captions: true);
        Assert.Contains("1 image, 1 caption", r.ToString());
        using var zip = ZipFile.OpenRead(dir.Sub("one.zip"));
        Assert.Equal(r.ImageCount + r.CaptionCount, zip.Entries.Count);
        Assert.Equal(r.Entries.Select(e => e.Name), zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void An_existing_output_is_refused_unless_overwrite_and_an_input_is_never_the_output()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 2);
        var song = dir.Sub("song.wav");
        var original = new byte[] { 1, 2, 3, 4 };
        File.WriteAllBytes(song, original);
        var e = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), song));
        Assert.Contains("already exists and was not made by this run", e.Message);
        Assert.Contains("--overwrite", e.Message);
        Assert.Equal(original, File.ReadAllBytes(song));
        var r = TrainingDataset.Create(dir.Sub("mels"), song, overwrite: true);
        Assert.True(r.Replaced);
        Assert.Equal(2, TrainingZip.Inspect(song).ImageCount);

        var input = System.IO.Path.Combine(dir.Sub("mels"), "mel1.png");
        var before = File.ReadAllBytes(input);
        foreach (var overwrite in new[] { false, true })
        {
            var same = Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), input, overwrite: overwrite));
            Assert.Contains("one of the inputs", same.Message);
        }
        File.CreateSymbolicLink(dir.Sub("link.zip"), input);   // the same picture reached through a link
        Assert.Contains("one of the inputs", Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("link.zip"), overwrite: true)).Message);
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Contains("is a folder", Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("mels"))).Message);
    }

    /// <summary>Issue 17: a file swapped between the check and the read was zipped as its new content (8 of 25 runs zipped a
    /// text file as zz.jpg). Each picture is now read once and those same bytes are checked and zipped, so whatever the
    /// timing, zz.jpg in the zip is a whole picture (or the run is refused naming it).</summary>
    [Fact]
    public async Task A_file_swapped_while_the_zip_is_made_is_never_zipped_as_its_new_content()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 3, 256, 256);
        var target = System.IO.Path.Combine(dir.Sub("mels"), "zz.jpg");
        var picture = Jpeg(2);
        var text = System.Text.Encoding.ASCII.GetBytes(new string('t', picture.Length));
        File.WriteAllBytes(target, picture);
        File.WriteAllBytes(dir.Sub("pic"), picture);
        File.WriteAllBytes(dir.Sub("txt"), text);
        using var stop = new CancellationTokenSource();
        var swapper = Task.Run(() =>
        {
            // atomic swaps (rename), so every read sees one whole version
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                File.Copy(dir.Sub(i % 2 == 0 ? "txt" : "pic"), dir.Sub("next"), overwrite: true);
                File.Move(dir.Sub("next"), target, overwrite: true);
            }
        });
        int zipped = 0, refused = 0;
        try
        {
            for (var run = 0; run < 25; run++)
            {
                var zipPath = dir.Sub($"run{run}.zip");
                try { TrainingDataset.Create(dir.Sub("mels"), zipPath); }
                catch (TrainingDatasetException e) { Assert.Contains("zz.jpg", e.Message); refused++; continue; }
                using var zip = ZipFile.OpenRead(zipPath);
                using var s = zip.GetEntry("zz.jpg")!.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                Assert.Equal(picture, ms.ToArray());
                zipped++;
            }
        }
        finally
        {
            stop.Cancel();
            await swapper;
        }
        Assert.Equal(25, zipped + refused);
    }

    [Fact]
    public void Cancellation_leaves_no_zip_and_no_temporary_file()
    {
        using var dir = new TempDir();
        WriteImages(dir.Sub("mels"), 3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => TrainingDataset.Create(dir.Sub("mels"), dir.Sub("out/d.zip"), cancellationToken: cts.Token));
        Assert.False(Directory.Exists(dir.Sub("out")) && Directory.EnumerateFileSystemEntries(dir.Sub("out")).Any());
        AssertNothingWritten(dir.Path);
    }

    [Fact]
    public void Options_validate_reports_every_bad_value_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainingDatasetOptions { Size = 5, MaxBytes = 0, Captions = true, Caption = "no trigger word" }.Validate());
        Assert.Equal("Size", e.ParamName);
        Assert.Contains("3 problems", e.Message);
        Assert.Contains("size=5", e.Message);
        Assert.Contains("maxBytes=0", e.Message);
        Assert.Contains("\"no trigger word\"", e.Message);
        Assert.Equal("Size", Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingDatasetOptions { Size = 9000 }.Validate()).ParamName);
        new TrainingDatasetOptions { Size = 1024, Captions = true }.Validate();
    }
}
