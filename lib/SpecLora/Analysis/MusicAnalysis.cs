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
    /// <summary>Global tempo (librosa <c>feature.rhythm.tempo</c>).</summary>
    [JsonPropertyName("tempo_bpm")] public double TempoBpm { get; init; }
    /// <summary>Beat frames (librosa <c>beat.beat_track</c>).</summary>
    [JsonPropertyName("beat_frames")] public int[] BeatFrames { get; init; } = [];
    /// <summary>Onset frames (librosa <c>onset.onset_detect</c>).</summary>
    [JsonPropertyName("onset_frames")] public int[] OnsetFrames { get; init; } = [];
    /// <summary>Onset strength, one value per frame (librosa <c>onset.onset_strength</c> of the dB mel).</summary>
    [JsonPropertyName("onset_strength")] public float[] OnsetStrength { get; init; } = [];
    /// <summary>Estimated key, e.g. "A minor" (Krumhansl–Kessler).</summary>
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    /// <summary>Correlation of the mean chroma with the key's profile.</summary>
    [JsonPropertyName("key_clarity")] public double KeyClarity { get; init; }
    /// <summary>Prominence of the tempogram's main peak.</summary>
    [JsonPropertyName("pulse_clarity")] public double PulseClarity { get; init; }
    /// <summary>Fraction of frames whose local tempo is within 4 % of the global tempo.</summary>
    [JsonPropertyName("tempo_stability")] public double TempoStability { get; init; }
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
    /// stability) and "harmony" (key, chroma, flatness, HPSS, repetition): "audio", "decoded mel …" or
    /// "reconstruction …".</summary>
    [JsonPropertyName("sources")] public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

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
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A JSON array with one object per analysis.</summary>
    public static string ToJson(IEnumerable<MusicAnalysis> analyses) => JsonSerializer.Serialize(analyses.ToArray(), Json);

    /// <summary>Reads what <see cref="ToJson"/> wrote (arrays and scalars; plots' data are not kept).</summary>
    public static MusicAnalysis[] FromJson(string json) => JsonSerializer.Deserialize<MusicAnalysis[]>(json, Json) ?? [];
}
