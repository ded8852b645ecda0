using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpecLora.IO;

namespace SpecLora.Analysis;

/// <summary>The verdict on one picture (<see cref="MusicScoreModel.Judge(PictureMeasureSet)"/>).</summary>
/// <param name="Verdict">Exactly one of <see cref="Music"/>, <see cref="NotMusic"/>, <see cref="Undecided"/>.</param>
/// <param name="MusicScore">Score 0…1 (NaN when a scored measure could not be computed).</param>
/// <param name="IntervalLow">Lower end of the 90 % bootstrap interval (over reference pieces) of the score.</param>
/// <param name="IntervalHigh">Upper end of that interval.</param>
/// <param name="Reason">One sentence: why this verdict.</param>
public sealed record MusicVerdict(string Verdict, double MusicScore, double IntervalLow, double IntervalHigh, string Reason)
{
    /// <summary>The picture measures like the reference pieces and unlike their controls.</summary>
    public const string Music = "music";
    /// <summary>The picture measures like the controls.</summary>
    public const string NotMusic = "not music";
    /// <summary>In between, a scored measure could not be computed, or the table cannot tell (its cross-validated
    /// accuracy is below <see cref="MusicScoreModel.RequiredAccuracy"/>).</summary>
    public const string Undecided = "undecided";
}

/// <summary>Where one measure of a picture falls among the reference pieces and among each kind of control
/// (<see cref="MusicScoreModel.Percentiles"/>).</summary>
/// <param name="Name">Measure name (one of <see cref="PictureMeasureSet.Names"/>).</param>
/// <param name="Value">The picture's value (NaN when not computable).</param>
/// <param name="AmongReal">Percentile 0…100 among the reference pieces (NaN when the value is NaN).</param>
/// <param name="AmongControls">Percentile 0…100 among each control kind's values, by <see cref="Controls.ShortName"/>.</param>
public sealed record MeasurePercentile(string Name, double Value, double AmongReal, IReadOnlyDictionary<string, double> AmongControls);

/// <summary>How the verdicts of one set of held-out pictures came out in the leave-one-piece-out run that made the
/// reference table (a piece, its resized copy and all its controls are never on both sides of a split).</summary>
/// <param name="Count">Pictures in the set.</param>
/// <param name="Music">Judged <c>music</c>.</param>
/// <param name="Undecided">Judged <c>undecided</c>.</param>
/// <param name="NotMusic">Judged <c>not music</c>.</param>
/// <param name="MedianScore">Median music_score.</param>
/// <param name="MinScore">Smallest music_score.</param>
/// <param name="MaxScore">Largest music_score.</param>
public sealed record HeldOutVerdicts(int Count, int Music, int Undecided, int NotMusic, double MedianScore, double MinScore, double MaxScore);

/// <summary>Held-out pictures at 640×480 beside the same JPEG resized to 1024×1024 (as the training zip does): real
/// pieces and their controls drawn as pictures.</summary>
/// <param name="Pairs">Pairs compared.</param>
/// <param name="SameVerdict">Pairs with the same verdict.</param>
/// <param name="MedianAbsDelta">Median |Δ music_score|.</param>
/// <param name="P90AbsDelta">90th percentile of |Δ music_score|.</param>
/// <param name="MaxAbsDelta">Largest |Δ music_score|.</param>
public sealed record ResizeAgreement(int Pairs, int SameVerdict, double MedianAbsDelta, double P90AbsDelta, double MaxAbsDelta);

/// <summary>
/// The evidence the reference table carries (numbers only, from the run that made it): per-measure ROC AUCs, the
/// leave-one-piece-out verdicts by set, and the resize agreement. Set names: <c>real</c> (the pieces' JPEGs),
/// <c>real_1024</c> (resized to 1024×1024), <c>a_K</c> (control K on the decoded dB mel), <c>b_K</c> (drawn as a makeMels
/// JPEG and decoded), <c>b1024_K</c> (that JPEG resized to 1024×1024), <c>p_pxblur2</c> (the piece's JPEG blurred by 2 px),
/// with K one of <see cref="Controls.ShortName"/>.
/// </summary>
/// <param name="Pieces">Reference pieces.</param>
/// <param name="BalancedAccuracy">Leave-one-piece-out accuracy at 0.5, the mean of the per-class accuracies (real, cols,
/// rows, noise, smear).</param>
/// <param name="Auc">Measure → control set → AUC = P(real &gt; control), ties ½; <c>b1024_*</c> sets are compared with
/// <c>real_1024</c>, every other set with <c>real</c>.</param>
/// <param name="HeldOut">Set → the leave-one-piece-out verdicts.</param>
/// <param name="Resize">Resize agreement of the held-out pictures (<c>real</c>/<c>real_1024</c> and <c>b_K</c>/<c>b1024_K</c>).</param>
public sealed record ReferenceValidation(
    int Pieces,
    double BalancedAccuracy,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Auc,
    IReadOnlyDictionary<string, HeldOutVerdicts> HeldOut,
    ResizeAgreement Resize);

