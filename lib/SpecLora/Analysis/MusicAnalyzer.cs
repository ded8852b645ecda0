using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// "Is it music?" in numbers: audio, or a decoded spectrogram picture, in; tempo, beats, onsets, key, pulse,
/// harmonicity and flatness out (<see cref="MusicAnalysis"/>). Rhythm comes from the onset envelope of a dB mel
/// (for a picture: its decoded mel on the reconstruction's frame axis — what the picture itself shows); harmony
/// (chroma, key, HPSS, flatness, repetition) from a linear STFT (for a picture: of its reconstruction, since a
/// 128-band mel cannot resolve semitones at low pitch). Every librosa step is the parity-tested one of this namespace.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class MusicAnalyzer
{
    /// <summary>Analyses a clip (mono, any sample rate; librosa's defaults assume 22050 Hz).</summary>
    /// <param name="audio">The clip. Not modified.</param>
    /// <param name="options">librosa defaults when null.</param>
    /// <param name="name">The <see cref="MusicAnalysis.Input"/> to report.</param>
    /// <param name="cancellationToken">Checked between stages.</param>
    public static MusicAnalysis Analyze(AudioClip audio, AnalysisOptions? options = null, string name = "audio", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var o = (options ?? new AnalysisOptions()).Validate();
        if (audio.Length < 2) throw new ArgumentException($"{name}: {audio.Length} sample(s); analysis needs audio");
        var mel = o.Mel with { SampleRate = audio.SampleRate };
        var melDb = Decibels.PowerToDb(MelSpectrogram.Compute(audio, mel), DbOptions.MakeMels);
        cancellationToken.ThrowIfCancellationRequested();
        var rhythm = RhythmOf(melDb, o);
        cancellationToken.ThrowIfCancellationRequested();
        var harmony = HarmonyOf(audio, o, cancellationToken);
        return Combine(name, "audio", audio.DurationSeconds, audio.SampleRate, mel.Stft.EffectiveHopLength, rhythm, harmony,
            new Dictionary<string, string> { ["rhythm"] = "audio (dB mel)", ["harmony"] = "audio (STFT)" });
    }

    /// <summary>Analyses a decoded picture: rhythm from its dB mel placed on the frame axis of its reconstruction
    /// (our PNGs: their true frames; other pictures: <see cref="InversionOptions.FramesPerColumn"/> frames per column
    /// or <see cref="InversionOptions.DurationSeconds"/>), harmony from the reconstruction
    /// (<see cref="ImageInversion.FromImage"/>).</summary>
    public static MusicAnalysis AnalyzePicture(DecodedSpectrogramImage decoded, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = (options ?? new AnalysisOptions()).Validate();
        return AnalyzePicture(decoded, ImageInversion.FromImage(decoded, o.Inversion, true, null, cancellationToken), o, cancellationToken);
    }

    /// <summary>As <see cref="AnalyzePicture(DecodedSpectrogramImage, AnalysisOptions?, CancellationToken)"/>, with the
    /// picture's reconstruction already made (by <see cref="ImageInversion.FromImage"/> with
    /// <see cref="AnalysisOptions.Inversion"/>), so a caller that wrote it does not invert twice.</summary>
    public static MusicAnalysis AnalyzePicture(DecodedSpectrogramImage decoded, AudioClip reconstruction, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(reconstruction);
        var o = (options ?? new AnalysisOptions()).Validate();
        var audio = reconstruction;
        int hop = o.Inversion.Mel.Stft.EffectiveHopLength;
        var melDb = MelOnFrameAxis(decoded, o.Inversion, out string axis);
        if (melDb.HopLength != o.Mel.Stft.EffectiveHopLength) melDb = melDb with { HopLength = o.Mel.Stft.EffectiveHopLength, NFft = o.Mel.Stft.NFft };
        cancellationToken.ThrowIfCancellationRequested();
        var rhythm = RhythmOf(melDb, o);
        var harmony = HarmonyOf(audio, o, cancellationToken);
        string method = o.Inversion.Method switch { PhaseMethod.PghiFgla => "PGHI + FGLA", PhaseMethod.Fgla => "FGLA", PhaseMethod.GriffinLim => "Griffin-Lim", var m => m.ToString() };
        return Combine(decoded.Source, "picture", audio.DurationSeconds, audio.SampleRate, hop, rhythm, harmony,
            new Dictionary<string, string> { ["rhythm"] = $"decoded mel ({axis})", ["harmony"] = $"reconstruction ({method}, {o.Inversion.EffectiveIterations(!ImageInversion.UsesPictureMetadata(decoded, o.Inversion))} iterations)" });
    }

    /// <summary>Picture file extensions <see cref="AnalyzeFile"/> treats as spectrogram pictures.</summary>
    public static IReadOnlyList<string> PictureExtensions => PictureFiles.KnownExtensions;

    /// <summary>Analyses a file: audio (by <see cref="AudioLoader.KnownExtensions"/>, loaded as librosa.load does) or a
    /// picture (by <see cref="PictureExtensions"/>). An unknown extension or a missing file is an
    /// <see cref="ArgumentException"/> / <see cref="FileNotFoundException"/> whose message names the file.</summary>
    public static MusicAnalysis AnalyzeFile(string path, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        bool picture = PictureExtensions.Contains(ext), audio = AudioLoader.KnownExtensions.Contains(ext);
        if (!picture && !audio)
            throw new ArgumentException($"{path}: not an audio file ({string.Join(", ", AudioLoader.KnownExtensions)}) nor a spectrogram picture ({string.Join(", ", PictureExtensions)}); give one of those");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; check the path", path);
        if (picture) return AnalyzePicture(path, options, null, cancellationToken);
        var o = (options ?? new AnalysisOptions()).Validate();
        var clip = AudioLoader.Load(path, new AudioLoadOptions { SampleRate = o.Mel.SampleRate });
        return Analyze(clip, o, path, cancellationToken);
    }

    /// <summary>Decodes and analyses a picture file.</summary>
    public static MusicAnalysis AnalyzePicture(string path, AnalysisOptions? options = null, ImageDecodeOptions? decodeOptions = null, CancellationToken cancellationToken = default)
        => AnalyzePicture(SpectrogramImageDecoder.Decode(path, decodeOptions), options, cancellationToken);

    /// <summary>The decoded dB mel on the frame axis the inversion uses (<see cref="ImageInversion.MelOnFrameAxis"/>),
    /// and a description of where that axis came from.</summary>
    public static Spectrogram MelOnFrameAxis(DecodedSpectrogramImage decoded, InversionOptions? inversion, out string description)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = inversion ?? new InversionOptions();
        var mel = ImageInversion.MelOnFrameAxis(decoded, o, true, out bool exact);
        description = exact ? $"{mel.Frames} frames from the picture's metadata"
            : o.Frames is { } f ? $"{decoded.Db.Frames} columns on {f} frames"
            : o.DurationSeconds is { } d ? $"{decoded.Db.Frames} columns stretched to {d:0.##} s"
            : $"{o.EffectiveFramesPerColumn} frames per column";
        return mel;
    }

    private sealed record RhythmPart(float[] Envelope, int[] Onsets, double Tempo, int[] Beats, Tempogram Tempogram, double PulseClarity, double Stability);

    private sealed record HarmonyPart(Chromagram Chroma, double[] ChromaMean, KeyEstimate Key, double HarmonicRatio, double FlatnessMean, double Repetition);

    private static RhythmPart RhythmOf(Spectrogram melDb, AnalysisOptions o)
    {
        int sr = melDb.SampleRate, hop = melDb.HopLength;
        var env = Onset.Strength(melDb, o.OnsetStrength);
        var onsets = Onset.Detect(env, sr, hop, o.OnsetDetect);
        var tempoGram = Rhythm.ComputeTempogram(env, sr, hop, new TempogramOptions { WinLength = Rhythm.AcWindowFrames(o.Tempo.AcSizeSeconds, sr, hop) });
        bool silent = !env.Any(v => v != 0);
        double tempo = silent ? 0 : Rhythm.TempoFromProfile(tempoGram.MeanOverFrames(), sr, hop, o.Tempo);
        var beats = silent ? new BeatTrack(0, []) : BeatTracker.Track(env, sr, hop, o.BeatTrack with { Bpm = tempo });
        var tg = Rhythm.ComputeTempogram(env, sr, hop, o.Tempogram);
        double stability = silent ? 0 : MusicMeasures.TempoStability(Rhythm.LocalTempo(tempoGram, o.Tempo), tempo);
        return new RhythmPart(env, onsets, tempo, beats.BeatFrames, tg, silent ? 0 : MusicMeasures.PulseClarity(tg), stability);
    }

    private static HarmonyPart HarmonyOf(AudioClip audio, AnalysisOptions o, CancellationToken ct)
    {
        var frames = SpectralFrames.FromAudio(audio, o.Stft);
        ct.ThrowIfCancellationRequested();
        var chroma = Chroma.FromFrames(frames, o.Chroma);
        var flat = SpectralFlatness.FromFrames(frames, o.Flatness);
        ct.ThrowIfCancellationRequested();
        var (h, p) = Hpss.SeparateFrameMajor(frames.Magnitude, frames.Bins, frames.Frames, o.Hpss);
        var mean = chroma.Mean();
        double fps = (double)audio.SampleRate / frames.HopLength;
        return new HarmonyPart(chroma, mean, MusicMeasures.Key(mean), Hpss.Ratio(h, p), flat.Average(v => (double)v), MusicMeasures.RepetitionScore(chroma, fps));
    }

    private static MusicAnalysis Combine(string name, string kind, double duration, int sr, int hop, RhythmPart r, HarmonyPart h, Dictionary<string, string> sources) => new()
    {
        Input = name,
        Kind = kind,
        DurationSeconds = duration,
        SampleRate = sr,
        HopLength = hop,
        TempoBpm = r.Tempo,
        BeatFrames = r.Beats,
        OnsetFrames = r.Onsets,
        OnsetStrength = r.Envelope,
        Key = h.Key.Name,
        KeyClarity = h.Key.Clarity,
        PulseClarity = r.PulseClarity,
        TempoStability = r.Stability,
        RepetitionScore = h.Repetition,
        HarmonicRatio = h.HarmonicRatio,
        FlatnessMean = h.FlatnessMean,
        ChromaMean = h.ChromaMean,
        Tuning = h.Chroma.TuningBins,
        Sources = sources,
        Tempogram = r.Tempogram,
        Chroma = h.Chroma,
        KeyEstimate = h.Key,
    };
}
