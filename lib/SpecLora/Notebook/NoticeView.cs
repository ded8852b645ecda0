namespace SpecLora.Notebook;

/// <summary>
/// A boxed sentence for the reader: why something is missing and what it would show (a run without the original
/// project's images, a download that failed). Long words and paths wrap inside the box, so the box never overflows
/// the page, whatever the message holds.
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class NoticeView : IHtmlView
{
    /// <summary>The class every notice carries in its HTML.</summary>
    internal const string CssClass = "speclora-notice";

    /// <summary>The extra class of a notice made by <see cref="WithoutOriginalImages"/> (what a section would show).</summary>
    internal const string WouldShowClass = "speclora-would-show";

    /// <summary>The start of every <see cref="WithoutOriginalImages"/> sentence.</summary>
    internal const string WouldShowPrefix = "Without the original project's images this section would show ";

    /// <summary>The text, as given.</summary>
    public string Text { get; }

    /// <summary>True for a notice made by <see cref="WithoutOriginalImages"/>.</summary>
    public bool SaysWhatItWouldShow { get; }

    /// <summary>A notice with <paramref name="text"/>.</summary>
    public NoticeView(string text) : this(text, false) { }

    private NoticeView(string text, bool wouldShow)
    {
        Text = text ?? "";
        SaysWhatItWouldShow = wouldShow;
    }

    /// <summary>"Without the original project's images this section would show <paramref name="wouldShow"/>." — one
    /// sentence a section shows in place of what it cannot show offline.</summary>
    /// <param name="wouldShow">What the section shows with the images ("the eight training mels, each a whole movement in
    /// 640 columns").</param>
    /// <exception cref="ArgumentException"><paramref name="wouldShow"/> is empty.</exception>
    public static NoticeView WithoutOriginalImages(string wouldShow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(wouldShow);
        return new(WouldShowPrefix + wouldShow.Trim().TrimEnd('.') + ".", true);
    }

    /// <inheritdoc/>
    public string ToHtml()
        => "<div class=\"" + CssClass + (SaysWhatItWouldShow ? " " + WouldShowClass : "") + "\" style=\"" + Html.Font +
           ";background:#fff8e1;border:1px solid #f0d48a;border-radius:4px;padding:6px 10px;margin:4px 0;max-width:100%;" +
           "box-sizing:border-box;white-space:normal;overflow-wrap:anywhere;word-break:break-word\">" + Html.Escape(Text) + "</div>";

    /// <inheritdoc/>
    public override string ToString() => Text;
}