/// <summary>One scored measure of the model: its null (no structure) and the real pieces' median (full structure).</summary>
/// <param name="Name">Measure name (one of <see cref="PictureMeasureSet.Names"/>).</param>
/// <param name="Null">Value with no structure of this kind (0 for correlations, 0.25 for a perfectly smooth structure function).</param>
/// <param name="RealMedian">Median over the reference pieces.</param>
internal sealed record ScoredMeasure(string Name, double Null, double RealMedian)
{
    /// <summary>Share of the real pieces' structure present: (value − null)/(median − null), clipped to −1…1 (one-sided:
    /// more structure than the median real piece earns nothing more, so one measure cannot make up for another); NaN
    /// when the value is not finite or the median equals the null (no division by a zero span).</summary>
    public double Normalise(double value)
    {
        double span = RealMedian - Null;
        if (!double.IsFinite(value) || !double.IsFinite(span) || !(Math.Abs(span) > PictureMeasures.ZeroSpread)) return double.NaN;
        return Math.Clamp((value - Null) / span, -1, 1);
    }
}

/// <summary>Logistic-regression coefficients over the normalised measures.</summary>
internal sealed record ScoreCoefficients(IReadOnlyList<ScoredMeasure> Measures, IReadOnlyList<double> Weights, double Intercept)
{
    /// <summary>σ(intercept + Σ w_j·u_j); NaN when any scored measure is NaN.</summary>
    public double Score(IReadOnlyDictionary<string, double> values)
    {
        double z = Intercept;
        for (int j = 0; j < Measures.Count; j++)
        {
            double u = Measures[j].Normalise(values.TryGetValue(Measures[j].Name, out var v) ? v : double.NaN);
            if (double.IsNaN(u)) return double.NaN;
            z += Weights[j] * u;
        }
        return 1 / (1 + Math.Exp(-z));
    }
}

/// <summary>A labelled example for fitting: the measures of one picture, whether it is real music, the piece it comes
/// from (for splits by piece) and its kind (<c>real</c>, <c>real_1024</c> or a control kind's short name; controls of
/// each kind get equal total weight).</summary>
internal sealed record ScoreExample(string Piece, string Kind, bool IsMusic, IReadOnlyDictionary<string, double> Values);

