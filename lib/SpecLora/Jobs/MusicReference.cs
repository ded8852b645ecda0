using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using SpecLora.Analysis;
using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Jobs;

/// <summary>Settings of <see cref="MusicReference.Build"/>. Defaults are those of the shipped table. Immutable.</summary>
internal sealed record MusicReferenceOptions
{
    /// <summary>Refits on bootstrap resamples of the pieces, for the score's interval (default 200).</summary>
    public int BootstrapRounds { get; init; } = 200;
    /// <summary>Seed of the bootstrap (default 0).</summary>
    public int BootstrapSeed { get; init; }
    /// <summary>L2 penalty of the logistic fit (default 3·10⁻⁵).</summary>
    public double Lambda { get; init; } = MusicScoreModel.DefaultLambda;
    /// <summary>Replace an existing table (<c>--overwrite</c>). Default false: it is refused before any work.</summary>
    public bool Overwrite { get; init; }
    /// <summary>How many pieces are measured at once. Default: the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public MusicReferenceOptions Validate()
    {
        var p = new Problems();
        p.Check(BootstrapRounds is < 0 or > 10_000, $"BootstrapRounds={BootstrapRounds} must be 0…10000");
        p.Check(!(Lambda >= 0) || double.IsInfinity(Lambda), $"Lambda={Lambda} must be a number ≥ 0");
        p.Check(MaxParallelism < 1, $"MaxParallelism={MaxParallelism} must be ≥ 1");
        p.ThrowIfAny("Invalid reference options");
        return this;
    }
}

/// <summary>Progress of <see cref="MusicReference.Build"/>.</summary>
/// <param name="PiecesDone">Pieces measured so far.</param>
/// <param name="PieceCount">Pieces in the folder.</param>
/// <param name="Piece">The piece just measured (its key), or empty for the later stages.</param>
/// <param name="Stage"><c>measured</c> (one piece and its controls), <c>cross-validating</c>, <c>fitting</c> (the model
/// and its bootstrap refits) or <c>written</c>.</param>
internal sealed record MusicReferenceProgress(int PiecesDone, int PieceCount, string Piece, string Stage);

/// <summary>A reference table written by <see cref="MusicReference.Build"/>.</summary>
/// <param name="Path">The table written.</param>
/// <param name="Model">The model it holds (as <see cref="MusicScoreModel.FromJson"/> reads it back).</param>
/// <param name="Pieces">Reference pieces.</param>
/// <param name="Pictures">Pictures measured (pieces, resized copies and every control construction).</param>
/// <param name="Replaced">The existing file replaced (<c>--overwrite</c>), or empty.</param>
/// <param name="Elapsed">Wall time.</param>
internal sealed record MusicReferenceResult(string Path, MusicScoreModel Model, int Pieces, int Pictures, IReadOnlyList<string> Replaced, TimeSpan Elapsed);

/// <summary>One measured picture of the reference build: its piece, its set (<see cref="ReferenceValidation"/> names
/// the sets) and its measures.</summary>
internal sealed record ReferencePicture(string Piece, string Set, PictureMeasureSet Measures);

/// <summary>
/// Builds the "is it music?" reference table (<c>data/picture-music-reference.json</c>, <see cref="MusicScoreModel.Reference"/>)
/// from a folder of whole pieces drawn as makeMels draws them, laid out like <c>../shared/corpus/pieces</c>
/// (<c>index.json</c> listing the keys, <c>KEY.jpg</c> per piece; <c>KEY.json</c>/<c>KEY.png</c> are not read). For
/// every piece: its JPEG and the same resized to 1024×1024 (as the training zip does) are the real pictures; the
/// controls are columns shuffled, rows shuffled and rows rotated within octaves and matched noise (seeds 1 and 2) and
/// the smear (σ 2 × 2), each made on the decoded dB mel (a), drawn as a makeMels JPEG and decoded (b), and that JPEG
/// resized to 1024×1024 (b1024), plus the piece's JPEG blurred by 2 px (p). Then the measures, a leave-one-piece-out run
/// (its accuracy is the table's <c>cv_accuracy</c>, the gate of the verdict), the fit with its bootstrap refits, and the
/// table written atomically. Only numbers go into the table, never pictures.
/// </summary>
/// <remarks>CLI: <c>speclora reference ../shared/corpus/pieces -o data/picture-music-reference.json</c> (about 20 min on
/// 2 cores: ≈ 500 decodes). The README of the Analysis stage documents the command and the numbers it gave.</remarks>
internal static class MusicReference
{
    /// <summary>The file listing the pieces' keys.</summary>
    public const string IndexFile = "index.json";
    /// <summary>Fewest pieces a table is built from (each leave-one-piece-out fold fits on at least two).</summary>
    public const int MinPieces = 3;
    /// <summary>Largest picture file read (a makeMels JPEG is ≈ 100 KB).</summary>
    internal const long MaxPictureBytes = 64L << 20;
    /// <summary>The side of the training zip's square pictures.</summary>
    internal const int ResizeSide = 1024;
    /// <summary>σ in pixels of the pixel blur (part of the smear family).</summary>
    internal const double PixelBlurSigma = 2;

