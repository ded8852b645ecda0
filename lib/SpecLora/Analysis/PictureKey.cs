using System.Collections.Concurrent;
using System.Numerics;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// Settings of <see cref="PictureKey"/>. Defaults: equal temperament with A4 = 440 Hz; a dictionary of the 84 notes
/// C1…B7 (seven whole octaves, so that no pitch class has more notes than another), each with 12 partials of
/// amplitude 1/h; 60 multiplicative updates per column; at most 2048 columns; Albrecht–Shanahan key profiles; the mel
/// layout of makeMels pictures (librosa defaults: 22050 Hz, n_fft 2048, 128 Slaney bands).
/// </summary>
public sealed record PictureKeyOptions
{
    /// <summary>Frequency of A4 in Hz. Default 440.</summary>
    public double ReferenceHz { get; init; } = 440.0;
    /// <summary>MIDI number of the dictionary's lowest note. Default 24 (C1).</summary>
    public int LowestNote { get; init; } = 24;
    /// <summary>Whole octaves in the dictionary, from <see cref="LowestNote"/> up; octaves that reach the Nyquist
    /// frequency of <see cref="Mel"/> are left out (audio sampled below 8 kHz). Default 7 (C1…B7).</summary>
    public int Octaves { get; init; } = 7;
    /// <summary>Partials per note (those below the Nyquist frequency are kept); partial h has amplitude 1/h.
    /// Default 12.</summary>
    public int Partials { get; init; } = 12;
    /// <summary>Multiplicative (KL) updates per column. Default 60.</summary>
    public int Iterations { get; init; } = 60;
    /// <summary>At most this many columns are read, evenly spaced (point-sampled, as <c>specshow</c> samples frames);
    /// bounds the work on long audio mels. Default 2048.</summary>
    public int MaxColumns { get; init; } = 2048;
    /// <summary>The key profiles. Default <see cref="KeyProfile.AlbrechtShanahan"/>.</summary>
    public KeyProfile Profile { get; init; } = KeyProfile.AlbrechtShanahan;
    /// <summary>The mel layout of the picture (librosa defaults: 22050 Hz, n_fft 2048, 128 Slaney bands).</summary>
    public MelOptions Mel { get; init; } = new();

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting, each with its value.</summary>
    public PictureKeyOptions Validate()
    {
        var errors = new List<string>();
        if (!(ReferenceHz >= 400 && ReferenceHz <= 480)) errors.Add($"ReferenceHz={ReferenceHz} must be in 400…480 (the frequency of A4)");
        if (LowestNote is < 0 or > 127) errors.Add($"LowestNote={LowestNote} must be a MIDI note number, 0…127");
        if (Octaves is < 1 or > 10) errors.Add($"Octaves={Octaves} must be in 1…10");
        if (Partials is < 1 or > 64) errors.Add($"Partials={Partials} must be in 1…64");
        if (Iterations is < 1 or > 10_000) errors.Add($"Iterations={Iterations} must be in 1…10000");
        if (MaxColumns is < 1 or > 100_000) errors.Add($"MaxColumns={MaxColumns} must be in 1…100000");
        if (Profile is null) errors.Add("Profile must be set (e.g. KeyProfile.AlbrechtShanahan)");
        else if (Profile.Major is not { Count: 12 } || Profile.Minor is not { Count: 12 }) errors.Add($"Profile \"{Profile.Name}\" must have 12 major and 12 minor values");
        if (Mel is null) errors.Add("Mel must be set (librosa defaults: new MelOptions())");
        else
        {
            try
            {
                Mel.Validate();
                if (errors.Count == 0 && FittingOctaves() < 1)
                    errors.Add($"the lowest octave (from MIDI {LowestNote}, {NoteHz(LowestNote):0} Hz) must lie below the Nyquist frequency ({Mel.SampleRate / 2.0:0} Hz); lower LowestNote={LowestNote} or raise Mel.SampleRate={Mel.SampleRate}");
            }
            catch (ArgumentException e) { errors.Add(e.Message); }
        }
        if (errors.Count > 0) throw new ArgumentException("Invalid picture key options: " + string.Join("; ", errors));
        return this;
    }

