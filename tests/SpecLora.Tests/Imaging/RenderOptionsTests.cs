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
        Assert.Contains("Height=16385 must be 1…16384", Assert.ThrowsAny<ArgumentException>(() => new RenderOptions { Height = 16385 }.Validate()).Message);
        Assert.Contains("\"jet\" is unknown", Assert.ThrowsAny<ArgumentException>(() => new RenderOptions { Colormap = "jet" }.Validate()).Message);
        Assert.Contains("VMin=0 must be ≤ VMax=-1", Assert.ThrowsAny<ArgumentException>(() => new RenderOptions { VMin = 0, VMax = -1 }.Validate()).Message);
        Assert.Contains("VMax=NaN", Assert.ThrowsAny<ArgumentException>(() => new RenderOptions { VMax = float.NaN }.Validate()).Message);
        Assert.Contains("Colormap=null", Assert.ThrowsAny<ArgumentException>(() => new RenderOptions { Colormap = null! }.Validate()).Message);
    }

    [Fact]
    public void Validate_reports_every_problem_at_once()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new RenderOptions
        {
            Width = 0, Height = -5, Colormap = "jet\u001b[31m", VMin = float.PositiveInfinity, VMax = float.NaN,
        }.Validate());
        Assert.StartsWith("Invalid render options: ", ex.Message);
        Assert.Contains("Width=0 must be 1…16384 pixels", ex.Message);
        Assert.Contains("Height=-5 must be 1…16384 pixels", ex.Message);
        Assert.Contains("Colormap=\"jet\\e[31m\" is unknown (use one of magma, viridis, inferno, gray)", ex.Message);   // escape shown, not sent
        Assert.Contains("VMin=Infinity must be a finite number", ex.Message);
        Assert.Contains("VMax=NaN must be a finite number", ex.Message);
        Assert.Equal(5, ex.Message.Split("; ").Length);
        Assert.DoesNotContain("\u001b", ex.Message);
        Assert.DoesNotContain("(Parameter", ex.Message);
    }
}
