using SpecLora.IO;

namespace SpecLora.Tests.IO;

public class WordsTests
{
    [Theory]
    [InlineData(0, "0 pictures")]
    [InlineData(1, "1 picture")]
    [InlineData(2, "2 pictures")]
    public void Counts_take_the_plural_except_for_one(int n, string expected) => Assert.Equal(expected, Words.Count(n, "picture"));

    [Fact]
    public void An_irregular_plural_is_given() => Assert.Equal("3 analyses", Words.Count(3, "analysis", "analyses"));

    [Fact]
    public void Lists_join_with_and() => Assert.Equal(["", "a", "a and b", "a, b and c"],
        new[] { new string[0], ["a"], ["a", "b"], ["a", "b", "c"] }.Select(l => Words.List(l)));
}
