using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpecLora.Analysis;

/// <summary>
/// The numbers of one analysed input, in the shape <c>speclora analyze --json</c> writes (snake_case names). Frames
/// are STFT frames at <see cref="SampleRate"/>/<see cref="HopLength"/> per second; for a picture, frames of its
/// reconstruction's time axis. <see cref="Sources"/> says which part of a picture each field came from.
/// </summary>
public sealed record MusicAnalysis
{
    /// <summary>File path or name of the input.</summary>
    [JsonPropertyName("input")] public required string Input { get; init; }
    /// <summary>"audio" or "picture".</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    /// <summary>Duration in seconds (of the reconstruction, for a picture).</summary>
    [JsonPropertyName("duration_s")] public double DurationSeconds { get; init; }
    /// <summary>Sample rate in Hz.</summary>
    [JsonPropertyName("sample_rate")] public int SampleRate { get; init; }
    /// <summary>Hop in samples between frames.</summary>
    [JsonPropertyName("hop_length")] public int HopLength { get; init; }
    /// <summary>Global tempo (librosa <c>feature.rhythm.tempo</c>); null for a picture whose scale cannot show it
    /// (<see cref="PictureScale.RhythmNotMeasurable"/>).</summary>
    [JsonPropertyName("tempo_bpm")] public double? TempoBpm { get; init; }
    /// <summary>Beat frames (librosa <c>beat.beat_track</c>).</summary>
    [JsonPropertyName("beat_frames")] public int[] BeatFrames { get; init; } = [];
    /// <summary>Onset frames (librosa <c>onset.onset_detect</c>).</summary>
    [JsonPropertyName("onset_frames")] public int[] OnsetFrames { get; init; } = [];
    /// <summary>Onset strength, one value per frame (librosa <c>onset.onset_strength</c> of the dB mel).</summary>
    [JsonPropertyName("onset_strength")] public float[] OnsetStrength { get; init; } = [];
    /// <summary>Estimated key as musicians spell it, e.g. "A minor", "E♭ major" (<see cref="PictureKey"/> on the dB
    /// mel, Albrecht–Shanahan profiles).</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    /// <summary>Key clarity: correlation of the pitch-class distribution with the key's profile, in [−1, 1].</summary>
    [JsonPropertyName("key_clarity")] public double KeyClarity { get; init; }
    /// <summary>Prominence of the tempogram's main peak; null where rhythm is not measurable.</summary>
    [JsonPropertyName("pulse_clarity")] public double? PulseClarity { get; init; }
    /// <summary>Fraction of frames whose local tempo is within 4 % of the global tempo; null where rhythm is not measurable.</summary>
    [JsonPropertyName("tempo_stability")] public double? TempoStability { get; init; }
    /// <summary>Best time-lag correlation of chroma minus the median lag's.</summary>
    [JsonPropertyName("repetition_score")] public double RepetitionScore { get; init; }
    /// <summary>ΣH² / (ΣH² + ΣP²) of HPSS.</summary>
    [JsonPropertyName("harmonic_ratio")] public double HarmonicRatio { get; init; }
    /// <summary>Mean spectral flatness.</summary>
    [JsonPropertyName("flatness_mean")] public double FlatnessMean { get; init; }
    /// <summary>Mean chroma, 12 values, C first.</summary>
    [JsonPropertyName("chroma_mean")] public double[] ChromaMean { get; init; } = new double[12];
    /// <summary>The tuning chroma used, in fractions of a semitone.</summary>
    [JsonPropertyName("tuning")] public double Tuning { get; init; }
    /// <summary>Where each group of fields came from: "rhythm" (tempo, beats, onsets, onset_strength, pulse and tempo
    /// stability), "key" (key, key clarity), "harmony" (chroma, flatness, HPSS, repetition) and, for a picture, "verdict":
    /// "audio", "decoded mel …" or
    /// "reconstruction …".</summary>
    [JsonPropertyName("sources")] public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>Pictures: <c>music</c>, <c>not music</c> or <c>undecided</c> (<see cref="MusicScoreModel.Judge(PictureMeasureSet)"/>); null for audio.</summary>
    [JsonPropertyName("verdict")] public string? Verdict { get; init; }
    /// <summary>Pictures: the music score, 0–1 (null when it cannot be computed).</summary>
    [JsonPropertyName("music_score")] public double? MusicScore { get; init; }
    /// <summary>Pictures: the score's 90 % interval over bootstrap refits on the reference pieces, [low, high].</summary>
    [JsonPropertyName("music_score_interval")] public double[]? MusicScoreInterval { get; init; }
    /// <summary>Pictures: the verdict's reason (the weakest measure, or why none can be given).</summary>
    [JsonPropertyName("verdict_reason")] public string? VerdictReason { get; init; }
    /// <summary>Pictures: the measures at the picture's own scale (<see cref="SpecLora.Analysis.PictureMeasures"/>).</summary>
    [JsonIgnore] public PictureMeasureSet? PictureMeasures { get; init; }
    /// <summary>Pictures: each measure's percentile among the real reference pieces and among each control kind.</summary>
    [JsonIgnore] public IReadOnlyList<MeasurePercentile>? Percentiles { get; init; }
    /// <summary>Pictures: the time scale and whether rhythm was measured.</summary>
    [JsonPropertyName("scale")] public PictureScale? Scale { get; init; }

