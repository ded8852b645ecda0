using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// The measures of one mel-spectrogram picture at its own scale (<see cref="PictureMeasures.Compute"/>). A value is
/// NaN when it cannot be computed (a picture of one level, or too few varying cells): never a division by a zero spread.
/// </summary>
/// <param name="TemporalCoherence">Pooled lag-1 autocorrelation of 8-column block means (0 = no order across columns). Scored.</param>
/// <param name="OctaveHarmonicity">Correlation of the log-frequency spectrum with itself one octave up, minus the mean at
/// 11 and 13 semitones (0 = no harmonic partial structure). Scored.</param>
/// <param name="BandCovariation">How much more neighbouring mel bands co-vary over time than two bands of the same
/// octave (0 = no more). Scored.</param>
/// <param name="SpectralSharpness">γ_f(1)/γ_f(2), the frequency structure function at 1 and 2 bands (0.25 = smooth,
/// 1 = white). Scored.</param>
/// <param name="TemporalSharpness">γ_t(4)/γ_t(8), the time structure function at 4 and 8 canonical columns (0.25 =
/// smooth, 1 = white). Scored.</param>
/// <param name="AttackDecayAsymmetry">Skewness of the column-to-column differences (positive: fast rises, slow decays;
/// time reversal flips its sign). Reported, not scored.</param>
/// <param name="FormRecurrence">Mean over 8-column blocks of the best correlation with a block at least 4 blocks away
/// (sections that return). Reported, not scored.</param>
public sealed record PictureMeasureSet(
    double TemporalCoherence,
    double OctaveHarmonicity,
    double BandCovariation,
    double SpectralSharpness,
    double TemporalSharpness,
    double AttackDecayAsymmetry,
    double FormRecurrence)
{
    /// <summary>Names of the measures (as in the reference table and the JSON), in the order of <see cref="ToArray"/>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["temporal_coherence", "octave_harmonicity", "band_covariation", "spectral_sharpness", "temporal_sharpness", "attack_decay_asymmetry", "form_recurrence"];

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public double[] ToArray() => [TemporalCoherence, OctaveHarmonicity, BandCovariation, SpectralSharpness, TemporalSharpness, AttackDecayAsymmetry, FormRecurrence];

    /// <summary>Name → value, in the order of <see cref="Names"/>.</summary>
    internal Dictionary<string, double> ToDictionary()
    {
        var v = ToArray();
        var d = new Dictionary<string, double>(v.Length);
        for (int i = 0; i < v.Length; i++) d[Names[i]] = v[i];
        return d;
    }

    /// <summary>The set from values in the order of <see cref="Names"/>.</summary>
    internal static PictureMeasureSet FromArray(IReadOnlyList<double> v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.Count != Names.Count) throw new ArgumentException($"expected {Names.Count} measure values, got {v.Count}", nameof(v));
        return new(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }
}

