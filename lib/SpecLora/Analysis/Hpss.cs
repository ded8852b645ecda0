using System.Runtime.Intrinsics;
using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>HPSS settings; defaults match librosa 0.10 <c>decompose.hpss</c>: median kernels of 31 (time for the
/// harmonic part, frequency for the percussive), soft masks with power 2, margins 1.</summary>
public sealed record HpssOptions
{
    /// <summary>Median filter length along time for the harmonic part (librosa <c>kernel_size[0]</c>). Default 31.</summary>
    public int KernelSizeHarmonic { get; init; } = 31;
    /// <summary>Median filter length along frequency for the percussive part (librosa <c>kernel_size[1]</c>). Default 31.</summary>
    public int KernelSizePercussive { get; init; } = 31;
    /// <summary>Exponent of the soft mask (librosa <c>power</c>). Default 2.</summary>
    public double Power { get; init; } = 2.0;
    /// <summary>Harmonic margin (librosa <c>margin[0]</c>), ≥ 1. Default 1.</summary>
    public double MarginHarmonic { get; init; } = 1.0;
    /// <summary>Percussive margin (librosa <c>margin[1]</c>), ≥ 1. Default 1.</summary>
    public double MarginPercussive { get; init; } = 1.0;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public HpssOptions Validate()
    {
        var errors = new List<string>();
        if (KernelSizeHarmonic < 1 || KernelSizeHarmonic % 2 == 0) errors.Add($"KernelSizeHarmonic={KernelSizeHarmonic} must be a positive odd number (librosa kernel_size)");
        if (KernelSizePercussive < 1 || KernelSizePercussive % 2 == 0) errors.Add($"KernelSizePercussive={KernelSizePercussive} must be a positive odd number (librosa kernel_size)");
        if (!(Power > 0)) errors.Add($"Power={Power} must be strictly positive (librosa power)");
        if (!(MarginHarmonic >= 1) || !(MarginPercussive >= 1)) errors.Add($"margins {MarginHarmonic}, {MarginPercussive} must be ≥ 1 (librosa margin)");
        if (errors.Count > 0) throw new ArgumentException("Invalid HPSS options: " + string.Join("; ", errors));
        return this;
    }
}

/// <summary>Harmonic and percussive magnitudes in librosa's layout [bins × frames], and the harmonic ratio.</summary>
/// <param name="Harmonic">S·mask_H.</param>
/// <param name="Percussive">S·mask_P.</param>
public sealed record HpssResult(Spectrogram Harmonic, Spectrogram Percussive)
{
    /// <summary>ΣH² / (ΣH² + ΣP²) (0 for silence).</summary>
    public double HarmonicRatio => Hpss.Ratio(Harmonic.Data, Percussive.Data);
}

/// <summary>
/// Harmonic/percussive separation by median filtering (Fitzgerald 2010, "Harmonic/percussive separation using
/// median filtering", DAFx; librosa 0.10 <c>decompose.hpss</c>): harmonic = median over time of |X|, percussive =
/// median over frequency, soft (Wiener-like) masks (X/Z)^p / ((X/Z)^p + (X_ref/Z)^p) with Z = max(X, X_ref).
/// Median filters are scipy's (reflect boundary, exact medians), run as sorted sliding windows, rows in parallel.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class Hpss
{
    /// <summary>Separates a linear magnitude spectrogram (librosa <c>hpss(np.abs(stft(y)))</c>). The input is not modified.</summary>
    public static HpssResult Separate(Spectrogram magnitude, HpssOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(magnitude);
        if (magnitude.Scale != SpectrogramScale.Magnitude) throw new ArgumentException($"HPSS expects a magnitude spectrogram, got Scale={magnitude.Scale}", nameof(magnitude));
        var (h, p) = SeparateFrameMajor(Spectral.ToFrameMajor(magnitude), magnitude.Bins, magnitude.Frames, options);
        return new HpssResult(magnitude with { Data = SpanMath.Transpose(h, magnitude.Frames, magnitude.Bins) },
                              magnitude with { Data = SpanMath.Transpose(p, magnitude.Frames, magnitude.Bins) });
    }

    /// <summary>HPSS of the STFT magnitude of <paramref name="audio"/> (librosa defaults for the STFT).</summary>
    public static HpssResult Separate(AudioClip audio, HpssOptions? options = null, StftOptions? stft = null)
    {
        var s = SpectralFrames.FromAudio(audio, stft);
        var (h, p) = SeparateFrameMajor(s.Magnitude, s.Bins, s.Frames, options);
        Spectrogram Make(float[] fm) => Spectrogram.Create(SpanMath.Transpose(fm, s.Frames, s.Bins), s.Bins, s.Frames, SpectrogramScale.Magnitude, FrequencyAxis.Linear, s.SampleRate, s.HopLength, s.NFft);
        return new HpssResult(Make(h), Make(p));
    }

    /// <summary>ΣH² / (ΣH² + ΣP²), summed in double; 0 when both are zero.</summary>
    public static double Ratio(ReadOnlySpan<float> harmonic, ReadOnlySpan<float> percussive)
    {
        double h = 0, p = 0;
        foreach (var v in harmonic) h += (double)v * v;
        foreach (var v in percussive) p += (double)v * v;
        return h + p > 0 ? h / (h + p) : 0;
    }

    /// <summary>HPSS on frame-major magnitudes <c>s[t·bins + k]</c>; returns frame-major H and P.</summary>
    internal static (float[] Harmonic, float[] Percussive) SeparateFrameMajor(float[] s, int bins, int frames, HpssOptions? options)
    {
        var o = (options ?? new HpssOptions()).Validate();
        // harmonic: median along time = along the rows of the bin-major matrix
        var sb = SpanMath.Transpose(s, frames, bins);
        var hb = new float[sb.Length];
        int wh = o.KernelSizeHarmonic, wp = o.KernelSizePercussive;
        Parallel.For(0, bins, () => new float[RunningMedian.ScratchLength(frames, wh)], (k, _, win) =>
        {
            RunningMedian.Filter(sb.AsSpan(k * frames, frames), hb.AsSpan(k * frames, frames), wh, win);
            return win;
        }, _ => { });
        var harm = SpanMath.Transpose(hb, bins, frames);
        // percussive: median along frequency = along the rows of the frame-major matrix
        var perc = new float[s.Length];
        Parallel.For(0, frames, () => new float[RunningMedian.ScratchLength(bins, wp)], (t, _, win) =>
        {
            RunningMedian.Filter(s.AsSpan(t * bins, bins), perc.AsSpan(t * bins, bins), wp, win);
            return win;
        }, _ => { });
        bool splitZeros = o.MarginHarmonic == 1 && o.MarginPercussive == 1;
        float mh = (float)o.MarginHarmonic, mp = (float)o.MarginPercussive;
        double power = o.Power;
        var hOut = new float[s.Length];
        var pOut = new float[s.Length];
        bool fast = power == 2.0 && mh == 1f && mp == 1f && Vector256.IsHardwareAccelerated;
        Parallel.For(0, (frames + 63) / 64, blk =>
        {
            int i0 = blk * 64 * bins, i1 = Math.Min(frames, (blk + 1) * 64) * bins, i = i0;
            if (fast)
            {
                // the default case, 8 at a time, the same float32 operations as SoftMask
                var tiny = Vector256.Create(Onset.Tiny32); var half = Vector256.Create(0.5f);
                for (; i + 8 <= i1; i += 8)
                {
                    var h = Vector256.Create<float>(harm.AsSpan(i, 8)); var p = Vector256.Create<float>(perc.AsSpan(i, 8));
                    var z = Vector256.Max(h, p);
                    var bad = Vector256.LessThan(z, tiny);
                    var a = h / z; var b = p / z;
                    var m = a * a; var r = b * b;
                    var maskH = Vector256.ConditionalSelect(bad, half, m / (m + r));
                    var maskP = Vector256.ConditionalSelect(bad, half, r / (r + m));
                    var x = Vector256.Create<float>(s.AsSpan(i, 8));
                    (x * maskH).CopyTo(hOut.AsSpan(i, 8));
                    (x * maskP).CopyTo(pOut.AsSpan(i, 8));
                }
            }
            for (; i < i1; i++)
            {
                float h = harm[i], p = perc[i];
                hOut[i] = s[i] * SoftMask(h, p * mh, power, splitZeros);
                pOut[i] = s[i] * SoftMask(p, h * mp, power, splitZeros);
            }
        });
        return (hOut, pOut);
    }

    /// <summary>librosa <c>util.softmask</c> for one element (float32): Z = max(X, X_ref); below float32 tiny the mask
    /// is ½ (split_zeros) or 0; else (X/Z)^p / ((X/Z)^p + (X_ref/Z)^p).</summary>
    internal static float SoftMask(float x, float xRef, double power, bool splitZeros)
    {
        float z = MathF.Max(x, xRef);
        if (z < Onset.Tiny32) return splitZeros ? 0.5f : 0f;
        float a = x / z, b = xRef / z;
        float m, r;
        if (power == 2.0) { m = a * a; r = b * b; }
        else { m = (float)Math.Pow(a, power); r = (float)Math.Pow(b, power); }
        return m / (m + r);
    }
}
