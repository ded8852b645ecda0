using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>Every setting of <see cref="MusicAnalyzer"/>, composed from the librosa-named option records (each with
/// librosa's defaults), plus the picture path's inversion settings.</summary>
public sealed record AnalysisOptions
{
    /// <summary>The mel spectrogram behind the onset envelope (librosa <c>melspectrogram</c> defaults).</summary>
    public MelOptions Mel { get; init; } = new();
    /// <summary>The STFT behind chroma, flatness and HPSS (librosa <c>stft</c> defaults).</summary>
    public StftOptions Stft { get; init; } = new();
    /// <summary><c>onset_strength</c> settings.</summary>
    public OnsetStrengthOptions OnsetStrength { get; init; } = new();
    /// <summary><c>onset_detect</c> settings.</summary>
    public OnsetDetectOptions OnsetDetect { get; init; } = new();
    /// <summary><c>tempogram</c> settings (pulse clarity uses this tempogram).</summary>
    public TempogramOptions Tempogram { get; init; } = new();
    /// <summary><c>tempo</c> settings (tempo, local tempo, the beat tracker's tempo).</summary>
    public TempoOptions Tempo { get; init; } = new();
    /// <summary><c>beat_track</c> settings (its tempo is the one estimated with <see cref="Tempo"/>).</summary>
    public BeatTrackOptions BeatTrack { get; init; } = new();
    /// <summary><c>chroma_stft</c> settings.</summary>
    public ChromaOptions Chroma { get; init; } = new();
    /// <summary><c>spectral_flatness</c> settings.</summary>
    public FlatnessOptions Flatness { get; init; } = new();
    /// <summary><c>hpss</c> settings.</summary>
    public HpssOptions Hpss { get; init; } = new();
    /// <summary>How the key is read from the dB mel (<see cref="PictureKey"/>); its <c>Mel</c> is replaced by the mel
    /// the analysis reads (<see cref="Mel"/> at the audio's rate, or the picture's <see cref="Inversion"/> mel).</summary>
    public PictureKeyOptions Key { get; init; } = new();
    /// <summary>How a picture without our metadata becomes audio (frames per column or duration, phase method) —
    /// its reconstruction gives chroma, flatness and HPSS, and its frame count the rhythm's time axis.</summary>
    public InversionOptions Inversion { get; init; } = new();

    /// <summary>Validates every part (one <see cref="ArgumentException"/> for the first part with errors).</summary>
    public AnalysisOptions Validate()
    {
        Mel.Validate(); Stft.Validate(); OnsetStrength.Validate(); OnsetDetect.Resolve(Mel.SampleRate, Mel.Stft.EffectiveHopLength);
        Tempogram.Validate(); Tempo.Validate(); BeatTrack.Validate(); Chroma.Validate(); Flatness.Validate(); Hpss.Validate(); Key.Validate(); Inversion.Validate();
        if (Mel.Stft.EffectiveHopLength != Stft.EffectiveHopLength)
            throw new ArgumentException($"the mel hop ({Mel.Stft.EffectiveHopLength}) and the STFT hop ({Stft.EffectiveHopLength}) must be equal so that rhythm and harmony share frames");
        return this;
    }
}
