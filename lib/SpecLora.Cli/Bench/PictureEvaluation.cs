using System.Diagnostics;
using System.Text.Json;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>librosa's figures for one picture, as recorded in <c>ref/librosa_metrics.json</c> (specs/metrics.md).</summary>
/// <param name="MelScGain">mel-SC after the best gain.</param>
/// <param name="ScGain">SC after the best gain.</param>
/// <param name="LsdDb">LSD (level-sensitive; librosa was handed the true level).</param>
/// <param name="LsdGainDb">LSD after the gain of SC_gain.</param>
/// <param name="MelLsdDb">mel-LSD.</param>
internal sealed record ReferenceFigures(double MelScGain, double ScGain, double LsdDb, double LsdGainDb, double MelLsdDb);

/// <summary>One picture of a real recording with its original and librosa's inversion of it (the layout of
/// <c>../shared/corpus/real</c>, described in its README).</summary>
/// <param name="Key">Picture key, e.g. <c>nutcracker_30s</c>.</param>
/// <param name="Format"><c>png</c> or <c>jpg</c>.</param>
/// <param name="PicturePath">The picture.</param>
/// <param name="OriginalPath">The original recording (44.1 kHz stereo WAV).</param>
/// <param name="OriginalDurationSeconds">Seconds of the original the picture shows (null = all of it).</param>
/// <param name="Frames">The picture's true STFT frame count (librosa's <c>S.shape[1]</c>).</param>
/// <param name="LibrosaEstimatePath">librosa's reconstruction (<c>KEY_FORMAT_librosa.wav</c>).</param>
/// <param name="Librosa">librosa's recorded figures.</param>
internal sealed record PictureCase(string Key, string Format, string PicturePath, string OriginalPath, double? OriginalDurationSeconds,
    int Frames, string LibrosaEstimatePath, ReferenceFigures Librosa)
{
    /// <summary><c>KEY_FORMAT</c>, the key of <c>librosa_metrics.json</c>.</summary>
    public string Name => $"{Key}_{Format}";
}

/// <summary>Our inversion of one picture scored against the original.</summary>
/// <param name="Case">The picture.</param>
/// <param name="Ours">Our figures (gain-free ones: <see cref="InversionMetrics.MelScGain"/>, <see cref="InversionMetrics.LsdGainDb"/>).</param>
/// <param name="Elapsed">Decode + invert time, in process.</param>
internal sealed record PictureScore(PictureCase Case, InversionMetrics Ours, TimeSpan Elapsed)
{
    /// <summary>Our mel-SC_gain over librosa's (&lt; 1 = better).</summary>
    public double MelScGainRatio => Ours.MelScGain / Case.Librosa.MelScGain;
    /// <summary>Our LSD_gain over librosa's (&lt; 1 = better).</summary>
    public double LsdGainRatio => Ours.LsdGainDb / Case.Librosa.LsdGainDb;
}

/// <summary>
/// Evaluates a picture → audio inversion against the original recording, the way <c>../shared/specs/metrics.md</c>
/// measures librosa's: the original loaded like <c>librosa.load</c> (22050 Hz mono, soxr-HQ-like resampling, the first
/// N seconds), our reconstruction inverted at the true frame count, both compared by <see cref="QualityMetrics.Compare"/>.
/// </summary>
internal static class PictureEvaluation
{
    /// <summary>The cases of a real-picture directory (<c>DIR/ref/KEY.json</c>, <c>KEY.png|jpg</c>, <c>librosa_metrics.json</c>),
    /// ordered by key then format (png first).</summary>
    /// <exception cref="FileNotFoundException">No <c>ref/librosa_metrics.json</c> under <paramref name="directory"/>.</exception>
    public static IReadOnlyList<PictureCase> LoadCases(string directory)
    {
        var refDir = Path.Combine(directory, "ref");
        var metricsPath = Path.Combine(refDir, "librosa_metrics.json");
        if (!File.Exists(metricsPath)) throw new FileNotFoundException($"{metricsPath} not found: not a real-picture directory (see ../shared/corpus/real/README.md)", metricsPath);
        using var metrics = JsonDocument.Parse(File.ReadAllText(metricsPath));
        var cases = new List<PictureCase>();
        foreach (var json in Directory.GetFiles(refDir, "*.json").Order(StringComparer.Ordinal))
        {
            string key = Path.GetFileNameWithoutExtension(json);
            if (key == "librosa_metrics") continue;
            using var info = JsonDocument.Parse(File.ReadAllText(json));
            var root = info.RootElement;
            string input = Path.Combine(directory, root.GetProperty("input").GetString()!);
            double? duration = root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
            int frames = root.GetProperty("n_frames").GetInt32();
            foreach (var format in new[] { "png", "jpg" })
            {
                if (!metrics.RootElement.TryGetProperty($"{key}_{format}", out var m)) continue;
                var figures = new ReferenceFigures(m.GetProperty("mel_SC_gain").GetDouble(), m.GetProperty("SC_gain").GetDouble(),
                    m.GetProperty("LSD_dB").GetDouble(), m.GetProperty("LSD_gain_dB").GetDouble(), m.GetProperty("mel_LSD_dB").GetDouble());
                cases.Add(new PictureCase(key, format, Path.Combine(refDir, $"{key}.{format}"), input, duration, frames,
                    Path.Combine(refDir, $"{key}_{format}_librosa.wav"), figures));
            }
        }
        return cases;
    }

