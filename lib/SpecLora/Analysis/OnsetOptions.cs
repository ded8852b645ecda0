namespace SpecLora.Analysis;

/// <summary>How the bands of the spectral flux are combined (librosa <c>aggregate</c>).</summary>
public enum OnsetAggregate
{
    /// <summary><c>np.mean</c> (librosa's default for <c>onset_strength</c>).</summary>
    Mean,
    /// <summary><c>np.median</c> (what <c>beat_track(y=…)</c> asks for).</summary>
    Median,
}

/// <summary>Settings of the onset strength envelope; defaults match librosa 0.10 <c>onset.onset_strength</c>:
/// lag 1, max_size 1, no detrending, centred (shifted by n_fft/(2·hop) frames), mean over bands.</summary>
public sealed record OnsetStrengthOptions
{
    /// <summary>Time lag in frames for the difference (librosa <c>lag</c>). Default 1.</summary>
    public int Lag { get; init; } = 1;
    /// <summary>Size in bands of the local maximum filter applied to the reference (librosa <c>max_size</c>);
    /// 1 = no filtering (SuperFlux when &gt; 1). Default 1.</summary>
    public int MaxSize { get; init; } = 1;
    /// <summary>Remove the DC component with the filter [1, −1]/[1, −0.99] (librosa <c>detrend</c>). Default false.</summary>
    public bool Detrend { get; init; }
    /// <summary>Shift the envelope by n_fft/(2·hop) frames to undo the centred framing (librosa <c>center</c>). Default true.</summary>
    public bool Center { get; init; } = true;
    /// <summary>Band aggregation (librosa <c>aggregate</c>). Default mean.</summary>
    public OnsetAggregate Aggregate { get; init; } = OnsetAggregate.Mean;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public OnsetStrengthOptions Validate()
    {
        var errors = new List<string>();
        if (Lag < 1) errors.Add($"Lag={Lag} must be a positive integer (librosa lag)");
        if (MaxSize < 1) errors.Add($"MaxSize={MaxSize} must be a positive integer (librosa max_size)");
        if (errors.Count > 0) throw new ArgumentException("Invalid onset strength options: " + string.Join("; ", errors));
        return this;
    }
}

/// <summary>Settings of onset detection; defaults match librosa 0.10 <c>onset.onset_detect</c> and its peak picker
/// (<c>util.peak_pick</c>): envelope normalised to [0, 1], pre_max 30 ms, post_max 0 ms + 1 frame, pre_avg 100 ms,
/// post_avg 100 ms + 1 frame, wait 30 ms, delta 0.07. <c>null</c> means the time-based default in frames:
/// at 22050 Hz and hop 512 these are 1, 1, 4, 5 and 1.</summary>
public sealed record OnsetDetectOptions
{
    /// <summary>Rescale the envelope to [0, 1] before picking (librosa <c>normalize</c>). Default true.</summary>
    public bool Normalize { get; init; } = true;
    /// <summary>Frames before n over which the maximum is taken (librosa <c>pre_max</c>); null = ⌊0.03·sr/hop⌋.</summary>
    public int? PreMax { get; init; }
    /// <summary>Frames after n over which the maximum is taken (librosa <c>post_max</c>); null = ⌊0·sr/hop⌋ + 1.</summary>
    public int? PostMax { get; init; }
    /// <summary>Frames before n over which the mean is taken (librosa <c>pre_avg</c>); null = ⌊0.1·sr/hop⌋.</summary>
    public int? PreAvg { get; init; }
    /// <summary>Frames after n over which the mean is taken (librosa <c>post_avg</c>); null = ⌊0.1·sr/hop⌋ + 1.</summary>
    public int? PostAvg { get; init; }
    /// <summary>Frames to skip after a peak (librosa <c>wait</c>); null = ⌊0.03·sr/hop⌋.</summary>
    public int? Wait { get; init; }
    /// <summary>Threshold above the local mean (librosa <c>delta</c>). Default 0.07.</summary>
    public double Delta { get; init; } = 0.07;

    /// <summary>The peak-picking parameters in frames for a sample rate and hop (librosa's kwargs.setdefault).</summary>
    public (int PreMax, int PostMax, int PreAvg, int PostAvg, int Wait) Resolve(int sampleRate, int hopLength)
    {
        int F(double seconds) => (int)Math.Floor(seconds * sampleRate / hopLength);
        var r = (PreMax ?? F(0.03), PostMax ?? F(0.0) + 1, PreAvg ?? F(0.10), PostAvg ?? F(0.10) + 1, Wait ?? F(0.03));
        var errors = new List<string>();
        if (r.Item1 < 0) errors.Add($"PreMax={r.Item1} must be ≥ 0 (librosa pre_max)");
        if (r.Item2 <= 0) errors.Add($"PostMax={r.Item2} must be > 0 (librosa post_max)");
        if (r.Item3 < 0) errors.Add($"PreAvg={r.Item3} must be ≥ 0 (librosa pre_avg)");
        if (r.Item4 <= 0) errors.Add($"PostAvg={r.Item4} must be > 0 (librosa post_avg)");
        if (r.Item5 < 0) errors.Add($"Wait={r.Item5} must be ≥ 0 (librosa wait)");
        if (!(Delta >= 0)) errors.Add($"Delta={Delta} must be ≥ 0 (librosa delta)");
        if (errors.Count > 0) throw new ArgumentException("Invalid onset detection options: " + string.Join("; ", errors));
        return r;
    }
}
