namespace SpecLora.Imaging;

/// <summary>A picture cannot be read as a spectrogram: not an image, too small or too large, or (in strict mode)
/// almost nothing in it is on the colormap. The message names the file and says what to do.</summary>
public sealed class SpectrogramImageException : SpecLoraException
{
    /// <summary>Creates the exception for <paramref name="source"/> (a file path or a caller-given name).</summary>
    public SpectrogramImageException(string source, string message, Exception? inner = null) : base($"{source}: {message}", inner)
    {
        FileName = source;
    }

    /// <summary>The file path or name the picture came from.</summary>
    public string FileName { get; }
}
