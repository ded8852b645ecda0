using SpecLora.Analysis;
using SpecLora.Imaging;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Analysis;

public class PictureMeasuresTests
{
    private static Spectrogram Db(float[] data, int frames, int bins = 128) => Spectrogram.Create(data, bins, frames, SpectrogramScale.Db, FrequencyAxis.Mel);

    private static Spectrogram Constant(int frames, float level = -80f) => Db(Enumerable.Repeat(level, 128 * frames).ToArray(), frames);

    private static readonly Lazy<Spectrogram> Piece = new(() => SyntheticPieces.Mel640(7, 24));

    [Fact]
    public void A_picture_of_one_level_gives_NaN_measures_and_undecided()
    {
        var m = PictureMeasures.Compute(Constant(640));
        Assert.All(m.ToArray(), v => Assert.True(double.IsNaN(v), $"{v} should be NaN"));
        var v = MusicScoreModel.Reference.Judge(m);
        Assert.Equal(MusicVerdict.Undecided, v.Verdict);
        Assert.True(double.IsNaN(v.MusicScore));
        Assert.Contains("could not be computed", v.Reason);
        Assert.Contains("temporal_coherence", v.Reason);
    }

    [Fact]
    public void Constant_two_valued_and_tiny_pictures_never_divide_by_zero()
    {
        var rng = new Random(3);
        var halves = new float[128 * 640];
        for (int b = 0; b < 128; b++) for (int t = 0; t < 640; t++) halves[b * 640 + t] = t < 320 ? -80 : 0;
        var checker = new float[128 * 640];
        for (int b = 0; b < 128; b++) for (int t = 0; t < 640; t++) checker[b * 640 + t] = (b + t) % 2 == 0 ? -80 : 0;
        var oneBand = new float[128 * 640];
        for (int t = 0; t < 640; t++) oneBand[60 * 640 + t] = -10;
        var tinyNoise = Enumerable.Range(0, 128 * 16).Select(_ => (float)(-80 * rng.NextDouble())).ToArray();
        var pictures = new (string Name, Spectrogram Db)[]
        {
            ("constant 640", Constant(640)), ("constant 0 dB", Constant(640, 0)), ("constant tiny", Constant(16)), ("constant wide", Constant(3000)),
            ("two halves", Db(halves, 640)), ("checkerboard", Db(checker, 640)), ("one band", Db(oneBand, 640)),
            ("tiny noise", Db(tinyNoise, 16)), ("tiny two-valued", Db(Enumerable.Range(0, 128 * 16).Select(i => i % 3 == 0 ? 0f : -80f).ToArray(), 16)),
        };
        foreach (var (name, db) in pictures)
        {
            var m = PictureMeasures.Compute(db);
            Assert.All(m.ToArray(), v => Assert.False(double.IsInfinity(v), $"{name}: a measure is infinite ({string.Join(", ", m.ToArray())})"));
            var verdict = MusicScoreModel.Reference.Judge(m);
            Assert.Contains(verdict.Verdict, new[] { MusicVerdict.Music, MusicVerdict.NotMusic, MusicVerdict.Undecided });
            Assert.True(double.IsNaN(verdict.MusicScore) || verdict.MusicScore is >= 0 and <= 1, $"{name}: score {verdict.MusicScore}");
            Assert.All(MusicScoreModel.Reference.Percentiles(m), p => Assert.False(double.IsInfinity(p.AmongReal), name));
        }
        // a one-level picture at any size is NaN everywhere (every spread is zero), never a number divided by zero
        Assert.All(PictureMeasures.Compute(Constant(16)).ToArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(PictureMeasures.Compute(Constant(3000, -20)).ToArray(), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Too_few_columns_or_other_band_counts_are_one_sentence()
    {
        var narrow = Assert.Throws<ArgumentException>(() => PictureMeasures.Compute(Constant(15)));
        Assert.StartsWith("the picture has 15 columns; the picture measures need at least 16", narrow.Message);
        var bands = Assert.Throws<ArgumentException>(() => PictureMeasures.Compute(Db(new float[64 * 640], 640, bins: 64)));
        Assert.StartsWith("the picture has 64 mel bands; the picture measures need 128", bands.Message);
    }

    [Fact]
    public void Canonicalize_is_the_identity_at_640_and_resamples_other_widths()
    {
        var rng = new Random(1);
        var data = Enumerable.Range(0, 128 * 640).Select(_ => (float)(-80 * rng.NextDouble())).ToArray();
        var x = PictureMeasures.Canonicalize(Db(data, 640));
        Assert.Equal(data.Select(v => (double)v).ToArray(), x);
        // a ramp along time stays a ramp at any width: the canonical column c samples x = (c + ½)·W/640 − ½
        foreach (int w in new[] { 320, 1024, 1920 })
        {
            var ramp = new float[128 * w];
            for (int b = 0; b < 128; b++) for (int t = 0; t < w; t++) ramp[b * w + t] = t;
            var y = PictureMeasures.Canonicalize(Db(ramp, w));
            for (int c = 1; c < 639; c++) Assert.Equal((c + 0.5) * w / 640 - 0.5, y[5 * 640 + c], 6);
        }
    }

    [Fact]
    public void Shuffled_columns_lose_temporal_coherence_and_shuffled_rows_lose_band_covariation()
    {
        var m = PictureMeasures.Compute(Piece.Value);
        Assert.True(m.TemporalCoherence > 0.3, $"temporal coherence {m.TemporalCoherence:F3}");
        Assert.True(m.BandCovariation > 0.2, $"band covariation {m.BandCovariation:F3}");
        Assert.True(m.OctaveHarmonicity > 0.05, $"octave harmonicity {m.OctaveHarmonicity:F3}");
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var cols = PictureMeasures.Compute(Controls.ShuffleColumns(Piece.Value, seed));
            Assert.InRange(cols.TemporalCoherence, -0.1, 0.1);
            var rows = PictureMeasures.Compute(Controls.ShuffleRowsWithinOctaves(Piece.Value, seed));
            Assert.InRange(rows.BandCovariation, -0.1, 0.1);
            // each control keeps what it should: the columns' spectra, the rows' time courses
            Assert.Equal(m.BandCovariation, cols.BandCovariation, 9);
            Assert.Equal(m.TemporalSharpness, rows.TemporalSharpness, 9);
        }
    }

    [Fact]
    public void Time_reversal_flips_attack_decay_asymmetry_and_keeps_the_rest()
    {
        var m = PictureMeasures.Compute(Piece.Value);
        var r = PictureMeasures.Compute(Controls.TimeReverse(Piece.Value));
        Assert.True(m.AttackDecayAsymmetry > 0.1, $"struck notes rise fast and decay slowly: {m.AttackDecayAsymmetry:F3}");
        Assert.Equal(-m.AttackDecayAsymmetry, r.AttackDecayAsymmetry, 9);
        Assert.Equal(m.TemporalCoherence, r.TemporalCoherence, 9);
        Assert.Equal(m.OctaveHarmonicity, r.OctaveHarmonicity, 9);
        Assert.Equal(m.SpectralSharpness, r.SpectralSharpness, 9);
    }

    [Fact]
    public void Measures_do_not_change_with_the_level_or_the_dB_range()
    {
        var m = PictureMeasures.Compute(Piece.Value).ToArray();
        var scaled = Piece.Value with { Data = Piece.Value.Data.Select(v => 0.5f * v - 7f).ToArray() };
        var s = PictureMeasures.Compute(scaled).ToArray();
        for (int i = 0; i < m.Length; i++) Assert.Equal(m[i], s[i], 5);
    }

    [Fact]
    public void Names_and_values_stay_in_one_order()
    {
        var m = new PictureMeasureSet(1, 2, 3, 4, 5, 6, 7);
        Assert.Equal([1.0, 2, 3, 4, 5, 6, 7], m.ToArray());
        Assert.Equal(m, PictureMeasureSet.FromArray(m.ToArray()));
        Assert.Equal(PictureMeasureSet.Names, m.ToDictionary().Keys);
        Assert.Equal(7.0, m.ToDictionary()["form_recurrence"]);
    }

    [SkippableFact]
    public void Measures_of_three_reference_pieces_equal_the_shipped_real_values()
    {
        // the code and the shipped table cannot drift apart: the measures computed now are the table's numbers
        var pieces = Golden.RequireShared("corpus", "pieces");
        var reference = MusicScoreModel.Reference;
        foreach (var key in new[] { "beethoven_elise", "beethoven_opus90_1", "real_vibeace" })
        {
            var m = PictureMeasures.Compute(SpectrogramImageDecoder.Decode(Path.Combine(pieces, key + ".jpg")).Db).ToArray();
            for (int j = 0; j < m.Length; j++)
            {
                var name = PictureMeasureSet.Names[j];
                double nearest = reference.RealValues[name].MinBy(v => Math.Abs(v - m[j]));
                Assert.True(Math.Abs(nearest - m[j]) <= 1e-6 * Math.Max(1, Math.Abs(m[j])), $"{key} {name}: {m[j]:R} is not in the table (nearest {nearest:R})");
            }
        }
    }
}
