namespace SpecLora.Imaging;

/// <summary>
/// How <see cref="SpectrogramRenderer"/> draws a dB matrix. The defaults reproduce makeMels.py: a 6.4×4.8 in figure at
/// 100 dpi (640×480), <c>specshow</c> with matplotlib's autoscaled <c>Normalize</c> and the 'magma' colormap.
/// </summary>
public sealed record RenderOptions
{
    /// <summary>Largest accepted width or height in pixels.</summary>
    public const int MaxSize = 16384;

    /// <summary>Picture width in pixels (1…16384); makeMels: 640.</summary>
    public int Width { get; init; } = 640;
    /// <summary>Picture height in pixels (1…16384); makeMels: 480.</summary>
    public int Height { get; init; } = 480;
    /// <summary>Colormap name (see <see cref="Imaging.Colormap.Names"/>); specshow picks 'magma' for dB data.</summary>
    public string Colormap { get; init; } = "magma";
    /// <summary>Value drawn with the first colour (matplotlib <c>vmin</c>); null = the data minimum, as specshow does.</summary>
    public float? VMin { get; init; }
    /// <summary>Value drawn with the last colour (matplotlib <c>vmax</c>); null = the data maximum, as specshow does.</summary>
    public float? VMax { get; init; }

    /// <summary>Checks every field and returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is 0, negative or above 16384.</exception>
    /// <exception cref="ArgumentException">Unknown colormap, non-finite or inverted vmin/vmax.</exception>
    public RenderOptions Validate()
    {
        if (Width < 1 || Width > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(Width), Width, $"image width={Width} is out of range: it must be 1…{MaxSize} pixels");
        if (Height < 1 || Height > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(Height), Height, $"image height={Height} is out of range: it must be 1…{MaxSize} pixels");
        _ = Imaging.Colormap.ByName(Colormap);
        if (VMin is { } lo && !float.IsFinite(lo)) throw new ArgumentException($"VMin={lo} must be finite", nameof(VMin));
        if (VMax is { } hi && !float.IsFinite(hi)) throw new ArgumentException($"VMax={hi} must be finite", nameof(VMax));
        if (VMin is { } a && VMax is { } b && a > b) throw new ArgumentException($"VMin={a} must be ≤ VMax={b}", nameof(VMin));
        return this;
    }
}
