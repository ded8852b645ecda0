using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using SpecLora.Spectrograms;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

public class ImageBatchTests
{
    private static readonly ImageBatchOptions Fast = new() { Inversion = new InversionOptions { FramesPerColumn = 1, Iterations = 2 } };

    private static byte[] SmallMelPng()
    {
        var clip = PianoSynth.RenderFurEliseOpening();
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip.Samples.AsSpan(0, 22050), clip.SampleRate), DbOptions.MakeMels);
        return MelImage.EncodePng(SpectrogramRenderer.Render(db, new RenderOptions { Width = 64, Height = 48 }));
    }

    [Fact]
    public void A_folder_run_writes_each_good_picture_reports_the_bad_one_and_measures_each_once()
    {
        using var dir = new TempDir();
        var input = Directory.CreateDirectory(dir.Sub("in")).FullName;
        File.WriteAllBytes(Path.Combine(input, "a.png"), SmallMelPng());
        File.WriteAllBytes(Path.Combine(input, "a.jpg"), MelImage.EncodeJpeg(MelImage.DecodeRgba(SmallMelPng())));
        File.WriteAllText(Path.Combine(input, "bad.png"), "not a picture");
        File.WriteAllText(Path.Combine(input, "notes.txt"), "ignored");
        var reports = new List<ImageBatchProgress>();

        var result = ImageBatch.Run([input], dir.Sub("out"), Fast, new InlineProgress<ImageBatchProgress>(reports.Add));

        Assert.Equal(new[] { "a.jpg", "a.png", "bad.png" }, result.Items.Select(i => Path.GetFileName(i.Input)));
        Assert.Equal((2, 1), (result.Succeeded, result.Failed));
        var bad = result.Items[2];
        Assert.Null(bad.Output);
        Assert.Contains("bad.png", bad.Error);
        Assert.DoesNotContain("Exception", bad.Error);
        foreach (var item in result.Items.Take(2))
        {
            var wav = WavFile.Read(item.Output!);
            Assert.Equal(item.AudioSeconds, (double)wav.Frames / wav.SampleRate, 3);
            Assert.InRange(item.Decoded!.OffColormapFraction, 0, 1);
            Assert.True(double.IsFinite(item.ConsistencyDb) && item.ConsistencyDb >= 0, $"consistency {item.ConsistencyDb}");
            Assert.Equal((64, 48), (item.Decoded.SourceWidth, item.Decoded.SourceHeight));
        }
        Assert.Equal(new[] { "a-2.wav", "a.wav" }, Directory.GetFiles(dir.Sub("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Progress: one Finished report per picture, and the overall fraction never goes back.
        Assert.Equal(result.Items.Select(i => i.Input), reports.Where(r => r.Finished is not null).Select(r => r.Finished!.Input));
        for (int i = 1; i < reports.Count; i++) Assert.True(reports[i].Fraction >= reports[i - 1].Fraction - 1e-12, $"report {i} went back");
        Assert.Equal(1.0, reports[^1].Fraction, 9);
    }

    [Fact]
    public void The_output_folder_is_checked_before_any_picture_and_created_only_for_a_wav()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.Sub("a.png"), SmallMelPng());
        File.WriteAllText(dir.Sub("file"), "x");
        int reports = 0;
        Assert.Throws<OutputFolderException>(() => ImageBatch.Run([dir.Sub("a.png")], dir.Sub("file"), Fast, new InlineProgress<ImageBatchProgress>(_ => reports++)));
        Assert.Equal(0, reports);

        var result = ImageBatch.Run([dir.Sub("missing.png")], dir.Sub("out"), Fast);
        Assert.Equal(1, result.Failed);
        Assert.False(Directory.Exists(dir.Sub("out")));
    }

    [Fact]
    public void Cancelling_after_the_first_picture_keeps_its_wav_and_lists_the_rest()
    {
        using var dir = new TempDir();
        var png = SmallMelPng();
        foreach (var n in new[] { "a", "b", "c" }) File.WriteAllBytes(dir.Sub(n + ".png"), png);
        using var cts = new CancellationTokenSource();
        var e = Assert.Throws<BatchInterruptedException>(() => ImageBatch.Run([dir.Sub("a.png"), dir.Sub("b.png"), dir.Sub("c.png")], dir.Sub("out"), Fast,
            new InlineProgress<ImageBatchProgress>(p => { if (p.Finished is not null) cts.Cancel(); }), cts.Token));
        Assert.Equal(new[] { dir.Sub("a.png") }, e.Finished.Select(i => i.Input));
        Assert.Equal(new[] { dir.Sub("b.png"), dir.Sub("c.png") }, e.NotFinished);
        Assert.Equal(new[] { "a.wav" }, Directory.GetFiles(dir.Sub("out")).Select(Path.GetFileName));
    }
}
