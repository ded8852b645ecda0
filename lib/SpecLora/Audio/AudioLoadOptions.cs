namespace SpecLora.Audio;

/// <summary>
/// How <see cref="AudioLoader"/> reads a file; defaults match <c>librosa.load(path)</c>: 22050 Hz, mono,
/// from the start, to the end.
/// </summary>
public sealed record AudioLoadOptions
{
    /// <summary>The defaults (<c>librosa.load(path)</c>).</summary>
    public static AudioLoadOptions Default { get; } = new();

    /// <summary>Output rate in Hz (librosa <c>sr</c>), 1,000…768,000 (<see cref="AudioLimits"/>). Default 22050; <c>null</c>
    /// keeps the file's own rate (librosa <c>sr=None</c>). Resampling uses <see cref="Resampler"/> (soxr-HQ-like, librosa's
    /// default <c>res_type</c>); its output is bounded by <see cref="AudioLimits.MaxSamples"/>.</summary>
    public int? SampleRate { get; init; } = LibrosaDefaults.SampleRate;

    /// <summary>Average the channels into one (librosa <c>mono</c>, i.e. <c>to_mono</c>: float32 mean). Default true.
    /// <see cref="AudioLoader.Load"/> needs true; use <see cref="AudioLoader.LoadChannels"/> to keep channels.</summary>
    public bool Mono { get; init; } = true;

    /// <summary>Start reading after this many seconds (librosa <c>offset</c>), ≥ 0. The first frame read is
    /// <c>int(offset·sr_native)</c> (truncated, as librosa/soundfile seek). Default 0.</summary>
    public double OffsetSeconds { get; init; }

    /// <summary>Read at most this many seconds (librosa <c>duration</c>), &gt; 0; <c>int(duration·sr_native)</c>
    /// frames at the native rate. <c>null</c> (default) reads to the end.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>The ffmpeg executable (or the folder holding it) for compressed formats. <c>null</c> (default) uses
    /// the <c>FFMPEG_PATH</c> environment variable, then <c>PATH</c>. An explicit path that does not exist is an
    /// error (rather than a silent fallback) for the formats that need ffmpeg; Ogg Vorbis and MP3 with a LAME tag are
    /// decoded without it (see <see cref="AudioLoader"/>).</summary>
    public string? FfmpegPath { get; init; }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting, each with its value.</summary>
    public AudioLoadOptions Validate()
    {
        var errors = Problems();
        if (errors.Count > 0) throw new ArgumentException("Invalid audio load options: " + string.Join("; ", errors));
        return this;
    }

    /// <summary>Every invalid setting, quoting its value (empty when valid); for options that hold these ones.</summary>
    internal List<string> Problems()
    {
        var errors = new List<string>();
        if (SampleRate is { } sr && !AudioLimits.IsSampleRateInRange(sr))
            errors.Add(FormattableString.Invariant($"SampleRate={sr} must be {AudioLimits.SampleRateRange}, or null for the file's own rate (librosa sr)"));
        if (!double.IsFinite(OffsetSeconds) || OffsetSeconds < 0)
            errors.Add(FormattableString.Invariant($"OffsetSeconds={OffsetSeconds} must be a finite number ≥ 0 (librosa offset)"));
        if (DurationSeconds is { } d && (!double.IsFinite(d) || d <= 0))
            errors.Add(FormattableString.Invariant($"DurationSeconds={d} must be a finite number > 0, or null to read to the end (librosa duration)"));
        return errors;
    }
}