    /// <summary>Control kinds built for the fit, in the table's order, with their seeds.</summary>
    internal static readonly (ControlKind Kind, int[] Seeds)[] FitControls =
    [
        (ControlKind.ColumnsShuffled, [1, 2]),
        (ControlKind.RowsShuffledWithinOctaves, [1, 2]),
        (ControlKind.MatchedNoise, [1, 2]),
        (ControlKind.Smeared, [1]),
        (ControlKind.RowsRotatedWithinOctaves, [1, 2]),
    ];

    /// <summary>The four control kinds of the accuracy target (issue 16): the table's <c>cv_accuracy</c> is measured on
    /// the real pieces and these, built on the dB mel (a) and drawn as pictures (b).</summary>
    internal static readonly string[] AccuracyKinds = ["cols", "rows", "noise", "smear"];

    /// <summary>The set holding the pixel blur.</summary>
    internal const string PixelBlurSet = "p_pxblur2";

    /// <summary>
    /// Measures every piece of <paramref name="piecesFolder"/> and its controls, fits the score, cross-validates it by
    /// piece and writes the reference table to <paramref name="outputPath"/> (atomically; an existing file only with
    /// <see cref="MusicReferenceOptions.Overwrite"/>, checked before any work).
    /// </summary>
    /// <param name="piecesFolder">Folder laid out like <c>../shared/corpus/pieces</c>.</param>
    /// <param name="outputPath">The JSON table to write (e.g. <c>data/picture-music-reference.json</c>).</param>
    /// <param name="options">Bootstrap, penalty, overwrite, parallelism.</param>
    /// <param name="progress">Told after each piece and each later stage.</param>
    /// <param name="cancellationToken">Stops between pictures; nothing is written then.</param>
    /// <exception cref="ArgumentException">The folder, its index or a piece's picture is missing or unusable (the sentence
    /// names the file and what to do).</exception>
    /// <exception cref="OutputConflictException">The table would replace an existing file (without overwrite), a folder or an input.</exception>
    /// <exception cref="OutputFolderException">The table's folder cannot be created or written.</exception>
    /// <example>
    /// <code>
    /// var r = MusicReference.Build("../shared/corpus/pieces", "data/picture-music-reference.json",
    ///     new MusicReferenceOptions { Overwrite = true });
    /// Console.WriteLine($"{r.Pieces} pieces, {r.Pictures} pictures, cross-validated accuracy {r.Model.CrossValidatedAccuracy:F3}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c> uses the table it makes (<see cref="MusicScoreModel.Reference"/>).
    /// </example>
    public static MusicReferenceResult Build(string piecesFolder, string outputPath, MusicReferenceOptions? options = null,
        IProgress<MusicReferenceProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(piecesFolder);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var o = (options ?? new MusicReferenceOptions()).Validate();
        var sw = Stopwatch.StartNew();
        var keys = ReadKeys(piecesFolder);
        var jpegs = keys.Select(k => Path.Combine(piecesFolder, k + ".jpg")).ToList();
        Batch.CheckOutputFolder(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        var replaced = Batch.CheckOutputs([Path.Combine(piecesFolder, IndexFile), .. jpegs], [outputPath], o.Overwrite);

        var perPiece = new IReadOnlyList<ReferencePicture>?[keys.Count];
        ExceptionDispatchInfo? failure = null;
        int done = 0;
        try
        {
            Parallel.For(0, keys.Count, new ParallelOptions { MaxDegreeOfParallelism = o.MaxParallelism, CancellationToken = cancellationToken }, (i, state) =>
            {
                try
                {
                    perPiece[i] = MeasurePiece(keys[i], ReadPicture(jpegs[i]), cancellationToken);
                    progress?.Report(new MusicReferenceProgress(Interlocked.Increment(ref done), keys.Count, keys[i], "measured"));
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { state.Stop(); }
                catch (Exception e) when (e is SpecLoraException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
                {
                    var named = new ArgumentException(Batch.NamingTheFile(jpegs[i], Batch.Describe(e)) + "; every piece must be a readable makeMels picture (fix or remove it from index.json)", e);
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(named), null);
                    state.Stop();
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    state.Stop();
                }
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        cancellationToken.ThrowIfCancellationRequested();
        failure?.Throw();
        var pictures = perPiece.SelectMany(p => p!).ToList();

        progress?.Report(new MusicReferenceProgress(keys.Count, keys.Count, "", "cross-validating"));
        var validation = CrossValidate(pictures, keys, o.Lambda, out double accuracy, cancellationToken);
        progress?.Report(new MusicReferenceProgress(keys.Count, keys.Count, "", "fitting"));
        var model = MusicScoreModel.Fit(Training(pictures), o.BootstrapRounds, o.BootstrapSeed, o.Lambda, cancellationToken)
            with { CrossValidatedAccuracy = accuracy, Validation = validation };
        var json = model.ToJson();
        cancellationToken.ThrowIfCancellationRequested();
        Batch.WriteOutput(outputPath, () => AtomicFile.WriteAllText(outputPath, json));
        progress?.Report(new MusicReferenceProgress(keys.Count, keys.Count, "", "written"));
        return new MusicReferenceResult(outputPath, MusicScoreModel.FromJson(json), keys.Count, pictures.Count, replaced, sw.Elapsed);
    }

    /// <summary>The pieces' keys from <c>index.json</c> (an array of objects with a <c>key</c>), sorted (ordinal), each
    /// with its <c>KEY.jpg</c> present.</summary>
    /// <exception cref="ArgumentException">One sentence naming the folder or file and what to do.</exception>
    internal static IReadOnlyList<string> ReadKeys(string folder)
    {
        const string layout = "give a folder laid out like ../shared/corpus/pieces (index.json listing the keys, KEY.jpg per piece)";
        if (!Directory.Exists(folder)) throw new ArgumentException($"{TerminalText.Visible(folder)} is not a folder; {layout}");
        var index = Path.Combine(folder, IndexFile);
        if (!File.Exists(index)) throw new ArgumentException($"{TerminalText.Visible(index)} does not exist; {layout}");
        if (new FileInfo(index).Length > MaxPictureBytes) throw new ArgumentException($"{TerminalText.Visible(index)} is larger than {MaxPictureBytes >> 20} MiB; it must be a short list of keys");
        var keys = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(index));
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new ArgumentException($"{TerminalText.Visible(index)} is not a JSON array; {layout}");
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("key", out var k) || k.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(k.GetString()))
                    throw new ArgumentException($"{TerminalText.Visible(index)}: every entry must be an object with a \"key\" string; {layout}");
                var key = k.GetString()!;
                if (key != Path.GetFileName(key) || key is "." or ".." || key.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
                    throw new ArgumentException($"{TerminalText.Visible(index)}: key \"{TerminalText.Visible(key)}\" is not a plain file name; keys name KEY.jpg beside index.json");
                keys.Add(key);
            }
        }
        catch (JsonException e) { throw new ArgumentException($"{TerminalText.Visible(index)} is not valid JSON ({e.Message.Split('\n')[0].TrimEnd('.')}); {layout}"); }
        catch (IOException e) { throw new ArgumentException($"{TerminalText.Visible(index)} cannot be read ({e.Message.TrimEnd('.')}); check the permissions"); }
        var repeated = keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0) throw new ArgumentException($"{TerminalText.Visible(index)} lists {string.Join(", ", repeated.Select(TerminalText.Visible))} more than once; list each piece once");
        var missing = keys.Where(k => !File.Exists(Path.Combine(folder, k + ".jpg"))).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"{TerminalText.Visible(folder)}: {Words.Count(missing.Count, "piece")} of {TerminalText.Visible(IndexFile)} {(missing.Count == 1 ? "has" : "have")} no picture ({string.Join(", ", missing.Take(5).Select(k => TerminalText.Visible(k + ".jpg")))}{(missing.Count > 5 ? ", …" : "")}); add {(missing.Count == 1 ? "it" : "them")} or remove {(missing.Count == 1 ? "it" : "them")} from index.json");
        if (keys.Count < MinPieces)
            throw new ArgumentException($"{TerminalText.Visible(index)} lists {Words.Count(keys.Count, "piece")}; the reference needs at least {MinPieces} (every cross-validation fold fits on the others)");
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static byte[] ReadPicture(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxPictureBytes) throw new ArgumentException($"{path} is larger than {MaxPictureBytes >> 20} MiB; a makeMels picture is about 100 KB");
        if (RegularFile.NonRegularKind(path) is { } kind) throw new ArgumentException($"{path} is {kind}; give a regular file");
        return File.ReadAllBytes(path);
    }

