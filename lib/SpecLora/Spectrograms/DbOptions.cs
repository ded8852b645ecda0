namespace SpecLora.Spectrograms;

/// <summary><c>power_to_db</c> settings; librosa defaults are ref 1, amin 1e-10, top_db 80. The original makeMels.py
/// uses <c>ref=np.max</c>: see <see cref="MakeMels"/>.</summary>
public sealed record DbOptions
{
    /// <summary>Reference power (librosa <c>ref</c> as a number). Ignored when <see cref="RefIsMax"/>.</summary>
    public float Ref { get; init; } = 1f;
    /// <summary>Use the data maximum as reference (librosa <c>ref=np.max</c>).</summary>
    public bool RefIsMax { get; init; }
    /// <summary>Floor of the input power (librosa <c>amin</c>). Default 1e-10.</summary>
    public float AMin { get; init; } = 1e-10f;
    /// <summary>Dynamic range kept below the maximum, in dB (librosa <c>top_db</c>); <c>null</c> = no clipping. Default 80.</summary>
    public float? TopDb { get; init; } = 80f;

    /// <summary>The settings makeMels.py uses: <c>power_to_db(S, ref=np.max)</c>.</summary>
    public static DbOptions MakeMels { get; } = new() { RefIsMax = true };

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public DbOptions Validate()
    {
        var errors = new List<string>();
        if (!(AMin > 0)) errors.Add($"AMin={AMin} must be > 0 (librosa amin)");
        if (!RefIsMax && !(Ref > 0)) errors.Add($"Ref={Ref} must be > 0 (librosa ref)");
        if (TopDb is { } t && !(t >= 0)) errors.Add($"TopDb={t} must be ≥ 0 (librosa top_db)");
        if (errors.Count > 0) throw new ArgumentException("Invalid dB options: " + string.Join("; ", errors));
        return this;
    }
}
