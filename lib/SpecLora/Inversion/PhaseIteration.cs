using System.Runtime.CompilerServices;
using System.Numerics;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>A mel power target for <see cref="PhaseIteration.ProjectMel"/>: frame-major [frames × NMels].</summary>
internal sealed class MelTarget
{
    public MelFilterBank FilterBank { get; }
    public float[] Mel { get; }
    /// <summary>1/Σ_m A_mk, 0 where no filter covers bin k.</summary>
    public float[] InverseColumnSum { get; }
    /// <summary>Bins no filter covers (they keep the fixed magnitude).</summary>
    public int[] Uncovered { get; }

    /// <summary>Per frame (frame-major [frames × NBins]), the floor of the projected magnitude, or null for none:
    /// s_k ≥ √(floorScale·min over the bands m covering bin k of M_m/r_m), r_m = Σ_k A_mk (the band's power spread evenly
    /// over its bins; the min keeps a silent neighbour band silent). Computed once, so each iteration pays one max.</summary>
    public float[]? Floor { get; }
    public MelTarget(MelFilterBank fb, float[] melFrameMajor, float floorScale = 0f)
    {
        FilterBank = fb; Mel = melFrameMajor;
        var col = new float[fb.NBins];
        for (int m = 0; m < fb.NMels; m++) { var w = fb.RowWeights(m); for (int i = 0; i < w.Length; i++) col[fb.Start[m] + i] += w[i]; }
        InverseColumnSum = new float[fb.NBins];
        for (int k = 0; k < col.Length; k++) InverseColumnSum[k] = col[k] > 0 ? 1f / col[k] : 0f;
        Uncovered = Enumerable.Range(0, fb.NBins).Where(k => col[k] <= 0).ToArray();
        if (floorScale > 0) Floor = ComputeFloor(fb, melFrameMajor, floorScale, col);
    }

    private static float[] ComputeFloor(MelFilterBank fb, float[] mel, float floorScale, float[] colSum)
    {
        int nMels = fb.NMels, bins = fb.NBins, frames = mel.Length / nMels;
        var scale = new float[nMels];
        for (int m = 0; m < nMels; m++) { float r = 0; foreach (var w in fb.RowWeights(m)) r += w; scale[m] = r > 0 ? floorScale / r : 0f; }
        var floor = new float[frames * bins];
        Parallel.For(0, (frames + 63) / 64, blk =>
        {
            for (int t = blk * 64; t < Math.Min(frames, blk * 64 + 64); t++)
            {
                var f = floor.AsSpan(t * bins, bins);
                f.Fill(float.MaxValue);
                for (int m = 0; m < nMels; m++)
                {
                    var g = f.Slice(fb.Start[m], fb.Count[m]);
                    SpanMath.Min(g, mel[t * nMels + m] * scale[m], g);
                }
                for (int k = 0; k < bins; k++) if (colSum[k] <= 0) f[k] = 0f;
                SpanMath.Sqrt(f, f);
            }
        });
        return floor;
    }
}

/// <summary>
/// The Griffin-Lim / FGLA loop on frame-major buffers, in librosa's order:
/// t = stft(istft(c)); a = t − β·t_prev (β = α/(1+α), skipped on the first iteration); c = S·a/(|a| + tiny).
/// Only the phase of <c>a</c> survives, so this is FGLA's t + α(t − t_prev) up to scale. Two complex buffers
/// alternate between the roles "c" and "t_prev", so memory is S plus two complex spectrograms plus one signal.
/// </summary>
internal static class PhaseIteration
{
    private const float Tiny = 1.17549435e-38f;

