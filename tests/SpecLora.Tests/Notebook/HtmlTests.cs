using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class HtmlTests
{
    [Theory]
    [InlineData(0, 1, 0.2)]
    [InlineData(0, 11025, 2000)]
    [InlineData(-80, 0, 10)]
    public void Nice_ticks_use_1_2_5_steps_inside_the_range(double min, double max, double step)
    {
        var ticks = Html.NiceTicks(min, max, 6);
        Assert.True(ticks.Length >= 3, string.Join(",", ticks));
        Assert.All(ticks, t => Assert.InRange(t, min - 1e-9, max + 1e-9));
        Assert.Equal(step, ticks[1] - ticks[0], 6);
    }

    [Fact]
    public void Numbers_are_invariant_and_text_is_escaped()
    {
        Assert.Equal("1.5", Html.N(1.5));
        Assert.Equal("2k", Html.TickLabel(2000, kilo: true));
        Assert.Equal("&lt;a&gt;", Html.Escape("<a>"));
    }
}
