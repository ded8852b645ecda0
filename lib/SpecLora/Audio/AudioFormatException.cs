namespace SpecLora.Audio;

/// <summary>
/// An audio file could not be read: empty, truncated, not audio at all, an unsupported codec, no samples, or
/// non-finite (NaN/Inf) samples. The message names the file, says what is wrong and what to do.
/// </summary>
public sealed class AudioFormatException : SpecLoraException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The offending file (or a stream's description).</param>
    /// <param name="problem">What is wrong, e.g. "the WAV header is truncated (20 bytes)".</param>
    /// <param name="advice">What to do about it, e.g. "re-export the file as 16-bit PCM WAV".</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public AudioFormatException(string filePath, string problem, string advice, Exception? inner = null)
        : base($"{filePath}: {problem}. {advice}", inner)
    {
        FilePath = filePath;
        Problem = problem;
        Advice = advice;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }

    /// <summary>What to do about it.</summary>
    public string Advice { get; }
}
