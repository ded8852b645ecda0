using SpecLora.Imaging;

namespace SpecLora.Tests.Imaging;

public class RenderOptionsTests
{
    [Fact]
    public void Defaults_are_makemels()
    {
        var o = new RenderOptions();
        Assert.Equal((640, 480, "magma"), (o.Width, o.Height, o.Colormap));
        Assert.Null(o.VMin);
        Assert.Null(o.VMax);
        Assert.Same(o, o.Validate());
    }

    [Fact]
    public void Validate_rejects_bad_values_quoting_them()
    {
        Assert.Contains("16385", Assert.Throws<ArgumentOutOfRangeException>(() => new RenderOptions { Height = 16385 }.Validate()).Message);
        Assert.Contains("jet", Assert.Throws<ArgumentException>(() => new RenderOptions { Colormap = "jet" }.Validate()).Message);
        Assert.Throws<ArgumentException>(() => new RenderOptions { VMin = 0, VMax = -1 }.Validate());
        Assert.Throws<ArgumentException>(() => new RenderOptions { VMax = float.NaN }.Validate());
    }
}