    /// <summary>The picture measures by name (serialised as <c>picture_measures</c>).</summary>
    [JsonPropertyName("picture_measures")]
    public IReadOnlyDictionary<string, double>? PictureMeasureValues => PictureMeasures is { } m ? PictureMeasureSet.Names.Zip(m.ToArray()).ToDictionary(x => x.First, x => x.Second) : null;
    /// <summary>Percentile (0–100) of each picture measure among the real reference pieces.</summary>
    [JsonPropertyName("percentile_real")]
    public IReadOnlyDictionary<string, double>? PercentileReal => Percentiles?.ToDictionary(p => p.Name, p => p.AmongReal);
    /// <summary>Percentile (0–100) of each picture measure among each control kind (cols, rows, noise, smear, rot).</summary>
    [JsonPropertyName("percentile_controls")]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? PercentileControls => Percentiles?.ToDictionary(p => p.Name, p => p.AmongControls);

    /// <summary>The autocorrelation tempogram (for plots; not serialised).</summary>
    [JsonIgnore] public Tempogram? Tempogram { get; init; }
    /// <summary>The chromagram (for plots; not serialised).</summary>
    [JsonIgnore] public Chromagram? Chroma { get; init; }
    /// <summary>All 24 key correlations (not serialised).</summary>
    [JsonIgnore] public KeyEstimate? KeyEstimate { get; init; }

    /// <summary>Frame index → seconds.</summary>
    public double FrameSeconds(int frame) => (double)frame * HopLength / SampleRate;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new FiniteDoubleConverter(), new FiniteSingleConverter() },
    };

    /// <summary>Writes a number that is not finite as null (JSON has no NaN or infinity; a reader never meets
    /// "Infinity"), and reads null back as NaN.</summary>
    private sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override bool HandleNull => true;
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();
        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }

    /// <summary><see cref="FiniteDoubleConverter"/> for float.</summary>
    private sealed class FiniteSingleConverter : JsonConverter<float>
    {
        public override bool HandleNull => true;
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();
        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }

    /// <summary>A JSON array with one object per analysis.</summary>
    public static string ToJson(IEnumerable<MusicAnalysis> analyses) => JsonSerializer.Serialize(analyses.ToArray(), Json);

    /// <summary>Reads what <see cref="ToJson"/> wrote (arrays and scalars; plots' data are not kept).</summary>
    public static MusicAnalysis[] FromJson(string json) => JsonSerializer.Deserialize<MusicAnalysis[]>(json, Json) ?? [];
}
