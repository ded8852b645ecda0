namespace SpecLora.Imaging;

/// <summary>sRGB (8-bit) → CIELAB (D65) and BT.601 luma, and projections onto a colormap's polyline.</summary>
internal static class ColorSpace
{
    private static readonly double[] Linear = BuildLinear();

    private static double[] BuildLinear()
    {
        var t = new double[256];
        for (int i = 0; i < 256; i++)
        {
            double c = i / 255.0;
            t[i] = c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        return t;
    }

    /// <summary>BT.601 luma Y′ = 0.299 R + 0.587 G + 0.114 B on 8-bit values.</summary>
    internal static double Luma(int r, int g, int b) => 0.299 * r + 0.587 * g + 0.114 * b;

    /// <summary>CIELAB (D65 white) of an 8-bit sRGB colour.</summary>
    internal static (double L, double A, double B) Lab(int r, int g, int b)
    {
        double R = Linear[r], G = Linear[g], B = Linear[b];
        double x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
        double y = 0.2126729 * R + 0.7151522 * G + 0.0721750 * B;
        double z = (0.0193339 * R + 0.1191920 * G + 0.9503041 * B) / 1.08883;
        double fx = F(x), fy = F(y), fz = F(z);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}

/// <summary>A colormap's LUT in CIELAB and luma, with nearest-point projections (continuous index).</summary>
internal sealed class ColormapProjector
{
    private readonly double[] _l = new double[Colormap.Size], _a = new double[Colormap.Size], _b = new double[Colormap.Size];
    private readonly double[] _y = new double[Colormap.Size];
    private readonly Dictionary<int, int> _exact = new();

    internal ColormapProjector(Colormap map)
    {
        Map = map;
        var rgb = map.Rgb;
        for (int k = 0; k < Colormap.Size; k++)
        {
            int r = rgb[3 * k], g = rgb[3 * k + 1], b = rgb[3 * k + 2];
            (_l[k], _a[k], _b[k]) = ColorSpace.Lab(r, g, b);
            _y[k] = ColorSpace.Luma(r, g, b);
            _exact.TryAdd(r << 16 | g << 8 | b, k);
        }
    }

    internal Colormap Map { get; }

    private static readonly Dictionary<string, ColormapProjector> Cache = new();

    internal static ColormapProjector For(Colormap map)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(map.Name, out var p)) Cache[map.Name] = p = new ColormapProjector(map);
            return p;
        }
    }

    /// <summary>The LUT entry whose bytes equal this packed 0xRRGGBB colour, or −1.</summary>
    internal int ExactIndex(int rgb) => _exact.TryGetValue(rgb, out var k) ? k : -1;

    /// <summary>Nearest point of the Lab polyline: continuous index t ∈ [0, 255] and its ΔE76.</summary>
    internal (float T, float DeltaE) ProjectLab(int r, int g, int b)
    {
        var (L, A, B) = ColorSpace.Lab(r, g, b);
        int best = 0;
        double bestD = double.MaxValue;
        for (int k = 0; k < Colormap.Size; k++)
        {
            double dl = L - _l[k], da = A - _a[k], db = B - _b[k];
            double d = dl * dl + da * da + db * db;
            if (d < bestD) { bestD = d; best = k; }
        }
        double bestT = best;
        int lo = Math.Max(0, best - 3), hi = Math.Min(Colormap.Size - 2, best + 2);
        for (int k = lo; k <= hi; k++)
        {
            double sl = _l[k + 1] - _l[k], sa = _a[k + 1] - _a[k], sb = _b[k + 1] - _b[k];
            double len2 = sl * sl + sa * sa + sb * sb;
            if (len2 <= 0) continue;
            double u = ((L - _l[k]) * sl + (A - _a[k]) * sa + (B - _b[k]) * sb) / len2;
            if (u <= 0 || u >= 1) continue;
            double dl = L - _l[k] - u * sl, da = A - _a[k] - u * sa, db = B - _b[k] - u * sb;
            double d = dl * dl + da * da + db * db;
            if (d < bestD) { bestD = d; bestT = k + u; }
        }
        return ((float)bestT, (float)Math.Sqrt(bestD));
    }

    /// <summary>Continuous index whose interpolated LUT luma is nearest to <paramref name="y"/> (ties: lowest index).</summary>
    internal float InvertLuma(double y)
    {
        double bestD = double.MaxValue, bestT = 0;
        for (int k = 0; k < Colormap.Size - 1; k++)
        {
            double y0 = _y[k], y1 = _y[k + 1];
            double lo = Math.Min(y0, y1), hi = Math.Max(y0, y1);
            if (y >= lo && y <= hi)
            {
                double t = y1 == y0 ? k : k + (y - y0) / (y1 - y0);
                return (float)t;
            }
            double d0 = Math.Abs(y - y0);
            if (d0 < bestD) { bestD = d0; bestT = k; }
        }
        if (Math.Abs(y - _y[Colormap.Size - 1]) < bestD) bestT = Colormap.Size - 1;
        return (float)bestT;
    }
}
