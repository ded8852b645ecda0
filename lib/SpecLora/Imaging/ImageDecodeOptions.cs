namespace SpecLora.Imaging;

/// <summary>Which pixel rows make up a mel bin when decoding a picture.</summary>
public enum ImageGeometry
{
    /// <summary>Specshow geometry for our PNGs and 640×480 makeMels pictures, uniform otherwise.</summary>
    Auto,
    /// <summary>matplotlib's pcolormesh rule: row r shows bin clip(floor(B − (r + 0.5)·B/H)); bins are 3–4 px at 480.</summary>
    Specshow,
    /// <summary>Bins of H/B rows each, bin 0 at the bottom (SDXL outputs, which have no exact grid).</summary>
    Uniform,
}

/// <summary>How a pixel's colour becomes a (continuous) colormap index.</summary>
public enum ColorDecodeMethod
{
    /// <summary>Exact LUT entry (lossless pictures: our PNGs, makeMels PNGs); pooled by median.</summary>
    ExactLut,
    /// <summary>BT.601 luma Y′ only, inverted along the LUT's luma curve (JPEG originals: 4:2:0 chroma is unreliable).</summary>
    Luma,
    /// <summary>CIELAB projection onto the LUT polyline, weighted by exp(−(ΔE/12)²) (SDXL colours that drift off the map).</summary>
    Lab,
}

/// <summary>The broad origin of a decoded picture, which decides geometry and colour decoding under <c>auto</c>.</summary>
public enum ImageKind
{
    /// <summary>A PNG we wrote, with a "speclora" tEXt chunk: parameters known, decoding exact.</summary>
    SpecLoraPng,
    /// <summary>A 640×480 makeMels.py picture (JPEG original or lossless PNG) with exact specshow geometry.</summary>
    MakeMels,
    /// <summary>Anything else (SDXL 1024×1024 or 640×480 outputs, other sizes): uniform bins, Lab decoding.</summary>
    Generic,
}

/// <summary>
/// How <see cref="SpectrogramImageDecoder"/> reads a picture back into a dB mel matrix. Values from a picture's
/// metadata (our PNGs) override <see cref="NMels"/>, <see cref="VMin"/>, <see cref="VMax"/> and an <c>auto</c> colormap.
/// </summary>
/// <example>
/// <code>
/// var byLuma = SpectrogramImageDecoder.Decode("elise.jpg");   // a makeMels JPEG: luma, by default
/// var nearest = SpectrogramImageDecoder.Decode("elise.jpg", new ImageDecodeOptions { Method = ColorDecodeMethod.Lab });
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
/// </example>
public sealed record ImageDecodeOptions
{
    /// <summary>Smallest accepted width or height in pixels.</summary>
    public const int MinSize = 8;

    /// <summary>"auto" (nearest-LUT statistics; gray pictures → "gray"), or a name from <see cref="Imaging.Colormap.Names"/>.</summary>
    public string Colormap { get; init; } = "auto";
    /// <summary>Mel bands to recover (librosa <c>n_mels</c>, default 128).</summary>
    public int NMels { get; init; } = LibrosaDefaults.NMels;
    /// <summary>dB of the first colour (makeMels: −80 because power_to_db clips at max − top_db).</summary>
    public float VMin { get; init; } = -80f;
    /// <summary>dB of the last colour (makeMels: 0 with <c>ref=np.max</c>).</summary>
    public float VMax { get; init; }
    /// <summary>Row geometry; see <see cref="ImageGeometry"/>.</summary>
    public ImageGeometry Geometry { get; init; } = ImageGeometry.Auto;
    /// <summary>Colour decoding; null = by image kind (exact for lossless on-map pictures, luma for JPEG originals, Lab otherwise).</summary>
    public ColorDecodeMethod? Method { get; init; }
    /// <summary>ΔE76 above which a pixel counts as off the colormap (default 20).</summary>
    public double OffColormapDeltaE { get; init; } = 20;
    /// <summary>When true, a picture with more than 95 % of its pixels off the colormap throws
    /// <see cref="SpectrogramImageException"/> instead of decoding with a warning.</summary>
    public bool Strict { get; init; }
    /// <summary>Largest accepted width or height, checked from the header before pixels are decoded (default 16384; at
    /// most <see cref="MaxSizeCeiling"/>).</summary>
    public int MaxSize { get; init; } = RenderOptions.MaxSize;
    /// <summary>Largest accepted width × height (default 64 Mpx, ≈ 0.8 GB of working buffers), checked from the header;
    /// at most <see cref="MaxPixelsCeiling"/>.</summary>
    public long MaxPixels { get; init; } = 64L << 20;