    /// <summary>Runs <paramref name="iterations"/> iterations starting from c = (<paramref name="cRe"/>, <paramref name="cIm"/>)
    /// (overwritten) and returns istft of the final c (length hop·(T−1), librosa's length=None).</summary>
    public static float[] Run(Stft plan, float[] mag, int frames, float[] cRe, float[] cIm, int iterations,
        float momentum, IProgress<InversionProgress>? progress, CancellationToken ct, MelTarget? melTarget = null)
    {
        int total = frames * plan.Bins;
        var padded = new float[plan.PaddedLength(frames)];
        float[] curRe = cRe, curIm = cIm;
        float[] othRe = new float[total], othIm = new float[total];
        float beta = momentum / (1 + momentum);
        for (int it = 0; it < iterations; it++)
        {
            ct.ThrowIfCancellationRequested();
            plan.InversePadded(curRe, curIm, frames, padded);
            float b = it == 0 ? 0f : beta;
            float[] rRe = curRe, rIm = curIm, pRe = othRe, pIm = othIm;
            int bins = plan.Bins;
            // rebuilt t → cur (overwrites c, no longer needed); new c → oth (t_prev no longer needed after use).
            bool mel = melTarget != null;
            plan.ForwardPadded(padded, frames, rRe, rIm, !mel
                ? (t0, count, _) => Project(mag, rRe, rIm, pRe, pIm, t0 * bins, count * bins, b)
                : (t0, count, _) => ProjectMel(melTarget!, mag, rRe, rIm, pRe, pIm, t0, count, bins, b));
            (curRe, othRe) = (othRe, curRe);
            (curIm, othIm) = (othIm, curIm);
            progress?.Report(new InversionProgress(InversionStage.PhaseIterations, it + 1, iterations));
        }
        plan.InversePadded(curRe, curIm, frames, padded);
        var y = new float[plan.OutputLength(frames)];
        padded.AsSpan(plan.Pad, y.Length).CopyTo(y);
        return y;
    }

    /// <summary>For i in [start, start+count): a = r − β·p; p ← S·a/(|a| + tiny). r is left as the next t_prev.</summary>
    internal static void Project(float[] mag, float[] rRe, float[] rIm, float[] pRe, float[] pIm, int start, int count, float beta)
        => ApplyMagnitude(mag.AsSpan(start, count), rRe.AsSpan(start, count), rIm.AsSpan(start, count), pRe.AsSpan(start, count), pIm.AsSpan(start, count), beta);