/// <summary>
/// Measures of a whole-piece mel-spectrogram picture (makeMels.py: 128 Slaney mels, one point-sampled STFT frame per
/// pixel column, 4–60 frames per column) at the picture's own scale: structure ACROSS columns and ACROSS bands, not
/// per-column colour statistics. Input is the decoded dB mel (bins × columns, bin 0 lowest). Definitions, sources and
/// validation: <c>lib/SpecLora/Analysis/README.md</c>, "Is it music? at the picture's own scale".
/// </summary>
/// <remarks>
/// <para><b>Geometry.</b> The time axis is first resampled to <see cref="CanonicalColumns"/> = 640 columns (linear
/// interpolation at the canonical column centres; a box prefilter first when the picture is wider than 1280 columns), so
/// a 1024-wide picture (the training zip's stretch, five of the seven LoRA results) is measured on the grid of the
/// 640-wide original. The frequency axis must have <see cref="ExpectedBins"/> = 128 bands (what the decoder returns).</para>
/// <para><b>Level.</b> Every measure is a ratio of second (or third) moments of differences, so it is unchanged by
/// a·X + c (a &gt; 0) of the dB values: the ref=max level and the dB range of the colormap do not matter.</para>
/// <para><b>Scale.</b> Nothing looks at adjacent canonical columns except <see cref="PictureMeasureSet.AttackDecayAsymmetry"/>:
/// the 640→1024 Mitchell resize of the training zip smooths the time axis at the 1–2 column scale (lag-1
/// column correlation 0.47 → 0.84 on the reference pieces), so the scored time measures work at 4–8 columns.</para>
/// <para>Structure function (variogram): γ(k) = mean of (X[i+k] − X[i])² along one axis, pooled over the other;
/// γ(∞) = 2 · mean variance. Sources: Matheron (1963) for the variogram; Geary (1954) for the contiguity ratio γ(1)/γ(∞);
/// Pentland (1984) for roughness from the variogram's slope.</para>
/// <para>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</para>
/// </remarks>
public static class PictureMeasures
{
    /// <summary>Columns of the canonical time grid (makeMels' picture width).</summary>
    public const int CanonicalColumns = 640;
    /// <summary>Mel bands the measures expect (makeMels' n_mels).</summary>
    public const int ExpectedBins = 128;
    /// <summary>Fewest columns a picture may have.</summary>
    public const int MinColumns = 16;
    /// <summary>Block length in canonical columns for <see cref="PictureMeasureSet.TemporalCoherence"/> and
    /// <see cref="PictureMeasureSet.FormRecurrence"/>: 8 columns (≥ the JPEG block, ≫ the resize kernel).</summary>
    internal const int BlockColumns = 8;
    /// <summary>Smallest separation, in blocks, of two blocks compared by <see cref="PictureMeasureSet.FormRecurrence"/>.</summary>
    internal const int FormMinSeparationBlocks = 4;
    /// <summary>Lower edge of the log-frequency region used by <see cref="PictureMeasureSet.OctaveHarmonicity"/>: Slaney
    /// mels are logarithmic above 1 kHz (2.17 bands per semitone at 22050 Hz, 128 mels).</summary>
    internal const double LogRegionHz = 1000;
    /// <summary>Lags, in columns, of <see cref="PictureMeasureSet.TemporalSharpness"/> (γ_t(4)/γ_t(8)).</summary>
    internal const int TemporalSharpnessLag = 4;
    /// <summary>A spread at or below this is zero: the ratio that would divide by it is NaN.</summary>
    internal const double ZeroSpread = 1e-12;

