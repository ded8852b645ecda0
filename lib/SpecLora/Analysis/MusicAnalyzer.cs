using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// "Is it music?" in numbers: audio, or a decoded spectrogram picture, in; tempo, beats, onsets, key, pulse,
/// harmonicity and flatness out (<see cref="MusicAnalysis"/>). Rhythm comes from the onset envelope of a dB mel
/// (for a picture: its decoded mel on the reconstruction's frame axis, where its scale shows rhythm); the key from the
/// dB mel too (<see cref="PictureKey"/>: the audio's makeMels mel, or the picture's own columns), so that a clip and its
/// picture are read by one measure; the rest of the harmony (chroma, HPSS, flatness, repetition) from a linear STFT
/// (for a picture: of its reconstruction). For a picture also the verdict at its own scale (<see cref="JudgePicture"/>).
/// Every librosa step is the parity-tested one of this namespace.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class MusicAnalyzer
{
    /// <summary>Analyses a clip (mono, any sample rate; librosa's defaults assume 22050 Hz).</summary>
    /// <param name="audio">The clip. Not modified.</param>
    /// <param name="options">librosa defaults when null.</param>
    /// <param name="name">The <see cref="MusicAnalysis.Input"/> to report.</param>
    /// <param name="cancellationToken">Checked between stages.</param>
    /// <example>
    /// <code>
    /// var a = MusicAnalyzer.Analyze(AudioLoader.Load("../data/audio/fur-elise-theme.wav"), name: "fur-elise-theme.wav");
    /// Console.WriteLine($"{a.OnsetFrames.Length} onsets, {a.BeatFrames.Length} beats at {a.TempoBpm:F1} BPM, key {a.Key}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static MusicAnalysis Analyze(AudioClip audio, AnalysisOptions? options = null, string name = "audio", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var o = (options ?? new AnalysisOptions()).Validate();
        if (audio.Length < 2) throw new ArgumentException($"{name}: {audio.Length} sample(s); analysis needs audio");
        var mel = o.Mel with { SampleRate = audio.SampleRate };
        // one STFT: the linear spectra of the harmony measures and, when the settings agree, the mel of the rhythm ones
        var frames = SpectralFrames.FromAudio(audio, o.Stft);
        var melPower = mel.Stft == o.Stft && mel.Power == 2.0 ? MelSpectrogram.FromPowerFrames(frames.Power, frames.Frames, mel) : MelSpectrogram.Compute(audio, mel);
        var melDb = Decibels.PowerToDb(melPower, DbOptions.MakeMels);
        cancellationToken.ThrowIfCancellationRequested();
        var rhythm = RhythmOf(melDb, o);
        cancellationToken.ThrowIfCancellationRequested();
        // the key from the dB mel makeMels would draw of this audio: a clip and its picture are read by one measure
        var key = PictureKey.Estimate(melDb, o.Key with { Mel = mel }, cancellationToken);
        var harmony = HarmonyOf(frames, audio, o, cancellationToken);
        return Combine(name, "audio", audio.DurationSeconds, audio.SampleRate, mel.Stft.EffectiveHopLength, rhythm, harmony, key,
            new Dictionary<string, string> { ["rhythm"] = "audio (dB mel)", ["key"] = "audio (dB mel, note transcription)", ["harmony"] = "audio (STFT)" });
    }

    /// <summary>Analyses a decoded picture: rhythm from its dB mel placed on the frame axis of its reconstruction
    /// (<see cref="ImageInversion.Plan"/>: our PNGs' true frames; other pictures <see cref="InversionOptions.FramesPerColumn"/>
    /// frames per column or <see cref="InversionOptions.DurationSeconds"/>), harmony from the reconstruction
    /// (<see cref="ImageInversion.FromPlan"/>).</summary>
    public static MusicAnalysis AnalyzePicture(DecodedSpectrogramImage decoded, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var o = (options ?? new AnalysisOptions()).Validate();
        var plan = ImageInversion.Plan(decoded, o.Inversion);   // one plan for the reconstruction and the analysis
        return AnalyzePicture(decoded, ImageInversion.FromPlan(decoded, plan, null, cancellationToken), plan, o, cancellationToken);
    }

    /// <summary>As <see cref="AnalyzePicture(DecodedSpectrogramImage, AnalysisOptions?, CancellationToken)"/>, with the
    /// picture's reconstruction already made (by <see cref="ImageInversion.FromImage"/> with
    /// <see cref="AnalysisOptions.Inversion"/>), so a caller that wrote it does not invert twice.</summary>
    public static MusicAnalysis AnalyzePicture(DecodedSpectrogramImage decoded, AudioClip reconstruction, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        ArgumentNullException.ThrowIfNull(reconstruction);
        var o = (options ?? new AnalysisOptions()).Validate();
        return AnalyzePicture(decoded, reconstruction, ImageInversion.Plan(decoded, o.Inversion), o, cancellationToken);
    }

    /// <summary>The analysis of a picture with its reconstruction, its plan and validated options.</summary>
    private static MusicAnalysis AnalyzePicture(DecodedSpectrogramImage decoded, AudioClip audio, PicturePlan plan, AnalysisOptions o, CancellationToken cancellationToken)
    {
        int hop = o.Inversion.Mel.Stft.EffectiveHopLength;
        // the picture at its own scale: the measures, the score and the verdict need nothing but the decoded mel
        var (measures, verdict, percentiles) = JudgePicture(decoded);
        cancellationToken.ThrowIfCancellationRequested();
        // rhythm only where the columns resolve onsets and beats (PictureScale); elsewhere it is said why, not guessed
        string? notMeasurable = PictureScale.RhythmNotMeasurable(plan.Axis);
        RhythmPart? rhythm = null;
        if (notMeasurable is null)
        {
            var melDb = ImageInversion.MelOnFrameAxis(decoded, plan);
            if (melDb.HopLength != o.Mel.Stft.EffectiveHopLength) melDb = melDb with { HopLength = o.Mel.Stft.EffectiveHopLength, NFft = o.Mel.Stft.NFft };
            rhythm = RhythmOf(melDb, o);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // the key from the picture's own columns (PictureKey): no reconstruction needed
        var key = PictureKey.Estimate(decoded.Db, o.Key with { Mel = o.Inversion.Mel with { NMels = decoded.Db.Bins } }, cancellationToken);
        var harmony = HarmonyOf(SpectralFrames.FromAudio(audio, o.Stft), audio, o, cancellationToken);
        string method = o.Inversion.Method switch { PhaseMethod.PghiFgla => "PGHI + FGLA", PhaseMethod.Fgla => "FGLA", PhaseMethod.GriffinLim => "Griffin-Lim", var m => m.ToString() };
        var a = Combine(decoded.Source, "picture", audio.DurationSeconds, audio.SampleRate, hop, rhythm, harmony, key,
            new Dictionary<string, string>
            {
                ["rhythm"] = notMeasurable is null ? $"decoded mel ({AxisDescription(decoded, plan)})" : "not measurable at this scale",
                ["key"] = $"decoded mel ({decoded.Db.Frames} columns, note transcription)",
                ["harmony"] = $"reconstruction ({method}, {plan.Iterations} iterations)",
                ["verdict"] = "the picture at its own scale (PictureMeasures, MusicScoreModel.Reference)",
            });
        return a with
        {
            Verdict = verdict.Verdict,
            MusicScore = verdict.MusicScore,
            MusicScoreInterval = [verdict.IntervalLow, verdict.IntervalHigh],
            VerdictReason = verdict.Reason,
            PictureMeasures = measures,
            Percentiles = percentiles,
            Scale = new PictureScale(decoded.SourceWidth, plan.Axis.Source == FrameAxisSource.Assumed ? null : plan.Axis.FramesPerColumn,
                plan.Axis.Source == FrameAxisSource.Assumed ? null : plan.Axis.SecondsPerColumn, plan.Axis.Source.ToString().ToLowerInvariant(),
                notMeasurable is null, notMeasurable),
        };
    }

    /// <summary>The picture measures at the picture's own scale, the verdict of the shipped reference table
    /// (<see cref="MusicScoreModel.Reference"/>) and each measure's percentiles among the real pieces and the controls. A
    /// picture the measures cannot read (too few columns, another band count) is <c>undecided</c>, saying why.</summary>
    /// <example>
    /// <code>
    /// var (measures, verdict, percentiles) = MusicAnalyzer.JudgePicture(SpectrogramImageDecoder.Decode("res5.png"));
    /// Console.WriteLine($"{verdict.Verdict} ({verdict.MusicScore:F2}): {verdict.Reason}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static (PictureMeasureSet? Measures, MusicVerdict Verdict, IReadOnlyList<MeasurePercentile> Percentiles) JudgePicture(DecodedSpectrogramImage decoded)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        PictureMeasureSet measures;
        try { measures = PictureMeasures.Compute(decoded.Db); }
        catch (ArgumentException e)
        {
            return (null, new MusicVerdict(MusicVerdict.Undecided, double.NaN, double.NaN, double.NaN, "undecided: " + IO.Messages.WithoutParameter(e)), []);
        }
        var model = MusicScoreModel.Reference;
        return (measures, model.Judge(measures), model.Percentiles(measures));
    }

    /// <summary>Where a picture's frame axis came from, as the analysis reports it.</summary>
    private static string AxisDescription(DecodedSpectrogramImage decoded, PicturePlan plan) => plan.Axis.Source switch
    {
        FrameAxisSource.Metadata => $"{plan.Axis.Frames} frames from the picture's metadata",
        FrameAxisSource.Frames => $"{decoded.Db.Frames} columns on {plan.Axis.Frames} frames",
        FrameAxisSource.Duration => $"{decoded.Db.Frames} columns stretched to {plan.Options.DurationSeconds:0.##} s",
        _ => $"{plan.Options.EffectiveFramesPerColumn} frames per column",
    };

    private sealed record RhythmPart(float[] Envelope, int[] Onsets, double Tempo, int[] Beats, Tempogram Tempogram, double PulseClarity, double Stability);

    private sealed record HarmonyPart(Chromagram Chroma, double[] ChromaMean, double HarmonicRatio, double FlatnessMean, double Repetition);

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

    private static HarmonyPart HarmonyOf(SpectralFrames frames, AudioClip audio, AnalysisOptions o, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var chroma = Chroma.FromFrames(frames, o.Chroma);
        var flat = SpectralFlatness.FromFrames(frames, o.Flatness);
        ct.ThrowIfCancellationRequested();
        var (h, p) = Hpss.SeparateFrameMajor(frames.Magnitude, frames.Bins, frames.Frames, o.Hpss);
        var mean = chroma.Mean();
        double fps = (double)audio.SampleRate / frames.HopLength;
        return new HarmonyPart(chroma, mean, Hpss.Ratio(h, p), flat.Average(v => (double)v), MusicMeasures.RepetitionScore(chroma, fps));
    }

    private static MusicAnalysis Combine(string name, string kind, double duration, int sr, int hop, RhythmPart? r, HarmonyPart h, PictureKeyResult key, Dictionary<string, string> sources) => new()
    {
        Input = name,
        Kind = kind,
        DurationSeconds = duration,
        SampleRate = sr,
        HopLength = hop,
        TempoBpm = r?.Tempo,
        BeatFrames = r?.Beats ?? [],
        OnsetFrames = r?.Onsets ?? [],
        OnsetStrength = r?.Envelope ?? [],
        Key = key.Name,
        KeyClarity = key.Clarity,
        PulseClarity = r?.PulseClarity,
        TempoStability = r?.Stability,
        RepetitionScore = h.Repetition,
        HarmonicRatio = h.HarmonicRatio,
        FlatnessMean = h.FlatnessMean,
        ChromaMean = h.ChromaMean,
        Tuning = h.Chroma.TuningBins,
        Sources = sources,
        Tempogram = r?.Tempogram,
        Chroma = h.Chroma,
        KeyEstimate = key.Key,
    };
}
