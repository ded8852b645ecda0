using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>One control: a transformed dB mel and what it destroys.</summary>
/// <param name="Name">Short name ("columns shuffled", …).</param>
/// <param name="Description">What the transformation keeps and destroys.</param>
/// <param name="Db">The control's dB mel (same shape and dB range as the original).</param>
public sealed record ControlPicture(string Name, string Description, Spectrogram Db);

/// <summary>The kinds of control a picture is compared with (<see cref="Controls.Make"/>).</summary>
public enum ControlKind
{
    /// <summary>Columns in a seeded random order: every column's spectrum kept, all order across columns destroyed.</summary>
    ColumnsShuffled,
    /// <summary>Mel bands permuted within each octave (one permutation for all columns): each band's time course kept,
    /// the arrangement of neighbouring bands (partials, harmonic spacing, envelope) destroyed.</summary>
    RowsShuffledWithinOctaves,
    /// <summary>Mel bands rotated circularly within each octave: neighbouring bands and the sharpness of the spectrum
    /// kept, the alignment of partials across octaves (harmony) destroyed. A harmony-only control.</summary>
    RowsRotatedWithinOctaves,
    /// <summary>Noise whose expected power spectrum is the picture's own mean spectrum: only the average colour kept.</summary>
    MatchedNoise,
    /// <summary>The picture blurred by a Gaussian of σ = 2 columns × 2 bands: fine structure (sharp partials, sharp note
    /// starts) destroyed, the coarse layout kept.</summary>
    Smeared,
    /// <summary>Columns in reverse order: a control only for measures that claim to see the direction of time.</summary>
    TimeReversed,
}

/// <summary>
/// Controls that give the measures a meaning, made from a dB mel itself (a decoded picture or a clip's mel), seeded
/// (the same seed gives the same control), never modifying the input: columns shuffled, rows shuffled within octaves,
/// rows rotated within octaves, noise with the picture's own (or a given) mean spectrum, the picture smeared, and
/// time-reversed (<see cref="ControlKind"/>). <see cref="ThroughPicture"/> draws a control as makeMels draws a mel
/// (640×480 magma JPEG q75) and decodes it again, so that it carries the same JPEG and colour-decoding effects as a
/// real picture. No files are read or written here.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>. The "is it music?" score
/// (<see cref="MusicScoreModel"/>) is fitted against the five <see cref="ScoreKinds"/>.</remarks>
public static class Controls
{
    /// <summary>Default smear along time: Gaussian σ in columns of the picture's own width.</summary>
    public const double DefaultSmearSigmaColumns = 2.0;
    /// <summary>Default smear along frequency: Gaussian σ in mel bands.</summary>
    public const double DefaultSmearSigmaBands = 2.0;

    /// <summary>The five kinds the "is it music?" score is fitted against and validated on: columns shuffled, rows
    /// shuffled within octaves, matched noise, smeared, rows rotated within octaves (not time reversal: only
    /// <see cref="PictureMeasureSet.AttackDecayAsymmetry"/> claims to see direction, and it is not scored).</summary>
    public static IReadOnlyList<ControlKind> ScoreKinds { get; } =
        [ControlKind.ColumnsShuffled, ControlKind.RowsShuffledWithinOctaves, ControlKind.MatchedNoise, ControlKind.Smeared, ControlKind.RowsRotatedWithinOctaves];

    /// <summary>The kind's name in the reference table and in <see cref="MeasurePercentile.AmongControls"/>:
    /// <c>cols</c>, <c>rows</c>, <c>rot</c>, <c>noise</c>, <c>smear</c>, <c>rev</c>.</summary>
    /// <example>
    /// <code>
    /// var p = MusicScoreModel.Reference.Percentiles(measures)[0];
    /// double amongShuffled = p.AmongControls[Controls.ShortName(ControlKind.ColumnsShuffled)];   // "cols"
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static string ShortName(ControlKind kind) => kind switch
    {
        ControlKind.ColumnsShuffled => "cols",
        ControlKind.RowsShuffledWithinOctaves => "rows",
        ControlKind.RowsRotatedWithinOctaves => "rot",
        ControlKind.MatchedNoise => "noise",
        ControlKind.Smeared => "smear",
        ControlKind.TimeReversed => "rev",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind={kind} is not a control kind"),
    };

