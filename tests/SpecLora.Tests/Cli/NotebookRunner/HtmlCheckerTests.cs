using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class HtmlCheckerTests
{
    private static string RequireChromium()
    {
        var chromium = HtmlChecker.FindChromium();
        Skip.If(chromium is null, "headless Chromium not found (/usr/bin/chromium; install Debian's chromium package, as .ci/run does): HTML pages not checked");
        return chromium!;
    }

    [Fact]
    public void Checker_script_goes_into_a_copy_with_error_hooks_first()
    {
        var page = HtmlChecker.Instrument("<html><head><title>t</title></head><body><p>x</p></body></html>");
        Assert.True(page.IndexOf("__speclora_errors", StringComparison.Ordinal) < page.IndexOf("<title>", StringComparison.Ordinal));
        Assert.True(page.IndexOf("loadedmetadata", StringComparison.Ordinal) < page.IndexOf("</body>", StringComparison.Ordinal));
    }

    [Fact]
    public void The_copy_drops_our_pages_policy_against_scripts_so_the_checker_can_run()
    {
        var page = NotebookHtmlWriter.RenderIndex([]);
        Assert.Contains("Content-Security-Policy", page);
        Assert.DoesNotContain("Content-Security-Policy", HtmlChecker.Instrument(page));
    }

    [Fact]
    public void The_summary_counts_in_words_that_agree()
    {
        Assert.Equal("1 image, 1 audio element, ok", HtmlChecker.Summary(new HtmlCheckResult("p", 1, 1, [])));
        Assert.Equal("2 images, 0 audio elements, 1 problem", HtmlChecker.Summary(new HtmlCheckResult("p", 2, 0, ["x"])));
        Assert.Equal("0 images, 3 audio elements, 2 problems", HtmlChecker.Summary(new HtmlCheckResult("p", 0, 3, ["x", "y"])));
    }

    [SkippableFact]
    public async Task Generated_page_of_the_sample_notebook_has_decoded_images_playable_audio_and_no_errors()
    {
        var chromium = RequireChromium();
        var outDir = NotebookFiles.TempDir();
        var result = await NotebookExecutor.RunAsync(NotebookFiles.SampleNotebook(), TimeSpan.FromMinutes(2));
        Assert.True(result.Passed, result.Error);
        var page = Path.Combine(outDir, "sample.html");
        NotebookHtmlWriter.WritePage(result, page);
        var check = await HtmlChecker.CheckAsync(page, chromium);
        Assert.True(check.Ok, string.Join("\n", check.Problems));
        Assert.True(check.Images >= 2, $"images: {check.Images}");
        Assert.True(check.Audio >= 2, $"audio: {check.Audio}");
    }

    [SkippableFact]
    public async Task Broken_image_broken_audio_and_console_errors_are_reported()
    {
        var chromium = RequireChromium();
        var page = Path.Combine(NotebookFiles.TempDir(), "bad.html");
        File.WriteAllText(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>"
            + "<img src=\"data:image/png;base64,AAAA\" alt=\"broken\"><audio controls src=\"data:audio/wav;base64,AAAA\"></audio>"
            + "<script>console.error('boom')</script></body></html>");
        var check = await HtmlChecker.CheckAsync(page, chromium);
        var text = string.Join("\n", check.Problems);
        Assert.False(check.Ok);
        Assert.Contains("image 1 (broken) did not decode", text);
        Assert.Contains("audio 1 did not load", text);
        Assert.Contains("console.error: boom", text);
    }
}
