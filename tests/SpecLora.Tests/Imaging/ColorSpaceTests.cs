using SpecLora.Imaging;

namespace SpecLora.Tests.Imaging;

public class ColorSpaceTests
{
    [Fact]
    public void Lab_of_reference_colours()
    {
        var white = ColorSpace.Lab(255, 255, 255);
        Assert.Equal(100, white.L, 2);
        Assert.Equal(0, white.A, 2);
        Assert.Equal(0, white.B, 2);
        Assert.Equal((0.0, 0.0, 0.0), ColorSpace.Lab(0, 0, 0));
        // sRGB red: L* 53.24, a* 80.09, b* 67.20 (D65)
        var red = ColorSpace.Lab(255, 0, 0);
        Assert.Equal(53.24, red.L, 1);
        Assert.Equal(80.09, red.A, 1);
        Assert.Equal(67.20, red.B, 1);
        Assert.Equal(76.245, ColorSpace.Luma(255, 0, 0), 6);
    }

    [Fact]
    public void Magma_luma_rises_except_one_tiny_step_and_inverts_to_the_index()
    {
        int drops = 0;
        double worst = 0;
        for (int k = 1; k < 256; k++)
        {
            var (r0, g0, b0) = Colormap.Magma[k - 1];
            var (r1, g1, b1) = Colormap.Magma[k];
            double d = ColorSpace.Luma(r1, g1, b1) - ColorSpace.Luma(r0, g0, b0);
            if (d < 0) { drops++; worst = Math.Min(worst, d); }
        }
        Assert.Equal(1, drops);
        Assert.InRange(worst, -0.1, -0.01);
        var p = ColormapProjector.For(Colormap.Magma);
        int exact = 0;
        for (int k = 0; k < 256; k++)
        {
            var (r, g, b) = Colormap.Magma[k];
            float t = p.InvertLuma(r, g, b);
            Assert.True(Math.Abs(t - k) <= 1.1f, $"entry {k} → {t}"); // entry 50 sits below entry 49 in luma: → 48.9
            if (Math.Abs(t - k) < 1e-3) exact++;
        }
        Assert.True(exact >= 253, $"{exact} entries invert exactly");
        // the table agrees with the direct search
        Assert.Equal(p.InvertLuma(ColorSpace.Luma(120, 30, 90)), p.InvertLuma(120, 30, 90), 3);
        // everywhere, including below and above the colormap's luma range (filled run by run)
        foreach (var map in new[] { Colormap.Magma, Colormap.Viridis, Colormap.Gray })
        {
            var q = ColormapProjector.For(map);
            for (int i = 0; i <= 255000; i += 97)
                Assert.Equal(q.InvertLuma(i / 1000.0), q.InvertLumaTabled(i / 1000.0), 4);
            Assert.Equal(q.InvertLuma(0.0), q.InvertLumaTabled(0.0), 4);
            Assert.Equal(q.InvertLuma(255.0), q.InvertLumaTabled(255.0), 4);
        }
    }

    [Fact]
    public void Lab_projection_of_lut_entries_and_midpoints()
    {
        var p = ColormapProjector.For(Colormap.Viridis);
        var (r, g, b) = Colormap.Viridis[100];
        var (t, e) = p.ProjectLab(r, g, b);
        Assert.Equal(100, t, 3);
        Assert.Equal(0, e, 3);
        Assert.Equal(100, p.ExactIndex(r << 16 | g << 8 | b));
        Assert.Equal(-1, p.ExactIndex(0x00FF00));
        var far = p.ProjectLab(255, 0, 0);
        Assert.True(far.DeltaE > 40);
    }
}