    /// <summary>
    /// Every picture of one piece, in the table's order: <c>real</c>, <c>real_1024</c>, then for each of
    /// <see cref="FitControls"/> and each seed <c>a_K</c>, <c>b_K</c>, <c>b1024_K</c>, then <c>p_pxblur2</c>.
    /// </summary>
    internal static IReadOnlyList<ReferencePicture> MeasurePiece(string key, byte[] jpeg, CancellationToken cancellationToken = default)
    {
        var list = new List<ReferencePicture>(30);
        void Add(string set, Spectrogram db)
        {
            cancellationToken.ThrowIfCancellationRequested();
            list.Add(new ReferencePicture(key, set, PictureMeasures.Compute(db)));
        }
        var db = Decode(jpeg, key + ".jpg");
        Add(MusicScoreModel.ReferenceKind, db);
        Add("real_1024", Decode(Resize(jpeg, key), key + ".jpg resized"));
        foreach (var (kind, seeds) in FitControls)
        {
            string k = Controls.ShortName(kind);
            foreach (var seed in seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var a = Controls.Make(db, kind, seed);
                Add("a_" + k, a);
                var drawn = Controls.DrawJpeg(a);
                Add("b_" + k, Decode(drawn, $"{key} {k} control"));
                Add("b1024_" + k, Decode(Resize(drawn, key), $"{key} {k} control resized"));
            }
        }
        var blurred = Controls.BlurPixels(MelImage.DecodeRgba(jpeg, key + ".jpg"), PixelBlurSigma);
        Add(PixelBlurSet, Decode(MelImage.EncodeJpeg(blurred, MelImage.DefaultJpegQuality), key + ".jpg blurred"));
        return list;
    }

