using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Numerics;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>How <see cref="MelToLinear.Nnls"/> starts.</summary>
public enum NnlsInit
{
    /// <summary>Flat-equivalent transpose X_f = Σ_m A_mf·(M_m/r_m) / Σ_m A_mf (r_m = row sum): smooth, non-negative.</summary>
    FlatTranspose,
    /// <summary>clip(pinv(A)·M, 0): librosa's result.</summary>
    PinvClip,
}

/// <summary>Settings of <see cref="MelToLinear.Nnls"/>.</summary>
public sealed record NnlsOptions
{
    /// <summary>Maximum FISTA iterations per column. Default 300.</summary>
    public int MaxIterations { get; init; } = 300;
    /// <summary>Stop a column once ‖AX − M‖/‖M‖ is below this, in dB (checked every 10 iterations). Default −60.</summary>
    public double ToleranceDb { get; init; } = -60;
    /// <summary>Initial estimate. Default <see cref="NnlsInit.FlatTranspose"/>.</summary>
    public NnlsInit Init { get; init; } = NnlsInit.FlatTranspose;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every bad value, quoted.</summary>
    public NnlsOptions Validate()
    {
        var p = new IO.Problems();
        p.Check(MaxIterations < 0, $"MaxIterations={MaxIterations} must be ≥ 0");
        p.Check(!double.IsFinite(ToleranceDb), $"ToleranceDb={ToleranceDb} must be finite");
        p.Check(!Enum.IsDefined(Init), $"Init={Init} is not an initial estimate");
        p.ThrowIfAny("Invalid NNLS options");
        return this;
    }
}

/// <summary>
/// Mel power → linear STFT magnitude (librosa <c>feature.inverse.mel_to_stft</c>). <see cref="Nnls"/> is a converged
/// non-negative least squares, min ‖A·X − M‖² s.t. X ≥ 0, by FISTA (projected Nesterov gradient with adaptive restart,
/// step 1/λmax(AᵀA), λmax by power iteration once per filterbank) on the sparse filterbank, columns in parallel and
/// <see cref="Vector{T}"/>-wide lanes of columns at once; then the square root. <see cref="Pinv"/> is librosa's
/// actual result: its L-BFGS-B stops at iteration 0, leaving clip(pinv(A)·M, 0). Here pinv(A) = Aᵀ(AAᵀ + εI)⁻¹
/// through a double-precision Cholesky of the 128×128 AAᵀ with ε = 1e-12·trace/n. For librosa's default filterbank
/// AAᵀ has eigenvalues 1.24e-4 … 3.60e-3 (condition ≈ 29), so this equals numpy's SVD pinv to float precision.
/// Note: librosa's L-BFGS-B stops at iteration 0 only for small-valued (ref=max / image) mels; on raw power with a
/// large maximum (e.g. the synth golden, max 1284) it does iterate (golden residual −41 dB), so pinv+clip is the
/// librosa-equivalent baseline for image inputs, not for every input.
/// </summary>
public static class MelToLinear
{
    private static readonly ConcurrentDictionary<MelFilterBank, double> LambdaCache = new();
    private static readonly ConcurrentDictionary<MelFilterBank, double[]> InverseGramCache = new();

    /// <summary>Converged NNLS: linear magnitude [1 + NFft/2 × T] whose mel power matches <paramref name="melPower"/>.</summary>
    /// <param name="melPower">Mel power [NMels × T] (any positive scale).</param>
    /// <param name="mel">The mel settings that made it (librosa defaults when null).</param>
    /// <param name="options">Iterations and tolerance.</param>
    /// <param name="ct">Cancels between column blocks.</param>
    public static Spectrogram Nnls(Spectrogram melPower, MelOptions? mel = null, NnlsOptions? options = null, CancellationToken ct = default)
    {
        var o = (options ?? new NnlsOptions()).Validate();
        var (fb, mo) = Check(melPower, mel);
        var power = SolveFrameMajor(melPower, fb, o, ct);
        return ToMagnitude(power, fb.NBins, melPower, mo);
    }

