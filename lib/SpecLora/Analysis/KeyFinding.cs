namespace SpecLora.Analysis;

/// <summary>
/// A pair of key profiles (major and minor, tonic first): how much of each of the 12 pitch classes, counted from the
/// tonic, music in that key is expected to hold. A pitch-class distribution is matched against the 24 rotations
/// (Krumhansl–Schmuckler: Pearson correlation, Krumhansl 1990 ch. 4). The values are as published; only their shape
/// matters to a correlation.
/// </summary>
/// <param name="Name">Short name, e.g. "Krumhansl–Kessler".</param>
/// <param name="Source">Where the numbers come from.</param>
/// <param name="Major">Major profile, 12 values, tonic first.</param>
/// <param name="Minor">Minor profile, 12 values, tonic first.</param>
public sealed record KeyProfile(string Name, string Source, IReadOnlyList<double> Major, IReadOnlyList<double> Minor)
{
    /// <summary>Krumhansl &amp; Kessler (1982), probe-tone ratings ("Tracing the dynamic changes in perceived tonal
    /// organization in a spatial representation of musical keys", Psychological Review 89(4)); the profiles of the
    /// Krumhansl–Schmuckler algorithm (Krumhansl 1990).</summary>
    public static KeyProfile KrumhanslKessler { get; } = new("Krumhansl–Kessler",
        "Krumhansl & Kessler 1982, probe-tone ratings",
        [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
        [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]);

    /// <summary>Temperley (1999, 2001), his revision of the Krumhansl–Kessler profiles ("What's key for key? The
    /// Krumhansl–Schmuckler key-finding algorithm reconsidered", Music Perception 17(1); <i>The Cognition of Basic
    /// Musical Structures</i>, MIT Press 2001, ch. 7: the "CBMS" profiles).</summary>
    public static KeyProfile Temperley2001 { get; } = new("Temperley 2001",
        "Temperley 1999/2001 (CBMS), revised K–K",
        [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0],
        [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0]);

    /// <summary>Temperley (2007), <i>Music and Probability</i> (MIT Press): the proportion of segments of the
    /// Kostka–Payne harmony textbook's excerpts (common-practice music) in which each scale degree occurs.</summary>
    public static KeyProfile TemperleyKostkaPayne { get; } = new("Temperley–Kostka–Payne",
        "Temperley 2007, Kostka–Payne corpus, segment occurrence",
        [0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400],
        [0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330]);

    /// <summary>Aarden (2003), PhD thesis (Ohio State), from the Essen folksong collection (Schaffrath 1995): scale-degree
    /// frequencies of folk melodies.</summary>
    public static KeyProfile AardenEssen { get; } = new("Aarden–Essen",
        "Aarden 2003, Essen folksong melodies",
        [17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122],
        [18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623]);

    /// <summary>Bellman (2005) after Budge (1943): pitch classes of the chords of common-practice music.</summary>
    public static KeyProfile BellmanBudge { get; } = new("Bellman–Budge",
        "Bellman 2005 after Budge 1943, chord tones",
        [16.80, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.80, 8.04, 0.62, 10.57],
        [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21]);

    /// <summary>Albrecht &amp; Shanahan (2013), "The use of large corpora to train a new type of key-finding algorithm:
    /// an improved treatment of the minor mode", Music Perception 31(1): pitch-class distributions of common-practice
    /// pieces, counted over passages at their beginnings and ends, where the key is stable.</summary>
    public static KeyProfile AlbrechtShanahan { get; } = new("Albrecht–Shanahan",
        "Albrecht & Shanahan 2013, common-practice corpus",
        [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081],
        [0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052]);

    /// <summary>Sapp (2011), PhD thesis (Stanford): simple weights, 2 for tonic and dominant, 1 for the other scale
    /// degrees (natural minor), 0 elsewhere.</summary>
    public static KeyProfile Sapp { get; } = new("Sapp",
        "Sapp 2011, simple scale weights",
        [2, 0, 1, 0, 1, 1, 0, 2, 0, 1, 0, 1],
        [2, 0, 1, 1, 0, 1, 0, 2, 1, 0, 1, 0]);

    /// <summary>Every profile above, in the order listed.</summary>
    public static IReadOnlyList<KeyProfile> All { get; } =
        [KrumhanslKessler, Temperley2001, TemperleyKostkaPayne, AardenEssen, BellmanBudge, AlbrechtShanahan, Sapp];
}

/// <summary>
/// Key finding from a 12-bin pitch-class distribution (C first), and key names as musicians spell them.
/// </summary>
/// <remarks>The default profiles are Albrecht &amp; Shanahan's (2013): of those in <see cref="KeyProfile"/>, the most recent
/// ones counted from common-practice music, made to treat the minor mode better than the earlier profiles (the
/// paper's subtitle).</remarks>
public static class KeyFinder
{
    private static readonly string[] MajorNames = ["C", "D♭", "D", "E♭", "E", "F", "F♯", "G", "A♭", "A", "B♭", "B"];
    private static readonly string[] MinorNames = ["C", "C♯", "D", "E♭", "E", "F", "F♯", "G", "G♯", "A", "B♭", "B"];

