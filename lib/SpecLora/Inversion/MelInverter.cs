using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// Mel spectrogram → audio, the whole pipeline: (dB → power) → converged NNLS to a linear magnitude on the given
/// columns → the frames between the columns filled in on the exact time axis (column c of C is frame ⌊(c + 0.5)·T/C⌋, T from
/// <see cref="InversionOptions.Frames"/>, <see cref="InversionOptions.DurationSeconds"/> or <see cref="InversionOptions.FramesPerColumn"/>) → phase (PGHI + FGLA by default) → librosa iSTFT → peak
/// normalisation. Deterministic for a given seed. A plan object: reuse it for many inputs; not thread-safe.
/// </summary>
public sealed class MelInverter
{
    private readonly Stft _plan;

    /// <summary>The validated options.</summary>
    public InversionOptions Options { get; }

    /// <summary>Creates an inverter (defaults when <paramref name="options"/> is null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bad option (the message quotes it).</exception>
    public MelInverter(InversionOptions? options = null)
    {
        Options = (options ?? new InversionOptions()).Validate();
        _plan = PhaseIteration.CreatePlan(Options.Mel.Stft);
    }

    /// <summary>Inverts a mel power spectrogram [NMels × C] whose C columns are point samples of T frames (T from
    /// <see cref="InversionOptions.Frames"/>, <see cref="InversionOptions.DurationSeconds"/> or
    /// <see cref="InversionOptions.FramesPerColumn"/>·C; set FramesPerColumn 1 for a true-frame mel): column c is frame
    /// ⌊(c + 0.5)·T/C⌋.</summary>
    /// <exception cref="ArgumentException">Not a mel power spectrogram of NMels bands, or non-finite / negative values.</exception>
    /// <exception cref="InversionException">The job is too large, or a non-finite value appeared during inversion.</exception>
    public AudioClip FromMelPower(Spectrogram melPower, IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(melPower);
        int t = TargetFrames(melPower.Frames);
        var (columns, shown) = ColumnUpsampler.Collapse(melPower, Imaging.SpectrogramImageDecoder.ColumnFrames(melPower.Frames, t));
        int? samples = Options.DurationSeconds is { } d ? (int)Math.Round(d * Options.Mel.SampleRate) : null;
        return FromColumns(columns, shown, t, samples, false, progress, ct);
    }

    /// <summary>The frame count T for a C-column mel under the options' time axis (checked against the size limit).</summary>
    /// <exception cref="InversionException">T frames would not fit (the message says what to lower).</exception>
    public int TargetFrames(int columns) => TargetFrames(Options, columns);

    /// <summary><see cref="TargetFrames(int)"/> for validated <paramref name="options"/>, without building a plan.</summary>
    internal static int TargetFrames(InversionOptions options, int columns)
    {
        long t = options.Frames ?? (options.DurationSeconds is { } d
            ? ColumnUpsampler.FramesForDuration(d, options.Mel.SampleRate, options.Mel.Stft.EffectiveHopLength)
            : (long)columns * options.EffectiveFramesPerColumn);
        CheckSize(t, options.Mel);
        return (int)t;
    }

    /// <summary>Refuses, before any work, a job of <paramref name="frames"/> STFT frames that exceeds
    /// <see cref="MaxCoefficients"/> (the working buffers would not fit in memory).</summary>
    /// <exception cref="InversionException">Too large; the message gives the audio length and what to change.</exception>
    internal static void CheckSize(long frames, MelOptions mel)
    {
        long bins = mel.Stft.NFft / 2 + 1;
        if (frames * bins <= MaxCoefficients) return;
        int hop = mel.Stft.EffectiveHopLength;
        double seconds = (double)(frames - 1) * hop / mel.SampleRate, maxSeconds = (double)(MaxCoefficients / bins - 1) * hop / mel.SampleRate;
        throw new InversionException($"{frames:N0} frames ({seconds:N0} s of audio) need {frames * bins * BytesPerCoefficient / 1e9:N1} GB of working memory; "
            + $"at most {MaxCoefficients / bins:N0} frames ({maxSeconds / 60:N1} min) are inverted at once. Lower the frames per column (-k), the duration (--duration) or the frame count (--frames), or invert the audio in pieces");
    }