/// <summary>
/// The combined "is it music?" score of a picture at its own scale. Each scored measure
/// (<see cref="PictureMeasures"/>) becomes the share of a real piece's structure it shows (null → 0, the reference
/// pieces' median → 1, clipped to −1…1); a class-weighted, L2-regularised logistic regression turns the five shares into
/// a score 0…1; 200 refits on bootstrap resamples of the pieces give a 90 % interval. <c>music</c> at ≥ 0.7,
/// <c>not music</c> below 0.3, <c>undecided</c> between. The fitted model ships as a small table of numbers
/// (<c>data/picture-music-reference.json</c>, embedded in SpecLora.dll: <see cref="Reference"/>), rebuilt by
/// <c>speclora reference ../shared/corpus/pieces -o data/picture-music-reference.json</c>. No files are read here.
/// </summary>
/// <remarks>Definitions and validation: <c>lib/SpecLora/Analysis/README.md</c>. Notebook:
/// <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public sealed record MusicScoreModel
{
    /// <summary>The measures the score uses, with the null each is normalised from.</summary>
    internal static IReadOnlyList<(string Name, double Null)> ScoredMeasureNulls { get; } =
    [
        ("temporal_coherence", 0.0),
        ("octave_harmonicity", 0.0),
        ("band_covariation", 0.0),
        ("spectral_sharpness", 0.25),
        ("temporal_sharpness", 0.25),
    ];

    /// <summary>Kind of the examples that are the reference pieces as drawn (their medians normalise the measures and
    /// their values are the percentile reference).</summary>
    internal const string ReferenceKind = "real";

    /// <summary>L2 penalty on the weights (not the intercept), per unit of total sample weight: 3·10⁻⁵, the most
    /// regularised value reaching the best leave-one-piece-out accuracy on the reference pieces (the classes are
    /// separable, so the held-out log-loss alone cannot choose it).</summary>
    internal const double DefaultLambda = 3e-5;
    /// <summary>Scores below this are "not music".</summary>
    internal const double DefaultLower = 0.3;
    /// <summary>Scores at or above this are "music"; between the two, "undecided".</summary>
    internal const double DefaultUpper = 0.7;
    /// <summary>Quantiles kept per measure and control kind in the table (0 %, 5 %, … 100 %).</summary>
    internal const int ControlQuantiles = 21;
    /// <summary>Format tag written into the reference table.</summary>
    internal const string TableFormat = "speclora-picture-music/1";
    /// <summary>Significant digits kept for the numbers of the reference table.</summary>
    internal const int TableDigits = 7;
    /// <summary>Name of the embedded reference table in SpecLora.dll.</summary>
    internal const string ResourceName = "SpecLora.Analysis.picture-music-reference.json";

    /// <summary>The verdict is given only when the table's leave-one-piece-out accuracy is at least this (0.9);
    /// otherwise every picture is <c>undecided</c>: these measures cannot tell.</summary>
    public const double RequiredAccuracy = 0.9;

    private static readonly Lazy<MusicScoreModel> Embedded = new(LoadEmbedded);

    /// <summary>
    /// The reference table that ships with the library (<c>data/picture-music-reference.json</c>, embedded in
    /// SpecLora.dll): fitted on the 24 pieces of <c>../shared/corpus/pieces</c> and their controls. Works offline.
    /// </summary>
    /// <exception cref="InvalidOperationException">The table is missing from the build (the sentence says how to rebuild).</exception>
    /// <example>
    /// <code>
    /// var model = MusicScoreModel.Reference;
    /// var m = MusicAnalyzer.JudgePicture(SpectrogramImageDecoder.Decode("res5.png")).Measures!;   // null: too few columns
    /// MusicVerdict v = model.Judge(m);
    /// Console.WriteLine($"{v.Verdict} ({v.MusicScore:F2} [{v.IntervalLow:F2}, {v.IntervalHigh:F2}]): {v.Reason}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static MusicScoreModel Reference => Embedded.Value;

    /// <summary>Made by <see cref="Fit"/> and <see cref="FromJson"/> only.</summary>
    internal MusicScoreModel() { }

    /// <summary>The fitted coefficients.</summary>
    internal ScoreCoefficients Coefficients { get; init; } = null!;
    /// <summary>Coefficients refitted on bootstrap resamples of the reference pieces (for the interval).</summary>
    internal IReadOnlyList<ScoreCoefficients> Bootstrap { get; init; } = [];
    /// <summary>Per measure (all of <see cref="PictureMeasureSet.Names"/>), the reference pieces' values, sorted.</summary>
    internal IReadOnlyDictionary<string, double[]> RealValues { get; init; } = new Dictionary<string, double[]>();
    /// <summary>Per measure and control kind, quantiles of the controls' values, sorted.</summary>
    internal IReadOnlyDictionary<string, Dictionary<string, double[]>> ControlValues { get; init; } = new Dictionary<string, Dictionary<string, double[]>>();
    /// <summary>The L2 penalty the model was fitted with.</summary>
    internal double Lambda { get; init; } = DefaultLambda;

    /// <summary>Below this score: <c>not music</c> (0.3).</summary>
    public double Lower { get; init; } = DefaultLower;
    /// <summary>At or above this score: <c>music</c> (0.7).</summary>
    public double Upper { get; init; } = DefaultUpper;
    /// <summary>Leave-one-piece-out accuracy (at 0.5) of the fit between the real pieces and the four control kinds
    /// (columns shuffled, rows shuffled, matched noise, smeared; each on the dB mel and drawn as a picture), as measured
    /// when the table was made; NaN when not measured.</summary>
    public double CrossValidatedAccuracy { get; init; } = double.NaN;
    /// <summary>The evidence stored with the table (AUCs, held-out verdicts, resize agreement); null when absent.</summary>
    public ReferenceValidation? Validation { get; init; }

    /// <summary>True when the table can tell: <see cref="CrossValidatedAccuracy"/> ≥ <see cref="RequiredAccuracy"/>.
    /// When false, print that these measures cannot tell instead of a verdict sentence.</summary>
    public bool CanTell => CrossValidatedAccuracy >= RequiredAccuracy;

    /// <summary>Names of the scored measures, in the order of the weights.</summary>
    public IReadOnlyList<string> ScoredMeasures => Coefficients.Measures.Select(m => m.Name).ToArray();

    /// <summary>The score, its 90 % bootstrap interval and the verdict for one picture's measures.</summary>
    /// <param name="measures">The picture's measures (<see cref="PictureMeasures.Compute"/>).</param>
    /// <returns><c>music</c> (score ≥ <see cref="Upper"/>), <c>not music</c> (below <see cref="Lower"/>) or
    /// <c>undecided</c> (between; a scored measure NaN; or the table cannot tell: <see cref="CanTell"/>), with the reason.</returns>
    /// <example>
    /// <code>
    /// MusicVerdict v = MusicScoreModel.Reference.Judge(MusicAnalyzer.JudgePicture(decoded).Measures!);
    /// if (v.Verdict == MusicVerdict.Music) Console.WriteLine(v.Reason);
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public MusicVerdict Judge(PictureMeasureSet measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        return Judge(measures.ToDictionary(), gated: true);
    }

    /// <summary>The verdict from measure values; <paramref name="gated"/>: <c>undecided</c> unless <see cref="CanTell"/>
    /// (the leave-one-piece-out folds judge ungated: their accuracy is what is being measured).</summary>
    internal MusicVerdict Judge(IReadOnlyDictionary<string, double> values, bool gated)
    {
        double score = Coefficients.Score(values);
        if (double.IsNaN(score))
        {
            var missing = Coefficients.Measures.Where(m => double.IsNaN(m.Normalise(values.GetValueOrDefault(m.Name, double.NaN)))).Select(m => m.Name);
            return new MusicVerdict(MusicVerdict.Undecided, double.NaN, double.NaN, double.NaN,
                $"undecided: {string.Join(", ", missing)} could not be computed (a picture of one level, or too few varying cells)");
        }
        double lo = double.NaN, hi = double.NaN;
        if (Bootstrap.Count > 0)
        {
            var s = Bootstrap.Select(c => c.Score(values)).Where(double.IsFinite).Order().ToList();
            lo = Quantile(s, 0.05); hi = Quantile(s, 0.95);
        }
        if (gated && !CanTell)
            return new MusicVerdict(MusicVerdict.Undecided, score, lo, hi,
                $"undecided: these measures cannot tell (the table's cross-validated accuracy is {F(CrossValidatedAccuracy, "F3")}, below {F(RequiredAccuracy, "F2")})");
        string verdict = score >= Upper ? MusicVerdict.Music : score < Lower ? MusicVerdict.NotMusic : MusicVerdict.Undecided;
        string reason = verdict switch
        {
            MusicVerdict.Music => $"music: score {F(score)} ≥ {F(Upper)}",
            MusicVerdict.NotMusic => $"not music: score {F(score)} < {F(Lower)}; weakest: {Weakest(values)}",
            _ => $"undecided: score {F(score)} lies between {F(Lower)} and {F(Upper)}; weakest: {Weakest(values)}",
        };
        return new MusicVerdict(verdict, score, lo, hi, reason);
    }

    /// <summary>Every measure of <paramref name="measures"/> placed among the reference pieces and among each control
    /// kind (percentiles 0…100, mid-rank for ties).</summary>
    /// <example>
    /// <code>
    /// foreach (var p in MusicScoreModel.Reference.Percentiles(m))
    ///     Console.WriteLine($"{p.Name}: {p.Value:F3}, {p.AmongReal:F0} % of real pieces, {p.AmongControls["rows"]:F0} % of rows-shuffled controls");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public IReadOnlyList<MeasurePercentile> Percentiles(PictureMeasureSet measures)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var v = measures.ToArray();
        return PictureMeasureSet.Names.Select((n, j) => new MeasurePercentile(n, v[j],
            RealValues.TryGetValue(n, out var r) ? Percentile(r, v[j]) : double.NaN,
            ControlValues.TryGetValue(n, out var c) ? c.ToDictionary(k => k.Key, k => Percentile(k.Value, v[j])) : new Dictionary<string, double>())).ToList();
    }

    private string Weakest(IReadOnlyDictionary<string, double> values)
    {
        var m = Coefficients.Measures.MinBy(x => x.Normalise(values[x.Name]))!;
        return $"{m.Name} shows {F(100 * m.Normalise(values[m.Name]), "F0")} % of a real piece's structure";
    }

    private static string F(double v, string format = "F2") => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Fits the model to <paramref name="examples"/> (reference pieces and their controls).</summary>
    /// <param name="examples">Labelled examples.</param>
    /// <param name="bootstrapRounds">Resamples of the pieces for the interval (0 for none).</param>
    /// <param name="seed">Seed of the bootstrap.</param>
    /// <param name="lambda">L2 penalty.</param>
    /// <param name="cancellationToken">Checked between bootstrap refits.</param>
    internal static MusicScoreModel Fit(IReadOnlyList<ScoreExample> examples, int bootstrapRounds = 200, int seed = 0, double lambda = DefaultLambda,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var coef = FitCoefficients(examples, lambda);
        var boot = new List<ScoreCoefficients>();
        if (bootstrapRounds > 0)
        {
            var pieces = examples.Select(e => e.Piece).Distinct().Order(StringComparer.Ordinal).ToArray();
            var byPiece = examples.GroupBy(e => e.Piece).ToDictionary(g => g.Key, g => g.ToList());
            var rng = new Random(seed);
            for (int r = 0; r < bootstrapRounds; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sample = new List<ScoreExample>();
                for (int i = 0; i < pieces.Length; i++)
                {
                    var p = pieces[rng.Next(pieces.Length)];
                    sample.AddRange(byPiece[p].Select(e => e with { Piece = $"{e.Piece}#{i}" }));
                }
                boot.Add(FitCoefficients(sample, lambda));
            }
        }
        var names = PictureMeasureSet.Names;
        var real = examples.Where(e => e.Kind == ReferenceKind).ToList();
        var ctl = examples.Where(e => !e.IsMusic).ToList();
        return new MusicScoreModel
        {
            Coefficients = coef,
            Bootstrap = boot,
            Lambda = lambda,
            RealValues = names.ToDictionary(n => n, n => real.Select(e => e.Values.GetValueOrDefault(n, double.NaN)).Where(double.IsFinite).Order().ToArray()),
            ControlValues = names.ToDictionary(n => n, n => ctl.GroupBy(e => e.Kind).ToDictionary(g => g.Key,
                g => Thin(g.Select(e => e.Values.GetValueOrDefault(n, double.NaN)).Where(double.IsFinite).Order().ToArray(), ControlQuantiles))),
        };
    }

    /// <summary>Fits the normalisation (real medians) and the logistic weights on <paramref name="examples"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 real pictures, no controls, or no example with every scored
    /// measure computable (the sentence says which).</exception>
    internal static ScoreCoefficients FitCoefficients(IReadOnlyList<ScoreExample> examples, double lambda = DefaultLambda)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var real = examples.Where(e => e.IsMusic).ToList();
        if (real.Count < 2 || real.Count == examples.Count)
            throw new ArgumentException($"fitting the music score needs at least 2 real pictures and some controls; got {real.Count} real of {examples.Count}", nameof(examples));
        // The normalisation uses the reference pieces as drawn (Kind "real"); other positives (e.g. the same pieces
        // resized) only take part in the regression.
        var reference = real.Where(e => e.Kind == ReferenceKind).ToList();
        if (reference.Count < 2) reference = real;
        var measures = ScoredMeasureNulls.Select(m => new ScoredMeasure(m.Name, m.Null,
            Median(reference.Select(e => e.Values.GetValueOrDefault(m.Name, double.NaN)).Where(double.IsFinite).ToList()))).ToList();
        var flat = measures.Where(m => double.IsNaN(m.Normalise(m.RealMedian))).Select(m => m.Name).ToList();
        if (flat.Count > 0)
            throw new ArgumentException($"the real pictures' median of {string.Join(", ", flat)} is not computable or equals its null; the pictures show no structure of that kind, so they cannot be a reference");
        // Sample weights: real pictures share 1/2, controls share 1/2 split equally between kinds.
        var kinds = examples.Where(e => !e.IsMusic).GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => g.Count());
        var rows = new List<(double[] U, double Y, double S)>();
        foreach (var e in examples)
        {
            var u = measures.Select(m => m.Normalise(e.Values.GetValueOrDefault(m.Name, double.NaN))).ToArray();
            if (u.Any(double.IsNaN)) continue;
            double s = e.IsMusic ? 0.5 / real.Count : 0.5 / kinds.Count / kinds[e.Kind];
            rows.Add((u, e.IsMusic ? 1 : 0, s));
        }
        if (!rows.Any(r => r.Y == 1) || !rows.Any(r => r.Y == 0))
            throw new ArgumentException($"fitting the music score needs real pictures and controls whose scored measures are all computable; got {rows.Count(r => r.Y == 1)} real and {rows.Count(r => r.Y == 0)} controls");
        var (w, b) = Logistic(rows, measures.Count, lambda);
        return new ScoreCoefficients(measures, w, b);
    }

    /// <summary>Weighted L2-regularised logistic regression by Newton's method (intercept not penalised); at most 100
    /// steps, stopping when no coefficient moves by 1e-10.</summary>
    internal static (double[] W, double B) Logistic(IReadOnlyList<(double[] U, double Y, double S)> rows, int d, double lambda)
    {
        var beta = new double[d + 1]; // [0] intercept
        double total = rows.Sum(r => r.S);
        if (!(total > 0)) throw new ArgumentException("the logistic fit needs examples of positive weight", nameof(rows));
        var g = new double[d + 1];
        var h = new double[d + 1, d + 1];
        for (int iter = 0; iter < 100; iter++)
        {
            Array.Clear(g);
            Array.Clear(h);
            foreach (var (u, y, s0) in rows)
            {
                double s = s0 / total;
                double z = beta[0];
                for (int j = 0; j < d; j++) z += beta[j + 1] * u[j];
                double p = 1 / (1 + Math.Exp(-z));
                double r = p - y, q = p * (1 - p);
                for (int a = 0; a <= d; a++)
                {
                    double xa = a == 0 ? 1 : u[a - 1];
                    g[a] += s * r * xa;
                    for (int c = 0; c <= d; c++) h[a, c] += s * q * xa * (c == 0 ? 1 : u[c - 1]);
                }
            }
            for (int j = 1; j <= d; j++) { g[j] += lambda * beta[j]; h[j, j] += lambda; }
            h[0, 0] += 1e-9;
            var step = Solve(h, g);
            double maxStep = 0;
            for (int j = 0; j <= d; j++) { beta[j] -= step[j]; maxStep = Math.Max(maxStep, Math.Abs(step[j])); }
            if (maxStep < 1e-10) break;
        }
        return (beta[1..], beta[0]);
    }

    /// <summary>Gaussian elimination with partial pivoting; a pivot below 1e-15 leaves that unknown at 0 (never a
    /// division by zero).</summary>
    private static double[] Solve(double[,] a0, double[] b0)
    {
        int n = b0.Length;
        var a = (double[,])a0.Clone();
        var b = (double[])b0.Clone();
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[p, c])) p = r;
            if (p != c) { for (int k = 0; k < n; k++) (a[c, k], a[p, k]) = (a[p, k], a[c, k]); (b[c], b[p]) = (b[p], b[c]); }
            double piv = a[c, c];
            if (Math.Abs(piv) < 1e-15) continue;
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / piv;
                if (f == 0) continue;
                for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = Math.Abs(a[r, r]) < 1e-15 ? 0 : s / a[r, r];
        }
        return x;
    }

    /// <summary>Percentile (0…100, mid-rank for ties) of <paramref name="value"/> among <paramref name="sorted"/>; NaN when
    /// either is empty or NaN.</summary>
    internal static double Percentile(IReadOnlyList<double> sorted, double value)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0 || !double.IsFinite(value)) return double.NaN;
        int below = 0, equal = 0;
        foreach (var v in sorted) { if (v < value) below++; else if (v == value) equal++; }
        return 100.0 * (below + 0.5 * equal) / sorted.Count;
    }

    /// <summary>At most <paramref name="count"/> evenly spaced quantiles of sorted values (all of them when fewer).</summary>
    private static double[] Thin(double[] sorted, int count) =>
        sorted.Length <= count ? sorted : Enumerable.Range(0, count).Select(i => Quantile(sorted, (double)i / (count - 1))).ToArray();

    /// <summary>Median of the finite values (NaN for none).</summary>
    internal static double Median(IReadOnlyList<double> values) => Quantile(values.Where(double.IsFinite).Order().ToList(), 0.5);

    /// <summary>Linear-interpolated quantile of sorted values (NaN for none).</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        double pos = p * (sorted.Count - 1);
        int i = (int)Math.Floor(pos);
        double f = pos - i;
        return i + 1 < sorted.Count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A number kept to <see cref="TableDigits"/> significant digits.</summary>
    private static double R(double v) => double.IsFinite(v) && v != 0 ? Math.Round(v, Math.Clamp(TableDigits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15)) : v;

    /// <summary>
    /// The model as a compact JSON reference table: the scored measures' names, nulls and real medians, the weights,
    /// the bootstrap refits (one row of medians, weights and intercept each), the reference pieces' values of every
    /// measure, the controls' quantiles, the leave-one-piece-out accuracy and the validation. Numbers derived from the
    /// reference pieces; no picture data.
    /// </summary>
    internal string ToJson()
    {
        static double[] Row(ScoreCoefficients c) => c.Measures.Select(m => R(m.RealMedian)).Concat(c.Weights.Select(R)).Append(R(c.Intercept)).ToArray();
        var table = new Table
        {
            Format = TableFormat,
            Measures = Coefficients.Measures.Select(m => m.Name).ToArray(),
            Nulls = Coefficients.Measures.Select(m => m.Null).ToArray(),
            Model = Row(Coefficients),
            Bootstrap = Bootstrap.Select(Row).ToArray(),
            Lambda = Lambda,
            Lower = Lower,
            Upper = Upper,
            CrossValidatedAccuracy = double.IsFinite(CrossValidatedAccuracy) ? R(CrossValidatedAccuracy) : null,
            RealValues = RealValues.ToDictionary(kv => kv.Key, kv => kv.Value.Select(R).ToArray()),
            ControlQuantiles = ControlValues.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(k => k.Key, k => k.Value.Select(R).ToArray())),
            Validation = Validation is { } v ? new ValidationTable
            {
                Pieces = v.Pieces,
                BalancedAccuracy = R(v.BalancedAccuracy),
                Auc = v.Auc.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary(k => k.Key, k => R(k.Value))),
                HeldOut = v.HeldOut.ToDictionary(kv => kv.Key, kv => new[] { kv.Value.Count, kv.Value.Music, kv.Value.Undecided, kv.Value.NotMusic, R(kv.Value.MedianScore), R(kv.Value.MinScore), R(kv.Value.MaxScore) }),
                Resize = [v.Resize.Pairs, v.Resize.SameVerdict, R(v.Resize.MedianAbsDelta), R(v.Resize.P90AbsDelta), R(v.Resize.MaxAbsDelta)],
            } : null,
        };
        return JsonSerializer.Serialize(table, Json);
    }

    /// <summary>A model from a reference table's text (what <c>speclora reference</c> writes).</summary>
    /// <param name="json">The table's JSON text.</param>
    /// <exception cref="FormatException">Not a reference table of this format; the message lists every problem and says
    /// to rebuild it.</exception>
    /// <example>
    /// <code>
    /// var mine = MusicScoreModel.FromJson(File.ReadAllText("my-reference.json"));
    /// Console.WriteLine(mine.Judge(MusicAnalyzer.JudgePicture(decoded).Measures!).Verdict);
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static MusicScoreModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string rebuild = "; rebuild it with: speclora reference ../shared/corpus/pieces -o data/picture-music-reference.json --overwrite";
        Table? t;
        try { t = JsonSerializer.Deserialize<Table>(json, Json); }
        catch (JsonException e) { throw new FormatException($"the picture-music reference table is not valid JSON ({e.Message.Split('\n')[0].TrimEnd('.')}){rebuild}", e); }
        if (t is null) throw new FormatException($"the picture-music reference table is empty{rebuild}");
        var p = new Problems();
        p.Check(t.Format != TableFormat, $"format is '{TerminalText.Visible(t.Format)}', expected '{TableFormat}'");
        int d = t.Measures?.Length ?? 0;
        var known = ScoredMeasureNulls.Select(m => m.Name).ToHashSet();
        p.Check(d == 0, "it lists no scored measures");
        foreach (var m in t.Measures ?? []) p.Check(!known.Contains(m), $"measure '{TerminalText.Visible(m)}' is not one of {string.Join(", ", known)}");
        p.Check((t.Nulls?.Length ?? -1) != d, $"{d} measures but {t.Nulls?.Length ?? 0} nulls");
        p.Check((t.Model?.Length ?? -1) != 2 * d + 1, $"{d} measures need a model row of {2 * d + 1} numbers, it has {t.Model?.Length ?? 0}");
        int badRows = t.Bootstrap?.Count(r => r is null || r.Length != 2 * d + 1) ?? 0;
        p.Check(badRows > 0, $"{badRows} bootstrap rows do not have {2 * d + 1} numbers");
        p.Check(!(t.Lower > 0 && t.Lower <= t.Upper && t.Upper < 1), $"lower={t.Lower} and upper={t.Upper} must satisfy 0 < lower ≤ upper < 1");
        p.Check(t.CrossValidatedAccuracy is { } cv && !(cv >= 0 && cv <= 1), $"cv_accuracy={t.CrossValidatedAccuracy} must be 0…1");
        p.Check(t.RealValues is null || t.RealValues.Values.Any(v => v is null), "real_values is missing or has an empty measure");
        p.Check(t.ControlQuantiles is null || t.ControlQuantiles.Values.Any(v => v is null || v.Values.Any(q => q is null)), "control_quantiles is missing or has an empty kind");
        p.Check(t.Model?.Any(v => !double.IsFinite(v)) == true || t.Bootstrap?.Any(r => r?.Any(v => !double.IsFinite(v)) == true) == true, "a coefficient is not a finite number");
        try { p.ThrowIfAny("the picture-music reference table is not usable"); }
        catch (ArgumentException e) { throw new FormatException(e.Message + rebuild); }
        ScoreCoefficients Coef(double[] row) => new(
            Enumerable.Range(0, d).Select(j => new ScoredMeasure(t.Measures![j], t.Nulls![j], row[j])).ToArray(),
            row[d..(2 * d)], row[2 * d]);
        return new MusicScoreModel
        {
            Coefficients = Coef(t.Model!),
            Bootstrap = (t.Bootstrap ?? []).Select(Coef).ToArray(),
            Lambda = t.Lambda,
            Lower = t.Lower,
            Upper = t.Upper,
            CrossValidatedAccuracy = t.CrossValidatedAccuracy ?? double.NaN,
            RealValues = t.RealValues!,
            ControlValues = t.ControlQuantiles!,
            Validation = t.Validation is { } v ? FromTable(v) : null,
        };
    }

    private static ReferenceValidation? FromTable(ValidationTable v)
    {
        if (v.Auc is null || v.HeldOut is null || v.Resize is not { Length: 5 } || v.HeldOut.Values.Any(h => h is not { Length: 7 })) return null;
        return new ReferenceValidation(v.Pieces, v.BalancedAccuracy,
            v.Auc.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, double>)kv.Value),
            v.HeldOut.ToDictionary(kv => kv.Key, kv => new HeldOutVerdicts((int)kv.Value[0], (int)kv.Value[1], (int)kv.Value[2], (int)kv.Value[3], kv.Value[4], kv.Value[5], kv.Value[6])),
            new ResizeAgreement((int)v.Resize[0], (int)v.Resize[1], v.Resize[2], v.Resize[3], v.Resize[4]));
    }

    private static MusicScoreModel LoadEmbedded()
    {
        using var stream = typeof(MusicScoreModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the picture-music reference table is not embedded in SpecLora.dll; build the library with data/picture-music-reference.json present (speclora reference ../shared/corpus/pieces -o data/picture-music-reference.json makes it)");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    /// <summary>The serialised form of the reference table.</summary>
    private sealed class Table
    {
        [JsonPropertyName("format")] public string Format { get; set; } = "";
        [JsonPropertyName("measures")] public string[]? Measures { get; set; }
        [JsonPropertyName("nulls")] public double[]? Nulls { get; set; }
        /// <summary>Real medians (one per measure), weights (one per measure), intercept.</summary>
        [JsonPropertyName("model")] public double[]? Model { get; set; }
        [JsonPropertyName("bootstrap")] public double[][]? Bootstrap { get; set; }
        [JsonPropertyName("lambda")] public double Lambda { get; set; }
        [JsonPropertyName("lower")] public double Lower { get; set; }
        [JsonPropertyName("upper")] public double Upper { get; set; }
        [JsonPropertyName("cv_accuracy")] public double? CrossValidatedAccuracy { get; set; }
        [JsonPropertyName("real_values")] public Dictionary<string, double[]>? RealValues { get; set; }
        [JsonPropertyName("control_quantiles")] public Dictionary<string, Dictionary<string, double[]>>? ControlQuantiles { get; set; }
        [JsonPropertyName("validation")] public ValidationTable? Validation { get; set; }
    }

    /// <summary>The serialised validation: held_out rows are [n, music, undecided, not music, median, min, max score];
    /// resize is [pairs, same verdict, median, 90th percentile, max |Δ score|].</summary>
    private sealed class ValidationTable
    {
        [JsonPropertyName("pieces")] public int Pieces { get; set; }
        [JsonPropertyName("balanced_accuracy")] public double BalancedAccuracy { get; set; }
        [JsonPropertyName("auc")] public Dictionary<string, Dictionary<string, double>>? Auc { get; set; }
        [JsonPropertyName("held_out")] public Dictionary<string, double[]>? HeldOut { get; set; }
        [JsonPropertyName("resize")] public double[]? Resize { get; set; }
    }
}