    /// <summary>The most <see cref="MaxSize"/> may be raised to: 65535, the largest side a JPEG can have.</summary>
    public const int MaxSizeCeiling = 65535;

    /// <summary>The most <see cref="MaxPixels"/> may be raised to: 128 Mpx (≈ 1.6 GB of working buffers at ≈ 12.5 bytes
    /// per pixel), so that decoding one picture stays under 2 GB.</summary>
    public const long MaxPixelsCeiling = 128L << 20;

    /// <summary>Largest <see cref="NMels"/> (and the most mel bands a picture's metadata may give): 4096, as
    /// <see cref="Spectrograms.MelOptions"/> accepts.</summary>
    public const int MaxNMels = 4096;

    /// <summary>
    /// When true (default), a baseline JPEG decoded by <see cref="ColorDecodeMethod.Luma"/> in
    /// <see cref="ImageGeometry.Specshow"/> geometry (makeMels pictures) is decoded from its own quantised luma DCT
    /// coefficients, restored by alternating projections (every row of a bin equal; each coefficient within its
    /// quantisation interval) and pooled by the mean, instead of per-pixel luma from the RGB decode pooled by the median.
    /// PNGs, Lab-decoded pictures (SDXL outputs) and JPEGs this reader does not handle (progressive, …) are unaffected.
    /// Measured on the five makeMels JPEGs of real recordings (../shared/corpus/real): per-cell index RMS error against
    /// the lossless PNG 2.3–4.1 → 2.0–3.2 (colormap steps), end-to-end mel-SC_gain e.g. vibeace_30s 0.293 → 0.223, nutcracker_60s
    /// 0.372 → 0.319.
    /// </summary>
    public bool RestoreJpeg { get; init; } = true;

    /// <summary>Checks every field and returns this instance.</summary>
    /// <exception cref="ArgumentException">One exception listing every problem, each with its value.</exception>
    public ImageDecodeOptions Validate()
    {
        var errors = Problems();
        if (errors.Count > 0) throw new ArgumentException("Invalid image decode options: " + string.Join("; ", errors));
        return this;
    }

    /// <summary>Every invalid setting, quoting its value (empty when valid); for options that hold these ones.</summary>
    internal List<string> Problems()
    {
        var errors = new List<string>();
        if (RenderOptions.ColormapProblem(Colormap, allowAuto: true) is { } cmap) errors.Add(cmap);
        if (NMels < 1 || NMels > MaxNMels) errors.Add($"NMels={NMels} must be 1…{MaxNMels} (librosa n_mels)");
        if (!float.IsFinite(VMin)) errors.Add(FormattableString.Invariant($"VMin={VMin} must be a finite number (dB)"));
        if (!float.IsFinite(VMax)) errors.Add(FormattableString.Invariant($"VMax={VMax} must be a finite number (dB)"));
        if (float.IsFinite(VMin) && float.IsFinite(VMax) && VMin >= VMax) errors.Add(FormattableString.Invariant($"VMin={VMin} must be below VMax={VMax}"));
        if (!Enum.IsDefined(Geometry)) errors.Add($"Geometry={(int)Geometry} is not an ImageGeometry ({string.Join(", ", Enum.GetNames<ImageGeometry>())})");
        if (Method is { } m && !Enum.IsDefined(m)) errors.Add($"Method={(int)m} is not a ColorDecodeMethod ({string.Join(", ", Enum.GetNames<ColorDecodeMethod>())}), or null for automatic");
        if (!(OffColormapDeltaE > 0) || !double.IsFinite(OffColormapDeltaE)) errors.Add(FormattableString.Invariant($"OffColormapDeltaE={OffColormapDeltaE} must be a finite number > 0 (ΔE76)"));
        if (MaxSize < MinSize || MaxSize > MaxSizeCeiling) errors.Add($"MaxSize={MaxSize} must be {MinSize}…{MaxSizeCeiling} pixels");
        if (MaxPixels < (long)MinSize * MinSize || MaxPixels > MaxPixelsCeiling)
            errors.Add($"MaxPixels={MaxPixels} must be {MinSize * MinSize}…{MaxPixelsCeiling} ({MaxPixelsCeiling >> 20} Mpx)");
        return errors;
    }
}
