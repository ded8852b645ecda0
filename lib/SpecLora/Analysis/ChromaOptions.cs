namespace SpecLora.Analysis;

/// <summary>Tuning estimation settings; defaults match librosa 0.10 <c>estimate_tuning</c> and <c>piptrack</c>:
/// peaks between 150 and 4000 Hz above 0.1 × the frame's maximum, the stronger half of them, a histogram of their
/// deviation from equal temperament in 0.01-semitone bins.</summary>
public sealed record TuningOptions
{
    /// <summary>Histogram resolution in fractions of a bin (librosa <c>resolution</c>). Default 0.01.</summary>
    public double Resolution { get; init; } = 0.01;
    /// <summary>Lowest peak frequency in Hz (librosa <c>fmin</c> of <c>piptrack</c>). Default 150.</summary>
    public double FMinHz { get; init; } = 150.0;
    /// <summary>Peak frequencies must be below this, in Hz (librosa <c>fmax</c> of <c>piptrack</c>). Default 4000.</summary>
    public double FMaxHz { get; init; } = 4000.0;
    /// <summary>Peaks must exceed this fraction of the frame's maximum (librosa <c>threshold</c>). Default 0.1.</summary>
    public double Threshold { get; init; } = 0.1;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public TuningOptions Validate()
    {
        var errors = new List<string>();
        if (!(Resolution > 0 && Resolution < 1)) errors.Add($"Resolution={Resolution} must be in (0, 1) (librosa resolution)");
        if (!(FMinHz >= 0)) errors.Add($"FMinHz={FMinHz} must be ≥ 0 (librosa fmin)");
        if (!(FMaxHz > FMinHz)) errors.Add($"FMaxHz={FMaxHz} must be > FMinHz={FMinHz} (librosa fmax)");
        if (!(Threshold >= 0)) errors.Add($"Threshold={Threshold} must be ≥ 0 (librosa threshold)");
        if (errors.Count > 0) throw new ArgumentException("Invalid tuning options: " + string.Join("; ", errors));
        return this;
    }
}

/// <summary>Chroma settings; defaults match librosa 0.10 <c>feature.chroma_stft</c> and <c>filters.chroma</c>:
/// 12 bins starting at C, tuning estimated from the power spectrogram, Gaussian bumps weighted around octave 5
/// (ctroct 5, octwidth 2), each frame scaled by its maximum (norm=inf).</summary>
public sealed record ChromaOptions
{
    /// <summary>Number of chroma bins per octave (librosa <c>n_chroma</c>). Default 12.</summary>
    public int NChroma { get; init; } = 12;
    /// <summary>Tuning in fractions of a chroma bin (librosa <c>tuning</c>); null = <c>estimate_tuning</c>.</summary>
    public double? Tuning { get; init; }
    /// <summary>Centre octave of the octave weighting (librosa <c>ctroct</c>). Default 5.</summary>
    public double CtrOct { get; init; } = 5.0;
    /// <summary>Width in octaves of the octave weighting (librosa <c>octwidth</c>); null = flat. Default 2.</summary>
    public double? OctWidth { get; init; } = 2.0;
    /// <summary>Start the bins at C instead of A (librosa <c>base_c</c>). Default true.</summary>
    public bool BaseC { get; init; } = true;
    /// <summary>Scale each frame by its maximum (librosa <c>norm=np.inf</c>); false = <c>norm=None</c>. Default true.</summary>
    public bool NormalizeMax { get; init; } = true;
    /// <summary>The tuning estimate's settings (used when <see cref="Tuning"/> is null).</summary>
    public TuningOptions TuningEstimate { get; init; } = new();

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public ChromaOptions Validate()
    {
        var errors = new List<string>();
        if (NChroma < 1 || NChroma > 120) errors.Add($"NChroma={NChroma} must be in 1..120 (librosa n_chroma)");
        if (Tuning is { } t && !(t >= -0.5 && t < 0.5)) errors.Add($"Tuning={t} must be in [-0.5, 0.5) (librosa tuning)");
        if (OctWidth is { } w && !(w > 0)) errors.Add($"OctWidth={w} must be > 0 (librosa octwidth)");
        if (errors.Count > 0) throw new ArgumentException("Invalid chroma options: " + string.Join("; ", errors));
        TuningEstimate.Validate();
        return this;
    }
}
