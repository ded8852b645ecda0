using System.Text.Json;
using SpecLora.Analysis;
using SpecLora.Imaging;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Analysis;

public class MusicScoreTests
{
    private static readonly string[] Scored = ["temporal_coherence", "octave_harmonicity", "band_covariation", "spectral_sharpness", "temporal_sharpness"];

    /// <summary>A model with medians 1 (null 0) and weight 10 on each measure, intercept −25: score = σ(10·Σu − 25).</summary>
    private static MusicScoreModel Simple(double accuracy = 1.0) => new()
    {
        Coefficients = new ScoreCoefficients(Scored.Select(n => new ScoredMeasure(n, 0, 1)).ToArray(), Enumerable.Repeat(10.0, 5).ToArray(), -25),
        CrossValidatedAccuracy = accuracy,
        RealValues = PictureMeasureSet.Names.ToDictionary(n => n, _ => new[] { 0.2, 0.4, 0.6, 0.8, 1.0 }),
        ControlValues = PictureMeasureSet.Names.ToDictionary(n => n, _ => new Dictionary<string, double[]> { ["cols"] = [0.0, 0.1, 0.2] }),
    };

    private static PictureMeasureSet All(double share, double reported = 0.5) => new(share, share, share, share, share, reported, reported);

    [Fact]
    public void The_embedded_table_loads_with_its_format_and_gate()
    {
        var model = MusicScoreModel.Reference;
        Assert.Equal(Scored, model.ScoredMeasures);
        Assert.True(model.CanTell);
        Assert.True(model.CrossValidatedAccuracy >= 0.95, $"cv accuracy {model.CrossValidatedAccuracy}");
        Assert.Equal((0.3, 0.7), (model.Lower, model.Upper));
        Assert.Equal(200, model.Bootstrap.Count);
        Assert.Equal(PictureMeasureSet.Names, model.RealValues.Keys);
        Assert.All(model.RealValues.Values, v => Assert.Equal(24, v.Length));
        Assert.All(model.ControlValues.Values, k => Assert.Equal(["cols", "rows", "noise", "smear", "rot"], k.Keys));
        Assert.NotNull(model.Validation);
        Assert.Equal(24, model.Validation!.Pieces);
        Assert.Equal(24, model.Validation.HeldOut["real"].Count);

        using var stream = typeof(MusicScoreModel).Assembly.GetManifestResourceStream(MusicScoreModel.ResourceName)!;
        var embedded = new StreamReader(stream).ReadToEnd();
        // the embedded table is the committed file, byte for byte, and holds only a few KiB of numbers
        Assert.Equal(File.ReadAllText(Path.Combine(Golden.RepoRoot, "data", "picture-music-reference.json")), embedded);
        Assert.InRange(embedded.Length, 1_000, 64 * 1024);
        using var doc = JsonDocument.Parse(embedded);
        Assert.Equal(MusicScoreModel.TableFormat, doc.RootElement.GetProperty("format").GetString());
        Assert.True(doc.RootElement.GetProperty("cv_accuracy").GetDouble() >= MusicScoreModel.RequiredAccuracy);
        Assert.Equal(11, doc.RootElement.GetProperty("model").GetArrayLength());
    }

    [Fact]
    public void The_verdict_follows_the_score_bands_and_names_the_weakest_measure()
    {
        var model = Simple();
        var music = model.Judge(All(1));          // σ(25)
        Assert.Equal(MusicVerdict.Music, music.Verdict);
        Assert.StartsWith("music: score 1.00 ≥ 0.70", music.Reason);
        var none = model.Judge(new PictureMeasureSet(1, 0.1, 1, 1, 1, 0, 0));   // σ(10·4.1 − 25) = σ(16) → music still
        Assert.Equal(MusicVerdict.Music, none.Verdict);
        var weak = model.Judge(All(0.3));         // σ(15 − 25)
        Assert.Equal(MusicVerdict.NotMusic, weak.Verdict);
        Assert.Contains("weakest: temporal_coherence shows 30 % of a real piece's structure", weak.Reason);
        var between = model.Judge(All(0.5));      // σ(0) = 0.5
        Assert.Equal(MusicVerdict.Undecided, between.Verdict);
        Assert.Equal(0.5, between.MusicScore, 12);
        Assert.Contains("lies between 0.30 and 0.70", between.Reason);
        // one-sided shares: more structure than the median real piece earns nothing more
        Assert.Equal(model.Judge(All(1)).MusicScore, model.Judge(All(7)).MusicScore);
        // no bootstrap: the interval is NaN, not a made-up number
        Assert.True(double.IsNaN(music.IntervalLow) && double.IsNaN(music.IntervalHigh));
    }

