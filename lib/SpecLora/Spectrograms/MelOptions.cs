namespace SpecLora.Spectrograms;

/// <summary>Mel spectrogram settings; defaults match librosa 0.10 <c>feature.melspectrogram</c> and
/// <c>filters.mel</c>: 22050 Hz, 128 Slaney mels with Slaney (area) normalisation, fmin 0, fmax sr/2, power 2.</summary>
/// <example>
/// <code>
/// var centres = MelFilterBank.Get(new MelOptions()).CentersHz;   // librosa's defaults: 128 bands up to 11025 Hz
/// var mel64 = MelSpectrogram.Compute(clip, new MelOptions { NMels = 64, FMaxHz = 8000 });
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public sealed record MelOptions
{
    /// <summary>Sample rate in Hz (librosa <c>sr</c>). Default 22050.</summary>
    public int SampleRate { get; init; } = LibrosaDefaults.SampleRate;
    /// <summary>Number of mel bands (librosa <c>n_mels</c>). Default 128.</summary>
    public int NMels { get; init; } = LibrosaDefaults.NMels;
    /// <summary>Lowest band edge in Hz (librosa <c>fmin</c>). Default 0.</summary>
    public double FMinHz { get; init; } = 0.0;
    /// <summary>Highest band edge in Hz (librosa <c>fmax</c>); <c>null</c> = sr/2.</summary>
    public double? FMaxHz { get; init; }
    /// <summary>Use the HTK mel formula instead of Slaney's (librosa <c>htk</c>). Default false.</summary>
    public bool Htk { get; init; }
    /// <summary>Slaney area normalisation of each filter (librosa <c>norm="slaney"</c>). Default true.</summary>
    public bool SlaneyNorm { get; init; } = true;
    /// <summary>Exponent of the magnitude (librosa <c>power</c>): 2 = power, 1 = magnitude. Default 2.</summary>
    public double Power { get; init; } = 2.0;
    /// <summary>The STFT underneath.</summary>
    public StftOptions Stft { get; init; } = new();

    /// <summary>The upper edge actually used, in Hz.</summary>
    public double EffectiveFMaxHz => FMaxHz ?? SampleRate / 2.0;

    /// <summary>The options for audio sampled at <paramref name="sampleRate"/> Hz, validated: librosa's defaults at
    /// that rate when <paramref name="options"/> is null (as <c>melspectrogram(y=y, sr=sr)</c>); otherwise
    /// <paramref name="options"/>, whose <see cref="SampleRate"/> must be that rate (a filterbank laid out for one rate
    /// applied to audio at another puts every band at the wrong frequency).</summary>
    /// <exception cref="ArgumentException">The rates differ (the message quotes both), or an option is invalid.</exception>
    public static MelOptions ForRate(int sampleRate, MelOptions? options)
    {
        if (options is null) return new MelOptions { SampleRate = sampleRate }.Validate();
        if (options.SampleRate != sampleRate)
            throw new ArgumentException(
                $"the audio is sampled at {sampleRate} Hz but MelOptions.SampleRate is {options.SampleRate} Hz: load the audio at " +
                $"{options.SampleRate} Hz (AudioLoadOptions.SampleRate = {options.SampleRate}) or set MelOptions.SampleRate = {sampleRate}", nameof(options));
        return options.Validate();
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public MelOptions Validate()
    {
        var errors = new List<string>();
        if (SampleRate <= 0) errors.Add($"SampleRate={SampleRate} must be > 0 (librosa sr)");
        if (NMels <= 0 || NMels > 4096) errors.Add($"NMels={NMels} must be in 1..4096 (librosa n_mels)");
        if (FMinHz < 0) errors.Add($"FMinHz={FMinHz} must be ≥ 0 (librosa fmin)");
        if (EffectiveFMaxHz <= FMinHz) errors.Add($"FMaxHz={EffectiveFMaxHz} must be > FMinHz={FMinHz} (librosa fmax)");
        if (SampleRate > 0 && EffectiveFMaxHz > SampleRate / 2.0 + 1e-9) errors.Add($"FMaxHz={EffectiveFMaxHz} must be ≤ sr/2={SampleRate / 2.0} (librosa fmax)");
        if (!(Power > 0)) errors.Add($"Power={Power} must be > 0 (librosa power)");
        if (errors.Count > 0) throw new ArgumentException("Invalid mel options: " + string.Join("; ", errors));
        Stft.Validate();
        return this;
    }
}
