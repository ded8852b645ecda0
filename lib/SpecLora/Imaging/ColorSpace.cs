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

    /// <summary>The lowest and highest BT.601 luma of the LUT's entries.</summary>
    internal (float Min, float Max) LumaRange => ((float)_y.Min(), (float)_y.Max());

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

    // Nearest LUT vertex of each cell centre of a 64×64×64 RGB grid: the starting point of the local search. Filled
    // lazily, cell by cell, when a colour in it is first projected: a picture touches a few thousand of the 262 144
    // cells, and building all of them (67 M distances per colormap, three maps for auto-detection) cost ≈ 0.5 s of CPU
    // in every process. A cell holds vertex + 1 (0 = not computed yet); racing threads write the same value.
    private const int GridBits = 6;
    private readonly ushort[] _grid = new ushort[1 << (3 * GridBits)];

    private int GridStart(int r, int g, int b)
    {
        const int n = 1 << GridBits, shift = 8 - GridBits, half = 1 << (shift - 1);
        int ri = r >> shift, gi = g >> shift, bi = b >> shift, cell = (ri * n + gi) * n + bi;
        int v = Volatile.Read(ref _grid[cell]);
        if (v != 0) return v - 1;
        var (L, A, B) = ColorSpace.Lab(ri << shift | half, gi << shift | half, bi << shift | half);
        int k = NearestVertex(L, A, B, 0, Colormap.Size - 1).K;
        Volatile.Write(ref _grid[cell], (ushort)(k + 1));
        return k;
    }

    private (int K, double D) NearestVertex(double L, double A, double B, int lo, int hi)
    {
        int best = lo;
        double bestD = double.MaxValue;
        for (int k = lo; k <= hi; k++)
        {
            double dl = L - _l[k], da = A - _a[k], db = B - _b[k];
            double d = dl * dl + da * da + db * db;
            if (d < bestD) { bestD = d; best = k; }
        }
        return (best, bestD);
    }

    /// <summary>
    /// Nearest point of the Lab polyline: continuous index t ∈ [0, 255] and its ΔE76. The nearest vertex is searched
    /// within ±8 entries of the vertex nearest to the colour's 6-bit grid cell (extended while the distance keeps
    /// falling at the window edge), then the adjacent segments are projected on.
    /// </summary>
    internal (float T, float DeltaE) ProjectLab(int r, int g, int b)
    {
        var (L, A, B) = ColorSpace.Lab(r, g, b);
        const int window = 8;
        int start = GridStart(r, g, b);
        int lo = Math.Max(0, start - window), hi = Math.Min(Colormap.Size - 1, start + window);
        var (best, bestD) = NearestVertex(L, A, B, lo, hi);
        while (best == lo && lo > 0) { lo = Math.Max(0, lo - window); (best, bestD) = NearestVertex(L, A, B, lo, best); }
        while (best == hi && hi < Colormap.Size - 1) { hi = Math.Min(Colormap.Size - 1, hi + window); (best, bestD) = NearestVertex(L, A, B, best, hi); }
        return Refine(L, A, B, best, bestD);
    }

    /// <summary>Exhaustive version of <see cref="ProjectLab"/> (all 256 vertices), for tests.</summary>
    internal (float T, float DeltaE) ProjectLabExhaustive(int r, int g, int b)
    {
        var (L, A, B) = ColorSpace.Lab(r, g, b);
        var (best, bestD) = NearestVertex(L, A, B, 0, Colormap.Size - 1);
        return Refine(L, A, B, best, bestD);
    }

    private (float T, float DeltaE) Refine(double L, double A, double B, int best, double bestD)
    {
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

    // Luma inverse for every 8-bit colour: Y′·1000 = 299R + 587G + 114B is an integer in 0…255000.
    private float[]? _lumaTable;

    private float[] LumaTable => LazyInitializer.EnsureInitialized(ref _lumaTable, BuildLumaTable);

    private float[] BuildLumaTable()
    {
        // Same answer as InvertLuma(double) (lowest segment containing the luma; nearest end outside the range),
        // built by sweeping the segments from the top so that lower ones overwrite.
        var t = new float[255001];
        var filled = new bool[t.Length];
        for (int k = Colormap.Size - 2; k >= 0; k--)
        {
            double y0 = _y[k], y1 = _y[k + 1];
            int lo = (int)Math.Ceiling(Math.Min(y0, y1) * 1000 - 1e-9), hi = (int)Math.Floor(Math.Max(y0, y1) * 1000 + 1e-9);
            for (int i = Math.Max(0, lo); i <= Math.Min(t.Length - 1, hi); i++)
            {
                double y = i / 1000.0;
                t[i] = (float)(y1 == y0 ? k : Math.Clamp(k + (y - y0) / (y1 - y0), k, k + 1));
                filled[i] = true;
            }
        }
        // Unfilled entries lie outside the colormap's luma range (the polyline is continuous), where the answer is the
        // extreme vertex, one value per run: check both ends of each run and fill it (else entry by entry).
        for (int i = 0; i < t.Length; i++)
        {
            if (filled[i]) continue;
            int j = i;
            while (j + 1 < t.Length && !filled[j + 1]) j++;
            float a = InvertLuma(i / 1000.0), b = InvertLuma(j / 1000.0);
            for (int q = i; q <= j; q++) t[q] = a == b ? a : InvertLuma(q / 1000.0);
            i = j;
        }
        return t;
    }

    /// <summary><see cref="InvertLuma(double)"/> of an 8-bit colour's BT.601 luma, from a table.</summary>
    internal float InvertLuma(int r, int g, int b) => LumaTable[299 * r + 587 * g + 114 * b];

    /// <summary><see cref="InvertLuma(double)"/> of a continuous luma, from the same table (to the nearest 0.001).</summary>
    internal float InvertLumaTabled(double y) => LumaTable[(int)Math.Clamp(Math.Round(y * 1000), 0, 255000)];

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
