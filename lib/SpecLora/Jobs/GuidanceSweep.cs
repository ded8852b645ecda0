using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using SpecLora.Replicate;
using SpecLora.Spectrograms;

namespace SpecLora.Jobs;

/// <summary>Settings of a <see cref="GuidanceSweep"/>. Immutable.</summary>
public sealed record GuidanceSweepOptions
{
    /// <summary>The sweep the project card asks for: 1, 3, 5, 7.5 (the README's), 10, 15, 20, 40 (setting 7's).</summary>
    public static readonly IReadOnlyList<double> DefaultGuidanceScales = [1, 3, 5, 7.5, 10, 15, 20, 40];

    /// <summary>Guidance values (model input <c>guidanceScale</c>), one prediction each, in this order; distinct, 0–50.</summary>
    public IReadOnlyList<double> GuidanceScales { get; init; } = DefaultGuidanceScales;

    /// <summary>The one seed every prediction uses (42), so guidance is the only input that changes.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>When true (default), each picture is decoded, inverted to a WAV beside it and analysed.</summary>
    public bool Invert { get; init; } = true;

    /// <summary>When true (default, with <see cref="Invert"/>), each picture also gets the music analysis
    /// (<see cref="MusicAnalyzer.AnalyzePicture(DecodedSpectrogramImage, AnalysisOptions?, CancellationToken)"/>): tempo,
    /// key and its clarity, pulse clarity, tempo stability, repetition, harmonic ratio, flatness.</summary>
    public bool Analyze { get; init; } = true;

    /// <summary>Decoding of the generated pictures (defaults: SDXL outputs are generic magma pictures).</summary>
    public ImageDecodeOptions? Decode { get; init; }

    /// <summary>The music analysis, whose <see cref="AnalysisOptions.Inversion"/> also makes the WAVs (defaults: librosa's
    /// analysis settings; NNLS + PGHI + FGLA 32 at 4 frames per column).</summary>
    public AnalysisOptions Analysis { get; init; } = new();

    /// <summary>Parses <c>1,3,5,7.5</c> (invariant culture) into guidance values.</summary>
    /// <exception cref="ArgumentException">Empty, not a number, or a repeated value; the message quotes it.</exception>
    public static IReadOnlyList<double> ParseGuidance(string text)
    {
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentException($"--guidance \"{text}\" is empty: give values such as 1,3,5,7.5,10", nameof(text));
        return parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) && double.IsFinite(g) ? g
            : throw new ArgumentException($"--guidance value \"{p}\" is not a number: give values such as 1,3,5,7.5,10 (a dot for decimals)", nameof(text))).ToArray();
    }

    /// <summary>Checks every setting; returns this.</summary>
    /// <exception cref="ArgumentException">Names every bad setting and quotes it.</exception>
    public GuidanceSweepOptions Validate()
    {
        var p = new Problems();
        if (GuidanceScales is null || GuidanceScales.Count == 0) p.Add("GuidanceScales is empty: give at least one guidance value");
        else
        {
            foreach (var g in GuidanceScales)
                p.Check(!double.IsFinite(g) || g < 0 || g > 50, $"guidance {g.ToString(CultureInfo.InvariantCulture)} is out of range: the model takes 0–50");
            p.Check(GuidanceScales.Distinct().Count() != GuidanceScales.Count, $"guidance values {string.Join(",", GuidanceScales.Select(g => g.ToString(CultureInfo.InvariantCulture)))} repeat one: each is run once");
        }
        p.Check(Seed < 0, $"seed={Seed} must be ≥ 0");
        p.Nested(Analysis, nameof(Analysis), () => Analysis.Validate());
        p.ThrowIfAny("Invalid sweep options");
        return this;
    }
}

