using System.Text.Json;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.Commands;

[Collection("cli-env")]
public class AnalyzeCommandTests
{
    private static Task<(int ExitCode, string Output)> Run(params string[] args) => CliHarness.RunAsync(new Dictionary<string, string?>(), args);

    [Fact]
    public async Task Audio_and_a_picture_give_a_table_each_and_one_json_object_each()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-analyze-cli-");
        try
        {
            var wav = Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav");
            var jpg = Path.Combine(Golden.FixtureDir, "synth2s_makemels.jpg");
            var json = Path.Combine(dir.FullName, "out.json");
            var (code, output) = await Run("analyze", wav, jpg, "--duration", "2", "--json", json);
            Assert.True(code == 0, output);
            Assert.Contains("fur-elise-theme.wav (audio", output);
            Assert.Contains("synth2s_makemels.jpg (picture, 2.0 s)", output);
            Assert.Contains("reconstruction (PGHI + FGLA", output);
            Assert.Contains("2 analysed, 0 failed", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(2, doc.RootElement.GetArrayLength());
            var audio = doc.RootElement[0];
            Assert.Equal("audio", audio.GetProperty("kind").GetString());
            Assert.Equal("A minor", audio.GetProperty("key").GetString());
            Assert.Equal(12, audio.GetProperty("chroma_mean").GetArrayLength());
            int frames = audio.GetProperty("onset_strength").GetArrayLength();
            Assert.Equal(1 + (int)Math.Round(audio.GetProperty("duration_s").GetDouble() * 22050) / 512, frames);
            Assert.All(audio.GetProperty("beat_frames").EnumerateArray(), b => Assert.InRange(b.GetInt32(), 0, frames - 1));
            var picture = doc.RootElement[1];
            Assert.Equal("picture", picture.GetProperty("kind").GetString());
            Assert.StartsWith("decoded mel", picture.GetProperty("sources").GetProperty("rhythm").GetString());
            Assert.Equal(2.0, picture.GetProperty("duration_s").GetDouble(), 1);
            Assert.Equal([json], Directory.GetFiles(dir.FullName));   // no temp file left behind
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task Bad_inputs_are_named_in_sentences_and_the_rest_goes_on()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-analyze-bad-");
        try
        {
            var bad = Path.Combine(dir.FullName, "broken.png");
            File.WriteAllText(bad, "not a picture");
            var txt = Path.Combine(dir.FullName, "notes.txt");
            File.WriteAllText(txt, "x");
            var wav = Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav");
            var (code, output) = await Run("analyze", bad, txt, Path.Combine(dir.FullName, "missing.wav"), wav);
            Assert.Equal(1, code);
            Assert.Contains("broken.png", output);
            Assert.Contains("notes.txt: not an audio file", output);
            Assert.Contains("missing.wav does not exist", output);
            Assert.Contains("1 analysed, 3 failed", output);
            Assert.DoesNotContain("Exception", output);
            var parse = SpecLora.Cli.Program.BuildRoot().Parse(["analyze", wav, "-k", "2", "--duration", "3"]);
            Assert.Contains(parse.Errors, e => e.Message.Contains("either --frames-per-column or --duration"));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public async Task Json_over_an_input_or_a_folder_is_refused_before_any_work()
    {
        using var dir = new SpecLora.Tests.Replicate.Fakes.TempDir();
        var song = dir.Sub("song.wav");
        File.Copy(Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav"), song);
        var original = File.ReadAllBytes(song);
        var (code, output) = await Run("analyze", song, "--json", song);
        Assert.Equal(2, code);
        Assert.Contains("would be written over the input", output);
        Assert.Equal(original, File.ReadAllBytes(song));
        Directory.CreateDirectory(dir.Sub("folder"));
        var (code2, output2) = await Run("analyze", song, "--json", dir.Sub("folder"));
        Assert.Equal(2, code2);
        Assert.Contains("is a folder", output2);
        Assert.DoesNotContain("analysed", output2);   // refused before the analysis ran
    }
}
