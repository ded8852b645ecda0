using System.Runtime.CompilerServices;
using System.Net;
using SpecLora.Audio;
using SpecLora.Replicate;
using SpecLora.Spectrograms;

namespace SpecLora.Notebook;

/// <summary>
/// Connects the views to the .NET Interactive kernel that shows them (Jupyter, VS Code, <c>speclora notebooks</c>):
/// <see cref="Register"/> (called once in every notebook's first cell) registers <c>text/html</c> formatters with the
/// kernel's <c>Microsoft.DotNet.Interactive.Formatting.Formatter</c>.
/// </summary>
public static class Display
{
    private static int _registered;

    /// <summary>True once <see cref="Register"/> has run and the .NET Interactive formatters were registered.</summary>
    public static bool FormattersRegistered { get; private set; }

    /// <summary>
    /// Registers HTML formatters for the views, <see cref="AudioClip"/> (a player) and <see cref="Spectrogram"/>
    /// (a grayscale preview), and token-redacting text/html and text/plain formatters for
    /// <see cref="ReplicateClientOptions"/> and <see cref="ReplicateClient"/>, with <c>Microsoft.DotNet.Interactive.Formatting.Formatter</c>. Safe to call many times and
    /// without a kernel: if the formatting assembly cannot be used, nothing is registered and nothing is thrown
    /// (the views also carry the name-matched <c>TypeFormatterSource</c> attribute the kernel understands, so they show
    /// as HTML even before <see cref="Register"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// Display.Register();   // once, in the notebook's first cell: views, clips and spectrograms then show as HTML
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        try
        {
            RegisterWithInteractive();
            FormattersRegistered = true;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException or MissingMethodException or InvalidOperationException)
        {
            FormattersRegistered = false; // no usable Microsoft.DotNet.Interactive.Formatting: the attribute convention remains
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterWithInteractive()
    {
        const string html = "text/html";
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<AudioView>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<SpectrogramView>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<SideBySide>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<HtmlRow>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<NoticeView>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<LineChart>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<FilterbankChart>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ProgressView>((v, w) => w.Write(v.ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<AudioClip>((v, w) => w.Write(new AudioView(v).ToHtml()), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Spectrogram>((v, w) => w.Write(SpectrogramView.FromSpectrogram(v).ToHtml()), html);
        // the kernel's default formatter lists public properties, ApiToken included: show the redacted ToString instead
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ReplicateClientOptions>((v, w) => w.Write(RedactedHtml(v)), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ReplicateClientOptions>((v, w) => w.Write(v.ToString()), "text/plain");
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ReplicateClient>((v, w) => w.Write(RedactedHtml(v)), html);
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register<ReplicateClient>((v, w) => w.Write(v.ToString()), "text/plain");
    }

    /// <summary>The token-redacting <c>ToString</c> of Replicate settings/clients, HTML-encoded in a &lt;code&gt;.</summary>
    private static string RedactedHtml(object value) => "<code>" + WebUtility.HtmlEncode(value.ToString()) + "</code>";
}

/// <summary>
/// The name-matched formatter convention of .NET Interactive: the kernel looks for an attribute named
/// <c>TypeFormatterSourceAttribute</c> on a type and asks its source for formatters, without this library referencing
/// the kernel.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;
    public string[] PreferredMimeTypes { get; set; } = ["text/html"];
}

/// <summary>Formatter source for the name-matched convention: one text/html and one text/plain formatter.</summary>
internal sealed class HtmlViewFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new ConventionFormatter("text/html", v => ((IHtmlView)v).ToHtml());
        yield return new ConventionFormatter("text/plain", v => v.ToString() ?? "");
    }

    internal sealed class ConventionFormatter(string mimeType, Func<object, string> format)
    {
        public string MimeType { get; } = mimeType;

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not IHtmlView) return false;
            writer.Write(format(instance));
            return true;
        }
    }
}