    /// <summary>The original as <c>librosa.load(path, duration=…)</c> gives it: 22050 Hz mono, the first
    /// <see cref="PictureCase.OriginalDurationSeconds"/>.</summary>
    public static AudioClip LoadOriginal(PictureCase c, int sampleRate = LibrosaDefaults.SampleRate)
        => AudioLoader.Load(c.OriginalPath, new AudioLoadOptions { SampleRate = sampleRate, DurationSeconds = c.OriginalDurationSeconds });

    /// <summary>librosa's reconstruction of the case, at <paramref name="sampleRate"/>.</summary>
    public static AudioClip LoadLibrosaEstimate(PictureCase c, int sampleRate = LibrosaDefaults.SampleRate)
        => AudioLoader.Load(c.LibrosaEstimatePath, new AudioLoadOptions { SampleRate = sampleRate });

    /// <summary>Decodes and inverts the case's picture at its true frame count (<paramref name="options"/> with
    /// <see cref="InversionOptions.Frames"/> set; other time-axis settings cleared), then scores it against
    /// <paramref name="original"/>.</summary>
    public static PictureScore Evaluate(PictureCase c, AudioClip original, InversionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(c); ArgumentNullException.ThrowIfNull(original);
        var o = (options ?? new InversionOptions()) with { Frames = c.Frames, FramesPerColumn = null, DurationSeconds = null };
        var sw = Stopwatch.StartNew();
        var audio = Invert(c, o);
        sw.Stop();
        return new PictureScore(c, QualityMetrics.Compare(original, audio), sw.Elapsed);
    }

    /// <summary>Our reconstruction of the case's picture with <paramref name="options"/> as given.</summary>
    public static AudioClip Invert(PictureCase c, InversionOptions options)
        => ImageInversion.FromImage(SpectrogramImageDecoder.Decode(c.PicturePath), options);

