using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// Mel spectrogram → audio, the whole pipeline: (dB → power) → converged NNLS to a linear magnitude on the given
/// columns → the frames between the columns filled in on the exact time axis (a <see cref="FrameAxis"/>: column c of C
/// is frame ⌊(c + 0.5)·T/C⌋, T from <see cref="InversionOptions.Frames"/>, <see cref="InversionOptions.DurationSeconds"/>
/// or <see cref="InversionOptions.FramesPerColumn"/>) → phase (PGHI + FGLA by default) → librosa iSTFT → peak
/// normalisation. Deterministic for a given seed. A plan object: reuse it for many inputs; not thread-safe.
/// For a picture, call <see cref="ImageInversion.FromImage"/>: it decides the time axis, the iterations and the floor.
/// </summary>
/// <example>
/// <code>
/// var inverter = new MelInverter(new InversionOptions { FramesPerColumn = 1 });   // a mel of true frames
/// AudioClip audio = inverter.FromMelPower(MelSpectrogram.Compute(clip));
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
/// </example>
public sealed class MelInverter
{
    private readonly GriffinLim _phase;

    /// <summary>The validated options.</summary>
    public InversionOptions Options { get; }

    /// <summary>Creates an inverter (defaults when <paramref name="options"/> is null).</summary>
    /// <exception cref="ArgumentException">A bad option (the message quotes every one).</exception>
    public MelInverter(InversionOptions? options = null)
    {
        Options = (options ?? new InversionOptions()).Validate();
        _phase = new GriffinLim(new GriffinLimOptions { Stft = Options.Mel.Stft, Seed = Options.Seed });
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
        var axis = Options.AxisFor(melPower.Frames);
        CheckSize(axis.Frames);
        return FromColumns(axis.Collapse(melPower, out var shown), shown, axis, progress, ct);
    }

