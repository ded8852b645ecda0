using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
            plan.RunBlocks(frames, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, count, w) =>
            {
                var ys = new ReadOnlySpan<float>((float*)address, length);
                // |X|^power of the block's frames, bin-major [bins × BlockFrames], so that the filterbank runs as
                // vector FMAs across frames (no per-frame dot products, no dependency chains)
                const int B = Stft.BlockFrames;
                var scratch = w.Scratch(bins * B + bins);
                var p = scratch.AsSpan(bins * B, bins);
                fixed (float* pt = scratch)
                {
                    for (int t = t0; t < t0 + count; t++)
                    {
                        plan.FillFrame(ys, t, w.Frame);
                        w.Fft.Forward(w.Frame, w.Re, w.Im);
                        PowerOf(w.Re, w.Im, p, power);
                        float* col = pt + (t - t0);
                        for (int k = 0; k < p.Length; k++) col[k * B] = p[k];
                    }
                    fixed (float* pd = data)
                        for (int m = 0; m < nMels; m++)
                            MelRow(pt, fb.RowWeights(m), fb.Start[m], pd + (long)m * frames + t0, count);
                }
            });
        }
        return Spectrogram.Create(data, nMels, frames, power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Mel, options.SampleRate, options.Stft.EffectiveHopLength, options.Stft.NFft);
    }

    /// <summary>dst[c] = Σ_j weights[j]·pt[(start + j)·BlockFrames + c] for c &lt; count (one mel row over a block).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MelRow(float* pt, ReadOnlySpan<float> weights, int start, float* dst, int count)
    {
        const int B = Stft.BlockFrames;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            float* row = pt + start * B;
            for (int j = 0; j < weights.Length; j++, row += B)
            {
                var wv = Vector256.Create(weights[j]);
                a0 += wv * Vector256.Load(row); a1 += wv * Vector256.Load(row + 8);
                a2 += wv * Vector256.Load(row + 16); a3 += wv * Vector256.Load(row + 24);
                a4 += wv * Vector256.Load(row + 32); a5 += wv * Vector256.Load(row + 40);
                a6 += wv * Vector256.Load(row + 48); a7 += wv * Vector256.Load(row + 56);
            }
            float* acc = stackalloc float[B];
            a0.Store(acc); a1.Store(acc + 8); a2.Store(acc + 16); a3.Store(acc + 24);
            a4.Store(acc + 32); a5.Store(acc + 40); a6.Store(acc + 48); a7.Store(acc + 56);
            for (int c = 0; c < count; c++) dst[c] = acc[c];
            return;
        }
        for (int c = 0; c < count; c++)
        {
            float sum = 0;
            for (int j = 0; j < weights.Length; j++) sum += weights[j] * pt[(start + j) * B + c];
            dst[c] = sum;
        }
    }

    /// <summary>p[k] = |re + i·im|^power (power 2 without a square root).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