    /// <summary>Frequency in Hz of MIDI note <paramref name="midi"/> on this tuning.</summary>
    internal double NoteHz(int midi) => ReferenceHz * Math.Pow(2, (midi - 69) / 12.0);

    /// <summary>How many of the <see cref="Octaves"/> lie wholly below the Nyquist frequency (0 when not even the first).</summary>
    internal int FittingOctaves()
    {
        int n = 0;
        while (n < Octaves && NoteHz(LowestNote + 12 * (n + 1) - 1) < Mel.SampleRate / 2.0) n++;
        return n;
    }
}

/// <summary>The pitch-class distribution read from a picture (or a dB mel) and the key it gives.</summary>
/// <param name="PitchClasses">12 values, C first: the mean over the columns read of each column's note power per pitch
/// class, scaled to a maximum of 1 in each column.</param>
/// <param name="Key">The key (Krumhansl–Schmuckler correlation with the options' profile).</param>
/// <param name="Margin">The winning correlation minus the runner-up's (<see cref="KeyFinder.Margin"/>).</param>
/// <param name="ColumnsUsed">Columns read that have any signal (a column at the floor everywhere is skipped).</param>
public sealed record PictureKeyResult(double[] PitchClasses, KeyEstimate Key, double Margin, int ColumnsUsed)
{
    /// <summary>The key spelled as musicians spell it, e.g. "A minor", "E♭ major" (<see cref="KeyFinder.Spell"/>).</summary>
    public string Name => KeyFinder.Spell(Key.Tonic, Key.IsMajor);

    /// <summary>Key clarity: the winning key's correlation, in [−1, 1] (<see cref="KeyEstimate.Clarity"/>).</summary>
    public double Clarity => Key.Clarity;
}

/// <summary>
/// The key of a mel spectrogram picture read from the picture itself, without reconstructing audio.
/// </summary>
/// <remarks>
/// <para>Why not only the bands that resolve semitones: with 128 Slaney bands at 22050 Hz and n_fft 2048 a band's
/// response to a steady tone is at most one semitone wide only from band 19 (516 Hz, about C5) up, and at most a whole
/// tone wide from band 9 (258 Hz, about C4) up; the bass and tenor, where a piece's harmony is anchored, would be
/// lost. Instead each column is explained as a sum of piano-like notes, and the notes' pitch classes are counted.</para>
/// <para>Method. A dictionary holds, for each note of <see cref="PictureKeyOptions.Octaves"/> whole octaves from
/// <see cref="PictureKeyOptions.LowestNote"/> up (so that every pitch class has as many notes), the mel picture of that note at unit power: partials
/// h = 1…<see cref="PictureKeyOptions.Partials"/> at h·f₀ with amplitude 1/h (power 1/h²), each seen through the STFT
/// (periodic Hann window, n_fft) and the mel filterbank, i.e. Σ_k A[m,k]·|W(h·f₀ − f_k)|². Bands centred below the
/// lowest note (band 0 of a makeMels picture) are not read. Each column's power (10^(dB/10), scaled to its maximum)
/// is explained as a non-negative combination of the notes by minimising the generalised Kullback–Leibler divergence
/// with Lee &amp; Seung's multiplicative updates (Lee &amp; Seung 2001, "Algorithms for non-negative matrix
/// factorization", NIPS 13; fixed harmonic templates as in Smaragdis &amp; Brown 2003, "Non-negative matrix
/// factorization for polyphonic music transcription", WASPAA), from equal activations, a fixed number of updates.
/// The activations are the notes' powers; their sum per pitch class, scaled to a maximum of 1 per column (every
/// column counts alike, as librosa's <c>chroma_stft</c> scales each frame), averaged over the columns, is matched
/// with the key profiles (Krumhansl–Schmuckler, Krumhansl 1990).</para>
/// <para>Deterministic: the same picture gives the same key. Cost: about 0.2 s for a 640-column picture on two cores
/// (60 updates per column).</para>
/// </remarks>
public static class PictureKey
{
    private static readonly ConcurrentDictionary<(MelOptions Mel, double Ref, int Low, int Octaves, int Partials), NoteDictionary> Dictionaries = new();