    /// <summary>Inverts a dB mel (0 dB = <see cref="InversionOptions.ReferencePower"/>): power = ref·10^(dB/10), then as
    /// <see cref="FromMelPower"/>. A decoded picture goes through <see cref="ImageInversion.FromImage"/> instead.</summary>
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
        ArgumentNullException.ThrowIfNull(linearMagnitude);
        CheckSize(linearMagnitude.Frames);
        var plan = PhaseIteration.CreatePlan(Options.Mel.Stft);
        PhaseIteration.CheckMagnitude(linearMagnitude, plan, nameof(linearMagnitude));
        return Synthesize(PhaseIteration.ToFrameMajor(linearMagnitude), linearMagnitude.Frames, linearMagnitude.SampleRate, progress, ct, null);
    }

    /// <summary>Refuses, before any work, a job of <paramref name="frames"/> STFT frames beyond the one memory limit
    /// (<see cref="FrameAxis.MaxCoefficients"/>).</summary>
    /// <exception cref="InversionException">Too large; the message gives the audio length and what to change.</exception>
    internal void CheckSize(long frames)
    {
        if (FrameAxis.TooLarge(frames, Options.Mel.Stft.NFft, Options.Mel.SampleRate, Options.Mel.Stft.EffectiveHopLength) is { } why)
            throw new InversionException(why);
    }

    /// <summary>Mel power columns [NMels × n] known to show frames <paramref name="shown"/> (strictly ascending) of
    /// <paramref name="axis"/> (the columns that show one frame already averaged, <see cref="FrameAxis.Collapse"/>) →
    /// audio: NNLS on the columns, the frames between filled in (the cubic on power^¼, or linear in dB for the baseline),
    /// phase. The output is <see cref="FrameAxis.Samples"/> long when known
    /// (at most hop·(T−1); a one-frame clip is synthesised from two copies of its frame and cut to it).</summary>
    internal AudioClip FromColumns(Spectrogram melColumns, int[] shown, FrameAxis axis, IProgress<InversionProgress>? progress, CancellationToken ct)
    {
        CheckSize(axis.Frames);
        int t = Math.Max(2, axis.Frames), bins = Options.Mel.Stft.NFft / 2 + 1;
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 0, 1));
        var mag = Options.PinvBaseline ? MelToLinear.PinvFrameMajor(melColumns, Options.Mel) : MelToLinear.NnlsFrameMajor(melColumns, Options.Mel, Options.Nnls, ct);
        progress?.Report(new InversionProgress(InversionStage.TimeAxis, 0, 1));
        mag = ColumnUpsampler.PlaceFrameMajor(mag, bins, SpectrogramScale.Magnitude, shown, t, Options.BetweenColumns);
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 1, 1));
        MelTarget? target = null;
        if (Options.MelConsistent && !Options.PinvBaseline)
        {
            double? floorDb = Options.ProjectionFloorDb;
            float floorScale = floorDb is { } pf && double.IsFinite(pf) ? (float)Math.Pow(10, -pf / 10) : 0f;
            var melFrameMajor = SpanMath.Transpose(melColumns.Data, melColumns.Bins, melColumns.Frames);
            target = new MelTarget(MelFilterBank.Get(Options.Mel),
                ColumnUpsampler.PlaceFrameMajor(melFrameMajor, melColumns.Bins, SpectrogramScale.Power, shown, t, Options.BetweenColumns), floorScale);
        }
        progress?.Report(new InversionProgress(InversionStage.TimeAxis, 1, 1));
        var clip = Synthesize(mag, t, Options.Mel.SampleRate, progress, ct, target);
        int n = Math.Min(clip.Length, axis.Samples ?? clip.Length);
        if (axis.Frames == 1) n = Math.Min(clip.Length, axis.Samples ?? Options.Mel.Stft.EffectiveHopLength);
        return n == clip.Length ? clip : new AudioClip(clip.Samples.AsSpan(0, n).ToArray(), clip.SampleRate);
    }

    private AudioClip Synthesize(float[] mag, int frames, int sampleRate, IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? target)
    {
        if (frames < 2)
            throw new ArgumentException($"{frames} frame(s) after the time axis; inversion needs at least 2 (raise FramesPerColumn or DurationSeconds)");
        foreach (var v in mag) if (!float.IsFinite(v)) throw new InversionException($"the linear magnitude contains {v} (mel → linear step); check the input mel for extreme values");
        int bins = mag.Length / frames;
        float[] phase;
        switch (Options.Method)
        {
            case PhaseMethod.PghiFgla:
            case PhaseMethod.Pghi:
                progress?.Report(new InversionProgress(InversionStage.PhaseInit, 0, 1));
                phase = Pghi.Estimate(mag, frames, bins, Options.Mel.Stft.NFft, Options.Mel.Stft.EffectiveHopLength, Options.Pghi with { Seed = Options.Seed, Stft = Options.Mel.Stft });
                progress?.Report(new InversionProgress(InversionStage.PhaseInit, 1, 1));
                break;
            default:
                phase = PhaseIteration.RandomPhase(mag.Length, Options.Seed);
                break;
        }
        ct.ThrowIfCancellationRequested();
        int iterations = Options.Method == PhaseMethod.Pghi ? 0 : Options.EffectiveIterations;
        float momentum = Options.Method == PhaseMethod.GriffinLim ? 0f : Options.Momentum;
        var y = _phase.Run(mag, frames, phase, iterations, momentum, progress, ct, target);
        progress?.Report(new InversionProgress(InversionStage.Synthesis, 0, 1));
        Finish(y, Options.PeakDbfs);
        progress?.Report(new InversionProgress(InversionStage.Synthesis, 1, 1));
        return new AudioClip(y, sampleRate);
    }

    /// <summary>Checks every sample is finite (else <see cref="InversionException"/>) and scales the peak to
    /// <paramref name="peakDbfs"/> (silence stays silent).</summary>
    internal static void Finish(float[] y, double? peakDbfs)
    {
        float peak = 0;
        for (int i = 0; i < y.Length; i++)
        {
            float v = y[i];
            if (!float.IsFinite(v)) throw new InversionException($"sample {i} of the reconstruction is {v}; the inversion diverged. Try --method gl or fewer iterations, and report the input");
            float a = MathF.Abs(v); if (a > peak) peak = a;
        }
        if (peakDbfs is not { } db || peak == 0) return;
        float g = (float)(Math.Pow(10, db / 20) / peak);
        for (int i = 0; i < y.Length; i++) y[i] *= g;
    }
}
