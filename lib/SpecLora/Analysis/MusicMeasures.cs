namespace SpecLora.Analysis;

/// <summary>A key estimate: the best of the 24 major/minor keys and how clearly it wins.</summary>
/// <param name="Tonic">Pitch class of the tonic, 0 = C … 11 = B.</param>
/// <param name="IsMajor">Major (true) or minor.</param>
/// <param name="Clarity">Pearson correlation of the pitch-class distribution with the best key's profile, in [−1, 1]
/// (MIRtoolbox's "key clarity").</param>
/// <param name="Correlations">All 24 correlations: majors C…B, then minors C…B.</param>
public sealed record KeyEstimate(int Tonic, bool IsMajor, double Clarity, double[] Correlations)
{
    /// <summary>Pitch-class names, C first (sharps; for labelling chroma rows, not keys).</summary>
    public static IReadOnlyList<string> PitchClasses { get; } = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];

    /// <summary>The key as musicians spell it: "A minor", "E♭ major", "C♯ minor" (<see cref="KeyFinder.Spell"/>).</summary>
    public string Name => KeyFinder.Spell(Tonic, IsMajor);

    /// <summary>The winning correlation minus the runner-up's (<see cref="KeyFinder.Margin"/>).</summary>
    public double Margin => KeyFinder.Margin(this);
}