    /// <summary>Computes every measure of a decoded dB mel picture.</summary>
    /// <param name="db">dB mel, <see cref="ExpectedBins"/> bands × at least <see cref="MinColumns"/> columns, bin 0 lowest
    /// (<c>SpectrogramImageDecoder.Decode(path).Db</c>).</param>
    /// <exception cref="ArgumentException">Not 128 bands, or fewer than 16 columns (the sentence says which).</exception>
    /// <example>
    /// <code>
    /// var m = PictureMeasures.Compute(SpectrogramImageDecoder.Decode("res5.png").Db);
    /// Console.WriteLine($"octave harmonicity {m.OctaveHarmonicity:F3}");
    /// MusicVerdict v = MusicScoreModel.Reference.Judge(m);
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static PictureMeasureSet Compute(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Bins != ExpectedBins) throw new ArgumentException($"the picture has {db.Bins} mel bands; the picture measures need {ExpectedBins} (decode it with n_mels = {ExpectedBins})", nameof(db));
        if (db.Frames < MinColumns) throw new ArgumentException($"the picture has {db.Frames} columns; the picture measures need at least {MinColumns}", nameof(db));
        var x = Canonicalize(db);
        int bins = db.Bins, t = CanonicalColumns;
        var centres = MelFilterBank.Get(new MelOptions { SampleRate = db.SampleRate, NMels = bins }).CentersHz;
        return new PictureMeasureSet(
            TemporalCoherence: TemporalCoherence(x, bins, t),
            OctaveHarmonicity: OctaveHarmonicity(x, bins, t, centres),
            BandCovariation: BandCovariation(x, bins, t, Controls.OctaveGroups(centres)),
            SpectralSharpness: Ratio(GammaF(x, bins, t, 1), GammaF(x, bins, t, 2)),
            TemporalSharpness: Ratio(GammaT(x, bins, t, TemporalSharpnessLag), GammaT(x, bins, t, 2 * TemporalSharpnessLag)),
            AttackDecayAsymmetry: AttackDecayAsymmetry(x, bins, t),
            FormRecurrence: FormRecurrence(x, bins, t));
    }

    /// <summary>
    /// The dB mel on the canonical grid: <paramref name="db"/>.Bins × <see cref="CanonicalColumns"/>, row-major. Column c
    /// samples the picture at x = (c + ½)·W/640 − ½ by linear interpolation; a picture wider than 1280 columns is first
    /// averaged over boxes of W/640 columns around each sample (anti-aliasing). At W = 640 it is the picture itself.
    /// </summary>
    internal static double[] Canonicalize(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        int bins = db.Bins, w = db.Frames, n = CanonicalColumns;
        var o = new double[bins * n];
        ReadOnlySpan<float> src = db.Data;
        if (w == n) { for (int i = 0; i < o.Length; i++) o[i] = src[i]; return o; }
        double r = (double)w / n;
        if (w > 2 * n)
        {
            for (int c = 0; c < n; c++)
            {
                double a = c * r, e = (c + 1) * r;
                int i0 = (int)Math.Floor(a), i1 = Math.Min(w - 1, (int)Math.Ceiling(e) - 1);
                for (int b = 0; b < bins; b++)
                {
                    var row = src.Slice(b * w, w);
                    double s = 0;
                    for (int i = i0; i <= i1; i++) s += (Math.Min(e, i + 1) - Math.Max(a, i)) * row[i];
                    o[b * n + c] = s / r;
                }
            }
            return o;
        }
        for (int c = 0; c < n; c++)
        {
            double pos = Math.Clamp((c + 0.5) * r - 0.5, 0, w - 1);
            int i0 = Math.Min((int)Math.Floor(pos), w - 1), i1 = Math.Min(i0 + 1, w - 1);
            double f = pos - i0;
            for (int b = 0; b < bins; b++) o[b * n + c] = (1 - f) * src[b * w + i0] + f * src[b * w + i1];
        }
        return o;
    }

    /// <summary>
    /// Temporal coherence: the matrix is averaged over blocks of <see cref="BlockColumns"/> columns (80 blocks), then
    /// 1 − γ(1)/γ(∞) along the blocks, pooled over bands: the lag-1 autocorrelation of every band's block contour,
    /// Geary's contiguity ratio turned into a correlation. Music's notes, dynamics and sections last several blocks
    /// (Voss &amp; Clarke 1975: loudness and pitch fluctuate as 1/f); shuffled columns and noise give 0.
    /// </summary>
    internal static double TemporalCoherence(double[] x, int bins, int t)
    {
        int n = t / BlockColumns;
        var y = BlockMeans(x, bins, t, n);
        return 1 - Ratio(GammaT(y, bins, n, 1), GammaInf(y, bins, n));
    }

    /// <summary>
    /// Octave harmonicity, in the log-frequency region (band centres ≥ <see cref="LogRegionHz"/>), where a harmonic
    /// spectrum is the same pattern at any pitch (Brown 1991, 1992): the correlation between the dB value of band b and
    /// of the (interpolated) band one octave above, over all columns and bands, after removing each column's and each
    /// band's mean (double centring), minus the mean of the same correlation at 11 and 13 semitones. Partials of
    /// harmonic tones coincide at the octave (2:1) and not a semitone beside it; the nearby lags cancel the smooth
    /// spectral envelope. Tuning and key do not matter. Rows shuffled within octaves, noise and smearing give ≈ 0.
    /// </summary>
    internal static double OctaveHarmonicity(double[] x, int bins, int t, double[] centres)
    {
        double c12 = LogLagCorrelation(x, bins, t, centres, 12);
        double c11 = LogLagCorrelation(x, bins, t, centres, 11);
        double c13 = LogLagCorrelation(x, bins, t, centres, 13);
        return c12 - 0.5 * (c11 + c13);
    }

    /// <summary>Double-centred correlation of band b with the band <paramref name="semitones"/> above it (linear
    /// interpolation between band centres), over the log region. Every lag uses the same set of lower bands (those whose
    /// 13-semitone partner lies within the top band) so the three lags compare alike.</summary>
    private static double LogLagCorrelation(double[] x, int bins, int t, double[] centres, int semitones)
    {
        int b0 = Array.FindIndex(centres, f => f >= LogRegionHz);
        if (b0 < 0) return double.NaN;
        double maxRatio = Math.Pow(2, 13.0 / 12), ratio = Math.Pow(2, semitones / 12.0);
        var lower = new List<int>();
        for (int b = b0; b < bins; b++) if (centres[b] * maxRatio <= centres[bins - 1]) lower.Add(b);
        int n = lower.Count;
        if (n < 8) return double.NaN;
        var a = new double[n * t];
        var c = new double[n * t];
        for (int i = 0; i < n; i++)
        {
            int b = lower[i];
            double target = centres[b] * ratio;
            int j = Array.BinarySearch(centres, target);
            if (j < 0) j = ~j;
            j = Math.Clamp(j, 1, bins - 1);
            double f = (target - centres[j - 1]) / (centres[j] - centres[j - 1]);
            ReadOnlySpan<double> own = x.AsSpan(b * t, t), below = x.AsSpan((j - 1) * t, t), above = x.AsSpan(j * t, t);
            Span<double> ai = a.AsSpan(i * t, t), ci = c.AsSpan(i * t, t);
            for (int k = 0; k < t; k++)
            {
                ai[k] = own[k];
                ci[k] = (1 - f) * below[k] + f * above[k];
            }
        }
        DoubleCentre(a, n, t);
        DoubleCentre(c, n, t);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += a[i] * c[i]; saa += a[i] * a[i]; sbb += c[i] * c[i]; }
        return saa > ZeroSpread && sbb > ZeroSpread ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }

    /// <summary>
    /// Band co-variation: each band's mean over time is removed (the static spectral envelope), then within every
    /// octave of band centres with at least 3 bands, 1 − (mean squared difference of neighbouring bands) / (mean squared
    /// difference of any two bands of that octave), pooled over columns and octaves. Natural sounds modulate neighbouring
    /// frequencies together (comodulation, Hall, Haggard &amp; Fernandes 1984); rows shuffled within octaves give 0.
    /// </summary>
    internal static double BandCovariation(double[] x, int bins, int t, int[][] groups)
    {
        var r = new double[x.Length];
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = x.AsSpan(b * t, t);
            Span<double> dst = r.AsSpan(b * t, t);
            double m = 0;
            for (int k = 0; k < t; k++) m += row[k];
            m /= t;
            for (int k = 0; k < t; k++) dst[k] = row[k] - m;
        }
        double sn = 0, sp = 0; long nn = 0, np = 0;
        foreach (var g in groups)
        {
            if (g.Length < 3) continue;
            for (int k = 0; k < t; k++)
            {
                for (int i = 0; i + 1 < g.Length; i++) { double d = r[g[i + 1] * t + k] - r[g[i] * t + k]; sn += d * d; nn++; }
                // Σ over pairs i < j of (r_i − r_j)² = n · Σ_i (r_i − mean)²
                double m = 0, q = 0;
                foreach (var b in g) m += r[b * t + k];
                m /= g.Length;
                foreach (var b in g) { double d = r[b * t + k] - m; q += d * d; }
                sp += g.Length * q;
                np += g.Length * (g.Length - 1) / 2;
            }
        }
        if (nn == 0 || np == 0) return double.NaN;
        return 1 - Ratio(sn / nn, sp / np);
    }

    /// <summary>
    /// Attack/decay asymmetry: the skewness E[Δ³]/E[Δ²]^{3/2} of the differences Δ = X[b, c+1] − X[b, c] between
    /// neighbouring canonical columns, pooled over bands (Theiler et al. 1992, the time-reversal asymmetry statistic).
    /// Struck notes rise in one step and fade over several, so Δ is positively skewed; time reversal flips the sign,
    /// shuffles and noise give ≈ 0. It is the only measure here that claims to see the direction of time.
    /// </summary>
    internal static double AttackDecayAsymmetry(double[] x, int bins, int t)
    {
        double m2 = 0, m3 = 0; long n = 0;
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = x.AsSpan(b * t, t);
            for (int k = 0; k + 1 < t; k++) { double d = row[k + 1] - row[k]; m2 += d * d; m3 += d * d * d; n++; }
        }
        if (n == 0) return double.NaN;
        m2 /= n; m3 /= n;
        return Ratio(m3, Math.Pow(m2, 1.5));
    }

    /// <summary>
    /// Form recurrence: blocks of <see cref="BlockColumns"/> columns are averaged, the mean block is removed, and each
    /// block's best Pearson correlation (over bands) with any block at least <see cref="FormMinSeparationBlocks"/> blocks
    /// away is averaged over blocks: how well the picture's passages find a return elsewhere (self-similarity, Foote 1999;
    /// Paulus, Müller &amp; Klapuri 2010).
    /// </summary>
    internal static double FormRecurrence(double[] x, int bins, int t)
    {
        int n = t / BlockColumns;
        var y = BlockMeans(x, bins, t, n);
        // v[i] = block i over the bands, each band's mean over blocks removed
        var v = new double[n * bins];
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = y.AsSpan(b * n, n);
            double m = 0;
            for (int i = 0; i < n; i++) m += row[i];
            m /= n;
            for (int i = 0; i < n; i++) v[i * bins + b] = row[i] - m;
        }
        var ok = new bool[n];
        for (int i = 0; i < n; i++)
        {
            Span<double> vi = v.AsSpan(i * bins, bins);
            double m = 0, s = 0;
            for (int b = 0; b < bins; b++) m += vi[b];
            m /= bins;
            for (int b = 0; b < bins; b++) { vi[b] -= m; s += vi[b] * vi[b]; }
            ok[i] = s > ZeroSpread;
            if (ok[i]) { s = Math.Sqrt(s); for (int b = 0; b < bins; b++) vi[b] /= s; }
        }
        double acc = 0; int cnt = 0;
        for (int i = 0; i < n; i++)
        {
            if (!ok[i]) continue;
            ReadOnlySpan<double> vi = v.AsSpan(i * bins, bins);
            double best = double.NegativeInfinity;
            for (int j = 0; j < n; j++)
            {
                if (!ok[j] || Math.Abs(i - j) < FormMinSeparationBlocks) continue;
                ReadOnlySpan<double> vj = v.AsSpan(j * bins, bins);
                double s = 0;
                for (int b = 0; b < bins; b++) s += vi[b] * vj[b];
                if (s > best) best = s;
            }
            if (double.IsFinite(best)) { acc += best; cnt++; }
        }
        return cnt == 0 ? double.NaN : acc / cnt;
    }

    private static double[] BlockMeans(double[] x, int bins, int t, int n)
    {
        var y = new double[bins * n];
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = x.AsSpan(b * t, t);
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < BlockColumns; j++) s += row[i * BlockColumns + j];
                y[b * n + i] = s / BlockColumns;
            }
        }
        return y;
    }

    private static void DoubleCentre(double[] a, int n, int t)
    {
        for (int k = 0; k < t; k++)
        {
            double m = 0;
            for (int i = 0; i < n; i++) m += a[i * t + k];
            m /= n;
            for (int i = 0; i < n; i++) a[i * t + k] -= m;
        }
        for (int i = 0; i < n; i++)
        {
            Span<double> row = a.AsSpan(i * t, t);
            double m = 0;
            for (int k = 0; k < t; k++) m += row[k];
            m /= t;
            for (int k = 0; k < t; k++) row[k] -= m;
        }
    }

    /// <summary>γ_t(k): mean over bands and columns of (X[b, c+k] − X[b, c])²; NaN when no pair is k apart.</summary>
    internal static double GammaT(double[] x, int bins, int t, int k)
    {
        double s = 0; long n = 0;
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = x.AsSpan(b * t, t);
            for (int c = 0; c + k < t; c++) { double d = row[c + k] - row[c]; s += d * d; n++; }
        }
        return n == 0 ? double.NaN : s / n;
    }

    /// <summary>γ(∞) along time: 2 × the mean over bands of each band's (unbiased) variance over columns.</summary>
    internal static double GammaInf(double[] x, int bins, int t)
    {
        if (t < 2) return double.NaN;
        double s = 0;
        for (int b = 0; b < bins; b++)
        {
            ReadOnlySpan<double> row = x.AsSpan(b * t, t);
            double m = 0;
            for (int c = 0; c < t; c++) m += row[c];
            m /= t;
            double v = 0;
            for (int c = 0; c < t; c++) { double d = row[c] - m; v += d * d; }
            s += 2 * v / (t - 1);
        }
        return s / bins;
    }

    /// <summary>γ_f(k): mean over columns and bands of (X[b+k, c] − X[b, c])²; NaN when no pair is k apart.</summary>
    internal static double GammaF(double[] x, int bins, int t, int k)
    {
        double s = 0; long n = 0;
        for (int b = 0; b + k < bins; b++)
        {
            ReadOnlySpan<double> lo = x.AsSpan(b * t, t), hi = x.AsSpan((b + k) * t, t);
            for (int c = 0; c < t; c++) { double d = hi[c] - lo[c]; s += d * d; n++; }
        }
        return n == 0 ? double.NaN : s / n;
    }

    /// <summary>a/b; NaN when b is not above <see cref="ZeroSpread"/> or either is not finite (no division by a zero
    /// spread anywhere).</summary>
    internal static double Ratio(double a, double b) => b > ZeroSpread && double.IsFinite(a) && double.IsFinite(b) ? a / b : double.NaN;
}