/// <summary>What happened at one guidance value.</summary>
/// <param name="GuidanceScale">The guidance sent.</param>
/// <param name="Status"><c>succeeded</c>, <c>prediction_failed</c> (nothing saved) or <c>analysis_failed</c> (picture saved, not decodable or invertible).</param>
/// <param name="PredictionId">The prediction's id (null when none was created).</param>
/// <param name="ImagePath">The saved picture.</param>
/// <param name="ManifestPath">Its manifest (the full input, guidance and seed included).</param>
/// <param name="AudioPath">The reconstruction (WAV), when inverted.</param>
/// <param name="Error">Why it failed (token-free), else null.</param>
/// <param name="Measures">Measures of the picture and its reconstruction (<see cref="GuidanceSweep.BasicMeasures"/>, then the
/// music analysis's scalars: see <see cref="GuidanceSweep.AnalysisMeasures"/>).</param>
public sealed record SweepPoint(double GuidanceScale, string Status, string? PredictionId, string? ImagePath, string? ManifestPath, string? AudioPath, string? Error, JsonObject? Measures)
{
    /// <summary>True when the prediction succeeded and its picture was saved (and analysed, when asked).</summary>
    public bool Succeeded => Status == "succeeded";
}

/// <summary>A finished sweep.</summary>
/// <param name="Setting">The README setting the inputs came from (prompts possibly replaced).</param>
/// <param name="Seed">The seed every prediction used.</param>
/// <param name="Points">One per guidance value, in order.</param>
/// <param name="SummaryPath">The summary JSON written (atomically, never over an earlier one).</param>
public sealed record GuidanceSweepResult(ReadmeSetting Setting, long Seed, IReadOnlyList<SweepPoint> Points, string SummaryPath)
{
    /// <summary>The points that failed.</summary>
    public IReadOnlyList<SweepPoint> Failed => Points.Where(p => !p.Succeeded).ToArray();
}

/// <summary>Progress of a sweep: which guidance value, and the prediction's own progress.</summary>
/// <param name="Index">0-based position in the sweep.</param>
/// <param name="Count">Number of guidance values.</param>
/// <param name="GuidanceScale">The value being run.</param>
/// <param name="Stage"><c>predicting</c>, <c>inverting</c>, <c>done</c> or <c>failed</c>.</param>
/// <param name="Prediction">The prediction's progress while predicting.</param>
public sealed record SweepProgress(int Index, int Count, double GuidanceScale, string Stage, PredictionProgress? Prediction);