    /// <summary>
    /// An oracle reference for interpolating between the frames a picture shows: the mel-SC_gain (against
    /// <paramref name="original"/>'s mel) of the true mel at the frames a <paramref name="width"/>-column picture shows, with
    /// every frame between two shown ones predicted from the amplitudes (√power) of the four nearest shown frames by weights
    /// fitted by least squares on <paramref name="original"/> itself, per mel band and per quarter of the gap (16 weights
    /// per band); frames beyond the first and last shown are held, as the inversion holds them. It knows the answer (exact
    /// shown frames, no picture decoding, no phase, weights fitted to the truth): not a proof for every interpolator (a
    /// weighting that varies within a quarter-gap, or a non-linear one, is not covered), but every interpolator measured
    /// (linear in dB, power or amplitude; cubics on amplitude, P^¼ or dB) lands above it. 0 when every frame is shown.
    /// </summary>
    public static double InterpolationBound(AudioClip original, int width = 640, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, $"width={width} must be > 0");
        var m = MelSpectrogram.Compute(original, mel ?? new MelOptions { SampleRate = original.SampleRate });
        int t = m.Frames, bands = m.Bins;
        var shown = FrameAxis.ForFrames(width, t).ShownFrames();
        int n = shown.Length;
        if (n == t) return 0;
        var left = new int[t]; var bucket = new int[t];
        for (int f = 0, j = 0; f < t; f++)
        {
            while (j < n - 1 && shown[j + 1] <= f) j++;
            left[f] = j;
            bucket[f] = j == n - 1 || f <= shown[j] ? -1 : Math.Min(3, 4 * (f - shown[j]) / (shown[j + 1] - shown[j]));
        }
        var est = new float[bands * t];
        Parallel.For(0, bands, k =>
        {
            double Amp(int j) => Math.Sqrt(m[k, shown[Math.Clamp(j, 0, n - 1)]]);
            var ata = new double[4, 16]; var atb = new double[4, 4];
            for (int f = 0; f < t; f++)
            {
                int q = bucket[f]; if (q < 0) continue;
                int j = left[f]; double y = Math.Sqrt(m[k, f]);
                Span<double> x = [Amp(j - 1), Amp(j), Amp(j + 1), Amp(j + 2)];
                for (int a = 0; a < 4; a++) { atb[q, a] += x[a] * y; for (int b = 0; b < 4; b++) ata[q, a * 4 + b] += x[a] * x[b]; }
            }
            var w = new double[4, 4];
            for (int q = 0; q < 4; q++)
            {
                var sol = SolveRidge(ata, atb, q);
                for (int a = 0; a < 4; a++) w[q, a] = sol[a];
            }
            for (int f = 0; f < t; f++)
            {
                int q = bucket[f], j = left[f];
                if (q < 0) { est[k * t + f] = m[k, f == shown[j] ? f : shown[j]]; continue; }   // shown, or held beyond the ends
                double v = w[q, 0] * Amp(j - 1) + w[q, 1] * Amp(j) + w[q, 2] * Amp(j + 1) + w[q, 3] * Amp(j + 2);
                est[k * t + f] = v > 0 ? (float)(v * v) : 0f;
            }
        });
        return QualityMetrics.SpectralConvergenceGain(m, m with { Data = est });
    }

    /// <summary>4×4 normal equations of bucket q, with a tiny ridge so that an empty or degenerate bucket gives weights 0.</summary>
    private static double[] SolveRidge(double[,] ata, double[,] atb, int q)
    {
        var a = new double[4, 5];
        double trace = 0;
        for (int i = 0; i < 4; i++) trace += ata[q, i * 5];
        double ridge = 1e-9 * trace + 1e-300;
        for (int i = 0; i < 4; i++) { for (int j = 0; j < 4; j++) a[i, j] = ata[q, i * 4 + j] + (i == j ? ridge : 0); a[i, 4] = atb[q, i]; }
        for (int i = 0; i < 4; i++)
        {
            int p = i;
            for (int r = i + 1; r < 4; r++) if (Math.Abs(a[r, i]) > Math.Abs(a[p, i])) p = r;
            for (int j = 0; j < 5; j++) (a[i, j], a[p, j]) = (a[p, j], a[i, j]);
            if (a[i, i] == 0) return new double[4];
            for (int r = 0; r < 4; r++)
            {
                if (r == i) continue;
                double f = a[r, i] / a[i, i];
                for (int j = i; j < 5; j++) a[r, j] -= f * a[i, j];
            }
        }
        return [a[0, 4] / a[0, 0], a[1, 4] / a[1, 1], a[2, 4] / a[2, 2], a[3, 4] / a[3, 3]];
    }

    /// <summary>
    /// The time-axis check: the clip's frames are cut into <paramref name="parts"/> equal parts; in each, the whole-frame
    /// shift s (|s| ≤ <paramref name="maxShift"/>) of the estimate's mel against the reference's that correlates best in
    /// dB (Pearson correlation of the dB mels, each floored 80 dB below its peak: level-free, and every band counts, not
    /// only the loudest). 0 in every part = no drift.
    /// </summary>
    public static int[] BestShifts(AudioClip reference, AudioClip estimate, int parts = 3, int maxShift = 3, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(reference); ArgumentNullException.ThrowIfNull(estimate);
        if (parts < 1) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"parts={parts} must be ≥ 1");
        if (maxShift < 0) throw new ArgumentOutOfRangeException(nameof(maxShift), maxShift, $"maxShift={maxShift} must be ≥ 0");
        var mo = mel ?? new MelOptions { SampleRate = reference.SampleRate };
        int n = Math.Min(reference.Length, estimate.Length);
        var r = Decibels.PowerToDb(MelSpectrogram.Compute(reference.Samples.AsSpan(0, n), reference.SampleRate, mo), DbOptions.MakeMels);
        var e = Decibels.PowerToDb(MelSpectrogram.Compute(estimate.Samples.AsSpan(0, n), estimate.SampleRate, mo), DbOptions.MakeMels);
        int frames = Math.Min(r.Frames, e.Frames), bins = r.Bins;
        var best = new int[parts];
        for (int p = 0; p < parts; p++)
        {
            int a = Math.Max(maxShift, p * frames / parts), b = Math.Min(frames - maxShift, (p + 1) * frames / parts);
            double bestCorr = double.NegativeInfinity;
            for (int s = -maxShift; s <= maxShift; s++)
            {
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0; long cnt = 0;
                for (int k = 0; k < bins; k++)
                    for (int f = a; f < b; f++)
                    {
                        double x = r[k, f], y = e[k, f + s];
                        sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; cnt++;
                    }
                if (cnt == 0) continue;
                double cov = sxy / cnt - sx / cnt * (sy / cnt), vx = sxx / cnt - sx / cnt * (sx / cnt), vy = syy / cnt - sy / cnt * (sy / cnt);
                double corr = vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : double.NegativeInfinity;
                if (corr > bestCorr) { bestCorr = corr; best[p] = s; }
            }
        }
        return best;
    }
}