    /// <summary>The projection kernel shared by <see cref="Project"/> and <see cref="ProjectMel"/>:
    /// a = x − β·y; y ← s·a/(|a| + tiny).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyMagnitude(ReadOnlySpan<float> s, ReadOnlySpan<float> xr, ReadOnlySpan<float> xi, Span<float> yr, Span<float> yi, float beta)
    {
        int count = s.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var vb = new Vector<float>(beta); var vt = new Vector<float>(Tiny);
            for (; i <= count - w; i += w)
            {
                var ar = new Vector<float>(xr.Slice(i)) - vb * new Vector<float>(yr.Slice(i));
                var ai = new Vector<float>(xi.Slice(i)) - vb * new Vector<float>(yi.Slice(i));
                var g = new Vector<float>(s.Slice(i)) / (Vector.SquareRoot(ar * ar + ai * ai) + vt);
                (ar * g).CopyTo(yr.Slice(i));
                (ai * g).CopyTo(yi.Slice(i));
            }
        }
        for (; i < count; i++)
        {
            float ar = xr[i] - beta * yr[i], ai = xi[i] - beta * yi[i];
            float g = s[i] / (MathF.Sqrt(ar * ar + ai * ai) + Tiny);
            yr[i] = ar * g; yi[i] = ai * g;
        }
    }

    /// <summary>
    /// Mel-consistent projection: the magnitude is re-estimated from the rebuilt |t|² by one multiplicative
    /// (Richardson-Lucy / KL-NMF) step towards the target mel, S² = |t|²·Aᵀ(M ⊘ A|t|²)/Aᵀ1, so the iteration matches
    /// the mel it was asked for instead of one particular linear magnitude; bins no filter covers keep
    /// <paramref name="mag"/>. The phase update is the same as <see cref="Project"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ProjectMel(MelTarget target, float[] mag, float[] rRe, float[] rIm, float[] pRe, float[] pIm,
        int t0, int count, int bins, float beta)
    {
        var fb = target.FilterBank; int nMels = fb.NMels;
        Span<float> power = stackalloc float[bins];
        Span<float> ratio = stackalloc float[nMels];
        Span<float> gain = stackalloc float[bins];
        var colInv = target.InverseColumnSum;
        Span<float> tmp = stackalloc float[bins];
        for (int t = t0; t < t0 + count; t++)
        {
            int o = t * bins;
            var xr = rRe.AsSpan(o, bins); var xi = rIm.AsSpan(o, bins);
            SpanMath.Multiply(xr, xr, power);
            SpanMath.MultiplyAdd(xi, xi, power, power);
            var m = target.Mel.AsSpan(t * nMels, nMels);
            for (int b = 0; b < nMels; b++)
            {
                var w = fb.RowWeights(b);
                float sum = SpanMath.Dot(w, power.Slice(fb.Start[b], w.Length));
                ratio[b] = sum > 1e-30f ? m[b] / sum : 0f;
            }
            gain.Clear();
            for (int b = 0; b < nMels; b++)
            {
                var w = fb.RowWeights(b); var g = gain.Slice(fb.Start[b], w.Length);
                SpanMath.MultiplyAdd(w, ratio[b], g, g);
            }
            // s = √(P·G), G = gain/colsum, where a filter covers the bin, else the fixed magnitude
            SpanMath.Multiply(gain, colInv, gain);
            SpanMath.Multiply(power, gain, tmp);
            SpanMath.Sqrt(tmp, tmp);
            if (target.Floor is { } floor) SpanMath.Max(tmp, floor.AsSpan(o, bins), tmp);
            var yr = pRe.AsSpan(o, bins); var yi = pIm.AsSpan(o, bins); var fixedMag = mag.AsSpan(o, bins);
            foreach (int k in target.Uncovered) tmp[k] = fixedMag[k];
            ApplyMagnitude(tmp, xr, xi, yr, yi, beta);
        }
    }

    /// <summary>c = S·e^{iφ} for a frame-major phase; zero phase when <paramref name="phase"/> is null.</summary>
    public static (float[] Re, float[] Im) FromPhase(float[] mag, float[]? phase)
    {
        var re = new float[mag.Length]; var im = new float[mag.Length];
        if (phase == null) { mag.CopyTo(re, 0); return (re, im); }
        Parallel.For(0, (mag.Length + 65535) / 65536, b =>
        {
            int s = b * 65536, e = Math.Min(mag.Length, s + 65536);
            for (int i = s; i < e; i++)
            {
                var (sin, cos) = MathF.SinCos(phase[i]);   // float: the phase is a float already
                re[i] = mag[i] * cos; im[i] = mag[i] * sin;
            }
        });
        return (re, im);
    }

    /// <summary>Uniform random phase in [0, 2π) from <paramref name="seed"/> (deterministic, frame-major order).</summary>
    public static float[] RandomPhase(int count, int seed)
    {
        var rng = new Random(seed);
        var p = new float[count];
        for (int i = 0; i < count; i++) p[i] = (float)(2 * Math.PI * rng.NextDouble());
        return p;
    }

    /// <summary>Bin-major [bins × frames] → frame-major [frames × bins] (a copy).</summary>
    public static float[] ToFrameMajor(Spectrogram s) => SpanMath.Transpose(s.Data, s.Bins, s.Frames);

    /// <summary>An <see cref="Stft"/> plan for <see cref="Run"/> (librosa defaults when null). The loop frames the
    /// zero-padded buffer that <see cref="Stft.InversePadded"/> leaves, so only librosa's default framing is
    /// supported: Center=true, PadMode=Constant, HopLength ≤ NFft.</summary>
    /// <exception cref="ArgumentException">Other framing.</exception>
    public static Stft CreatePlan(StftOptions? options)
    {
        var o = (options ?? new StftOptions()).Validate();
        if (!o.Center || o.PadMode != PadMode.Constant)
            throw new ArgumentException($"inversion supports librosa's default framing only (Center=true, PadMode=Constant), got Center={o.Center}, PadMode={o.PadMode}", nameof(options));
        if (o.EffectiveHopLength > o.NFft)
            throw new ArgumentException($"HopLength={o.EffectiveHopLength} must be ≤ NFft={o.NFft} for inversion", nameof(options));
        return new Stft(o);
    }

    /// <summary>Checks that a linear magnitude spectrogram fits the plan and holds finite, non-negative values.</summary>
    public static void CheckMagnitude(Spectrogram magnitude, Stft plan, string paramName)
    {
        ArgumentNullException.ThrowIfNull(magnitude, paramName);
        if (magnitude.Axis != FrequencyAxis.Linear || magnitude.Scale != SpectrogramScale.Magnitude)
            throw new ArgumentException($"expected a linear-frequency magnitude spectrogram, got Axis={magnitude.Axis}, Scale={magnitude.Scale}", paramName);
        if (magnitude.Bins != plan.Bins)
            throw new ArgumentException($"spectrogram has {magnitude.Bins} bins but NFft={plan.Options.NFft} needs {plan.Bins}", paramName);
        if (magnitude.Frames < 2)
            throw new ArgumentException($"spectrogram has {magnitude.Frames} frame(s); inversion needs at least 2", paramName);
        foreach (var v in magnitude.Data)
            if (!float.IsFinite(v) || v < 0)
                throw new ArgumentException($"magnitude contains {v}; values must be finite and ≥ 0", paramName);
    }
}
