namespace SpecLora.Analysis;

/// <summary>Autocorrelation tempogram settings; defaults match librosa 0.10 <c>feature.tempogram</c>: win_length 384
/// frames (≈ 8.9 s at 22050 Hz, hop 512), centred with linear ramps to zero, periodic Hann, each frame scaled by its
/// maximum (norm=inf).</summary>
public sealed record TempogramOptions
{
    /// <summary>Autocorrelation window in frames (librosa <c>win_length</c>). Default 384.</summary>
    public int WinLength { get; init; } = 384;
    /// <summary>Centre the windows, padding the envelope with linear ramps to 0 (librosa <c>center</c>). Default true.</summary>
    public bool Center { get; init; } = true;
    /// <summary>Scale each frame by its largest |value| (librosa <c>norm=np.inf</c>); false = <c>norm=None</c>. Default true.</summary>
    public bool NormalizeMax { get; init; } = true;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public TempogramOptions Validate()
    {
        if (WinLength < 1 || WinLength > 65536) throw new ArgumentException($"Invalid tempogram options: WinLength={WinLength} must be in 1..65536 (librosa win_length)");
        return this;
    }
}

/// <summary>Global tempo settings; defaults match librosa 0.10 <c>feature.rhythm.tempo</c>: a log-normal prior
/// centred on 120 BPM with 1 octave deviation, an 8 s autocorrelation window, nothing above 320 BPM, the tempogram
/// averaged over frames.</summary>
public sealed record TempoOptions
{
    /// <summary>Centre of the tempo prior in BPM (librosa <c>start_bpm</c>). Default 120.</summary>
    public double StartBpm { get; init; } = 120;
    /// <summary>Deviation of the prior in octaves (librosa <c>std_bpm</c>). Default 1.</summary>
    public double StdBpm { get; init; } = 1.0;
    /// <summary>Autocorrelation window in seconds (librosa <c>ac_size</c>; 8 s → 344 frames). Default 8.</summary>
    public double AcSizeSeconds { get; init; } = 8.0;
    /// <summary>Tempi at or above this are excluded (librosa <c>max_tempo</c>); null = no limit. Default 320.</summary>
    public double? MaxTempoBpm { get; init; } = 320.0;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public TempoOptions Validate()
    {
        var errors = new List<string>();
        if (!(StartBpm > 0)) errors.Add($"StartBpm={StartBpm} must be strictly positive (librosa start_bpm)");
        if (!(StdBpm > 0)) errors.Add($"StdBpm={StdBpm} must be > 0 (librosa std_bpm)");
        if (!(AcSizeSeconds > 0)) errors.Add($"AcSizeSeconds={AcSizeSeconds} must be > 0 (librosa ac_size)");
        if (MaxTempoBpm is { } m && !(m > 0)) errors.Add($"MaxTempoBpm={m} must be > 0 (librosa max_tempo)");
        if (errors.Count > 0) throw new ArgumentException("Invalid tempo options: " + string.Join("; ", errors));
        return this;
    }
}

/// <summary>Beat tracker settings; defaults match librosa 0.10 <c>beat.beat_track</c> (Ellis 2007): tempo from
/// <see cref="TempoOptions"/> (start_bpm 120), tightness 100, weak leading and trailing beats trimmed.</summary>
public sealed record BeatTrackOptions
{
    /// <summary>How closely beats follow the tempo (librosa <c>tightness</c>). Default 100.</summary>
    public double Tightness { get; init; } = 100;
    /// <summary>Trim leading/trailing beats whose local score is below half the RMS of the smoothed beat envelope
    /// (librosa <c>trim</c>). Default true.</summary>
    public bool Trim { get; init; } = true;
    /// <summary>Tempo to track in BPM (librosa <c>bpm</c>); null = estimate with <see cref="Tempo"/>.</summary>
    public double? Bpm { get; init; }
    /// <summary>The tempo estimate's settings (librosa passes <c>start_bpm</c> and <c>prior</c> through).</summary>
    public TempoOptions Tempo { get; init; } = new();

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public BeatTrackOptions Validate()
    {
        var errors = new List<string>();
        if (!(Tightness > 0)) errors.Add($"Tightness={Tightness} must be strictly positive (librosa tightness)");
        if (Bpm is { } b && !(b > 0)) errors.Add($"Bpm={b} must be strictly positive (librosa bpm)");
        if (errors.Count > 0) throw new ArgumentException("Invalid beat tracking options: " + string.Join("; ", errors));
        Tempo.Validate();
        return this;
    }
}
