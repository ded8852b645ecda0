using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// The linear spectra the analysis works on, frame-major (<c>[t·Bins + k]</c>, one FFT's output contiguous) so that
/// per-frame reductions (chroma, flatness, tuning, the percussive median) stream through memory. Computed once per
/// clip from one STFT and shared by every measure.
/// </summary>
internal sealed class SpectralFrames
{
    /// <summary>|X|², frame-major.</summary>
    public required float[] Power { get; init; }
    /// <summary>|X|, frame-major (computed on first use).</summary>
    public float[] Magnitude => _magnitude ??= Sqrt(Power);
    private float[]? _magnitude;
    /// <summary>1 + NFft/2.</summary>
    public required int Bins { get; init; }
    /// <summary>Number of frames.</summary>
    public required int Frames { get; init; }
    /// <summary>Sample rate in Hz.</summary>
    public required int SampleRate { get; init; }
    /// <summary>FFT length.</summary>
    public required int NFft { get; init; }
    /// <summary>Hop in samples.</summary>
    public required int HopLength { get; init; }

    /// <summary>STFT of <paramref name="audio"/> (librosa <c>stft</c> with <paramref name="stft"/>) → power, frame-major.</summary>
    public static SpectralFrames FromAudio(AudioClip audio, StftOptions? stft = null)
    {
        ArgumentNullException.ThrowIfNull(audio);
        var plan = Spectral.Plan(stft ?? new StftOptions());
        var c = plan.Forward(audio.Samples, audio.SampleRate);
        var p = c.Real;   // reuse: the complex spectrogram is ours alone
        var im = c.Imag;
        // |X|² by the kernel the mel spectrogram uses, so the mel taken from these frames is bit-identical
        Parallel.For(0, c.Frames, t => MelSpectrogram.PowerOf(p.AsSpan(t * c.Bins, c.Bins), im.AsSpan(t * c.Bins, c.Bins), p.AsSpan(t * c.Bins, c.Bins), 2.0));
        return new SpectralFrames { Power = p, Bins = c.Bins, Frames = c.Frames, SampleRate = audio.SampleRate, NFft = plan.Options.NFft, HopLength = plan.Options.EffectiveHopLength };
    }

    /// <summary>From a librosa-layout linear spectrogram (power or magnitude).</summary>
    public static SpectralFrames FromSpectrogram(Spectrogram s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Axis != FrequencyAxis.Linear) throw new ArgumentException("expected a linear-frequency spectrogram (STFT bins), not a mel one", nameof(s));
        var fm = Spectral.ToFrameMajor(s);
        if (s.Scale == SpectrogramScale.Magnitude) for (int i = 0; i < fm.Length; i++) fm[i] *= fm[i];
        else if (s.Scale != SpectrogramScale.Power) throw new ArgumentException($"expected a power or magnitude spectrogram, got Scale={s.Scale}", nameof(s));
        return new SpectralFrames { Power = fm, Bins = s.Bins, Frames = s.Frames, SampleRate = s.SampleRate, NFft = s.NFft, HopLength = s.HopLength };
    }

    private static float[] Sqrt(float[] p)
    {
        var m = new float[p.Length];
        System.Numerics.Tensors.TensorPrimitives.Sqrt(p, m);
        return m;
    }
}

/// <summary>Layout helpers shared by the analysis.</summary>
internal static class Spectral
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<StftOptions, Stft> Plans = new();

    /// <summary>One shared STFT plan per setting (its forward path is safe for concurrent calls).</summary>
    public static Stft Plan(StftOptions options) => Plans.GetOrAdd(options.Validate(), static o => new Stft(o));

    /// <summary>[bins × frames] → [frames × bins] (a copy).</summary>
    public static float[] ToFrameMajor(Spectrogram s) => SpanMath.Transpose(s.Data, s.Bins, s.Frames);
}