    /// <summary><see cref="Nnls"/> returning the magnitude frame-major [T × (1 + NFft/2)], as the phase iterations use it.</summary>
    internal static float[] NnlsFrameMajor(Spectrogram melPower, MelOptions mel, NnlsOptions options, CancellationToken ct)
    {
        var (fb, _) = Check(melPower, mel);
        var power = SolveFrameMajor(melPower, fb, options.Validate(), ct);
        SqrtInPlace(power);
        return power;
    }

    /// <summary><see cref="Pinv"/> returning the magnitude frame-major [T × (1 + NFft/2)].</summary>
    internal static float[] PinvFrameMajor(Spectrogram melPower, MelOptions mel)
    {
        var (fb, _) = Check(melPower, mel);
        var power = PinvPower(melPower, fb);
        SqrtInPlace(power);
        return power;
    }

    /// <summary>librosa's baseline: sqrt(clip(pinv(A)·M, 0)).</summary>
    public static Spectrogram Pinv(Spectrogram melPower, MelOptions? mel = null)
    {
        var (fb, mo) = Check(melPower, mel);
        return ToMagnitude(PinvPower(melPower, fb), fb.NBins, melPower, mo);
    }

    /// <summary>clip(pinv(A)·M, 0), frame-major.</summary>
    private static float[] PinvPower(Spectrogram melPower, MelFilterBank fb)
    {
        int frames = melPower.Frames, bins = fb.NBins;
        var power = new float[frames * bins];
        var inv = InverseGram(fb);
        Parallel.For(0, frames, () => (new double[fb.NMels], new float[fb.NMels]), (t, _, buf) =>
        {
            PinvColumn(fb, inv, melPower, t, buf.Item1, buf.Item2, power.AsSpan(t * bins, bins));
            return buf;
        }, _ => { });
        return power;
    }