    /// <summary>Columns known to show frames <paramref name="shown"/> (strictly ascending) of a <paramref name="totalFrames"/>-frame
    /// mel → audio: NNLS on the columns, the frames between filled in (<see cref="InversionOptions.BetweenColumns"/>), phase.
    /// <paramref name="outputSamples"/>, when given, sets the output length (at most hop·(T−1); a one-frame clip is
    /// synthesised from two copies of its frame and cut to it). <paramref name="picture"/>: the mel was decoded from a
    /// picture without our metadata (the automatic <see cref="InversionOptions.ProjectionFloorDb"/> applies).</summary>
    internal AudioClip FromColumns(Spectrogram melColumns, int[] shown, int totalFrames, int? outputSamples, bool picture,
        IProgress<InversionProgress>? progress, CancellationToken ct)
    {
        CheckSize(totalFrames, Options.Mel);
        int t = Math.Max(2, totalFrames);
        var nnls = Options.Nnls;
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 0, 1));
        Spectrogram mag;
        if (Options.BetweenColumns == BetweenColumns.MelDb && !Options.PinvBaseline)
            mag = Linear(ColumnUpsampler.Place(melColumns, shown, t), nnls, ct);
        else
        {
            mag = Linear(melColumns, nnls, ct);
            progress?.Report(new InversionProgress(InversionStage.TimeAxis, 0, 1));
            mag = ColumnUpsampler.Place(mag, shown, t, Options.BetweenColumns);
        }
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 1, 1));
        MelTarget? target = null;
        if (Options.MelConsistent && !Options.PinvBaseline)
        {
            float[]? weight = null;
            if (Options.UnseenFrameWeight < 1 && shown.Length < t)
            {
                weight = new float[t];
                Array.Fill(weight, Options.UnseenFrameWeight);
                foreach (int f in shown) weight[f] = 1f;
            }
            double? floorDb = Options.ProjectionFloorDb ?? (picture ? InversionOptions.PictureProjectionFloorDb : null);
            float floorScale = floorDb is { } pf && double.IsFinite(pf) ? (float)Math.Pow(10, -pf / 10) : 0f;
            target = new MelTarget(MelFilterBank.Get(Options.Mel), PhaseIteration.ToFrameMajor(ColumnUpsampler.Place(melColumns, shown, t, Options.BetweenColumns)), weight, floorScale)
                { FixedFinalIterations = Options.FixedMagnitudeFinalIterations };
        }
        progress?.Report(new InversionProgress(InversionStage.TimeAxis, 1, 1));
        var clip = Synthesize(mag, progress, ct, target, picture);
        int n = Math.Min(clip.Length, outputSamples ?? clip.Length);
        if (totalFrames == 1) n = Math.Min(clip.Length, outputSamples ?? _plan.Options.EffectiveHopLength);
        return n == clip.Length ? clip : new AudioClip(clip.Samples.AsSpan(0, n).ToArray(), clip.SampleRate);
    }

    /// <summary>Mel power → linear magnitude by the configured solver (and the optional band-level floor).</summary>
    private Spectrogram Linear(Spectrogram melPower, NnlsOptions nnls, CancellationToken ct)
    {
        if (Options.PinvBaseline) return MelToLinear.Pinv(melPower, Options.Mel);
        var mag = MelToLinear.Nnls(melPower, Options.Mel, nnls, ct);
        return Options.NnlsFloorDb is { } floorDb ? MelToLinear.FloorToBandLevel(mag, melPower, Options.Mel, floorDb) : mag;
    }

    /// <summary>Inverts a dB mel (e.g. decoded from an image, 0 dB = <see cref="InversionOptions.ReferencePower"/>):
    /// power = ref·10^(dB/10), then as <see cref="FromMelPower"/>.</summary>
    public AudioClip FromMelDb(Spectrogram melDb, IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(melDb);
        if (melDb.Scale != SpectrogramScale.Db) throw new ArgumentException($"expected a dB spectrogram, got Scale={melDb.Scale}", nameof(melDb));
        foreach (var v in melDb.Data) if (!float.IsFinite(v) || v > 400) throw new ArgumentException($"dB mel contains {v}; values must be finite and ≤ 400 dB", nameof(melDb));
        return FromMelPower(Decibels.DbToPower(melDb, Options.ReferencePower), progress, ct);
    }

    /// <summary>Reconstructs the phase of a linear magnitude [1 + NFft/2 × T] (frames as given; no time resampling).</summary>
    public AudioClip FromMagnitude(Spectrogram linearMagnitude, IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        PhaseIteration.CheckMagnitude(linearMagnitude, _plan, nameof(linearMagnitude));
        return Synthesize(linearMagnitude, progress, ct, null);
    }

    /// <summary>Largest spectrogram synthesised (bins × frames): 100 M coefficients (≈ 97,500 frames, ≈ 37 min of audio at
    /// the defaults) ≈ 2.4 GB of working buffers.</summary>
    public const long MaxCoefficients = 100_000_000;

    /// <summary>Working memory per STFT coefficient: the magnitude, two complex spectrograms, the mel-consistent
    /// target and the phase (≈ 6 floats).</summary>
    private const long BytesPerCoefficient = 24;

    private AudioClip Synthesize(Spectrogram magnitude, IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? target, bool picture = false)
    {
        CheckSize(magnitude.Frames, Options.Mel);
        if (magnitude.Frames < 2)
            throw new ArgumentException($"{magnitude.Frames} frame(s) after the time axis; inversion needs at least 2 (raise FramesPerColumn or DurationSeconds)", nameof(magnitude));
        var mag = PhaseIteration.ToFrameMajor(magnitude);
        foreach (var v in mag) if (!float.IsFinite(v)) throw new InversionException($"the linear magnitude contains {v} (mel → linear step); check the input mel for extreme values");
        int frames = magnitude.Frames, bins = _plan.Bins;
        float[] phase;
        switch (Options.Method)
        {
            case PhaseMethod.PghiFgla:
            case PhaseMethod.Pghi:
                progress?.Report(new InversionProgress(InversionStage.PhaseInit, 0, 1));
                phase = Pghi.Estimate(mag, frames, bins, _plan.Options.NFft, _plan.Options.EffectiveHopLength, Options.Pghi with { Seed = Options.Seed, Stft = Options.Mel.Stft });
                progress?.Report(new InversionProgress(InversionStage.PhaseInit, 1, 1));
                break;
            default:
                phase = PhaseIteration.RandomPhase(mag.Length, Options.Seed);
                break;
        }
        ct.ThrowIfCancellationRequested();
        int iterations = Options.Method == PhaseMethod.Pghi ? 0 : Options.EffectiveIterations(picture);
        var y = FastGriffinLim.Run(_plan, mag, frames, phase, iterations, Options.Momentum, progress, ct, target);
        progress?.Report(new InversionProgress(InversionStage.Synthesis, 0, 1));
        Finish(y, Options.PeakDbfs);
        progress?.Report(new InversionProgress(InversionStage.Synthesis, 1, 1));
        return new AudioClip(y, magnitude.SampleRate);
    }

    /// <summary>Checks every sample is finite (else <see cref="InversionException"/>) and scales the peak to
    /// <paramref name="peakDbfs"/> (silence stays silent).</summary>
    internal static void Finish(float[] y, double? peakDbfs)
    {
        float peak = 0;
        for (int i = 0; i < y.Length; i++)
        {
            float v = y[i];
            if (!float.IsFinite(v)) throw new InversionException($"sample {i} of the reconstruction is {v}; the inversion diverged. Try PhaseMethod.GriffinLim or fewer iterations, and report the input");
            float a = MathF.Abs(v); if (a > peak) peak = a;
        }
        if (peakDbfs is not { } db || peak == 0) return;
        float g = (float)(Math.Pow(10, db / 20) / peak);
        for (int i = 0; i < y.Length; i++) y[i] *= g;
    }
}
