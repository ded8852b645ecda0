namespace SpecLora.Imaging;

/// <summary>The picture files this stage reads (<see cref="SpectrogramImageDecoder"/>, through SkiaSharp).</summary>
internal static class PictureFiles
{
    /// <summary>Extensions a folder is searched for (lower case, with the dot): .png, .jpg, .jpeg, .webp, .bmp, .gif.</summary>
    public static IReadOnlyList<string> KnownExtensions { get; } = [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"];
}