    /// <summary>Relative mel residual ‖A·|X|² − M‖_F / ‖M‖_F of a linear magnitude against a mel power.</summary>
    public static double Residual(Spectrogram melPower, Spectrogram linearMagnitude, MelOptions? mel = null)
    {
        var (fb, _) = Check(melPower, mel);
        if (linearMagnitude.Bins != fb.NBins || linearMagnitude.Frames != melPower.Frames)
            throw new ArgumentException($"magnitude is {linearMagnitude.Bins}×{linearMagnitude.Frames}, expected {fb.NBins}×{melPower.Frames}", nameof(linearMagnitude));
        int frames = melPower.Frames;
        var col = new float[fb.NBins]; var m = new float[fb.NMels];
        double num = 0, den = 0;
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < fb.NBins; k++) { float v = linearMagnitude.Data[k * frames + t]; col[k] = v * v; }
            fb.Apply(col, m);
            for (int i = 0; i < fb.NMels; i++) { double target = melPower.Data[i * frames + t], d = m[i] - target; num += d * d; den += target * target; }
        }
        return den > 0 ? Math.Sqrt(num / den) : 0;
    }

    /// <summary>λmax(AᵀA) by power iteration on AAᵀ (cached per filterbank).</summary>
    internal static double LambdaMax(MelFilterBank fb) => LambdaCache.GetOrAdd(fb, f =>
    {
        var v = new float[f.NMels]; var u = new float[f.NBins]; var w = new float[f.NMels];
        Array.Fill(v, 1f / MathF.Sqrt(f.NMels));
        double lambda = 0;
        for (int it = 0; it < 500; it++)
        {
            f.ApplyTranspose(v, u); f.Apply(u, w);
            double norm = 0; foreach (var x in w) norm += (double)x * x;
            norm = Math.Sqrt(norm);
            if (norm == 0) return 1.0;
            for (int i = 0; i < v.Length; i++) v[i] = (float)(w[i] / norm);
            if (Math.Abs(norm - lambda) <= 1e-9 * norm) { lambda = norm; break; }
            lambda = norm;
        }
        return lambda * 1.01; // margin for float rounding: the step must stay ≤ 1/λmax
    });

    private static (MelFilterBank, MelOptions) Check(Spectrogram melPower, MelOptions? mel)
    {
        ArgumentNullException.ThrowIfNull(melPower);
        var mo = (mel ?? new MelOptions()).Validate();
        var fb = MelFilterBank.Get(mo);
        if (melPower.Axis != FrequencyAxis.Mel || melPower.Scale != SpectrogramScale.Power)
            throw new ArgumentException($"expected a mel power spectrogram, got Axis={melPower.Axis}, Scale={melPower.Scale}", nameof(melPower));
        if (melPower.Bins != fb.NMels)
            throw new ArgumentException($"mel spectrogram has {melPower.Bins} bands but MelOptions.NMels={fb.NMels}", nameof(melPower));
        foreach (var v in melPower.Data)
            if (!float.IsFinite(v) || v < 0) throw new ArgumentException($"mel power contains {v}; values must be finite and ≥ 0", nameof(melPower));
        return (fb, mo);
    }

    private static Spectrogram ToMagnitude(float[] powerFrameMajor, int bins, Spectrogram melPower, MelOptions mo)
    {
        SqrtInPlace(powerFrameMajor);
        var data = SpanMath.Transpose(powerFrameMajor, melPower.Frames, bins);
        return Spectrogram.Create(data, bins, melPower.Frames, SpectrogramScale.Magnitude, FrequencyAxis.Linear,
            mo.SampleRate, mo.Stft.EffectiveHopLength, mo.Stft.NFft);
    }

    private static void SqrtInPlace(float[] power)
    {
        for (int i = 0; i < power.Length; i++) power[i] = MathF.Sqrt(Math.Max(0f, power[i]));
    }

    /// <summary>(AAᵀ + εI)⁻¹ in double, row-major NMels², cached.</summary>
    private static double[] InverseGram(MelFilterBank fb) => InverseGramCache.GetOrAdd(fb, f =>
    {
        int n = f.NMels;
        var g = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                int s = Math.Max(f.Start[i], f.Start[j]), e = Math.Min(f.Start[i] + f.Count[i], f.Start[j] + f.Count[j]);
                double sum = 0;
                for (int k = s; k < e; k++) sum += (double)f[i, k] * f[j, k];
                g[i * n + j] = g[j * n + i] = sum;
            }
        double trace = 0; for (int i = 0; i < n; i++) trace += g[i * n + i];
        double eps = 1e-12 * trace / n;
        for (int i = 0; i < n; i++) g[i * n + i] += eps;
        // Cholesky G = L·Lᵀ, then G⁻¹ column by column.
        var l = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = g[i * n + j];
                for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new InversionException($"the mel filterbank Gram matrix is singular at band {i} (empty filter?); use fewer mel bands or a larger NFft");
                    l[i * n + i] = Math.Sqrt(sum);
                }
                else l[i * n + j] = sum / l[j * n + j];
            }
        var inv = new double[n * n];
        var col = new double[n];
        for (int c = 0; c < n; c++)
        {
            for (int i = 0; i < n; i++) { double sum = i == c ? 1 : 0; for (int k = 0; k < i; k++) sum -= l[i * n + k] * col[k]; col[i] = sum / l[i * n + i]; }
            for (int i = n - 1; i >= 0; i--) { double sum = col[i]; for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * col[k]; col[i] = sum / l[i * n + i]; }
            for (int i = 0; i < n; i++) inv[i * n + c] = col[i];
        }
        return inv;
    });

    private static void PinvColumn(MelFilterBank fb, double[] inv, Spectrogram melPower, int t, double[] z, float[] zf, Span<float> dst)
    {
        int n = fb.NMels, frames = melPower.Frames;
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < n; j++) sum += inv[i * n + j] * melPower.Data[j * frames + t];
            z[i] = sum;
        }
        // x = Aᵀz in double, then clip
        Span<double> x = stackalloc double[fb.NBins];
        x.Clear();
        for (int m = 0; m < n; m++)
        {
            var w = fb.RowWeights(m); int s = fb.Start[m];
            for (int i = 0; i < w.Length; i++) x[s + i] += w[i] * z[m];
        }
        for (int k = 0; k < fb.NBins; k++) dst[k] = (float)Math.Max(0, x[k]);
    }

    /// <summary>FISTA on blocks of W = Vector&lt;float&gt;.Count columns; returns power, frame-major [T × NBins].</summary>
    private static float[] SolveFrameMajor(Spectrogram melPower, MelFilterBank fb, NnlsOptions o, CancellationToken ct)
    {
        int frames = melPower.Frames, bins = fb.NBins, nMels = fb.NMels, lanes = Vector<float>.Count;
        var result = new float[frames * bins];
        double lambda = LambdaMax(fb);
        var inv = o.Init == NnlsInit.PinvClip ? InverseGram(fb) : null;
        var rowSum = new float[nMels]; var colSum = new float[bins];
        for (int m = 0; m < nMels; m++) { float sum = 0; foreach (var w in fb.RowWeights(m)) sum += w; rowSum[m] = sum; }
        for (int m = 0; m < nMels; m++) { var w = fb.RowWeights(m); for (int i = 0; i < w.Length; i++) colSum[fb.Start[m] + i] += w[i]; }
        float tol = (float)Math.Pow(10, o.ToleranceDb / 20);
        int blocks = (frames + lanes - 1) / lanes;
        // blocks per parallel task: at most 16, and at least 8 tasks per core so that the cores finish together (a 30-s
        // picture is 640 columns = 80 blocks: 16 per task left one core idle for a fifth of the solve)
        int chunk = Math.Clamp(blocks / (8 * Environment.ProcessorCount), 1, Math.Max(1, 16 / Math.Max(1, lanes / 8)));
        Parallel.For(0, (blocks + chunk - 1) / chunk, new ParallelOptions { CancellationToken = ct }, () => new Workspace(bins, nMels), (c, _, ws) =>
        {
            for (int b = c * chunk; b < Math.Min(blocks, (c + 1) * chunk); b++)
                SolveBlock(b * lanes, Math.Min(lanes, frames - b * lanes), melPower, fb, o, lambda, inv, rowSum, colSum, tol, ws, result);
            return ws;
        }, _ => { });
        return result;
    }

    private sealed class Workspace
    {
        public readonly Vector<float>[] X, XPrev, Y, G, M, R;
        public readonly double[] Z; public readonly float[] Zf;
        public readonly float[] Col;
        public Workspace(int bins, int nMels)
        {
            X = new Vector<float>[bins]; XPrev = new Vector<float>[bins]; Y = new Vector<float>[bins]; G = new Vector<float>[bins];
            M = new Vector<float>[nMels]; R = new Vector<float>[nMels];
            Col = new float[bins];
            Z = new double[nMels]; Zf = new float[nMels];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SolveBlock(int t0, int count, Spectrogram melPower, MelFilterBank fb, NnlsOptions o, double lambda,
        double[]? inv, float[] rowSum, float[] colSum, float tol, Workspace ws, float[] result)
    {
        int bins = fb.NBins, nMels = fb.NMels, frames = melPower.Frames, lanes = Vector<float>.Count;
        var x = ws.X; var xp = ws.XPrev; var y = ws.Y; var g = ws.G; var mv = ws.M; var r = ws.R;
        Span<float> tmp = stackalloc float[lanes];
        // targets, lane-interleaved; unused lanes are zero columns (solution 0)
        for (int m = 0; m < nMels; m++)
        {
            tmp.Clear();
            for (int l = 0; l < count; l++) tmp[l] = melPower.Data[m * frames + t0 + l];
            mv[m] = new Vector<float>(tmp);
        }
        var mNorm2 = Vector<float>.Zero;
        for (int m = 0; m < nMels; m++) mNorm2 += mv[m] * mv[m];
        // init
        if (inv != null)
        {
            for (int k = 0; k < bins; k++) x[k] = Vector<float>.Zero;
            for (int l = 0; l < count; l++)
            {
                PinvColumn(fb, inv, melPower, t0 + l, ws.Z, ws.Zf, ws.Col);
                for (int k = 0; k < bins; k++) { x[k].CopyTo(tmp); tmp[l] = ws.Col[k]; x[k] = new Vector<float>(tmp); }
            }
        }
        else
        {
            for (int k = 0; k < bins; k++) x[k] = Vector<float>.Zero;
            for (int m = 0; m < nMels; m++)
            {
                if (rowSum[m] <= 0) continue;
                var w = fb.RowWeights(m); int s = fb.Start[m];
                var v = mv[m] / new Vector<float>(rowSum[m]);
                for (int i = 0; i < w.Length; i++) x[s + i] += v * new Vector<float>(w[i]);
            }
            for (int k = 0; k < bins; k++) x[k] = colSum[k] > 0 ? x[k] / new Vector<float>(colSum[k]) : Vector<float>.Zero;
        }
        Array.Copy(x, y, bins); Array.Copy(x, xp, bins);
        var step = new Vector<float>((float)(1.0 / lambda));
        var tk = Vector<float>.One;
        var tol2 = mNorm2 * new Vector<float>(tol * tol);
        for (int it = 1; it <= o.MaxIterations; it++)
        {
            // r = A·y − M
            for (int m = 0; m < nMels; m++)
            {
                var w = fb.RowWeights(m); int s = fb.Start[m];
                var acc = -mv[m];
                for (int i = 0; i < w.Length; i++) acc += new Vector<float>(w[i]) * y[s + i];
                r[m] = acc;
            }
            // g = Aᵀ·r
            for (int k = 0; k < bins; k++) g[k] = Vector<float>.Zero;
            for (int m = 0; m < nMels; m++)
            {
                var w = fb.RowWeights(m); int s = fb.Start[m]; var rm = r[m];
                for (int i = 0; i < w.Length; i++) g[s + i] += new Vector<float>(w[i]) * rm;
            }
            // x_new = max(0, y − step·g); restart test (y − x_new)·(x_new − x) > 0, per lane
            var dot = Vector<float>.Zero;
            for (int k = 0; k < bins; k++)
            {
                var xn = Vector.Max(Vector<float>.Zero, y[k] - step * g[k]);
                dot += (y[k] - xn) * (xn - x[k]);
                xp[k] = x[k]; x[k] = xn;
            }
            var tNext = (Vector<float>.One + Vector.SquareRoot(Vector<float>.One + new Vector<float>(4) * tk * tk)) * new Vector<float>(0.5f);
            var restart = Vector.GreaterThan(dot, Vector<float>.Zero);
            var coef = Vector.ConditionalSelect(restart, Vector<float>.Zero, (tk - Vector<float>.One) / tNext);
            tk = Vector.ConditionalSelect(restart, Vector<float>.One, tNext);
            for (int k = 0; k < bins; k++) y[k] = x[k] + coef * (x[k] - xp[k]);

            if (it % 10 == 0 || it == o.MaxIterations)
            {
                var res = Vector<float>.Zero;
                for (int m = 0; m < nMels; m++)
                {
                    var w = fb.RowWeights(m); int s = fb.Start[m];
                    var acc = -mv[m];
                    for (int i = 0; i < w.Length; i++) acc += new Vector<float>(w[i]) * x[s + i];
                    res += acc * acc;
                }
                if (Vector.LessThanOrEqualAll(res, tol2)) break;
            }
        }
        for (int l = 0; l < count; l++)
        {
            var dst = result.AsSpan((t0 + l) * bins, bins);
            for (int k = 0; k < bins; k++) dst[k] = x[k][l];
        }
    }
}