    [Fact]
    public void Without_the_accuracy_the_table_cannot_tell()
    {
        foreach (var accuracy in new[] { 0.8, double.NaN })
        {
            var model = Simple(accuracy);
            Assert.False(model.CanTell);
            var v = model.Judge(All(1));
            Assert.Equal(MusicVerdict.Undecided, v.Verdict);
            Assert.Contains("these measures cannot tell", v.Reason);
            Assert.True(v.MusicScore > 0.99);   // the score is still reported
        }
        // the leave-one-piece-out folds judge ungated
        Assert.Equal(MusicVerdict.Music, Simple(double.NaN).Judge(All(1).ToDictionary(), gated: false).Verdict);
    }

    [Fact]
    public void A_NaN_measure_or_a_zero_span_is_undecided_never_a_division_by_zero()
    {
        var model = Simple();
        var v = model.Judge(new PictureMeasureSet(1, double.NaN, 1, 1, 1, 0, 0));
        Assert.Equal(MusicVerdict.Undecided, v.Verdict);
        Assert.True(double.IsNaN(v.MusicScore));
        Assert.Equal("undecided: octave_harmonicity could not be computed (a picture of one level, or too few varying cells)", v.Reason);
        Assert.True(double.IsNaN(new ScoredMeasure("x", 0.25, 0.25).Normalise(0.5)));
        Assert.True(double.IsNaN(new ScoredMeasure("x", 0, 1).Normalise(double.PositiveInfinity)));
        Assert.Equal(-1, new ScoredMeasure("x", 0, 1).Normalise(-5));
        // a reported (unscored) NaN does not stop the verdict
        Assert.Equal(MusicVerdict.Music, model.Judge(new PictureMeasureSet(1, 1, 1, 1, 1, double.NaN, double.NaN)).Verdict);
    }

    [Fact]
    public void Percentiles_place_each_measure_among_the_real_pieces_and_each_control_kind()
    {
        var p = Simple().Percentiles(new PictureMeasureSet(0.4, 0.1, 2, -1, double.NaN, 0.6, 0.2));
        Assert.Equal(PictureMeasureSet.Names, p.Select(x => x.Name));
        Assert.Equal(30, p[0].AmongReal, 9);    // 0.4 among 0.2…1.0: 1 below, 1 equal
        Assert.Equal(100, p[0].AmongControls["cols"], 9);
        Assert.Equal(0, p[1].AmongReal, 9);
        Assert.Equal(50, p[1].AmongControls["cols"], 9);
        Assert.Equal(100, p[2].AmongReal, 9);
        Assert.Equal(0, p[3].AmongReal, 9);
        Assert.True(double.IsNaN(p[4].AmongReal) && double.IsNaN(p[4].AmongControls["cols"]));
        Assert.True(double.IsNaN(MusicScoreModel.Percentile([], 1)));
    }

