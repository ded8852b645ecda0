namespace SpecLora.Spectrograms;

/// <summary>Power ↔ decibels (librosa <c>power_to_db</c> / <c>db_to_power</c>), in float32 as librosa.</summary>
public static class Decibels
{
    /// <summary>10·log10(max(S, amin)) − 10·log10(max(ref, amin)), clipped below at max − top_db.
    /// Returns a new <see cref="SpectrogramScale.Db"/> spectrogram; the input is not modified.</summary>
    /// <param name="power">A power spectrogram.</param>
    /// <param name="options">librosa defaults when null; <see cref="DbOptions.MakeMels"/> for ref=np.max.</param>
    /// <param name="referencePower">The reference actually used (S.max() with RefIsMax).</param>
    public static Spectrogram PowerToDb(Spectrogram power, DbOptions? options, out float referencePower)
    {
        ArgumentNullException.ThrowIfNull(power);
        var o = (options ?? new DbOptions()).Validate();
        var s = power.Data;
        float max = float.NegativeInfinity;
        foreach (var v in s) { if (float.IsNaN(v)) throw new ArgumentException("power spectrogram contains NaN", nameof(power)); if (v > max) max = v; }
        referencePower = o.RefIsMax ? max : o.Ref;
        float refDb = 10f * MathF.Log10(MathF.Max(o.AMin, referencePower));
        var db = new float[s.Length];
        float dbMax = float.NegativeInfinity;
        for (int i = 0; i < s.Length; i++)
        {
            float v = 10f * MathF.Log10(MathF.Max(o.AMin, s[i])) - refDb;
            db[i] = v;
            if (v > dbMax) dbMax = v;
        }
        if (o.TopDb is { } top)
        {
            float floor = dbMax - top;
            for (int i = 0; i < db.Length; i++) if (db[i] < floor) db[i] = floor;
        }
        return power with { Data = db, Scale = SpectrogramScale.Db };
    }

    /// <summary><see cref="PowerToDb(Spectrogram, DbOptions?, out float)"/> without the reference output.</summary>
    public static Spectrogram PowerToDb(Spectrogram power, DbOptions? options = null) => PowerToDb(power, options, out _);

    /// <summary>ref·10^(dB/10) (librosa <c>db_to_power</c>).</summary>
    public static Spectrogram DbToPower(Spectrogram db, float referencePower = 1f)
    {
        ArgumentNullException.ThrowIfNull(db);
        var p = new float[db.Data.Length];
        for (int i = 0; i < p.Length; i++) p[i] = referencePower * MathF.Pow(10f, 0.1f * db.Data[i]);
        return db with { Data = p, Scale = SpectrogramScale.Power };
    }
}
