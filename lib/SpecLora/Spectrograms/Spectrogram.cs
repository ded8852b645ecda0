namespace SpecLora.Spectrograms;

/// <summary>What the numbers of a <see cref="Spectrogram"/> are.</summary>
public enum SpectrogramScale
{
    /// <summary>|X|, linear magnitude.</summary>
    Magnitude,
    /// <summary>|X|², power.</summary>
    Power,
    /// <summary>Decibels, as produced by <c>power_to_db</c>.</summary>
    Db,
}

/// <summary>The frequency axis of a <see cref="Spectrogram"/>.</summary>
public enum FrequencyAxis
{
    /// <summary>STFT bins, 1 + NFft/2 of them.</summary>
    Linear,
    /// <summary>Mel bands.</summary>
    Mel,
}

/// <summary>
/// A real spectrogram in librosa's layout <c>(bins, frames)</c>: row-major, element (b, t) at <c>b * Frames + t</c>.
/// Bin 0 is the lowest frequency. <see cref="Scale"/> and <see cref="Axis"/> say what the numbers are so that
/// display and inversion cannot mix up units.
/// </summary>
public sealed record Spectrogram
{
    /// <summary>Row-major data [Bins × Frames]. Treat as read-only.</summary>
    public required float[] Data { get; init; }
    /// <summary>Number of frequency rows (n_mels or 1 + n_fft/2).</summary>
    public required int Bins { get; init; }
    /// <summary>Number of frames (columns).</summary>
    public required int Frames { get; init; }
    /// <summary>Sample rate in Hz of the audio the spectrogram describes (librosa <c>sr</c>).</summary>
    public int SampleRate { get; init; } = LibrosaDefaults.SampleRate;
    /// <summary>Hop in samples between frames (librosa <c>hop_length</c>).</summary>
    public int HopLength { get; init; } = LibrosaDefaults.HopLength;
    /// <summary>FFT length in samples (librosa <c>n_fft</c>).</summary>
    public int NFft { get; init; } = LibrosaDefaults.NFft;
    /// <summary>Magnitude, power or dB.</summary>
    public SpectrogramScale Scale { get; init; } = SpectrogramScale.Power;
    /// <summary>Linear STFT bins or mel bands.</summary>
    public FrequencyAxis Axis { get; init; } = FrequencyAxis.Mel;

    /// <summary>Element at (bin, frame).</summary>
    public float this[int bin, int frame] => Data[bin * Frames + frame];

    /// <summary>One frequency row (all frames of one bin).</summary>
    public ReadOnlySpan<float> Row(int bin) => Data.AsSpan(bin * Frames, Frames);

    /// <summary>Frames <paramref name="start"/> … start + count − 1 as a new spectrogram (the data are copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or outside 0 … Frames.</exception>
    public Spectrogram SliceFrames(int start, int count)
    {
        if (start < 0 || start >= Frames) throw new ArgumentOutOfRangeException(nameof(start), start, $"start={start} must be in 0..{Frames - 1}");
        if (count <= 0 || start + count > Frames) throw new ArgumentOutOfRangeException(nameof(count), count, $"count={count} must be in 1..{Frames - start}");
        var data = new float[Bins * count];
        for (int b = 0; b < Bins; b++) Array.Copy(Data, b * Frames + start, data, b * count, count);
        return this with { Data = data, Frames = count };
    }

    /// <summary>Duration in seconds of the audio these frames span (centred frames: hop·(T−1)).</summary>
    public double DurationSeconds => (double)HopLength * Math.Max(0, Frames - 1) / SampleRate;

    /// <summary>Creates a spectrogram after checking that <paramref name="data"/> has bins·frames values.</summary>
    /// <example>
    /// <code>
    /// var ramp = new float[256];
    /// for (int i = 0; i &lt; 256; i++) ramp[i] = -80f + 80f * i / 255f;
    /// var bar = Spectrogram.Create(ramp, 1, 256, SpectrogramScale.Db, FrequencyAxis.Mel);   // 1 band × 256 frames, −80 … 0 dB
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static Spectrogram Create(float[] data, int bins, int frames, SpectrogramScale scale, FrequencyAxis axis,
        int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength, int nFft = LibrosaDefaults.NFft)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (bins <= 0) throw new ArgumentOutOfRangeException(nameof(bins), bins, $"bins={bins} must be > 0");
        if (frames <= 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, $"frames={frames} must be > 0");
        if ((long)bins * frames != data.Length)
            throw new ArgumentException($"data has {data.Length} values but bins×frames = {bins}×{frames} = {(long)bins * frames}", nameof(data));
        return new Spectrogram { Data = data, Bins = bins, Frames = frames, Scale = scale, Axis = axis, SampleRate = sampleRate, HopLength = hopLength, NFft = nFft };
    }
}