/// <summary>
/// Measures librosa does not provide, defined here with their sources (see <c>lib/SpecLora/Analysis/README.md</c>):
/// <list type="bullet">
/// <item><b>Key and key clarity</b> — key profiles (<see cref="KeyProfile"/>; Albrecht &amp; Shanahan 2013 by
/// default) correlated (Pearson) with a pitch-class distribution in all 24 rotations (Krumhansl 1990, <i>Cognitive
/// Foundations of Musical Pitch</i>, ch. 4, the Krumhansl–Schmuckler algorithm); the key is the best correlation and
/// the key clarity its value (Lartillot &amp; Toiviainen, MIRtoolbox <c>mirkey</c>: "key clarity"). The analyser reads
/// the distribution from the dB mel with <see cref="PictureKey"/>, for audio and pictures alike.</item>
/// <item><b>Pulse clarity</b> — the prominence (scipy <c>signal.peak_prominences</c>) of the most prominent peak of
/// the frame-averaged, max-normalised autocorrelation tempogram between 30 and 300 BPM: how far the strongest
/// periodicity stands above its surroundings (Lartillot, Eerola, Toiviainen &amp; Fornari 2008, "Multi-feature
/// modeling of pulse clarity", ISMIR: autocorrelation peak height as a pulse-clarity descriptor).</item>
/// <item><b>Tempo stability</b> — the fraction of frames whose local tempo (librosa <c>tempo(aggregate=None)</c>,
/// 8 s windows) is within 4 % of the global tempo; 4 % is the tolerance of tempo-induction evaluations (Gouyon et al.
/// 2006, "An experimental comparison of audio tempo induction algorithms", IEEE TASLP 14(5)).</item>
/// <item><b>Repetition score</b> — chroma averaged over ½-second blocks, each block centred and scaled (so that the
/// similarity of two blocks is their Pearson correlation), the self-similarity matrix (Foote 1999), and its time-lag
/// diagonals (Bartsch &amp; Wakefield 2005; Goto 2006): the best lag's mean correlation minus the median over lags,
/// for lags from 2 s to half the duration. A constant key raises every lag alike and cancels; repeated passages
/// raise their lag only.</item>
/// </list>
/// </summary>
public static class MusicMeasures
{
    /// <summary>Krumhansl–Kessler major profile, tonic first (Krumhansl &amp; Kessler 1982); also
    /// <see cref="KeyProfile.KrumhanslKessler"/>.</summary>
    public static IReadOnlyList<double> MajorProfile { get; } = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
    /// <summary>Krumhansl–Kessler minor profile, tonic first.</summary>
    public static IReadOnlyList<double> MinorProfile { get; } = [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

    /// <summary>The key of a 12-bin pitch-class distribution (C first), e.g. a mean chroma: <see cref="KeyFinder.Find"/>
    /// with <paramref name="profile"/> (Albrecht–Shanahan when null). A flat or empty distribution has clarity 0 and
    /// key C major.</summary>
    public static KeyEstimate Key(ReadOnlySpan<double> chromaMean, KeyProfile? profile = null)
    {
        if (chromaMean.Length != 12) throw new ArgumentException($"the mean chroma has {chromaMean.Length} bins; key estimation needs 12 (C first)", nameof(chromaMean));
        return KeyFinder.Find(chromaMean, profile);
    }

    /// <summary>Pearson correlation; 0 when either vector is constant (<see cref="KeyFinder.Pearson"/>).</summary>
    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => KeyFinder.Pearson(a, b);

    /// <summary>Pulse clarity of a tempogram: prominence of the most prominent peak of its frame mean between
    /// <paramref name="minBpm"/> and <paramref name="maxBpm"/> (lags in that range; the range ends are not peaks).
    /// 0 when there is no interior peak.</summary>
    public static double PulseClarity(Tempogram tempogram, double minBpm = 30, double maxBpm = 300)
    {
        ArgumentNullException.ThrowIfNull(tempogram);
        var mean = tempogram.MeanOverFrames();
        var bpm = tempogram.Bpm;
        int k0 = -1, k1 = -1;
        for (int k = 1; k < bpm.Length; k++) if (bpm[k] <= maxBpm && bpm[k] >= minBpm) { if (k0 < 0) k0 = k; k1 = k; }
        if (k0 < 0 || k1 - k0 < 2) return 0;
        return MaxProminence(mean.AsSpan(k0, k1 - k0 + 1));
    }

    /// <summary>The largest scipy-style prominence among the interior local maxima of <paramref name="x"/> (plateaus
    /// count once, at their first sample): the peak's height minus the higher of the lowest points between it and
    /// the nearest higher sample (or the end) on either side.</summary>
    public static double MaxProminence(ReadOnlySpan<double> x)
    {
        double best = 0;
        int n = x.Length;
        for (int i = 1; i < n - 1; i++)
        {
            if (!(x[i] > x[i - 1])) continue;
            int j = i;
            while (j + 1 < n && x[j + 1] == x[i]) j++;
            if (j == n - 1 || !(x[j + 1] < x[i])) { i = j; continue; }
            double leftMin = x[i];
            for (int l = i - 1; l >= 0 && x[l] <= x[i]; l--) leftMin = Math.Min(leftMin, x[l]);
            double rightMin = x[i];
            for (int r = j + 1; r < n && x[r] <= x[i]; r++) rightMin = Math.Min(rightMin, x[r]);
            best = Math.Max(best, x[i] - Math.Max(leftMin, rightMin));
            i = j;
        }
        return best;
    }

    /// <summary>Fraction of <paramref name="localTempo"/> values within ±<paramref name="tolerance"/> (relative) of
    /// <paramref name="globalTempo"/>; 0 for an empty series or no tempo.</summary>
    public static double TempoStability(ReadOnlySpan<double> localTempo, double globalTempo, double tolerance = 0.04)
    {
        if (localTempo.Length == 0 || !(globalTempo > 0)) return 0;
        int within = 0;
        foreach (var t in localTempo) if (Math.Abs(t - globalTempo) <= tolerance * globalTempo) within++;
        return (double)within / localTempo.Length;
    }

    /// <summary>Repetition score of a chromagram (see the class summary): blocks of <paramref name="blockSeconds"/>,
    /// lags from <paramref name="minLagSeconds"/> to half the duration; 0 when the clip is too short for two lags.</summary>
    public static double RepetitionScore(Chromagram chroma, double framesPerSecond, double blockSeconds = 0.5, double minLagSeconds = 2.0)
    {
        ArgumentNullException.ThrowIfNull(chroma);
        int block = Math.Max(1, (int)Math.Round(blockSeconds * framesPerSecond));
        int nb = chroma.Frames / block, nc = chroma.NChroma;
        int minLag = Math.Max(1, (int)Math.Ceiling(minLagSeconds / (block / framesPerSecond))), maxLag = nb / 2;
        if (nb < 4 || maxLag - minLag < 1) return 0;
        var v = new double[nb * nc];
        for (int b = 0; b < nb; b++)
        {
            double mean = 0;
            for (int c = 0; c < nc; c++)
            {
                double s = 0;
                for (int t = b * block; t < (b + 1) * block; t++) s += chroma.Data[c * chroma.Frames + t];
                v[b * nc + c] = s / block;
                mean += s / block;
            }
            mean /= nc;
            double ss = 0;
            for (int c = 0; c < nc; c++) { v[b * nc + c] -= mean; ss += v[b * nc + c] * v[b * nc + c]; }
            double norm = Math.Sqrt(ss);
            for (int c = 0; c < nc; c++) v[b * nc + c] = norm > 0 ? v[b * nc + c] / norm : 0;
        }
        var diag = new double[maxLag - minLag + 1];
        for (int lag = minLag; lag <= maxLag; lag++)
        {
            double s = 0;
            for (int i = 0; i + lag < nb; i++)
            {
                double d = 0;
                for (int c = 0; c < nc; c++) d += v[i * nc + c] * v[(i + lag) * nc + c];
                s += d;
            }
            diag[lag - minLag] = s / (nb - lag);
        }
        var sorted = diag.Order().ToArray();
        double median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return sorted[^1] - median;
    }
}
