using System.Text.Json;
using SpecLora.Analysis;
using SpecLora.Jobs;
using SpecLora.Tests.Replicate.Fakes;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Jobs;

public class MusicReferenceTests
{
    [Fact]
    public void A_tiny_synthetic_pieces_folder_gives_a_valid_table()
    {
        using var dir = new TempDir();
        var pieces = dir.Sub("pieces");
        var keys = SyntheticPieces.WriteFolder(pieces, count: 3);
        var output = dir.Sub(Path.Combine("out", "reference.json"));
        var reports = new List<MusicReferenceProgress>();
        var result = MusicReference.Build(pieces, output, new MusicReferenceOptions { BootstrapRounds = 20, MaxParallelism = 2 },
            new SpecLora.IO.InlineProgress<MusicReferenceProgress>(p => { lock (reports) reports.Add(p); }));

        Assert.Equal(3, result.Pieces);
        Assert.Equal(3 * 30, result.Pictures);   // real, real_1024, 4 kinds × 2 seeds × 3 + smear × 3, pixel blur
        Assert.Empty(result.Replaced);
        Assert.Equal(["reference.json"], Directory.GetFiles(dir.Sub("out")).Select(Path.GetFileName));   // no temp file left
        Assert.Equal(3, reports.Count(r => r.Stage == "measured"));
        Assert.Equal(keys.Order(), reports.Where(r => r.Stage == "measured").Select(r => r.Piece).Order());
        Assert.Equal(["cross-validating", "fitting", "written"], reports.Where(r => r.Stage != "measured").Select(r => r.Stage));

        var text = File.ReadAllText(output);
        var model = MusicScoreModel.FromJson(text);
        Assert.Equal(text, model.ToJson());
        Assert.Equal(20, model.Bootstrap.Count);
        Assert.InRange(model.CrossValidatedAccuracy, 0, 1);
        Assert.All(model.RealValues.Values, v => Assert.Equal(3, v.Length));
        Assert.Equal(["cols", "rows", "noise", "smear", "rot"], model.ControlValues["temporal_coherence"].Keys);
        var v = model.Validation!;
        Assert.Equal(3, v.Pieces);
        Assert.Equal(3, v.HeldOut["real"].Count);
        Assert.Equal(6, v.HeldOut["a_cols"].Count);
        Assert.Equal(3, v.HeldOut[MusicReference.PixelBlurSet].Count);
        Assert.Equal(3 + 3 * 9, v.Resize.Pairs);
        Assert.Equal(PictureMeasureSet.Names, v.Auc.Keys);
        Assert.Equal(16, v.Auc["octave_harmonicity"].Count);   // 5 kinds × 3 constructions + pixel blur
        // the synthetic pieces are music to their own measures: rows shuffled and noise lose harmony and comodulation
        Assert.Equal(1.0, v.Auc["octave_harmonicity"]["a_rows"]);
        Assert.Equal(1.0, v.Auc["band_covariation"]["a_noise"]);
        // numbers only: no long strings (no pictures, no names of pieces)
        using var doc = JsonDocument.Parse(text);
        Assert.DoesNotContain("synthetic", text);
        Assert.True(text.Length < 64 * 1024, $"{text.Length} characters");
    }

    [Fact]
    public void The_pictures_of_a_piece_come_in_the_table_s_order()
    {
        using var dir = new TempDir();
        SyntheticPieces.WriteFolder(dir.Path, count: 3, seconds: 8);
        var pictures = MusicReference.MeasurePiece("synthetic_1", File.ReadAllBytes(dir.Sub("synthetic_1.jpg")));
        var expected = new List<string> { "real", "real_1024" };
        foreach (var k in new[] { "cols", "rows", "noise", "smear", "rot" })
            for (int s = 0; s < (k == "smear" ? 1 : 2); s++) expected.AddRange(["a_" + k, "b_" + k, "b1024_" + k]);
        expected.Add("p_pxblur2");
        Assert.Equal(expected, pictures.Select(p => p.Set));
        var training = MusicReference.Training(pictures);
        Assert.Equal(2, training.Count(e => e.IsMusic));
        Assert.Equal(["real", "real_1024", "cols", "rows", "noise", "smear", "rot"], training.Select(e => e.Kind).Distinct());
        Assert.Equal("smear", MusicReference.KindOf("p_pxblur2"));
        Assert.Equal("rot", MusicReference.KindOf("b1024_rot"));
        Assert.Null(MusicReference.KindOf("real_1024"));
    }

