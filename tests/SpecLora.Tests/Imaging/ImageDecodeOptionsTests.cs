using SpecLora.Imaging;

namespace SpecLora.Tests.Imaging;

public class ImageDecodeOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_within_the_ceilings()
    {
        var o = new ImageDecodeOptions();
        Assert.Same(o, o.Validate());
        Assert.True(o.MaxSize <= ImageDecodeOptions.MaxSizeCeiling);
        Assert.True(o.MaxPixels <= ImageDecodeOptions.MaxPixelsCeiling);
        (o with { Colormap = "AUTO" }).Validate();
        (o with { Colormap = "Viridis" }).Validate();
        Assert.ThrowsAny<ArgumentException>(() => (o with { Colormap = " auto " }).Validate());   // the decoder matches "auto" exactly
    }

    [Fact]
    public void Validate_reports_every_problem_at_once_quoting_each_value()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new ImageDecodeOptions
        {
            Colormap = "jet", NMels = 1_000_000, VMin = 0, VMax = -80, Geometry = (ImageGeometry)42, Method = (ColorDecodeMethod)7,
            OffColormapDeltaE = double.NaN, MaxSize = int.MaxValue, MaxPixels = long.MaxValue,
        }.Validate());
        Assert.StartsWith("Invalid image decode options: ", ex.Message);
        Assert.Contains("Colormap=\"jet\" is unknown (use one of magma, viridis, inferno, gray or auto)", ex.Message);
        Assert.Contains("NMels=1000000 must be 1…4096", ex.Message);
        Assert.Contains("VMin=0 must be below VMax=-80", ex.Message);
        Assert.Contains("Geometry=42 is not an ImageGeometry", ex.Message);
        Assert.Contains("Method=7 is not a ColorDecodeMethod", ex.Message);
        Assert.Contains("OffColormapDeltaE=NaN", ex.Message);
        Assert.Contains("MaxSize=2147483647 must be 8…65535", ex.Message);
        Assert.Contains("MaxPixels=9223372036854775807 must be 64…134217728", ex.Message);
        Assert.Equal(8, ex.Message.Split("; ").Length);
    }

    [Theory]
    [InlineData(float.NaN, 0f, "VMin=NaN must be a finite number")]
    [InlineData(-80f, float.PositiveInfinity, "VMax=Infinity must be a finite number")]
    [InlineData(-10f, -10f, "VMin=-10 must be below VMax=-10")]
    public void Levels_must_be_finite_and_increasing(float vmin, float vmax, string expected) =>
        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => new ImageDecodeOptions { VMin = vmin, VMax = vmax }.Validate()).Message);
}
