using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>One control: a transformed dB mel and what it destroys.</summary>
/// <param name="Name">Short name ("columns shuffled", …).</param>
/// <param name="Description">What the transformation keeps and destroys.</param>
/// <param name="Db">The control's dB mel (same shape and dB range as the original).</param>
public sealed record ControlPicture(string Name, string Description, Spectrogram Db);

/// <summary>
/// Controls that give the measures a meaning: from any dB mel (a decoded picture or a clip's mel), the same mel
/// with its columns shuffled (time structure destroyed, every spectrum kept), its rows shuffled within octaves
/// (harmony destroyed, timing and the coarse spectral envelope kept), time-reversed (onsets become decays), and
/// coloured noise with a given mean spectrum (nothing kept but the average colour). Seeded: the same seed gives the
/// same control. Inputs are never modified.
/// </summary>
/// <remarks>Notebook: <c>notebooks/07-is-it-music.ipynb</c>.</remarks>
public static class Controls
{
    /// <summary>The frames (columns) in a seeded random order.</summary>
    public static Spectrogram ShuffleColumns(Spectrogram db, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(db);
        var perm = Permutation(db.Frames, new Random(seed));
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++)
            for (int t = 0; t < db.Frames; t++) data[b * db.Frames + t] = db.Data[b * db.Frames + perm[t]];
        return db with { Data = data };
    }

    /// <summary>The bands permuted at random within each octave of their centre frequency (one permutation for all
    /// frames; octaves counted from C0 = 16.35 Hz, bands below C1 form one group).</summary>
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
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++) Array.Copy(db.Data, source[b] * db.Frames, data, b * db.Frames, db.Frames);
        return db with { Data = data };
    }

    /// <summary>The mel bands grouped by octave of their centre frequency (band indices ascending in each group).</summary>
    public static int[][] OctaveGroups(int nMels, MelOptions mel)
    {
        var centres = MelFilterBank.Get(mel with { NMels = nMels }).CentersHz;
        const double c0 = 16.351597831287414;
        return Enumerable.Range(0, nMels)
            .GroupBy(b => Math.Max(1, (int)Math.Floor(Math.Log2(Math.Max(centres[b], c0) / c0))))
            .OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
    }

    /// <summary>The frames in reverse order.</summary>
    public static Spectrogram TimeReverse(Spectrogram db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var data = new float[db.Data.Length];
        for (int b = 0; b < db.Bins; b++)
            for (int t = 0; t < db.Frames; t++) data[b * db.Frames + t] = db.Data[b * db.Frames + db.Frames - 1 - t];
        return db with { Data = data };
    }

    /// <summary>
    /// The mean spectrum of dB mels, per band: power averaged over every frame of every mel (each relative to its own
    /// reference, as makeMels pictures are), back in dB with the maximum band at 0 dB.
    /// </summary>
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

    /// <summary>The four controls of <paramref name="db"/>, seeded; the noise has its shape and
    /// <paramref name="meanSpectrumDb"/> as mean spectrum.</summary>
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
    public static DecodedSpectrogramImage AsPicture(DecodedSpectrogramImage original, ControlPicture control)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(control);
        if (control.Db.Bins != original.Db.Bins || control.Db.Frames != original.Db.Frames)
            throw new ArgumentException($"control {control.Name} is {control.Db.Bins}×{control.Db.Frames}, the picture {original.Db.Bins}×{original.Db.Frames}", nameof(control));
        return original with { Db = control.Db with { HopLength = original.Db.HopLength, SampleRate = original.Db.SampleRate, NFft = original.Db.NFft }, Source = $"{original.Source} ({control.Name})" };
    }

    private static int[] Permutation(int n, Random rng)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = rng.Next(i + 1); (p[i], p[j]) = (p[j], p[i]); }
        return p;
    }
}