    [Fact]
    public void An_existing_table_is_replaced_only_with_overwrite_and_checked_before_any_work()
    {
        using var dir = new TempDir();
        // the pictures are not even pictures: the conflict must be found before any is decoded
        for (int i = 1; i <= 3; i++) File.WriteAllText(dir.Sub($"p{i}.jpg"), "not a picture");
        File.WriteAllText(dir.Sub("index.json"), "[{\"key\":\"p1\"},{\"key\":\"p2\"},{\"key\":\"p3\"}]");
        var output = dir.Sub("table.json");
        File.WriteAllText(output, "old");
        var e = Assert.Throws<OutputConflictException>(() => MusicReference.Build(dir.Path, output));
        Assert.Contains("give --overwrite", e.Message);
        Assert.Equal("old", File.ReadAllText(output));
        Assert.Throws<OutputConflictException>(() => MusicReference.Build(dir.Path, dir.Sub("index.json"), new MusicReferenceOptions { Overwrite = true }));
        Assert.Throws<OutputConflictException>(() => MusicReference.Build(dir.Path, dir.Path, new MusicReferenceOptions { Overwrite = true }));
        // with --overwrite the work starts, and the first broken picture is named in one sentence; the old table stays
        var broken = Assert.Throws<ArgumentException>(() => MusicReference.Build(dir.Path, output, new MusicReferenceOptions { Overwrite = true, MaxParallelism = 1 }));
        Assert.Contains("p1.jpg", broken.Message);
        Assert.Contains("fix or remove it from index.json", broken.Message);
        Assert.DoesNotContain("Exception", broken.Message);
        Assert.Equal("old", File.ReadAllText(output));
    }

    [Fact]
    public void A_folder_that_is_not_laid_out_like_the_pieces_is_one_sentence()
    {
        using var dir = new TempDir();
        string Error(string index)
        {
            File.WriteAllText(dir.Sub("index.json"), index);
            return Assert.Throws<ArgumentException>(() => MusicReference.ReadKeys(dir.Path)).Message;
        }
        Assert.Contains("is not a folder", Assert.Throws<ArgumentException>(() => MusicReference.ReadKeys(dir.Sub("missing"))).Message);
        Assert.Contains("index.json does not exist", Assert.Throws<ArgumentException>(() => MusicReference.ReadKeys(dir.Path)).Message);
        Assert.Contains("is not valid JSON", Error("{"));
        Assert.Contains("is not a JSON array", Error("{}"));
        Assert.Contains("an object with a \"key\" string", Error("[{\"name\":\"x\"}]"));
        Assert.Contains("is not a plain file name", Error("[{\"key\":\"../x\"}]"));
        Assert.Contains("more than once", Error("[{\"key\":\"a\"},{\"key\":\"a\"}]"));
        Assert.Contains("2 pieces of index.json have no picture (a.jpg, b.jpg)", Error("[{\"key\":\"a\"},{\"key\":\"b\"}]"));
        File.WriteAllText(dir.Sub("a.jpg"), "x");
        File.WriteAllText(dir.Sub("b.jpg"), "x");
        Assert.Contains("lists 2 pieces; the reference needs at least 3", Error("[{\"key\":\"b\"},{\"key\":\"a\"}]"));
        File.WriteAllText(dir.Sub("c.jpg"), "x");
        File.WriteAllText(dir.Sub("index.json"), "[{\"key\":\"c\"},{\"key\":\"a\",\"seconds\":3},{\"key\":\"b\"}]");
        Assert.Equal(["a", "b", "c"], MusicReference.ReadKeys(dir.Path));
    }

    [Fact]
    public void Cancelled_before_the_work_writes_nothing_and_options_list_every_problem()
    {
        using var dir = new TempDir();
        SyntheticPieces.WriteFolder(dir.Sub("pieces"), count: 3, seconds: 4);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MusicReference.Build(dir.Sub("pieces"), dir.Sub("t.json"), cancellationToken: cts.Token));
        Assert.False(File.Exists(dir.Sub("t.json")));
        var e = Assert.Throws<ArgumentException>(() => new MusicReferenceOptions { BootstrapRounds = -1, Lambda = double.NaN, MaxParallelism = 0 }.Validate());
        Assert.Contains("BootstrapRounds=-1", e.Message);
        Assert.Contains("Lambda=NaN", e.Message);
        Assert.Contains("MaxParallelism=0", e.Message);
    }

    [Fact]
    public void Auc_counts_ties_as_half_and_ignores_NaN()
    {
        Assert.Equal(1.0, MusicReference.Auc([2, 3], [0, 1]));
        Assert.Equal(0.5, MusicReference.Auc([1, 1], [1, double.NaN]));
        Assert.Equal(0.75, MusicReference.Auc([1, 3], [2, 0]));
        Assert.True(double.IsNaN(MusicReference.Auc([double.NaN], [1])));
    }
}