    [Fact]
    public void A_json_round_trip_keeps_the_scores_and_the_verdicts()
    {
        var rng = new Random(5);
        foreach (var model in new[] { MusicScoreModel.Reference, Fitted() })
        {
            var back = MusicScoreModel.FromJson(model.ToJson());
            Assert.Equal(model.ToJson(), back.ToJson());
            for (int i = 0; i < 500; i++)
            {
                var m = new PictureMeasureSet(rng.NextDouble(), 0.3 * rng.NextDouble() - 0.05, 0.6 * rng.NextDouble(), 0.4 + 0.4 * rng.NextDouble(), 0.6 + 0.5 * rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
                var (a, b) = (model.Judge(m), back.Judge(m));
                // 7 significant digits in the table: the score moves by at most a few 1e-6
                Assert.True(Math.Abs(a.MusicScore - b.MusicScore) < 1e-5, $"{a.MusicScore:R} vs {b.MusicScore:R}");
                Assert.True(Math.Abs(a.IntervalLow - b.IntervalLow) < 1e-5 && Math.Abs(a.IntervalHigh - b.IntervalHigh) < 1e-5);
                if (Math.Abs(a.MusicScore - model.Upper) > 1e-4 && Math.Abs(a.MusicScore - model.Lower) > 1e-4) Assert.Equal(a.Verdict, b.Verdict);
            }
        }
    }

    /// <summary>Synthetic examples: "real" pictures have every structure, each control kind lacks one.</summary>
    private static MusicScoreModel Fitted()
    {
        var rng = new Random(11);
        var examples = new List<ScoreExample>();
        double[] median = [0.5, 0.16, 0.41, 0.53, 0.88];
        for (int piece = 0; piece < 8; piece++)
        {
            Dictionary<string, double> Values(int missing) => PictureMeasureSet.Names.Select((n, j) => (n, v: j >= 5 ? rng.NextDouble()
                : j == missing ? (j >= 3 ? 0.25 : 0) + 0.02 * rng.NextDouble() : median[j] * (0.8 + 0.4 * rng.NextDouble()))).ToDictionary(x => x.n, x => x.v);
            examples.Add(new ScoreExample($"p{piece}", "real", true, Values(-1)));
            examples.Add(new ScoreExample($"p{piece}", "real_1024", true, Values(-1)));
            foreach (var (kind, missing) in new[] { ("cols", 0), ("rows", 2), ("noise", 1), ("smear", 3), ("rot", 1) })
                examples.Add(new ScoreExample($"p{piece}", kind, false, Values(missing)));
        }
        return MusicScoreModel.Fit(examples, bootstrapRounds: 20, seed: 0) with { CrossValidatedAccuracy = 1 };
    }

    [Fact]
    public void The_fit_separates_real_pictures_from_controls_and_brackets_the_score()
    {
        var model = Fitted();
        Assert.Equal(20, model.Bootstrap.Count);
        Assert.All(model.Coefficients.Weights, w => Assert.True(w > 0, $"weight {w}"));
        var real = model.Judge(new PictureMeasureSet(0.5, 0.16, 0.41, 0.53, 0.88, 0.3, 0.6));
        Assert.Equal(MusicVerdict.Music, real.Verdict);
        Assert.InRange(real.MusicScore, real.IntervalLow - 1e-12, real.IntervalHigh + 1e-12);
        Assert.Equal(MusicVerdict.NotMusic, model.Judge(new PictureMeasureSet(0.5, 0.0, 0.41, 0.53, 0.88, 0.3, 0.6)).Verdict);
        Assert.Equal(8, model.RealValues["temporal_coherence"].Length);   // the reference set is "real", not "real_1024"
        Assert.Equal(["cols", "rows", "noise", "smear", "rot"], model.ControlValues["band_covariation"].Keys);
    }

    [Fact]
    public void Fitting_without_usable_examples_is_a_sentence()
    {
        var nan = PictureMeasureSet.Names.ToDictionary(n => n, _ => double.NaN);
        var e = Assert.Throws<ArgumentException>(() => MusicScoreModel.FitCoefficients(
            [new("a", "real", true, nan), new("b", "real", true, nan), new("a", "cols", false, nan)]));
        Assert.Contains("not computable or equals its null", e.Message);
        var one = Assert.Throws<ArgumentException>(() => MusicScoreModel.FitCoefficients([new("a", "real", true, nan), new("a", "cols", false, nan)]));
        Assert.Contains("at least 2 real pictures", one.Message);
        Assert.Throws<ArgumentException>(() => MusicScoreModel.Logistic([], 5, 1e-5));
    }

    [Fact]
    public void A_damaged_table_lists_every_problem_and_says_how_to_rebuild()
    {
        var notJson = Assert.Throws<FormatException>(() => MusicScoreModel.FromJson("{ not json"));
        Assert.Contains("not valid JSON", notJson.Message);
        Assert.Contains("speclora reference", notJson.Message);
        var text = MusicScoreModel.Reference.ToJson().Replace(MusicScoreModel.TableFormat, "other/9").Replace("\"lower\":0.3", "\"lower\":0.9");
        var bad = Assert.Throws<FormatException>(() => MusicScoreModel.FromJson(text));
        Assert.Contains("format is 'other/9'", bad.Message);
        Assert.Contains("lower=0.9 and upper=0.7", bad.Message);
        Assert.DoesNotContain("Exception", bad.Message);
    }

    [SkippableFact]
    public void The_seed_training_mels_are_music_with_the_shipped_table()
    {
        // held out from every fit and every choice: real recordings of the music the LoRA learned, at its scale
        var local = Path.Combine(Golden.RepoRoot, "data", "seed", "mels");
        var folder = File.Exists(Path.Combine(local, "mel7.jpg")) ? local : Golden.SharedDir is { } s ? Path.Combine(s, "seed", "mels") : null;
        Skip.If(folder is null || !File.Exists(Path.Combine(folder, "mel7.jpg")), "the seed's training mels are neither in data/seed/mels nor in ../shared/seed/mels");
        var verdicts = Enumerable.Range(0, 8).Select(i => MusicScoreModel.Reference.Judge(PictureMeasures.Compute(SpectrogramImageDecoder.Decode(Path.Combine(folder!, $"mel{i}.jpg")).Db))).ToList();
        Assert.True(verdicts.Count(v => v.Verdict == MusicVerdict.Music) >= 7, string.Join("; ", verdicts.Select(v => v.Reason)));
    }

    [SkippableFact]
    public void A_reference_picture_and_its_1024_resize_score_within_the_stated_tolerance()
    {
        var jpg = Golden.RequireShared("corpus", "pieces", "beethoven_opus10_1.jpg");
        var bytes = File.ReadAllBytes(jpg);
        var small = MusicScoreModel.Reference.Judge(PictureMeasures.Compute(SpectrogramImageDecoder.Decode(bytes, null, jpg).Db));
        var large = MusicScoreModel.Reference.Judge(PictureMeasures.Compute(SpectrogramImageDecoder.Decode(ImageResize.TryResize(bytes, 1024, 1024, MelImageFormat.Png)!, null, jpg).Db));
        Assert.True(Math.Abs(small.MusicScore - large.MusicScore) <= 0.03, $"640×480 {small.MusicScore:F4}, 1024×1024 {large.MusicScore:F4}");
        Assert.Equal(small.Verdict, large.Verdict);
    }
}
