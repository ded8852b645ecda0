using System.Globalization;
using SpecLora.Imaging;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Imaging;

public class ColormapTests
{
    [Fact]
    public void Magma_equals_golden_magma_256_csv_bytes()
    {
        var lines = File.ReadAllLines(Path.Combine(Golden.FixtureDir, "magma_256.csv")).Skip(1).ToArray();
        Assert.Equal(256, lines.Length);
        foreach (var line in lines)
        {
            var f = line.Split(',');
            int k = int.Parse(f[0], CultureInfo.InvariantCulture);
            var expected = (byte.Parse(f[4]), byte.Parse(f[5]), byte.Parse(f[6]));
            Assert.Equal(expected, Colormap.Magma[k]);
            // r8 = round(255·x) of the float columns
            for (int ch = 0; ch < 3; ch++)
                Assert.Equal(Math.Round(255 * double.Parse(f[1 + ch], CultureInfo.InvariantCulture), MidpointRounding.AwayFromZero), double.Parse(f[4 + ch]));
        }
    }

    [Fact]
    public void Known_entries_of_viridis_inferno_gray()
    {
        // matplotlib _cm_listed.py: viridis[0] = (0.267004, 0.004874, 0.329415), viridis[255] = (0.993248, 0.906157, 0.143936)
        Assert.Equal(((byte)68, (byte)1, (byte)84), Colormap.Viridis[0]);
        Assert.Equal(((byte)253, (byte)231, (byte)37), Colormap.Viridis[255]);
        // inferno[0] = magma[0]; inferno[255] = (0.988362, 0.998364, 0.644924)
        Assert.Equal(Colormap.Magma[0], Colormap.Inferno[0]);
        Assert.Equal(((byte)252, (byte)255, (byte)164), Colormap.Inferno[255]);
        for (int k = 0; k < 256; k++) Assert.Equal(((byte)k, (byte)k, (byte)k), Colormap.Gray[k]);
        Assert.Equal(768, Colormap.Viridis.Rgb.Length);
    }

    [Fact]
    public void Luma_of_magma_viridis_inferno_rises_overall()
    {
        foreach (var map in new[] { Colormap.Magma, Colormap.Viridis, Colormap.Inferno })
        {
            var (r0, g0, b0) = map[0];
            var (r1, g1, b1) = map[255];
            Assert.True(0.299 * r1 + 0.587 * g1 + 0.114 * b1 > 0.299 * r0 + 0.587 * g0 + 0.114 * b0 + 150, map.Name);
        }
    }

    [Fact]
    public void ByName_accepts_names_case_insensitively_and_rejects_unknown()
    {
        Assert.Equal(new[] { "magma", "viridis", "inferno", "gray" }, Colormap.Names);
        Assert.Same(Colormap.Magma, Colormap.ByName("MAGMA"));
        Assert.Same(Colormap.Gray, Colormap.ByName("grey"));
        foreach (var name in Colormap.Names) Assert.Equal(name, Colormap.ByName(name).Name);
        var e = Assert.Throws<ArgumentException>(() => Colormap.ByName("jet"));
        Assert.Contains("jet", e.Message);
        Assert.Contains("viridis", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Colormap.Magma[256]);
    }
}
