using SpecLora.Audio;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Notebook;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class HtmlSanitizerTests
{
    [Theory]
    [InlineData("<b>x</b><script>alert(1)</script>", "<b>x</b>")]
    [InlineData("<SCRIPT type=\"text/javascript\">alert(1)</SCRIPT >after", "after")]
    [InlineData("<img src=\"x\" onerror=\"alert(1)\"/>", "<img src=\"x\"/>")]
    [InlineData("<svg onload=alert(1) width=4></svg>", "<svg width=\"4\"></svg>")]
    [InlineData("<a href=\"javascript:alert(1)\">a</a>", "<a>a</a>")]
    [InlineData("<a href=' JaVa&#x09;ScRiPt:alert(1)'>a</a>", "<a>a</a>")]
    [InlineData("<a href=\"&#106&#97vascript:alert(1)\">a</a>", "<a>a</a>")]
    [InlineData("<a href=\"java&Tab;script&colon;alert(1)\">a</a>", "<a>a</a>")]
    [InlineData("<a href=\"vbscript:msgbox(1)\">a</a>", "<a>a</a>")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD4=\">a</a>", "<a>a</a>")]
    [InlineData("<iframe src=\"https://example.org\">fallback</iframe>ok", "ok")]
    [InlineData("<object data=\"x.swf\"><param name=a value=b></object><embed src=\"x.swf\">ok", "ok")]
    [InlineData("<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">ok", "ok")]
    [InlineData("<svg><a xlink:href=\"javascript:alert(1)\"><rect/></a><animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg>", "<svg><a><rect/></a></svg>")]
    [InlineData("<p style=\"background:url(javascript:alert(1))\">x</p>", "<p>x</p>")]
    [InlineData("<scr<script>ipt>alert(1)</script>", "&lt;scr")]
    [InlineData("a < b and <3 and <!-- <script>alert(1)</script> -->", "a &lt; b and &lt;3 and ")]
    [InlineData("<div title=\"javascript: is a language\">t</div>", "<div>t</div>")]
    [InlineData("<template><script>alert(1)</script></template>ok", "ok")]
    [InlineData("<img src=x onerror=alert(1)", "")]
    public void Scripts_event_handlers_and_script_urls_are_removed(string html, string expected)
        => Assert.Equal(expected, HtmlSanitizer.Sanitize(html));

    [Theory]
    [InlineData("<audio controls src=\"data:audio/wav;base64,UklGRg==\"></audio>")]
    [InlineData("<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"a &amp; b\" style=\"max-width:320px;border:1px solid #ccc\"/>")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><image href=\"data:image/png;base64,AA==\" width=\"10\"/><text x=\"1\">a</text></svg>")]
    [InlineData("<table><tr><th>k</th><td>v</td></tr></table><style>.x{color:red}</style>")]
    [InlineData("<a href=\"https://example.org/x?a=1&amp;b=2\">link</a><a href=\"data/table.csv\">data</a><details open><summary>s</summary>d</details>")]
    public void Html_without_scripts_passes_unchanged(string html) => Assert.Equal(html, HtmlSanitizer.Sanitize(html));

    /// <summary>Our library's own views (players, pictures, spectrograms, charts, tables, progress) render exactly as
    /// the kernel produced them: the sanitiser changes nothing in them.</summary>
    [Fact]
    public void Every_view_of_our_library_passes_unchanged()
    {
        var sr = 8000;
        var y = new float[sr / 4];
        for (var i = 0; i < y.Length; i++) y[i] = 0.3f * MathF.Sin(2 * MathF.PI * 440 * i / sr);
        var clip = new AudioClip(y, sr);
        var mel = MelSpectrogram.Compute(clip, new MelOptions { SampleRate = sr, NMels = 32, Stft = new StftOptions { NFft = 256, HopLength = 64 } });
        var spectrogram = Show.Spectrogram(Decibels.PowerToDb(mel), "mel");
        var views = new IHtmlView[]
        {
            Show.Audio(clip, "tone"),
            spectrogram,
            Show.Chart(y, sr, "wave"),
            Show.Chart([1.0, 2, 3], [1.0, 4, 9], "squares", "x", "y"),
            Show.Filterbank(new MelOptions { SampleRate = sr, NMels = 16, Stft = new StftOptions { NFft = 256 } }),
            Show.Metrics([KeyValuePair.Create("SC", (object)0.12), KeyValuePair.Create("name", (object)"<a & b>")]),
            Show.Text("plain <text>"),
            Show.Progress("steps", 3),
            Show.Row(Show.Audio(clip, "left"), Show.Text("right")),
        };
        foreach (var view in views)
        {
            var html = view.ToHtml();
            Assert.Equal(html, HtmlSanitizer.Sanitize(html));
        }
    }

    /// <summary>What a real kernel run produces (the sample notebook: player, spectrogram, chart, grid, and the kernel's
    /// own formatting of values) goes on the page exactly as the kernel produced it.</summary>
    [Fact]
    public async Task Every_html_output_of_a_real_kernel_run_passes_unchanged()
    {
        var r = await NotebookExecutor.RunAsync(NotebookFiles.SampleNotebook(), TimeSpan.FromMinutes(2));
        Assert.True(r.Passed, r.Error);
        var html = r.Executed["cells"]!.AsArray().SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => o!["data"]?["text/html"]).Where(h => h is not null).Select(h => NotebookDocument.JoinSource(h)).ToList();
        Assert.True(html.Count >= 4, $"{html.Count} html outputs");
        Assert.Contains(html, h => h.Contains("<audio", StringComparison.Ordinal));
        Assert.Contains(html, h => h.Contains("<svg", StringComparison.Ordinal));
        foreach (var h in html) Assert.Equal(h, HtmlSanitizer.Sanitize(h));
    }

    [Theory]
    [InlineData("https://example.org", false, true)]
    [InlineData("page.html#x", false, true)]
    [InlineData("#anchor", false, true)]
    [InlineData("mailto:a@example.org", false, true)]
    [InlineData("javascript:alert(1)", false, false)]
    [InlineData(" JAVA\tSCRIPT:alert(1)", false, false)]
    [InlineData("data:text/html,x", false, false)]
    [InlineData("data:image/png;base64,AA==", true, true)]
    [InlineData("data:image/png;base64,AA==", false, false)]
    [InlineData("file:///etc/passwd", false, false)]
    [InlineData("a/b:c", false, true)]
    public void Markdown_urls_allowed_are_relative_http_mailto_and_data_images(string url, bool image, bool safe)
        => Assert.Equal(safe, HtmlSanitizer.SafeUrl(url, image));
}