    /// <summary>
    /// The key's name as musicians spell it: majors C, D♭, D, E♭, E, F, F♯, G, A♭, A, B♭, B and minors C, C♯, D, E♭,
    /// E, F, F♯, G, G♯, A, B♭, B — the spelling whose key signature has fewer accidentals (D♭ major: 5 flats, not
    /// C♯ major's 7 sharps; G♯ minor: 5 sharps, not A♭ minor's 7 flats). Of the two keys with six accidentals either way,
    /// both spellings are in use; this spells them F♯ major (not G♭ major) and E♭ minor (not D♯ minor).
    /// With <paramref name="ascii"/> "b" and "#" replace ♭ and ♯.
    /// </summary>
    public static string Spell(int tonic, bool isMajor, bool ascii = false)
    {
        int t = ((tonic % 12) + 12) % 12;
        string name = (isMajor ? MajorNames : MinorNames)[t];
        if (ascii) name = name.Replace('♭', 'b').Replace('♯', '#');
        return $"{name} {(isMajor ? "major" : "minor")}";
    }

    /// <summary>
    /// Krumhansl–Schmuckler key finding: the Pearson correlation of <paramref name="pitchClasses"/> with
    /// <paramref name="profile"/> rotated to each of the 24 keys; the key is the best. A constant or empty
    /// distribution correlates 0 with every key and reads C major with clarity 0.
    /// </summary>
    /// <param name="pitchClasses">12 non-negative weights, C first.</param>
    /// <param name="profile">The key profiles; <see cref="KeyProfile.AlbrechtShanahan"/> when null.</param>
    /// <returns>The best key, its correlation (clarity) and all 24 correlations (majors C…B, then minors C…B).</returns>
    /// <exception cref="ArgumentException"><paramref name="pitchClasses"/> does not have 12 values.</exception>
    public static KeyEstimate Find(ReadOnlySpan<double> pitchClasses, KeyProfile? profile = null)
    {
        if (pitchClasses.Length != 12) throw new ArgumentException($"the pitch-class distribution has {pitchClasses.Length} bins; key finding needs 12 (C first)", nameof(pitchClasses));
        var p = profile ?? KeyProfile.AlbrechtShanahan;
        var r = new double[24];
        Span<double> rotated = stackalloc double[12];
        for (int mode = 0; mode < 2; mode++)
        {
            var shape = mode == 0 ? p.Major : p.Minor;
            for (int tonic = 0; tonic < 12; tonic++)
            {
                for (int pc = 0; pc < 12; pc++) rotated[pc] = shape[((pc - tonic) % 12 + 12) % 12];
                r[mode * 12 + tonic] = Pearson(pitchClasses, rotated);
            }
        }
        int best = 0;
        for (int i = 1; i < 24; i++) if (r[i] > r[best]) best = i;
        return new KeyEstimate(best % 12, best < 12, r[best], r);
    }

    /// <summary>Pearson correlation of two equally long vectors; 0 when either is constant to within 1e-12 of its size
    /// (so that rounding noise in a flat distribution does not pose as a key).</summary>
    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"the vectors have {a.Length} and {b.Length} values; a correlation needs equally many", nameof(b));
        int n = a.Length;
        if (n == 0) return 0;
        double ma = 0, mb = 0, qa = 0, qb = 0;
        for (int i = 0; i < n; i++) { ma += a[i]; mb += b[i]; qa += a[i] * a[i]; qb += b[i] * b[i]; }
        ma /= n; mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) { double x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
        const double relativeFloor = 1e-24; // (1e-12)²: spreads below 1e-12 of the vector's size are rounding
        if (!(saa > relativeFloor * qa) || !(sbb > relativeFloor * qb)) return 0;
        return sab / Math.Sqrt(saa * sbb);
    }

    /// <summary>How far the winning key's correlation stands above the runner-up's (0 when they tie, or for fewer
    /// than two correlations).</summary>
    public static double Margin(KeyEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var r = estimate.Correlations;
        if (r.Length < 2) return 0;
        double first = double.NegativeInfinity, second = double.NegativeInfinity;
        foreach (var v in r)
        {
            if (v > first) { second = first; first = v; }
            else if (v > second) second = v;
        }
        return first - second;
    }
}
