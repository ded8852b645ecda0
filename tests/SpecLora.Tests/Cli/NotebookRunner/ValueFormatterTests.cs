using SpecLora.Audio;
using SpecLora.Cli.NotebookRunner;

namespace SpecLora.Tests.Cli.NotebookRunner;

public class ValueFormatterTests
{
    private sealed class OwnHtml { public string ToHtml() => "<u>own</u>"; public override string ToString() => "own"; }

    [Fact]
    public void Library_views_and_objects_with_ToHtml_give_html_others_plain_text()
    {
        Assert.Contains("<audio", ValueFormatter.Format(new AudioClip(new float[10], 8000)).Html);
        Assert.Equal(new FormattedValue("<u>own</u>", "own"), ValueFormatter.Format(new OwnHtml()));
        Assert.Equal(new FormattedValue("<p>", "<p>"), ValueFormatter.Format(new HtmlContent("<p>")));
        Assert.Equal(new FormattedValue(null, "1.5"), ValueFormatter.Format(1.5));
    }

    [Fact]
    public void Sequences_list_their_first_items()
    {
        Assert.Equal("[1, 2, 3]", ValueFormatter.Plain(new[] { 1, 2, 3 }));
        Assert.Equal("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, …] (100 items)", ValueFormatter.Plain(Enumerable.Range(0, 100).ToList()));
        Assert.Equal("ab", ValueFormatter.Plain("ab"));
    }
}
