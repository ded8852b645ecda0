namespace SpecLora.Notebook;

/// <summary>
/// Something that renders itself as self-contained HTML (data URIs, inline SVG, no scripts, no external links).
/// Every view of <see cref="Show"/> implements it; the Polyglot formatters registered by <see cref="Display.Register"/>
/// and the <c>speclora notebooks</c> runner both call <see cref="ToHtml"/>.
/// </summary>
public interface IHtmlView
{
    /// <summary>The view as an HTML fragment that needs nothing outside itself.</summary>
    string ToHtml();
}
