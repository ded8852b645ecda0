using System.IO.Compression;
using SkiaSharp;
using SpecLora.Replicate;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Replicate;

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
        Assert.Equal(3, TrainingDataset.Inspect(dir.Sub("out/data.zip")).ImageCount);
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
        Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Inspect(dir.Sub("ok.zip"), maxBytes: 100));
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
        Assert.Contains("speclora dataset", Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Inspect(dir.Sub("nope.zip"))).Message);
        File.WriteAllText(dir.Sub("fake.zip"), "not a zip");
        Assert.Throws<TrainingDatasetException>(() => TrainingDataset.Inspect(dir.Sub("fake.zip")));
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
}