    private static Spectrogram Decode(byte[] bytes, string name) => SpectrogramImageDecoder.Decode(bytes, null, name).Db;

    private static byte[] Resize(byte[] jpeg, string key) =>
        ImageResize.TryResize(jpeg, ResizeSide, ResizeSide, MelImageFormat.Png)
        ?? throw new ArgumentException($"{key}.jpg could not be resized to {ResizeSide}×{ResizeSide}: it is not a picture the resizer can read");

    /// <summary>The control kind a set belongs to for the fit (<c>p_pxblur2</c> is a smear), or null for the real sets.</summary>
    internal static string? KindOf(string set) =>
        set == PixelBlurSet ? Controls.ShortName(ControlKind.Smeared)
        : set.StartsWith("a_", StringComparison.Ordinal) || set.StartsWith("b_", StringComparison.Ordinal) ? set[2..]
        : set.StartsWith("b1024_", StringComparison.Ordinal) ? set[6..]
        : null;

    /// <summary>The fitting examples: the real pictures (<c>real</c>, <c>real_1024</c>) as music, every control as its kind.</summary>
    internal static List<ScoreExample> Training(IEnumerable<ReferencePicture> pictures) =>
        pictures.Select(p => KindOf(p.Set) is { } kind
                ? new ScoreExample(p.Piece, kind, false, p.Measures.ToDictionary())
                : new ScoreExample(p.Piece, p.Set, true, p.Measures.ToDictionary()))
            .ToList();

    /// <summary>
    /// Leave-one-piece-out: for each piece, the score fitted (no bootstrap) on the other pieces and their controls
    /// judges that piece's pictures (ungated). <paramref name="accuracy"/> is the accuracy at 0.5 over the real pieces and
    /// their a and b controls of <see cref="AccuracyKinds"/>; the validation adds the balanced accuracy, the verdicts by
    /// set, the resize agreement and the per-measure AUCs.
    /// </summary>
    internal static ReferenceValidation CrossValidate(IReadOnlyList<ReferencePicture> pictures, IReadOnlyList<string> keys, double lambda,
        out double accuracy, CancellationToken cancellationToken = default)
    {
        var scored = new List<(ReferencePicture Picture, MusicVerdict Verdict)>(pictures.Count);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = MusicScoreModel.Fit(Training(pictures.Where(p => p.Piece != key)), 0, 0, lambda);
            foreach (var p in pictures.Where(p => p.Piece == key)) scored.Add((p, model.Judge(p.Measures.ToDictionary(), gated: false)));
        }
        static bool InTarget(string set) => set == MusicScoreModel.ReferenceKind || AccuracyKinds.Any(k => set == "a_" + k || set == "b_" + k);
        static bool Right(string set, double score) => (score >= 0.5) == (set == MusicScoreModel.ReferenceKind);
        var target = scored.Where(s => InTarget(s.Picture.Set)).ToList();
        accuracy = target.Count == 0 ? double.NaN : target.Count(s => Right(s.Picture.Set, s.Verdict.MusicScore)) / (double)target.Count;
        var classes = new List<double> { Mean(scored.Where(s => s.Picture.Set == MusicScoreModel.ReferenceKind).Select(s => Right(MusicScoreModel.ReferenceKind, s.Verdict.MusicScore) ? 1.0 : 0)) };
        foreach (var k in AccuracyKinds) classes.Add(Mean(scored.Where(s => s.Picture.Set == "a_" + k || s.Picture.Set == "b_" + k).Select(s => Right(s.Picture.Set, s.Verdict.MusicScore) ? 1.0 : 0)));