/// <summary>
/// A guidance sweep at a fixed seed: one prediction per guidance value, every other input from a README setting,
/// each created exactly once through an <see cref="IPredictionBackend"/> (so the client's rules hold: retries only
/// where nothing can be created twice), saved atomically with a manifest beside it (never overwriting), then decoded,
/// inverted and measured. A failing prediction is recorded and the others still run; the summary JSON
/// (<c>sweep.json</c>, or <c>sweep-2.json</c>, …) names it. Cancelled, it still writes the summary of the values that
/// finished (<c>"cancelled": true</c>) and says which were not run.
/// </summary>
/// <remarks>CLI: <c>speclora sweep</c>. Measures come from <see cref="BasicMeasures"/> unless another analysis is given.</remarks>
/// <example>
/// <code>
/// using var client = ReplicateClient.Create(ReplicateClientOptions.FromEnvironment());
/// var sweep = new GuidanceSweep(new ReplicateBackend(client), client.Redact);
/// await sweep.PrepareAsync(ReadmeSettings.Get(5));   // every input checked before anything billable
/// Console.WriteLine((await sweep.RunAsync(ReadmeSettings.Get(5), "../results/07-sweep")).SummaryPath);
/// </code>
/// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
/// </example>
public sealed class GuidanceSweep
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly IPredictionBackend _backend;
    private readonly Func<string?, string> _redact;
    private readonly Func<DecodedSpectrogramImage, AudioClip, CancellationToken, JsonObject>? _measure;
    private readonly TimeProvider _time;

    /// <summary>Creates the sweep.</summary>
    /// <param name="backend">Replicate (<see cref="ReplicateBackend"/>) or a local Cog container.</param>
    /// <param name="redact">Removes secrets from anything written (e.g. <see cref="ReplicateClient.Redact"/>).</param>
    /// <param name="measure">Measures a decoded picture and its reconstruction; default <see cref="BasicMeasures"/> plus, when
    /// <see cref="GuidanceSweepOptions.Analyze"/>, <see cref="AnalysisMeasures"/>.</param>
    /// <param name="timeProvider">Clock of the summary's timestamp (default <see cref="TimeProvider.System"/>).</param>
    public GuidanceSweep(IPredictionBackend backend, Func<string?, string>? redact = null,
        Func<DecodedSpectrogramImage, AudioClip, CancellationToken, JsonObject>? measure = null, TimeProvider? timeProvider = null)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _redact = redact ?? (s => s ?? "");
        _measure = measure;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The model input at one guidance value: the setting's input with <c>seed</c> and <c>guidanceScale</c> set.</summary>
    public static JsonObject InputFor(ReadmeSetting setting, double guidanceScale, long seed)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var input = setting.ToInput(seed);
        input["guidanceScale"] = guidanceScale;
        return input;
    }

    /// <summary>Validates the options and every input against the backend (version schema / Cog health) before anything billable.</summary>
    public async Task PrepareAsync(ReadmeSetting setting, GuidanceSweepOptions? options = null, CancellationToken cancellationToken = default)
    {
        var o = (options ?? new GuidanceSweepOptions()).Validate();
        foreach (var g in o.GuidanceScales)
            await _backend.PrepareAsync(InputFor(setting, g, o.Seed), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the sweep into <paramref name="outputDirectory"/> and writes its summary there.</summary>
    /// <param name="setting">Every input but guidance and seed comes from it.</param>
    /// <param name="outputDirectory">Folder for pictures, manifests, WAVs and the summary (created).</param>
    /// <param name="options">Guidance values, seed, inversion.</param>
    /// <param name="progress">Per-value progress.</param>
    /// <param name="cancellationToken">Stops the sweep (a running prediction is cancelled on the server); nothing half-written is left.</param>
    /// <exception cref="ReplicateAuthenticationException">The token was rejected (no point in trying the other values).</exception>
    /// <exception cref="ReplicatePaymentRequiredException">Billing is not set up.</exception>
    public async Task<GuidanceSweepResult> RunAsync(ReadmeSetting setting, string outputDirectory, GuidanceSweepOptions? options = null,
        IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var o = (options ?? new GuidanceSweepOptions()).Validate();
        Directory.CreateDirectory(outputDirectory);
        var points = new List<SweepPoint>();
        try
        {
            for (var i = 0; i < o.GuidanceScales.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var g = o.GuidanceScales[i];
                var index = i;
                progress?.Report(new SweepProgress(i, o.GuidanceScales.Count, g, "predicting", null));
                var inner = progress == null ? null : new InlineProgress<PredictionProgress>(p => progress.Report(new SweepProgress(index, o.GuidanceScales.Count, g, "predicting", p)));
                var point = await RunOneAsync(setting, g, o, outputDirectory, inner, progress == null ? null : s => progress.Report(new SweepProgress(index, o.GuidanceScales.Count, g, s, null)), cancellationToken).ConfigureAwait(false);
                points.Add(point);
                progress?.Report(new SweepProgress(i, o.GuidanceScales.Count, g, point.Succeeded ? "done" : "failed", null));
            }
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            // what was finished stays usable: a complete summary of those values, marked cancelled
            var partial = WriteSummary(setting, o, points, outputDirectory, cancelled: true);
            var left = o.GuidanceScales.Skip(points.Count).Select(Format);
            throw new OperationCanceledException(
                $"Sweep cancelled after {points.Count} of {o.GuidanceScales.Count} guidance values; not run: {string.Join(", ", left)}. Summary of the finished ones: {partial}", e, cancellationToken);
        }
        var summaryPath = WriteSummary(setting, o, points, outputDirectory, cancelled: false);
        return new GuidanceSweepResult(setting, o.Seed, points, summaryPath);
    }

    private string WriteSummary(ReadmeSetting setting, GuidanceSweepOptions o, IReadOnlyList<SweepPoint> points, string dir, bool cancelled)
    {
        var path = PredictionManifest.UniquePath(dir, "sweep", ".json");
        var summary = Summary(setting, o, points, dir);
        summary["cancelled"] = cancelled;
        AtomicFile.WriteAllText(path, summary.ToJsonString(Indented), overwrite: false);
        return path;
    }

    private async Task<SweepPoint> RunOneAsync(ReadmeSetting setting, double g, GuidanceSweepOptions o, string dir, IProgress<PredictionProgress>? progress,
        Action<string>? stage, CancellationToken cancellationToken)
    {
        var input = InputFor(setting, g, o.Seed);
        PredictionResult saved;
        try
        {
            var prediction = await _backend.PredictAsync(input, progress, cancellationToken).ConfigureAwait(false);
            var extra = new JsonObject
            {
                ["readme_setting"] = setting.Number,
                ["sweep_guidance_scale"] = g,
                ["sweep_seed"] = o.Seed,
            };
            saved = await PredictionManifest.SaveAsync(_backend, prediction, input, dir, $"sweep_g{Format(g)}", extra, _redact, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPointFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            var id = (e as ReplicatePredictionFailedException)?.Prediction.Id ?? (e as ReplicateApiException)?.PredictionId;
            return new SweepPoint(g, "prediction_failed", id, null, null, null, _redact(FirstLine(e.Message)), null);
        }
        var file = saved.Files[0];
        if (!o.Invert) return new SweepPoint(g, "succeeded", saved.Prediction.Id, file.Path, file.ManifestPath, null, null, null);
        stage?.Invoke("inverting");
        try
        {
            var decoded = SpectrogramImageDecoder.Decode(file.Path, o.Decode);
            var audio = ImageInversion.FromImage(decoded, o.Analysis.Inversion, true, null, cancellationToken);
            var wav = PredictionManifest.UniquePath(dir, Path.GetFileNameWithoutExtension(file.Path), ".wav");
            WavFile.Write(wav, audio);
            JsonObject measures;
            if (_measure != null) measures = _measure(decoded, audio, cancellationToken);
            else
            {
                measures = BasicMeasures(decoded, audio, cancellationToken);
                if (o.Analyze)
                {
                    stage?.Invoke("analysing");
                    // the reconstruction just written, made with o.Analysis.Inversion: the picture is inverted once
                    foreach (var (k, v) in AnalysisMeasures(MusicAnalyzer.AnalyzePicture(decoded, audio, o.Analysis, cancellationToken))) measures[k] = v?.DeepClone();
                }
            }
            return new SweepPoint(g, "succeeded", saved.Prediction.Id, file.Path, file.ManifestPath, wav, null, measures);
        }
        catch (Exception e) when (e is SpecLoraException or ArgumentException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new SweepPoint(g, "analysis_failed", saved.Prediction.Id, file.Path, file.ManifestPath, null, _redact(FirstLine(e.Message)), null);
        }
    }

    /// <summary>Failures of one prediction that leave the others worth running; systemic ones (token, billing) are not.</summary>
    private static bool IsPointFailure(Exception e) => e switch
    {
        ReplicateAuthenticationException or ReplicatePaymentRequiredException => false,
        ReplicateApiException or ReplicatePredictionFailedException or ReplicateTimeoutException or ReplicateOutputExpiredException or CogServerException => true,
        _ => false,
    };

    /// <summary>
    /// The measures every sweep point gets without a music analysis: reconstruction length, the decoder's reading of the
    /// picture (colormap, share of pixels off it, median ΔE), the reconstruction's consistency with the picture
    /// (<see cref="QualityMetrics.ImageConsistency(Spectrogram, AudioClip, SpecLora.Spectrograms.MelOptions?)"/>, dB)
    /// and its RMS level (dBFS).
    /// </summary>
    public static JsonObject BasicMeasures(DecodedSpectrogramImage picture, AudioClip audio, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(audio);
        double sum = 0;
        foreach (var v in audio.Samples) sum += (double)v * v;
        var rms = audio.Length == 0 ? 0 : Math.Sqrt(sum / audio.Length);
        return new JsonObject
        {
            ["duration_s"] = Math.Round(audio.DurationSeconds, 3),
            ["frames"] = picture.Db.Frames,
            ["colormap"] = picture.Colormap.Name,
            ["off_colormap_fraction"] = Math.Round(picture.OffColormapFraction, 4),
            ["median_delta_e"] = Math.Round(picture.MedianDeltaE, 2),
            ["image_consistency_db"] = Math.Round(QualityMetrics.ImageConsistency(picture.Db, audio), 2),
            ["rms_dbfs"] = rms > 0 ? Math.Round(20 * Math.Log10(rms), 2) : null,
        };
    }

    /// <summary>The scalars of a music analysis a sweep records per point (arrays such as beat frames are left to
    /// <c>speclora analyze</c>): the picture's verdict and music_score (with its interval and reason), the picture
    /// measures, key and key_clarity, harmonic_ratio, flatness_mean, repetition_score, and the rhythm scalars (tempo_bpm,
    /// pulse_clarity, tempo_stability, onsets, beats) only where the picture's scale lets them be measured; which source each
    /// part was measured on.</summary>
    public static JsonObject AnalysisMeasures(MusicAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        static JsonNode? R(double? v, int digits) => v is { } x && double.IsFinite(x) ? Math.Round(x, digits) : null;
        var o = new JsonObject
        {
            ["verdict"] = analysis.Verdict,
            ["music_score"] = R(analysis.MusicScore, 3),
            ["music_score_interval"] = analysis.MusicScoreInterval is { } iv ? new JsonArray(iv.Select(v => R(v, 3)).ToArray()) : null,
            ["verdict_reason"] = analysis.VerdictReason,
            ["key"] = analysis.Key,
            ["key_clarity"] = R(analysis.KeyClarity, 3),
            ["harmonic_ratio"] = R(analysis.HarmonicRatio, 3),
            ["flatness_mean"] = double.IsFinite(analysis.FlatnessMean) ? double.Parse(analysis.FlatnessMean.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null, // tiny for tones: 4 significant digits
            ["repetition_score"] = R(analysis.RepetitionScore, 3),
        };
        if (analysis.PictureMeasureValues is { } pm)
            o["picture_measures"] = new JsonObject(pm.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, R(kv.Value, 4))));
        if (analysis.Scale is not { RhythmMeasurable: false })
        {
            o["tempo_bpm"] = R(analysis.TempoBpm, 2);
            o["pulse_clarity"] = R(analysis.PulseClarity, 3);
            o["tempo_stability"] = R(analysis.TempoStability, 3);
            o["onsets"] = analysis.OnsetFrames.Length;
            o["beats"] = analysis.BeatFrames.Length;
        }
        else o["rhythm"] = analysis.Scale.RhythmNote;
        o["sources"] = new JsonObject(analysis.Sources.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value)));
        return o;
    }

    /// <summary>The measures a summary table shows, in order (the JSON has them all).</summary>
    public static IReadOnlyList<string> TableMeasures { get; } =
        ["duration_s", "verdict", "music_score", "key", "key_clarity", "harmonic_ratio", "flatness_mean", "image_consistency_db"];

    private JsonObject Summary(ReadmeSetting setting, GuidanceSweepOptions o, IReadOnlyList<SweepPoint> points, string dir)
    {
        string? Rel(string? path) => path == null ? null : Path.GetRelativePath(dir, path).Replace('\\', '/');
        var baseInput = setting.ToInput(o.Seed);
        baseInput.Remove("guidanceScale");
        var arr = new JsonArray();
        foreach (var p in points)
            arr.Add(new JsonObject
            {
                ["guidance_scale"] = p.GuidanceScale,
                ["status"] = p.Status,
                ["prediction_id"] = p.PredictionId,
                ["image"] = Rel(p.ImagePath),
                ["manifest"] = Rel(p.ManifestPath),
                ["audio"] = Rel(p.AudioPath),
                ["error"] = p.Error,
                ["measures"] = p.Measures?.DeepClone(),
            });
        return new JsonObject
        {
            ["backend"] = _backend.Name,
            ["model"] = _backend.ModelName,
            ["readme_setting"] = setting.Number,
            ["seed"] = o.Seed,
            ["input"] = JsonNode.Parse(_redact(baseInput.ToJsonString())),
            ["guidance_scales"] = new JsonArray(o.GuidanceScales.Select(g => (JsonNode?)g).ToArray()),
            ["succeeded"] = points.Count(p => p.Succeeded),
            ["failed"] = new JsonArray(points.Where(p => !p.Succeeded).Select(p => (JsonNode?)$"guidance {Format(p.GuidanceScale)}: {p.Error}").ToArray()),
            ["created_at"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
            ["points"] = arr,
        };
    }

    private static string Format(double g) => g.ToString("0.###", CultureInfo.InvariantCulture);

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
