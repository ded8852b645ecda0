using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class NoticeViewTests
{
    [Fact]
    public void A_long_message_wraps_inside_its_box_instead_of_overflowing_it()
    {
        // the offline message names a long path with no space in it: it overflowed the output box when printed
        var message = "15 of the original project's images are missing from /" + string.Join("/", Enumerable.Repeat("a-long-folder-name", 12)) + " and SPECLORA_OFFLINE is set.";
        var html = Show.Notice(message).ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Contains("overflow-wrap:anywhere", html);
        Assert.Contains("white-space:normal", html);
        Assert.Contains("max-width:100%", html);
        Assert.Contains("box-sizing:border-box", html);
        Assert.DoesNotContain("<pre", html);
        Assert.Contains(message, System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public void What_a_section_would_show_is_one_marked_sentence()
    {
        var notice = Show.WithoutOriginalImages("the eight training mels.");
        Assert.True(notice.SaysWhatItWouldShow);
        Assert.Equal("Without the original project's images this section would show the eight training mels.", notice.Text);
        Assert.Contains("class=\"speclora-notice speclora-would-show\"", notice.ToHtml());
        Assert.False(Show.Notice("x").SaysWhatItWouldShow);
        Assert.DoesNotContain("speclora-would-show", Show.Notice("x").ToHtml());
    }

    [Fact]
    public void Text_is_escaped_and_an_empty_sentence_is_refused()
    {
        Assert.Contains("&lt;b&gt;", Show.Notice("<b>").ToHtml());
        Assert.Throws<ArgumentException>(() => Show.WithoutOriginalImages(" "));
    }
}
