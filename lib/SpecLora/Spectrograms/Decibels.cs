namespace SpecLora.Spectrograms;

/// <summary>Power ↔ decibels (librosa <c>power_to_db</c> / <c>db_to_power</c>), in float32 as librosa.</summary>
/// <example>
/// <code>
/// var melDb = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels, out float refPower);   // ref = max
/// var power = Decibels.DbToPower(melDb, refPower);   // back to power, floored 80 dB below the peak
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public static class Decibels
{
    /// <summary>10·log10(max(S, amin)) − 10·log10(max(ref, amin)), clipped below at max − top_db.
    /// Returns a new <see cref="SpectrogramScale.Db"/> spectrogram; the input is not modified.</summary>
    /// <param name="power">A power spectrogram.</param>
    /// <param name="options">librosa defaults when null; <see cref="DbOptions.MakeMels"/> for ref=np.max.</param>
    /// <param name="referencePower">The reference actually used (S.max() with RefIsMax).</param>
    /// <exception cref="ArgumentException">The power holds NaN or ±∞ (audio far beyond full scale overflows float32
    /// power; <see cref="Audio.AudioLoader"/> refuses such files), or the reference is not finite. The message names the
    /// first such cell and says what to do.</exception>
    /// <remarks>Every number out of here is finite: finite power and a finite reference give finite dB, and the -∞ of a
    /// zero power is floored at <c>amin</c>.</remarks>
    public static Spectrogram PowerToDb(Spectrogram power, DbOptions? options, out float referencePower)
    {
        ArgumentNullException.ThrowIfNull(power);
        var o = (options ?? new DbOptions()).Validate();
        var s = power.Data;
        float max = float.NegativeInfinity;
        for (int i = 0; i < s.Length; i++)
        {
            float v = s[i];
            if (!float.IsFinite(v)) throw NotFinite(power, i, v, nameof(power));
            if (v > max) max = v;
        }
        referencePower = o.RefIsMax ? max : o.Ref;
        if (!float.IsFinite(referencePower))
            throw new ArgumentException(FormattableString.Invariant($"the reference power {referencePower} is not a finite number; give a finite Ref > 0 (librosa ref)"), nameof(options));
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
    /// <exception cref="ArgumentException">The reference or a dB value is not finite, or a power would overflow float32
    /// (above 3.4·10³⁸, i.e. dB + 10·log10(ref) above ≈ 385 dB).</exception>
    public static Spectrogram DbToPower(Spectrogram db, float referencePower = 1f)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!float.IsFinite(referencePower))
            throw new ArgumentException(FormattableString.Invariant($"referencePower={referencePower} must be a finite number (librosa ref)"), nameof(referencePower));
        var d = db.Data;
        var p = new float[d.Length];
        for (int i = 0; i < p.Length; i++)
        {
            float v = referencePower * MathF.Pow(10f, 0.1f * d[i]);
            if (!float.IsFinite(v))
                throw float.IsFinite(d[i]) ? new ArgumentException(FormattableString.Invariant(
                        $"{d[i]} dB at {Cell(db, i)} with referencePower={referencePower} is beyond float32 power (at most 3.4e38, ≈ 385 dB); lower the levels or the reference"), nameof(db))
                    : NotFinite(db, i, d[i], nameof(db));
            p[i] = v;
        }
        return db with { Data = p, Scale = SpectrogramScale.Power };
    }

    private static string Cell(Spectrogram s, int i) => s.Frames > 0
        ? FormattableString.Invariant($"bin {i / s.Frames}, frame {i % s.Frames}")
        : FormattableString.Invariant($"index {i}");

    private static ArgumentException NotFinite(Spectrogram s, int i, float v, string param) =>
        new(FormattableString.Invariant(
            $"the spectrogram holds {v} at {Cell(s, i)}; its values must be finite numbers (audio samples far beyond full scale overflow float32 power: load audio through AudioLoader, which refuses them)"), param);
}
