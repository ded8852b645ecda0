using SpecLora.Notebook;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Notebook;

public class ProgressViewTests
{
    [Fact]
    public void Outside_a_kernel_writes_a_line_per_tenth_to_the_given_writer_and_renders_a_progress_bar()
    {
        var writer = new StringWriter();
        using (var p = new ProgressView("inverting", 4, writer))
        {
            for (var i = 0; i < 4; i++) p.Increment();
            Assert.Contains("<progress value=\"4\" max=\"4\"", p.ToHtml());
        }
        var text = writer.ToString();
        Assert.Contains("inverting: 0/4 (0%)", text);
        Assert.Contains("inverting: 4/4 (100%)", text);
        Assert.Contains(", done", text);
        Assert.Equal(6, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // 0 %, 25 %, 50 %, 75 %, 100 %, done
    }

    [Fact]
    public void Report_is_clamped_and_total_must_be_positive()
    {
        var p = new ProgressView("x", 3, TextWriter.Null);
        p.Report(10);
        Assert.Equal(3, p.Done);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressView("x", 0, TextWriter.Null));
    }
}
