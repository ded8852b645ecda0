namespace SpecLora.Imaging;

/// <summary>
/// How <see cref="SpectrogramRenderer"/> draws a dB matrix. The defaults reproduce makeMels.py: a 6.4×4.8 in figure at
/// 100 dpi (640×480), <c>specshow</c> with matplotlib's autoscaled <c>Normalize</c> and the 'magma' colormap.
/// </summary>
/// <example>
/// <code>
/// RgbaImage strip = SpectrogramRenderer.Render(melDb, new RenderOptions { Width = 512, Height = 24 });
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
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
    /// <exception cref="ArgumentException">One exception listing every problem, each with its value: a size outside
    /// 1…16384, an unknown colormap, a non-finite vmin/vmax, or vmin above vmax.</exception>
    public RenderOptions Validate()
    {
        var errors = Problems();
        if (errors.Count > 0) throw new ArgumentException("Invalid render options: " + string.Join("; ", errors));
        return this;
    }

    /// <summary>Every invalid setting, quoting its value (empty when valid); for options that hold these ones.</summary>
    internal List<string> Problems()
    {
        var errors = new List<string>();
        if (Width < 1 || Width > MaxSize) errors.Add($"Width={Width} must be 1…{MaxSize} pixels");
        if (Height < 1 || Height > MaxSize) errors.Add($"Height={Height} must be 1…{MaxSize} pixels");
        if (ColormapProblem(Colormap, allowAuto: false) is { } cmap) errors.Add(cmap);
        if (VMin is { } lo && !float.IsFinite(lo)) errors.Add(FormattableString.Invariant($"VMin={lo} must be a finite number (dB), or null for the data minimum"));
        if (VMax is { } hi && !float.IsFinite(hi)) errors.Add(FormattableString.Invariant($"VMax={hi} must be a finite number (dB), or null for the data maximum"));
        if (VMin is { } a && VMax is { } b && a > b) errors.Add(FormattableString.Invariant($"VMin={a} must be ≤ VMax={b}"));
        return errors;
    }

    /// <summary>The problem with a colormap name, or null when it is known (or "auto" where allowed).</summary>
    internal static string? ColormapProblem(string? name, bool allowAuto)
    {
        if (name is null) return "Colormap=null must be a colormap name (" + string.Join(", ", Imaging.Colormap.Names) + ")";
        if (allowAuto && string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase)) return null;
        try { _ = Imaging.Colormap.ByName(name); return null; }
        catch (ArgumentException)
        {
            string shown = IO.TerminalText.Visible(name.Length > 40 ? name[..40] + "…" : name);
            return $"Colormap=\"{shown}\" is unknown (use one of {string.Join(", ", Imaging.Colormap.Names)}{(allowAuto ? " or auto" : "")})";
        }
    }
}
