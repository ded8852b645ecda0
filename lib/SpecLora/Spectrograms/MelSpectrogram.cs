using System.Numerics.Tensors;

namespace SpecLora.Spectrograms;

/// <summary>Mel power spectrogram (librosa <c>feature.melspectrogram</c>): M = A·|STFT|^power.</summary>
public static class MelSpectrogram
{
    /// <summary>Computes the mel spectrogram [NMels × Frames] of <paramref name="y"/>. The input is not modified.
    /// Fused and parallel: each block of frames goes window → FFT → |X|^power → filterbank without an intermediate
    /// STFT array.</summary>
    public static Spectrogram Compute(ReadOnlySpan<float> y, MelOptions? options = null)
    {
        var o = (options ?? new MelOptions()).Validate();
        return Compute(y, o, new Stft(o.Stft));
    }

    /// <summary>As <see cref="Compute(ReadOnlySpan{float}, MelOptions?)"/> with a caller-kept plan (its options must be
    /// <paramref name="options"/>.Stft), so that repeated calls reuse its workers.</summary>
    internal static unsafe Spectrogram Compute(ReadOnlySpan<float> y, MelOptions options, Stft plan)
    {
        var fb = MelFilterBank.Get(options);
        int frames = plan.CheckSignal(y), bins = plan.Bins, nMels = fb.NMels;
        if (fb.NBins != bins) throw new ArgumentException($"the STFT has {bins} bins but the filterbank expects {fb.NBins}", nameof(plan));
        var data = new float[nMels * frames];
        double power = options.Power;
        fixed (float* py = y)
        {
            nint address = (nint)py; int length = y.Length;
            plan.RunBlocks(frames, (t0, count, w) =>
            {
                var ys = new ReadOnlySpan<float>((float*)address, length);
                var block = w.Scratch(nMels * count + bins);
                var p = block.AsSpan(nMels * count, bins);
                for (int t = t0; t < t0 + count; t++)
                {
                    plan.FillFrame(ys, t, w.Frame);
                    w.Fft.Forward(w.Frame, w.Re, w.Im);
                    PowerOf(w.Re, w.Im, p, power);
                    int c = t - t0;
                    for (int m = 0; m < nMels; m++)
                        block[m * count + c] = TensorPrimitives.Dot(fb.RowWeights(m), p.Slice(fb.Start[m], fb.Count[m]));
                }
                for (int m = 0; m < nMels; m++)
                    block.AsSpan(m * count, count).CopyTo(data.AsSpan(m * frames + t0, count));
            });
        }
        return Spectrogram.Create(data, nMels, frames, power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Mel, options.SampleRate, options.Stft.EffectiveHopLength, options.Stft.NFft);
    }

    /// <summary>p[k] = |re + i·im|^power (power 2 without a square root).</summary>
    internal static void PowerOf(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> p, double power)
    {
        int n = p.Length;
        TensorPrimitives.Multiply(re[..n], re[..n], p);
        TensorPrimitives.MultiplyAdd(im[..n], im[..n], p, p);
        if (power == 2.0) return;
        if (power == 1.0) { TensorPrimitives.Sqrt(p, p); return; }
        for (int k = 0; k < n; k++) p[k] = (float)Math.Pow(p[k], power / 2);
    }

    /// <summary>Applies the filterbank to an STFT: M[m,t] = Σ_k A[m,k]·|X[k,t]|^power.</summary>
    public static Spectrogram FromStft(ComplexSpectrogram stft, MelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stft);
        var o = (options ?? new MelOptions()).Validate();
        var fb = MelFilterBank.Get(o);
        if (fb.NBins != stft.Bins) throw new ArgumentException($"STFT has {stft.Bins} bins but the filterbank expects {fb.NBins}", nameof(stft));
        int frames = stft.Frames, bins = stft.Bins, nMels = fb.NMels;
        var data = new float[nMels * frames];
        var mag = new float[bins];
        var mel = new float[nMels];
        for (int t = 0; t < frames; t++)
        {
            var re = stft.Real.AsSpan(t * bins, bins); var im = stft.Imag.AsSpan(t * bins, bins);
            for (int k = 0; k < bins; k++)
            {
                float p = re[k] * re[k] + im[k] * im[k];
                mag[k] = o.Power == 2.0 ? p : o.Power == 1.0 ? MathF.Sqrt(p) : (float)Math.Pow(p, o.Power / 2);
            }
            fb.Apply(mag, mel);
            for (int m = 0; m < nMels; m++) data[m * frames + t] = mel[m];
        }
        return Spectrogram.Create(data, nMels, frames, o.Power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Mel, o.SampleRate, o.Stft.EffectiveHopLength, o.Stft.NFft);
    }
}