    /// <summary>One control of <paramref name="db"/>: <see cref="ShuffleColumns"/>, <see cref="ShuffleRowsWithinOctaves"/>,
    /// <see cref="RotateRowsWithinOctaves"/>, <see cref="MatchedNoise"/>, <see cref="Smear"/> (σ 2 × 2) or
    /// <see cref="TimeReverse"/>.</summary>
    /// <param name="db">The picture's dB mel, bins × columns, bin 0 lowest.</param>
    /// <param name="kind">Which control.</param>
    /// <param name="seed">Seed of the shuffles, the rotation and the noise (the smear and the reversal ignore it).</param>
    /// <example>
    /// <code>
    /// var db = SpectrogramImageDecoder.Decode("mel0.jpg").Db;
    /// foreach (var kind in Controls.ScoreKinds)
    ///     MelImage.Save($"control-{Controls.ShortName(kind)}.jpg", Controls.Make(db, kind, seed: 1));   // judged like any picture
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static Spectrogram Make(Spectrogram db, ControlKind kind, int seed = 0) => kind switch
    {
        ControlKind.ColumnsShuffled => ShuffleColumns(db, seed),
        ControlKind.RowsShuffledWithinOctaves => ShuffleRowsWithinOctaves(db, seed),
        ControlKind.RowsRotatedWithinOctaves => RotateRowsWithinOctaves(db, seed),
        ControlKind.MatchedNoise => MatchedNoise(db, seed),
        ControlKind.Smeared => Smear(db, DefaultSmearSigmaColumns, DefaultSmearSigmaBands),
        ControlKind.TimeReversed => TimeReverse(db),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"kind={kind} is not a control kind"),
    };

    /// <summary>The frames (columns) in a seeded random order.</summary>
    /// <example><code>var shuffled = Controls.ShuffleColumns(db, seed: 1);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram ShuffleColumns(Spectrogram db, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var perm = Permutation(db.Frames, new Random(seed));
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++)
        {
            var src = db.Data.AsSpan(b * db.Frames, db.Frames);
            var dst = data.AsSpan(b * db.Frames, db.Frames);
            for (int t = 0; t < dst.Length; t++) dst[t] = src[perm[t]];
        }
        return db with { Data = data };
    }

    /// <summary>The bands permuted at random within each octave of their centre frequency (one permutation for all
    /// frames; octaves counted from C0 = 16.35 Hz, bands below C1 form one group).</summary>
    /// <example><code>var rows = Controls.ShuffleRowsWithinOctaves(db, seed: 1);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram ShuffleRowsWithinOctaves(Spectrogram db, int seed = 0, MelOptions? mel = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var groups = OctaveGroups(db.Bins, mel ?? new MelOptions { SampleRate = db.SampleRate, NMels = db.Bins });
        var rng = new Random(seed);
        var source = new int[db.Bins];
        foreach (var g in groups)
        {
            var perm = Permutation(g.Length, rng);
            for (int i = 0; i < g.Length; i++) source[g[i]] = g[perm[i]];
        }
        return WithRowsFrom(db, source);
    }

    /// <summary>
    /// The mel bands of every octave (<see cref="OctaveGroups(int, MelOptions)"/>) rotated circularly by a seeded offset
    /// of at least one band (one rotation per octave, the same for all columns): neighbouring bands stay neighbours
    /// (except at one seam per octave) and the sharpness of the spectrum is kept, but partials no longer line up
    /// across octaves. A harmony-only control.
    /// </summary>
    /// <example><code>var rotated = Controls.RotateRowsWithinOctaves(db, seed: 1);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram RotateRowsWithinOctaves(Spectrogram db, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var groups = OctaveGroups(db.Bins, new MelOptions { SampleRate = db.SampleRate, NMels = db.Bins });
        var rng = new Random(seed);
        var source = new int[db.Bins];
        foreach (var g in groups)
        {
            int shift = g.Length < 2 ? 0 : 1 + rng.Next(g.Length - 1);
            for (int i = 0; i < g.Length; i++) source[g[i]] = g[(i + shift) % g.Length];
        }
        return WithRowsFrom(db, source);
    }

    /// <summary>The mel bands grouped by octave of their centre frequency (band indices ascending in each group).</summary>
    /// <example><code>int[][] octaves = Controls.OctaveGroups(128, new MelOptions());</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static int[][] OctaveGroups(int nMels, MelOptions mel)
    {
        ArgumentNullException.ThrowIfNull(mel);
        return OctaveGroups(MelFilterBank.Get(mel with { NMels = nMels }).CentersHz);
    }

    /// <summary>The bands with these centre frequencies grouped by octave (octaves from C0 = 16.35 Hz; bands below C1
    /// form one group). The one definition of an octave group, shared by the row controls and
    /// <see cref="PictureMeasureSet.BandCovariation"/>.</summary>
    internal static int[][] OctaveGroups(double[] centresHz)
    {
        const double c0 = 16.351597831287414;
        return Enumerable.Range(0, centresHz.Length)
            .GroupBy(b => Math.Max(1, (int)Math.Floor(Math.Log2(Math.Max(centresHz[b], c0) / c0))))
            .OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
    }

    /// <summary>The frames in reverse order.</summary>
    /// <example><code>var reversed = Controls.TimeReverse(db);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram TimeReverse(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++)
        {
            db.Data.AsSpan(b * db.Frames, db.Frames).CopyTo(data.AsSpan(b * db.Frames, db.Frames));
            data.AsSpan(b * db.Frames, db.Frames).Reverse();
        }
        return db with { Data = data };
    }

    /// <summary>
    /// The mean spectrum of dB mels, per band: power averaged over every frame of every mel (each relative to its own
    /// reference, as makeMels pictures are), back in dB with the maximum band at 0 dB.
    /// </summary>
    /// <example><code>double[] mean = Controls.MeanSpectrumDb(trainingMels.Select(p => SpectrogramImageDecoder.Decode(p).Db));</code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static double[] MeanSpectrumDb(IEnumerable<Spectrogram> dbMels)
    {
        ArgumentNullException.ThrowIfNull(dbMels);
        double[]? sum = null; long count = 0; int bins = 0;
        foreach (var s in dbMels)
        {
            if (s.Scale != SpectrogramScale.Db) throw new ArgumentException($"mean spectrum expects dB mels, got Scale={s.Scale}", nameof(dbMels));
            sum ??= new double[bins = s.Bins];
            if (s.Bins != bins) throw new ArgumentException($"mels have {bins} and {s.Bins} bands; the mean spectrum needs one band count", nameof(dbMels));
            for (int b = 0; b < bins; b++) foreach (var v in s.Row(b)) sum[b] += Math.Pow(10, v / 10.0);
            count += s.Frames;
        }
        if (sum is null || count == 0) throw new ArgumentException("no mels to average", nameof(dbMels));
        var db = sum.Select(v => 10 * Math.Log10(Math.Max(v / count, 1e-30))).ToArray();
        double max = db.Max();
        return db.Select(v => v - max).ToArray();
    }

    /// <summary>
    /// A dB mel of coloured noise whose expected power spectrum is <paramref name="meanSpectrumDb"/>: each STFT bin's
    /// power is exponentially distributed (|complex Gaussian|², as for any noise) around the mean spectrum interpolated
    /// from band centres to bins (in dB), then the mel filterbank, then <c>power_to_db(ref=max, top_db)</c> like a
    /// makeMels picture.
    /// </summary>
    /// <example><code>var noise = Controls.ColouredNoise(Controls.MeanSpectrumDb([db]), frames: 640, seed: 1);</code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram ColouredNoise(ReadOnlySpan<double> meanSpectrumDb, int frames, int seed = 0, MelOptions? mel = null, float topDb = 80f)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, $"frames={frames} must be ≥ 1");
        var o = (mel ?? new MelOptions()) with { NMels = meanSpectrumDb.Length };
        var fb = MelFilterBank.Get(o.Validate());
        var centres = fb.CentersHz;
        int bins = fb.NBins;
        double binHz = (double)o.SampleRate / o.Stft.NFft;
        var linear = new float[bins];
        for (int k = 0; k < bins; k++)
        {
            double f = k * binHz;
            int j = Array.BinarySearch(centres, f);
            if (j < 0) j = ~j;
            double dbv = j <= 0 ? meanSpectrumDb[0] : j >= centres.Length ? meanSpectrumDb[^1]
                : meanSpectrumDb[j - 1] + (meanSpectrumDb[j] - meanSpectrumDb[j - 1]) * (f - centres[j - 1]) / (centres[j] - centres[j - 1]);
            linear[k] = (float)Math.Pow(10, dbv / 10);
        }
        var rng = new Random(seed);
        var p = new float[bins];
        var m = new float[fb.NMels];
        var data = new float[fb.NMels * frames];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < bins; k++) p[k] = linear[k] * (float)-Math.Log(1 - rng.NextDouble());
            fb.Apply(p, m);
            for (int b = 0; b < m.Length; b++) data[b * frames + t] = m[b];
        }
        var power = Spectrogram.Create(data, fb.NMels, frames, SpectrogramScale.Power, FrequencyAxis.Mel, o.SampleRate, o.Stft.EffectiveHopLength, o.Stft.NFft);
        return Decibels.PowerToDb(power, DbOptions.MakeMels with { TopDb = topDb });
    }

    /// <summary>
    /// Noise with the picture's own mean spectrum: <see cref="ColouredNoise"/> of <see cref="MeanSpectrumDb"/> of
    /// <paramref name="db"/>, with its number of columns and its time axis.
    /// </summary>
    /// <example><code>var noise = Controls.MatchedNoise(db, seed: 1);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram MatchedNoise(Spectrogram db, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var mean = MeanSpectrumDb([db]);
        var noise = ColouredNoise(mean, db.Frames, seed, new MelOptions { SampleRate = db.SampleRate, NMels = db.Bins });
        return noise with { SampleRate = db.SampleRate, HopLength = db.HopLength, NFft = db.NFft };
    }

    /// <summary>
    /// The picture blurred by a separable Gaussian: σ = <paramref name="sigmaColumns"/> columns along time, then
    /// <paramref name="sigmaBands"/> bands along frequency (kernel truncated at ±3σ, edges mirrored). A σ of 0 leaves
    /// that axis alone.
    /// </summary>
    /// <exception cref="ArgumentException">A σ is negative or not a number (every bad value is named).</exception>
    /// <example><code>var timeOnly = Controls.Smear(db, sigmaColumns: 2, sigmaBands: 0);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram Smear(Spectrogram db, double sigmaColumns, double sigmaBands)
    {
        ArgumentNullException.ThrowIfNull(db);
        var p = new Problems();
        p.Check(!(sigmaColumns >= 0) || double.IsInfinity(sigmaColumns), $"sigmaColumns={sigmaColumns} must be a number ≥ 0");
        p.Check(!(sigmaBands >= 0) || double.IsInfinity(sigmaBands), $"sigmaBands={sigmaBands} must be a number ≥ 0");
        p.ThrowIfAny("Invalid smear");
        int bins = db.Bins, frames = db.Frames;
        var a = new double[db.Data.Length];
        for (int i = 0; i < a.Length; i++) a[i] = db.Data[i];
        if (sigmaColumns > 0) a = Blur(a, bins, frames, sigmaColumns, alongTime: true);
        if (sigmaBands > 0) a = Blur(a, bins, frames, sigmaBands, alongTime: false);
        var data = new float[a.Length];
        for (int i = 0; i < a.Length; i++) data[i] = (float)a[i];
        return db with { Data = data };
    }

    /// <summary>
    /// Draws <paramref name="db"/> as makeMels.py draws a mel (specshow autoscaled to the data range, magma, 640×480)
    /// into a JPEG of quality 75 (4:2:0) and decodes it again, so that a control carries the same rendering, JPEG and
    /// colour-decoding effects as a real picture. The result has 640 columns and the decoder's −80…0 dB range.
    /// </summary>
    /// <example><code>var drawn = Controls.ThroughPicture(Controls.Make(db, ControlKind.RowsShuffledWithinOctaves, seed: 1));</code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static Spectrogram ThroughPicture(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return SpectrogramImageDecoder.Decode(DrawJpeg(db), null, "control").Db;
    }

    /// <summary>The makeMels JPEG of <paramref name="db"/> (640×480 magma, autoscaled, quality 75): what
    /// <see cref="ThroughPicture"/> decodes, and what the training zip's resize starts from.</summary>
    internal static byte[] DrawJpeg(Spectrogram db) =>
        MelImage.EncodeJpeg(SpectrogramRenderer.Render(db, new RenderOptions()), MelImage.DefaultJpegQuality);

    /// <summary>
    /// A picture's pixels blurred by a Gaussian of σ = <paramref name="sigmaPixels"/> in both directions (R, G and B
    /// separately, ±3σ, edges clamped, rounded back to bytes, opaque): the smear made on the picture itself, as an
    /// image editor would. The reference table fits it with σ = 2 px as part of the smear family.
    /// </summary>
    internal static RgbaImage BlurPixels(RgbaImage image, double sigmaPixels)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(sigmaPixels > 0) || double.IsInfinity(sigmaPixels))
            throw new ArgumentOutOfRangeException(nameof(sigmaPixels), sigmaPixels, $"sigmaPixels={sigmaPixels} must be a number > 0");
        int w = image.Width, h = image.Height, r = (int)Math.Ceiling(3 * sigmaPixels);
        var k = new double[2 * r + 1];
        double ks = 0;
        for (int i = -r; i <= r; i++) ks += k[i + r] = Math.Exp(-0.5 * i * i / (sigmaPixels * sigmaPixels));
        for (int i = 0; i < k.Length; i++) k[i] /= ks;
        var px = image.Pixels;
        var tmp = new double[w * h * 3];
        var o = new byte[px.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int ch = 0; ch < 3; ch++)
                {
                    double s = 0;
                    for (int i = -r; i <= r; i++) s += k[i + r] * px[4 * (y * w + Math.Clamp(x + i, 0, w - 1)) + ch];
                    tmp[3 * (y * w + x) + ch] = s;
                }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                for (int ch = 0; ch < 3; ch++)
                {
                    double s = 0;
                    for (int i = -r; i <= r; i++) s += k[i + r] * tmp[3 * (Math.Clamp(y + i, 0, h - 1) * w + x) + ch];
                    o[4 * (y * w + x) + ch] = (byte)Math.Clamp(Math.Round(s), 0, 255);
                }
                o[4 * (y * w + x) + 3] = 255;
            }
        return image with { Pixels = o };
    }

    /// <summary>The four controls of notebook 07 today, seeded: columns shuffled, rows shuffled within octaves,
    /// time-reversed, and coloured noise with <paramref name="meanSpectrumDb"/> as mean spectrum and
    /// <paramref name="db"/>'s shape.</summary>
    /// <example><code>var db = SpectrogramImageDecoder.Decode("mel0.jpg").Db;
    /// var controls = Controls.For(db, Controls.MeanSpectrumDb([db]), seed: 7);</code> Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static IReadOnlyList<ControlPicture> For(Spectrogram db, ReadOnlySpan<double> meanSpectrumDb, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var noise = ColouredNoise(meanSpectrumDb, db.Frames, seed, new MelOptions { SampleRate = db.SampleRate });
        return
        [
            new("columns shuffled", "time structure destroyed, every column's spectrum kept", ShuffleColumns(db, seed)),
            new("rows shuffled within octaves", "harmony destroyed; timing and the octave-level envelope kept", ShuffleRowsWithinOctaves(db, seed)),
            new("time-reversed", "onsets become slow swells; spectra and periodicities kept", TimeReverse(db)),
            new("coloured noise", "only the mean spectrum kept", noise with { SampleRate = db.SampleRate, HopLength = db.HopLength, NFft = db.NFft }),
        ];
    }

    /// <summary>A decoded picture whose dB mel is the control's (same geometry and metadata, so it is inverted
    /// on the same time axis), named after the control.</summary>
    /// <example><code>var decoded = SpectrogramImageDecoder.Decode("mel0.jpg");
    /// var picture = Controls.AsPicture(decoded, Controls.For(decoded.Db, Controls.MeanSpectrumDb([decoded.Db]), seed: 7)[0]);</code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</example>
    public static DecodedSpectrogramImage AsPicture(DecodedSpectrogramImage original, ControlPicture control)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(control);
        if (control.Db.Bins != original.Db.Bins || control.Db.Frames != original.Db.Frames)
            throw new ArgumentException($"control {control.Name} is {control.Db.Bins}×{control.Db.Frames}, the picture {original.Db.Bins}×{original.Db.Frames}", nameof(control));
        return original with { Db = control.Db with { HopLength = original.Db.HopLength, SampleRate = original.Db.SampleRate, NFft = original.Db.NFft }, Source = $"{original.Source} ({control.Name})" };
    }

    /// <summary>A copy of <paramref name="db"/> whose row b is the input's row <paramref name="source"/>[b].</summary>
    private static Spectrogram WithRowsFrom(Spectrogram db, int[] source)
    {
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++) Array.Copy(db.Data, source[b] * db.Frames, data, b * db.Frames, db.Frames);
        return db with { Data = data };
    }

    /// <summary>Separable Gaussian along one axis (±3σ, at least ±1; mirrored edges).</summary>
    private static double[] Blur(double[] x, int bins, int frames, double sigma, bool alongTime)
    {
        int r = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.Exp(-0.5 * i * i / (sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= sum;
        var y = new double[x.Length];
        int n = alongTime ? frames : bins, lines = alongTime ? bins : frames;
        // along time a line is a row (stride 1); along frequency a line is a column (stride frames)
        int stride = alongTime ? 1 : frames;
        for (int line = 0; line < lines; line++)
        {
            int start = alongTime ? line * frames : line;
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = -r; i <= r; i++) s += k[i + r] * x[start + Mirror(j + i, n) * stride];
                y[start + j * stride] = s;
            }
        }
        return y;
    }

    private static int Mirror(int i, int n)
    {
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - i - 1;
        return i;
    }

    private static int[] Permutation(int n, Random rng)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (p[i], p[j]) = (p[j], p[i]); }
        return p;
    }
}
