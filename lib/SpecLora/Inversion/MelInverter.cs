using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// Mel spectrogram → audio, the whole pipeline: (dB → power) → converged NNLS to a linear magnitude on the given
/// columns → log-domain interpolation to <see cref="InversionOptions.FramesPerColumn"/> frames per column (or
/// <see cref="InversionOptions.DurationSeconds"/>) → phase (PGHI + FGLA by default) → librosa iSTFT → peak
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

    /// <summary>Inverts a mel power spectrogram [NMels × C]; each column becomes
    /// <see cref="InversionOptions.FramesPerColumn"/> frames (set 1 for a true-frame mel).</summary>
    /// <exception cref="ArgumentException">Not a mel power spectrogram of NMels bands, or non-finite / negative values.</exception>
    /// <exception cref="InversionException">A non-finite value appeared during inversion.</exception>
    public AudioClip FromMelPower(Spectrogram melPower, IProgress<InversionProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(melPower);
        var nnls = new NnlsOptions { MaxIterations = Options.NnlsIterations, ToleranceDb = Options.NnlsToleranceDb };
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 0, 1));
        var mag = Options.PinvBaseline ? MelToLinear.Pinv(melPower, Options.Mel) : MelToLinear.Nnls(melPower, Options.Mel, nnls, ct);
        progress?.Report(new InversionProgress(InversionStage.MelToLinear, 1, 1));
        int frames = Options.DurationSeconds is { } d
            ? ColumnUpsampler.FramesForDuration(d, Options.Mel.SampleRate, _plan.Options.EffectiveHopLength)
            : ColumnUpsampler.FramesFor(mag.Frames, Options.FramesPerColumn);
        progress?.Report(new InversionProgress(InversionStage.TimeAxis, 0, 1));
        mag = ColumnUpsampler.Upsample(mag, frames);
        MelTarget? target = null;
        if (Options.MelConsistent && !Options.PinvBaseline)
            target = new MelTarget(MelFilterBank.Get(Options.Mel), PhaseIteration.ToFrameMajor(ColumnUpsampler.Upsample(melPower, frames)));
        progress?.Report(new InversionProgress(InversionStage.TimeAxis, 1, 1));
        return Synthesize(mag, progress, ct, target);
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

    /// <summary>Largest spectrogram synthesised (bins × frames): 100 M coefficients ≈ 1.3 GB of working buffers,
    /// ≈ 17 min of audio at the defaults.</summary>
    public const long MaxCoefficients = 100_000_000;

    private AudioClip Synthesize(Spectrogram magnitude, IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? target)
    {
        if ((long)magnitude.Bins * magnitude.Frames > MaxCoefficients)
            throw new InversionException($"{magnitude.Frames} frames × {magnitude.Bins} bins exceeds {MaxCoefficients:N0} coefficients; lower FramesPerColumn or DurationSeconds, or invert in pieces");
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
                phase = Pghi.Estimate(mag, frames, bins, _plan.Options.NFft, _plan.Options.EffectiveHopLength, new PghiOptions { Seed = Options.Seed, Stft = Options.Mel.Stft });
                progress?.Report(new InversionProgress(InversionStage.PhaseInit, 1, 1));
                break;
            default:
                phase = PhaseIteration.RandomPhase(mag.Length, Options.Seed);
                break;
        }
        ct.ThrowIfCancellationRequested();
        int iterations = Options.Method == PhaseMethod.Pghi ? 0 : Options.Iterations;
        float momentum = Options.Method == PhaseMethod.GriffinLim ? 0.99f : FastGriffinLim.DefaultAlpha;
        var y = FastGriffinLim.Run(_plan, mag, frames, phase, iterations, momentum, progress, ct, target);
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
