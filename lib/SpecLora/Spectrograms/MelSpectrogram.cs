using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpecLora.Spectrograms;

/// <summary>Mel power spectrogram (librosa <c>feature.melspectrogram</c>): M = A·|STFT|^power.</summary>
/// <example>
/// <code>
/// var clip = AudioLoader.Load("../data/audio/fur-elise-theme.wav");
/// var melPower = MelSpectrogram.Compute(clip);                    // librosa.feature.melspectrogram(y=y, sr=22050)
/// var melDb = Decibels.PowerToDb(melPower, DbOptions.MakeMels);   // power_to_db(S, ref=np.max)
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public static class MelSpectrogram
{
    /// <summary>Computes the mel spectrogram [NMels × Frames] of <paramref name="clip"/> (librosa
    /// <c>feature.melspectrogram(y=y, sr=sr)</c>). The samples are not modified. Fused and parallel: each block of frames
    /// goes window → FFT → |X|^power → filterbank without an intermediate STFT array.</summary>
    /// <param name="clip">The audio and its rate.</param>
    /// <param name="options">null = librosa's defaults at the clip's rate; otherwise their
    /// <see cref="MelOptions.SampleRate"/> must be the clip's (see <see cref="MelOptions.ForRate"/>).</param>
    /// <exception cref="ArgumentException">The rates differ (both are quoted), an option is invalid, or the clip is empty.</exception>
    public static Spectrogram Compute(SpecLora.Audio.AudioClip clip, MelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Compute(clip.Samples, clip.SampleRate, options);
    }

    /// <summary>As <see cref="Compute(SpecLora.Audio.AudioClip, MelOptions?)"/> for bare samples taken at
    /// <paramref name="sampleRate"/> Hz (e.g. a golden array); the rate is checked against the options the same way.</summary>
    public static Spectrogram Compute(ReadOnlySpan<float> y, int sampleRate, MelOptions? options = null)
    {
        var o = MelOptions.ForRate(sampleRate, options);
        return Compute(y, o, Plans.GetOrAdd(o.Stft, static s => new Stft(s)));
    }

    /// <summary>One plan per STFT setting, shared: the forward path only rents pooled workers, so concurrent calls
    /// (folders processed in parallel) are safe and repeated calls allocate no FFT plans or buffers.</summary>
    private static readonly ConcurrentDictionary<StftOptions, Stft> Plans = new();

    /// <summary>As <see cref="Compute(ReadOnlySpan{float}, int, MelOptions?)"/> with a caller-kept plan (its options must be
    /// <paramref name="options"/>.Stft), so that repeated calls reuse its workers.</summary>
    internal static unsafe Spectrogram Compute(ReadOnlySpan<float> y, MelOptions options, Stft plan)
    {
        if (plan.Options != options.Stft)
            throw new ArgumentException($"the plan's STFT options ({plan.Options}) differ from the mel options' ({options.Stft})", nameof(plan));
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
                // 8 frames at a time: their |X|^power spectra (frame-major, p8) are transposed into a bin-major tile
                // [bins × 8] (pt) by 8×8 register transposes, then each mel row is one vector FMA per filter weight
                // across the 8 frames: no per-frame dot products, and every buffer stays in L1/L2.
                int binsPad = (bins + 7) & ~7;
                var scratch = w.Scratch(16 * binsPad);
                fixed (float* pt = scratch)
                fixed (float* pd = data)
                {
                    float* p8 = pt + 8 * binsPad;
                    for (int t = t0; t < t0 + count; t++)
                    {
                        int c = t - t0;
                        plan.FillFrame(ys, t, w.Frame);
                        w.Fft.Forward(w.Frame, w.Re, w.Im);
                        PowerOf(w.Re, w.Im, new Span<float>(p8 + (c & 7) * binsPad, bins), power);
                        if ((c & 7) != 7 && t != t0 + count - 1) continue;
                        int rows = (c & 7) + 1, first = t - (c & 7);
                        Transpose8(p8, binsPad, rows, pt);
                        for (int m = 0; m < nMels; m++)
                            MelRow8(pt, fb.RowWeights(m), fb.Start[m], pd + (long)m * frames + first, rows);
                    }
                }
            });
        }
        return Spectrogram.Create(data, nMels, frames, power == 2.0 ? SpectrogramScale.Power : SpectrogramScale.Magnitude,
            FrequencyAxis.Mel, options.SampleRate, options.Stft.EffectiveHopLength, options.Stft.NFft);
    }

    /// <summary>The mel power [NMels × T] of a power spectrogram already computed frame-major (<c>[t·bins + k]</c>, |X|²),
    /// by the same 8-frame tiles and filterbank sums as <see cref="Compute(ReadOnlySpan{float}, MelOptions, Stft)"/>, so
    /// the result is bit-identical to computing it from the signal: the analysis computes one STFT and takes both its
    /// linear spectra and its mel from it.</summary>
    internal static unsafe Spectrogram FromPowerFrames(float[] powerFrameMajor, int frames, MelOptions options)
    {
        ArgumentNullException.ThrowIfNull(powerFrameMajor);
        if (options.Power != 2.0) throw new ArgumentException($"power frames give a mel of Power=2, not {options.Power}", nameof(options));
        var fb = MelFilterBank.Get(options);
        int bins = fb.NBins, nMels = fb.NMels;
        if ((long)frames * bins != powerFrameMajor.Length) throw new ArgumentException($"{powerFrameMajor.Length} values are not {frames} frames of {bins} bins", nameof(powerFrameMajor));
        var data = new float[nMels * frames];
        int binsPad = (bins + 7) & ~7, tiles = (frames + 7) / 8;
        Parallel.For(0, (tiles + 15) / 16, () => new float[16 * binsPad], (blk, _, scratch) =>
        {
            fixed (float* pt = scratch)
            fixed (float* pd = data)
            fixed (float* pp = powerFrameMajor)
            {
                float* p8 = pt + 8 * binsPad;
                for (int tile = blk * 16; tile < Math.Min(tiles, blk * 16 + 16); tile++)
                {
                    int first = tile * 8, rows = Math.Min(8, frames - first);
                    for (int r = 0; r < rows; r++)
                        new ReadOnlySpan<float>(pp + (long)(first + r) * bins, bins).CopyTo(new Span<float>(p8 + r * binsPad, bins));
                    Transpose8(p8, binsPad, rows, pt);
                    for (int m = 0; m < nMels; m++)
                        MelRow8(pt, fb.RowWeights(m), fb.Start[m], pd + (long)m * frames + first, rows);
                }
            }
            return scratch;
        }, _ => { });
        return Spectrogram.Create(data, nMels, frames, SpectrogramScale.Power, FrequencyAxis.Mel, options.SampleRate, options.Stft.EffectiveHopLength, options.Stft.NFft);
    }

    /// <summary>pt[8k + r] = p8[r·binsPad + k] for the first <paramref name="rows"/> rows (frames): an 8×8 register
    /// transpose per 8 bins, written contiguously.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Transpose8(float* p8, int binsPad, int rows, float* pt)
    {
        const int B = 8;
        if (Avx.IsSupported)
        {
            for (int k = 0; k < binsPad; k += 8)
            {
                float* r = p8 + k;
                var t0 = Avx.UnpackLow(Avx.LoadVector256(r), Avx.LoadVector256(r + binsPad));
                var t1 = Avx.UnpackHigh(Avx.LoadVector256(r), Avx.LoadVector256(r + binsPad));
                var t2 = Avx.UnpackLow(Avx.LoadVector256(r + 2 * binsPad), Avx.LoadVector256(r + 3 * binsPad));
                var t3 = Avx.UnpackHigh(Avx.LoadVector256(r + 2 * binsPad), Avx.LoadVector256(r + 3 * binsPad));
                var t4 = Avx.UnpackLow(Avx.LoadVector256(r + 4 * binsPad), Avx.LoadVector256(r + 5 * binsPad));
                var t5 = Avx.UnpackHigh(Avx.LoadVector256(r + 4 * binsPad), Avx.LoadVector256(r + 5 * binsPad));
                var t6 = Avx.UnpackLow(Avx.LoadVector256(r + 6 * binsPad), Avx.LoadVector256(r + 7 * binsPad));
                var t7 = Avx.UnpackHigh(Avx.LoadVector256(r + 6 * binsPad), Avx.LoadVector256(r + 7 * binsPad));
                var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
                var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
                var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
                var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
                float* d = pt + k * B;
                Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
                Avx.Store(d + B, Avx.Permute2x128(s1, s5, 0x20));
                Avx.Store(d + 2 * B, Avx.Permute2x128(s2, s6, 0x20));
                Avx.Store(d + 3 * B, Avx.Permute2x128(s3, s7, 0x20));
                Avx.Store(d + 4 * B, Avx.Permute2x128(s0, s4, 0x31));
                Avx.Store(d + 5 * B, Avx.Permute2x128(s1, s5, 0x31));
                Avx.Store(d + 6 * B, Avx.Permute2x128(s2, s6, 0x31));
                Avx.Store(d + 7 * B, Avx.Permute2x128(s3, s7, 0x31));
            }
            return; // rows ≥ rows hold stale values: they only reach lanes (frames) that are never written out
        }
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < binsPad; k++) pt[k * B + r] = p8[r * binsPad + k];
    }

    /// <summary>dst[c] = Σ_j weights[j]·pt[8·(start + j) + c] for c &lt; count (one mel row over 8 frames).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void MelRow8(float* pt, ReadOnlySpan<float> weights, int start, float* dst, int count)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a0 = default, a1 = default;
            float* row = pt + 8 * start;
            int j = 0;
            for (; j + 2 <= weights.Length; j += 2, row += 16)
            {
                a0 += Vector256.Create(weights[j]) * Vector256.Load(row);
                a1 += Vector256.Create(weights[j + 1]) * Vector256.Load(row + 8);
            }
            if (j < weights.Length) a0 += Vector256.Create(weights[j]) * Vector256.Load(row);
            a0 += a1;
            if (count == 8) { a0.Store(dst); return; }
            for (int c = 0; c < count; c++) dst[c] = a0.GetElement(c);
            return;
        }
        for (int c = 0; c < count; c++)
        {
            float sum = 0;
            for (int j = 0; j < weights.Length; j++) sum += weights[j] * pt[8 * (start + j) + c];
            dst[c] = sum;
        }
    }

    /// <summary>p[k] = |re + i·im|^power (power 2 without a square root).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PowerOf(ReadOnlySpan<float> re, ReadOnlySpan<float> im, Span<float> p, double power)
    {
        int n = p.Length;
        SpanMath.Multiply(re[..n], re[..n], p);
        SpanMath.MultiplyAdd(im[..n], im[..n], p, p);
        if (power == 2.0) return;
        if (power == 1.0) { SpanMath.Sqrt(p, p); return; }
        for (int k = 0; k < n; k++) p[k] = (float)Math.Pow(p[k], power / 2);
    }

    /// <summary>Applies the filterbank to an STFT: M[m,t] = Σ_k A[m,k]·|X[k,t]|^power.</summary>
    /// <param name="stft">The STFT; its <see cref="ComplexSpectrogram.SampleRate"/> is the audio's rate.</param>
    /// <param name="options">null = librosa's defaults at the STFT's rate; otherwise their rate must be the STFT's.</param>
    public static Spectrogram FromStft(ComplexSpectrogram stft, MelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stft);
        var o = MelOptions.ForRate(stft.SampleRate, options ?? new MelOptions { SampleRate = stft.SampleRate, Stft = stft.Options });
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
