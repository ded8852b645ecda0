using SpecLora.Jobs;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Jobs;

public class MelBatchTests
{
    private static string WriteClip(AudioTestFiles files, string name, double seconds, int rate = 22050)
    {
        var clip = new AudioClip(AudioTestFiles.Sine((int)(seconds * rate), 440, rate), rate);
        var path = files.Path_(name);
        WavFile.Write(path, clip);
        return path;
    }

    [Fact]
    public void Folder_run_reports_the_bad_file_and_writes_every_good_one()
    {
        using var files = new AudioTestFiles();
        WriteClip(files, "a.wav", 1.0);
        WriteClip(files, "b.wav", 0.5, 44100);
        files.Write("c.mp3", "this is not audio"u8.ToArray());   // a text file named .mp3
        files.Write("d.wav", new byte[10]);                       // truncated header
        files.Write("notes.txt", "ignored"u8.ToArray());
        var outDir = Path.Combine(files.Dir, "out");

        var result = MelBatch.Run(new[] { files.Dir }, outDir);

        Assert.Equal(4, result.Items.Count);                      // .txt is not an audio extension
        Assert.Equal(2, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.Contains(result.Items, i => i.Input.EndsWith("c.mp3") && i.Error != null && i.Error.Contains("c.mp3"));
        Assert.Contains(result.Items, i => i.Input.EndsWith("d.wav") && i.Error != null && i.Error.Contains("d.wav"));
        var written = Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "a.jpg", "b.jpg" }, written);        // no partial or temporary file left behind
    }

    [Fact]
    public void Numbered_png_run_names_like_makeMels_and_embeds_metadata_and_npy()
    {
        using var files = new AudioTestFiles();
        WriteClip(files, "x.wav", 1.0);
        WriteClip(files, "y.wav", 2.0);
        var outDir = Path.Combine(files.Dir, "out");

        var result = MelBatch.Run(new[] { files.Path_("x.wav"), files.Path_("y.wav") }, outDir,
            new MelBatchOptions { Numbered = true, Format = MelImageFormat.Png, SaveNpy = true });

        Assert.Equal(0, result.Failed);
        Assert.True(File.Exists(Path.Combine(outDir, "mel0.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "mel1.npy")));
        var meta = MelImageMetadata.TryRead(File.ReadAllBytes(Path.Combine(outDir, "mel1.png")));
        Assert.NotNull(meta);
        Assert.Equal(1 + 2 * 22050 / 512, meta!.Frames);
        Assert.Equal(2.0, meta.DurationSeconds, 3);
        var npy = NpyReader.ReadSpectrogram(Path.Combine(outDir, "mel1.npy"));
        Assert.Equal(128, npy.Bins);
        Assert.Equal(meta.Frames, npy.Frames);
    }

    [Fact]
    public void Same_pipeline_as_the_library_calls()
    {
        using var files = new AudioTestFiles();
        var path = WriteClip(files, "s.wav", 1.0);
        var db = MelBatch.ProcessFile(path, files.Path_("s.png"), new MelBatchOptions { Format = MelImageFormat.Png });
        var expected = Decibels.PowerToDb(MelSpectrogram.Compute(AudioLoader.Load(path)), DbOptions.MakeMels);
        Assert.Equal(expected.Data, db.Data);
    }

    [Theory]
    [InlineData(0, 480)]
    [InlineData(640, 16385)]
    public void Absurd_sizes_are_rejected_before_any_work(int w, int h)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new MelBatchOptions { Render = new RenderOptions { Width = w, Height = h } }.Validate());
        Assert.Contains("16384", e.Message);
    }

    [Fact]
    public void Output_names_follow_inputs_and_disambiguate_repeats()
    {
        var names = MelBatch.OutputNames(new[] { "/a/song.mp3", "/b/song.wav", "/c/other.flac" }, new MelBatchOptions());
        Assert.Equal(new[] { "song.jpg", "song-2.jpg", "other.jpg" }, names);
    }

    [Fact]
    public void The_output_folder_is_checked_first_and_created_only_when_a_picture_is_ready()
    {
        using var files = new AudioTestFiles();
        var wav = WriteClip(files, "a.wav", 0.5);
        File.WriteAllText(files.Path_("taken"), "x");
        Assert.Throws<OutputFolderException>(() => MelBatch.Run([wav], files.Path_("taken")));

        var outDir = Path.Combine(files.Dir, "never");
        var result = MelBatch.Run([files.Path_("missing.wav")], outDir);
        Assert.Equal(1, result.Failed);
        Assert.Contains("missing.wav", result.Items[0].Error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void Draw_returns_the_metadata_with_the_reference_power_for_jpegs_too()
    {
        using var files = new AudioTestFiles();
        var clip = AudioLoader.Load(WriteClip(files, "a.wav", 1.0));
        var picture = MelBatch.Draw(clip, Path.Combine(files.Dir, "sub", "a.jpg"));
        Assert.True(File.Exists(picture.Path));
        Assert.Equal(picture.Db.Frames, picture.Metadata.Frames);
        Assert.Equal(1.0, picture.Metadata.DurationSeconds, 3);
        Assert.True(picture.Metadata.ReferencePower > 0);
    }

    /// <summary>Issue 8: mels of all-zero audio drew a black picture without a word; the item now says so, and a
    /// clip with sound gets no warning.</summary>
    [Fact]
    public void Silent_audio_is_written_with_a_no_signal_warning()
    {
        using var files = new AudioTestFiles();
        WavFile.Write(files.Path_("silence.wav"), new AudioClip(new float[22050], 22050));
        WriteClip(files, "tone.wav", 1.0);
        var result = MelBatch.Run(new[] { files.Dir }, Path.Combine(files.Dir, "out"), new MelBatchOptions { Format = MelImageFormat.Png });
        var silent = Assert.Single(result.Items, i => i.Input.EndsWith("silence.wav"));
        Assert.True(silent.Succeeded);
        Assert.Equal(MelImage.SilentAudioWarning, silent.Warning);
        Assert.Contains("no signal", silent.Warning);
        Assert.Null(Assert.Single(result.Items, i => i.Input.EndsWith("tone.wav")).Warning);
    }
}
