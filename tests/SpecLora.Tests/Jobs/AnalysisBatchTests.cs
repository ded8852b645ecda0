using System.Text.Json;
using SpecLora.Jobs;
using SpecLora.Analysis;
using SpecLora.IO;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Jobs;

public class AnalysisBatchTests
{
    [Fact]
    public void A_bad_input_is_its_own_sentence_and_the_others_are_analysed_into_one_json_array()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-analysis-batch-");
        try
        {
            var jpg = Path.Combine(Golden.FixtureDir, "synth2s_makemels.jpg");
            var text = Path.Combine(dir.FullName, "notes.wav");
            File.WriteAllText(text, "this is not audio");
            var json = Path.Combine(dir.FullName, "out.json");
            var seen = new List<string>();
            var result = AnalysisBatch.Run([text, jpg], new AnalysisOptions(), json, new InlineProgress<AnalysisBatchItem>(i => seen.Add(i.Input)));
            Assert.Equal(1, result.Succeeded);
            Assert.Equal(1, result.Failed);
            Assert.Contains("notes.wav", result.Items[0].Error);
            Assert.Null(result.Items[0].Analysis);
            Assert.Equal("picture", result.Items[1].Analysis!.Kind);
            Assert.Equal(new[] { text, jpg }, seen);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(1, doc.RootElement.GetArrayLength());
            Assert.Equal(new[] { json, text }.Order(), Directory.GetFiles(dir.FullName).Order());   // no temp file left
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Folders_expand_to_their_audio_files_and_pictures()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-analysis-expand-");
        try
        {
            foreach (var name in new[] { "b.wav", "a.jpg", "c.txt", "d.png" }) File.WriteAllText(Path.Combine(dir.FullName, name), "");
            var files = AnalysisBatch.ExpandInputs([dir.FullName]).Select(Path.GetFileName);
            Assert.Equal(new[] { "a.jpg", "b.wav", "d.png" }, files.Order(StringComparer.Ordinal));
        }
        finally { dir.Delete(true); }
    }
}
