namespace SpecLora.Audio;

/// <summary>
/// A compressed file (MP3, OGG, FLAC, M4A, …) needs ffmpeg, and no ffmpeg executable was found through the
/// <c>FFMPEG_PATH</c> environment variable or on <c>PATH</c>.
/// </summary>
public sealed class FfmpegNotFoundException : SpecLoraException
{
    /// <summary>The advice every message ends with.</summary>
    public const string InstallAdvice =
        "Install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; Windows: winget install ffmpeg) " +
        "or set FFMPEG_PATH to the ffmpeg executable or the folder that holds it. WAV files are read without ffmpeg.";

    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file that needed decoding.</param>
    /// <param name="searched">Where we looked, e.g. "FFMPEG_PATH is unset; not on PATH".</param>
    public FfmpegNotFoundException(string filePath, string searched)
        : base($"{filePath}: decoding this file needs ffmpeg, which was not found ({searched}). {InstallAdvice}")
    {
        FilePath = filePath;
    }

    /// <summary>The file that needed decoding.</summary>
    public string FilePath { get; }
}