    /// <summary>The key of a dB mel: a decoded picture's <c>Db</c> (bin 0 lowest) or a dB mel computed from audio.</summary>
    /// <param name="melDb">dB mel [bands × columns] with the band count of <see cref="PictureKeyOptions.Mel"/>.</param>
    /// <param name="options">Defaults when null.</param>
    /// <param name="cancellationToken">Checked between blocks of columns.</param>
    /// <exception cref="ArgumentException">The band count differs from the options' (the message says both), or an
    /// option is invalid.</exception>
    /// <example>
    /// <code>
    /// var key = PictureKey.Estimate(SpectrogramImageDecoder.Decode("fur-elise-theme.png").Db);
    /// Console.WriteLine($"{key.Name} (clarity {key.Clarity:F2}, {key.Margin:F2} ahead of the next key)");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static PictureKeyResult Estimate(Spectrogram melDb, PictureKeyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(melDb);
        var o = (options ?? new PictureKeyOptions()).Validate();
        var pcs = PitchClasses(melDb, o, out int used, cancellationToken);
        var key = KeyFinder.Find(pcs, o.Profile);
        return new PictureKeyResult(pcs, key, KeyFinder.Margin(key), used);
    }

    /// <summary>The mean pitch-class distribution (12 values, C first) of a dB mel; see <see cref="Estimate"/>.
    /// All zeros when no column has signal.</summary>
    public static double[] PitchClasses(Spectrogram melDb, PictureKeyOptions? options, out int columnsUsed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(melDb);
        var o = (options ?? new PictureKeyOptions()).Validate();
        if (melDb.Bins != o.Mel.NMels)
            throw new ArgumentException($"the mel has {melDb.Bins} bands but PictureKeyOptions.Mel has {o.Mel.NMels}; give the picture's band count", nameof(melDb));
        var dict = Dictionary(o);
        int bands = melDb.Bins, frames = melDb.Frames, cols = Math.Min(frames, o.MaxColumns);
        var data = melDb.Data;
        float floor = float.PositiveInfinity;
        foreach (var v in data) if (v < floor) floor = v;
        var perColumn = new double[cols * 12];
        var has = new bool[cols];
        const int block = 64;
        Parallel.For(0, (cols + block - 1) / block, new ParallelOptions { CancellationToken = cancellationToken }, b =>
        {
            var solver = new Solver(dict, bands);
            for (int c = b * block; c < Math.Min(cols, (b + 1) * block); c++)
            {
                int t = cols == frames ? c : (int)Math.Floor((c + 0.5) * frames / cols);
                has[c] = solver.Column(data, t, frames, floor, o.Iterations, perColumn.AsSpan(c * 12, 12));
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
        var sum = new double[12];
        columnsUsed = 0;
        for (int c = 0; c < cols; c++)
        {
            if (!has[c]) continue;
            columnsUsed++;
            for (int pc = 0; pc < 12; pc++) sum[pc] += perColumn[c * 12 + pc];
        }
        if (columnsUsed > 0) for (int pc = 0; pc < 12; pc++) sum[pc] /= columnsUsed;
        return sum;
    }

    /// <summary>The note dictionary for <paramref name="options"/> (cached per mel layout, tuning and notes).</summary>
    internal static NoteDictionary Dictionary(PictureKeyOptions options) =>
        Dictionaries.GetOrAdd((options.Mel, options.ReferenceHz, options.LowestNote, options.Octaves, options.Partials), _ => NoteDictionary.Build(options));

    /// <summary>Power response (1 at the centre) of a periodic Hann window of <paramref name="n"/> samples to a tone
    /// <paramref name="deltaBins"/> FFT bins away: |Σ w[i]·e^(j2πδi/n)|² / (Σ w)².</summary>
    internal static double HannPower(double deltaBins, int n)
    {
        // w = ½ − ¼e^(j2πi/n) − ¼e^(−j2πi/n); Σ_{i<n} e^(j2πxi/n) is a Dirichlet kernel with a linear phase.
        static Complex Kernel(double x, int n)
        {
            double s = Math.Sin(Math.PI * x / n);
            double mag = Math.Abs(s) < 1e-12 ? n : Math.Sin(Math.PI * x) / s;
            return Complex.FromPolarCoordinates(1, Math.PI * x * (n - 1) / n) * mag;
        }
        var w = 0.5 * Kernel(deltaBins, n) - 0.25 * Kernel(deltaBins - 1, n) - 0.25 * Kernel(deltaBins + 1, n);
        double w0 = 0.5 * n;
        return (w.Real * w.Real + w.Imaginary * w.Imaginary) / (w0 * w0);
    }

    /// <summary>Band m's response to a steady unit-power tone of <paramref name="hz"/>: Σ_k A[m,k]·HannPower(hz·n_fft/sr − k).</summary>
    internal static double BandResponse(MelFilterBank fb, int m, double hz, int sampleRate, int nFft)
    {
        double bin = hz * nFft / sampleRate, s = 0;
        var w = fb.RowWeights(m);
        for (int i = 0; i < w.Length; i++) s += w[i] * HannPower(bin - (fb.Start[m] + i), nFft);
        return s;
    }

    /// <summary>Half-maximum width, in semitones, of band m's response to steady tones (0.01-semitone grid within
    /// ±24 semitones of its centre); +∞ when the response does not fall to half on both sides in that range.</summary>
    internal static double BandWidthSemitones(MelFilterBank fb, int m, int sampleRate, int nFft)
    {
        double centre = fb.CentersHz[m];
        if (!(centre > 0)) return double.PositiveInfinity;
        const double step = 0.01, span = 24;
        int n = (int)(2 * span / step) + 1;
        var r = new double[n];
        double peak = 0; int argPeak = 0;
        for (int i = 0; i < n; i++)
        {
            double hz = centre * Math.Pow(2, (-span + i * step) / 12);
            r[i] = hz < sampleRate / 2.0 ? BandResponse(fb, m, hz, sampleRate, nFft) : 0;
            if (r[i] > peak) { peak = r[i]; argPeak = i; }
        }
        if (!(peak > 0)) return double.PositiveInfinity;
        int lo = argPeak, hi = argPeak;
        while (lo > 0 && r[lo - 1] >= peak / 2) lo--;
        while (hi < n - 1 && r[hi + 1] >= peak / 2) hi++;
        return lo == 0 || hi == n - 1 ? double.PositiveInfinity : (hi - lo) * step;
    }

    /// <summary>The notes' mel pictures, sparse: note i covers entries Start[i] … Start[i+1]−1 of Band/Weight.</summary>
    internal sealed class NoteDictionary
    {
        public required int Notes { get; init; }
        public required int LowestNote { get; init; }
        /// <summary>The lowest band read: the first centred at or above the lowest note (a quarter-tone's leeway). A band
        /// centred below every note (band 0 of a makeMels picture: 0–52 Hz, centre 26 Hz) holds mostly DC and rumble,
        /// which no note explains and which would otherwise be pinned on the lowest note's pitch class (pink noise then
        /// reads as C, 1.00 against ≤ 0.27 for every other class).</summary>
        public required int FirstBand { get; init; }
        public required int[] Start { get; init; }
        public required int[] Band { get; init; }
        public required double[] Weight { get; init; }
        /// <summary>Σ over bands of each note's weights (the KL update's denominator).</summary>
        public required double[] Total { get; init; }

        public static NoteDictionary Build(PictureKeyOptions o)
        {
            var fb = MelFilterBank.Get(o.Mel);
            int sr = o.Mel.SampleRate, nFft = o.Mel.Stft.NFft, bands = fb.NMels, notes = 12 * o.FittingOctaves();
            double binHz = (double)sr / nFft;
            var start = new int[notes + 1];
            var band = new List<int>();
            var weight = new List<double>();
            var total = new double[notes];
            var column = new double[bands];
            double lowestHz = o.ReferenceHz * Math.Pow(2, (o.LowestNote - 69 - 0.5) / 12.0);
            int firstBand = 0;
            while (firstBand < bands - 1 && fb.CentersHz[firstBand] < lowestHz) firstBand++;
            for (int i = 0; i < notes; i++)
            {
                Array.Clear(column);
                double f0 = o.ReferenceHz * Math.Pow(2, (o.LowestNote + i - 69) / 12.0);
                for (int h = 1; h <= o.Partials && h * f0 < sr / 2.0; h++)
                {
                    double f = h * f0, power = 1.0 / ((double)h * h);
                    // The Hann window's power falls below 1e-6 of its peak 8 bins away: only bands within reach count.
                    double lo = f - 8 * binHz, hi = f + 8 * binHz;
                    for (int m = 0; m < bands; m++)
                    {
                        if (fb.Count[m] == 0) continue;
                        double first = fb.Start[m] * binHz, last = (fb.Start[m] + fb.Count[m] - 1) * binHz;
                        if (last < lo || first > hi) continue;
                        column[m] += power * BandResponse(fb, m, f, sr, nFft);
                    }
                }
                double max = column.Max();
                start[i] = band.Count;
                for (int m = firstBand; m < bands; m++)
                    if (column[m] > 1e-6 * max) { band.Add(m); weight.Add(column[m]); total[i] += column[m]; }
            }
            start[notes] = band.Count;
            return new NoteDictionary { Notes = notes, LowestNote = o.LowestNote, FirstBand = firstBand, Start = start, Band = band.ToArray(), Weight = weight.ToArray(), Total = total };
        }
    }

    /// <summary>Per-thread buffers for explaining one column at a time.</summary>
    private sealed class Solver(NoteDictionary d, int bands)
    {
        private readonly double[] _v = new double[bands];
        private readonly double[] _model = new double[bands];
        private readonly double[] _ratio = new double[bands];
        private readonly double[] _e = new double[d.Notes];

        /// <summary>Explains column <paramref name="t"/> and writes its 12 pitch-class powers, scaled to a maximum of 1.
        /// False (and zeros) when the column is at <paramref name="floor"/> everywhere.</summary>
        public bool Column(float[] data, int t, int frames, float floor, int iterations, Span<double> pcs)
        {
            pcs.Clear();
            int first = d.FirstBand;
            float top = float.NegativeInfinity;
            for (int m = first; m < bands; m++) top = Math.Max(top, data[m * frames + t]);
            if (!(top > floor)) return false;
            for (int m = first; m < bands; m++) _v[m] = Math.Pow(10, (data[m * frames + t] - top) / 10.0);
            Array.Fill(_e, 1.0 / d.Notes);
            var band = d.Band; var w = d.Weight; var start = d.Start;
            for (int it = 0; it < iterations; it++)
            {
                Array.Fill(_model, 1e-12);
                for (int i = 0; i < d.Notes; i++)
                {
                    double e = _e[i];
                    for (int j = start[i]; j < start[i + 1]; j++) _model[band[j]] += w[j] * e;
                }
                for (int m = first; m < bands; m++) _ratio[m] = _v[m] / _model[m];
                for (int i = 0; i < d.Notes; i++)
                {
                    double num = 0;
                    for (int j = start[i]; j < start[i + 1]; j++) num += w[j] * _ratio[band[j]];
                    _e[i] *= num / d.Total[i];
                }
            }
            for (int i = 0; i < d.Notes; i++) pcs[(d.LowestNote + i) % 12] += _e[i];
            double max = 0;
            foreach (var v in pcs) max = Math.Max(max, v);
            if (!(max > 0)) { pcs.Clear(); return false; }
            for (int pc = 0; pc < 12; pc++) pcs[pc] /= max;
            return true;
        }
    }
}
