using SpecLora.Jobs;
using SpecLora.IO;
using SpecLora.Tests.Replicate.Fakes;

namespace SpecLora.Tests.Jobs;

public class BatchTests
{
    private sealed record Item(string Input, string? Output, string? Error) : IBatchItem;

    [Fact]
    public void Folders_expand_to_their_files_with_the_given_extensions_sorted_and_missing_paths_are_kept()
    {
        using var dir = new TempDir();
        var folder = Directory.CreateDirectory(dir.Sub("f")).FullName;
        foreach (var name in new[] { "b.WAV", "a.wav", "c.txt", "d.mp3" }) File.WriteAllText(Path.Combine(folder, name), "");
        var list = Batch.ExpandInputs([folder, dir.Sub("missing.wav")], [".wav", ".mp3"]);
        Assert.Equal(new[] { "a.wav", "b.WAV", "d.mp3", "missing.wav" }, list.Select(Path.GetFileName));
    }

    [Fact]
    public void Output_names_follow_inputs_disambiguate_repeats_or_are_numbered()
    {
        Assert.Equal(new[] { "song.wav", "SONG-2.wav", "x.wav" }, Batch.OutputNames(["/a/song.png", "/b/SONG.jpg", "/c/x.png"], ".wav"));
        Assert.Equal(new[] { "mel0.png", "mel1.png" }, Batch.OutputNames(["/a/z.wav", "/b/y.wav"], ".png", "mel"));
    }

    [Fact]
    public void Output_folder_check_refuses_files_and_paths_under_files_without_creating_anything()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.Sub("file"), "x");
        Assert.Contains("must be a folder", Assert.Throws<OutputFolderException>(() => Batch.CheckOutputFolder(dir.Sub("file"))).Message);
        var under = Path.Combine(dir.Sub("file"), "a", "b");
        Assert.Contains($"{dir.Sub("file")} is a file", Assert.Throws<OutputFolderException>(() => Batch.CheckOutputFolder(under)).Message);
        Assert.Contains("empty", Assert.Throws<OutputFolderException>(() => Batch.CheckOutputFolder(" ")).Message);
        Batch.CheckOutputFolder(dir.Sub("new/deeper"));
        Assert.False(Directory.Exists(dir.Sub("new")));
        Assert.Throws<OutputFolderException>(() => Batch.CreateOutputFolder(under));
        Batch.CreateOutputFolder(dir.Sub("new/deeper"));
        Assert.True(Directory.Exists(dir.Sub("new/deeper")));
    }

    [Fact]
    public void Describe_keeps_the_sentence_and_drops_dotnet_suffixes_and_type_names()
    {
        var e = new ArgumentOutOfRangeException("options", 100, "OffsetSeconds=100 is beyond the end of a.wav (1.5 s)");
        Assert.Equal("OffsetSeconds=100 is beyond the end of a.wav (1.5 s)", Batch.Describe(e));
        Assert.Equal("/x/y.wav: file not found", Batch.Describe(new FileNotFoundException("Could not find file.", "/x/y.wav")));
        Assert.Equal("/x/y.wav: audio file not found", Batch.Describe(new FileNotFoundException("/x/y.wav: audio file not found", "/x/y.wav")));
        Assert.DoesNotContain("Exception", Batch.Describe(new InvalidOperationException("it broke")));
    }

    [Fact]
    public void A_failing_file_becomes_its_sentence_and_the_others_go_on()
    {
        string[] inputs = ["a", "bad", "c"];
        var seen = new List<string>();
        var result = Batch.Run(inputs, 2, i => inputs[i] == "bad" ? throw new ArgumentException("bad: broken (Parameter 'x')") : new Item(inputs[i], inputs[i] + ".out", null),
            (i, error, _) => new Item(inputs[i], null, error), (_, item) => { lock (seen) seen.Add(item.Input); }, CancellationToken.None);
        Assert.Equal(inputs, result.Items.Select(i => i.Input));
        Assert.Equal((2, 1), (result.Succeeded, result.Failed));
        Assert.Equal("bad: broken", result.Items[1].Error);
        Assert.Equal(inputs.Order(), seen.Order());
    }

    [Fact]
    public void An_output_folder_failure_stops_the_batch_instead_of_failing_every_file()
    {
        int calls = 0;
        Assert.Throws<OutputFolderException>(() => Batch.Run<Item>(["a", "b", "c"], 1, i =>
        {
            Interlocked.Increment(ref calls);
            throw new OutputFolderException("/ro/out", "cannot be created");
        }, (i, e, _) => new Item("", null, e), null, CancellationToken.None));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Cancellation_says_which_inputs_were_finished_and_which_were_not()
    {
        using var cts = new CancellationTokenSource();
        string[] inputs = ["a", "b", "c", "d"];
        var e = Assert.Throws<BatchInterruptedException>(() => Batch.Run(inputs, 1, i =>
        {
            if (i == 1) { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); }
            return new Item(inputs[i], inputs[i] + ".out", null);
        }, (i, error, _) => new Item(inputs[i], null, error), null, cts.Token));
        Assert.Equal(new[] { "a" }, e.Finished.Select(i => i.Input));
        Assert.Equal(new[] { "b", "c", "d" }, e.NotFinished);
        Assert.Contains("1 of 4 written", e.Message);
    }
}