        var heldOut = new Dictionary<string, HeldOutVerdicts>();
        foreach (var g in scored.GroupBy(s => s.Picture.Set))
        {
            var scores = g.Select(s => s.Verdict.MusicScore).Where(double.IsFinite).Order().ToList();
            heldOut[g.Key] = new HeldOutVerdicts(g.Count(), g.Count(s => s.Verdict.Verdict == MusicVerdict.Music), g.Count(s => s.Verdict.Verdict == MusicVerdict.Undecided),
                g.Count(s => s.Verdict.Verdict == MusicVerdict.NotMusic), MusicScoreModel.Quantile(scores, 0.5), scores.Count > 0 ? scores[0] : double.NaN, scores.Count > 0 ? scores[^1] : double.NaN);
        }

        int pairs = 0, same = 0;
        var deltas = new List<double>();
        foreach (var key in keys)
        {
            var mine = scored.Where(s => s.Picture.Piece == key).ToList();
            void Pair(string small, string large)
            {
                var x = mine.Where(s => s.Picture.Set == small).ToList();
                var y = mine.Where(s => s.Picture.Set == large).ToList();
                for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
                {
                    pairs++;
                    if (x[i].Verdict.Verdict == y[i].Verdict.Verdict) same++;
                    double d = Math.Abs(x[i].Verdict.MusicScore - y[i].Verdict.MusicScore);
                    if (double.IsFinite(d)) deltas.Add(d);
                }
            }
            Pair(MusicScoreModel.ReferenceKind, "real_1024");
            foreach (var (kind, _) in FitControls) Pair("b_" + Controls.ShortName(kind), "b1024_" + Controls.ShortName(kind));
        }
        deltas.Sort();
        var resize = new ResizeAgreement(pairs, same, MusicScoreModel.Quantile(deltas, 0.5), MusicScoreModel.Quantile(deltas, 0.9), deltas.Count > 0 ? deltas[^1] : double.NaN);

        var auc = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var sets = pictures.Select(p => p.Set).Distinct().Where(s => KindOf(s) is not null).ToList();
        for (int j = 0; j < PictureMeasureSet.Names.Count; j++)
        {
            var row = new Dictionary<string, double>();
            foreach (var set in sets)
            {
                string realSet = set.StartsWith("b1024_", StringComparison.Ordinal) ? "real_1024" : MusicScoreModel.ReferenceKind;
                row[set] = Auc(pictures.Where(p => p.Set == realSet).Select(p => p.Measures.ToArray()[j]).ToList(),
                               pictures.Where(p => p.Set == set).Select(p => p.Measures.ToArray()[j]).ToList());
            }
            auc[PictureMeasureSet.Names[j]] = row;
        }
        return new ReferenceValidation(keys.Count, Mean(classes), auc, heldOut, resize);
    }

    /// <summary>ROC AUC = P(real &gt; control), ties counting ½, over the finite values; NaN when either side has none.</summary>
    internal static double Auc(IReadOnlyList<double> real, IReadOnlyList<double> control)
    {
        var r = real.Where(double.IsFinite).ToList();
        var c = control.Where(double.IsFinite).ToList();
        if (r.Count == 0 || c.Count == 0) return double.NaN;
        double s = 0;
        foreach (var x in r) foreach (var y in c) s += x > y ? 1 : x == y ? 0.5 : 0;
        return s / ((double)r.Count * c.Count);
    }

    private static double Mean(IEnumerable<double> values)
    {
        double s = 0; int n = 0;
        foreach (var v in values) { s += v; n++; }
        return n == 0 ? double.NaN : s / n;
    }
}
