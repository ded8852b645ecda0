using SpecLora.IO;
using Xunit;

namespace SpecLora.Tests.IO;

public class TerminalTextTests
{
    [Fact]
    public void Plain_text_is_returned_as_it_is()
    {
        const string s = "res1 — Für Elise.png";
        Assert.Same(s, TerminalText.Visible(s));
    }

    [Fact]
    public void Null_is_empty() => Assert.Equal("", TerminalText.Visible(null));

    [Theory]
    [InlineData("\u001b]0;PWNED\a\u001b[31mred", "\\e]0;PWNED\\a\\e[31mred")]
    [InlineData("a\nb\tc\rd", "a\\nb\\tc\\rd")]
    [InlineData("x\u0000y\u007fz", "x\\x00y\\x7Fz")]
    [InlineData("\u009b31m", "\\u009B31m")]
    [InlineData("evil\u202Egnp.exe", "evil\\u202Egnp.exe")]
    public void Control_characters_become_visible_escapes(string input, string expected)
    {
        var v = TerminalText.Visible(input);
        Assert.Equal(expected, v);
        Assert.DoesNotContain(v, c => TerminalText.NeedsEscape(c));
    }
}
