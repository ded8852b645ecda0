using SpecLora.Notebook;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Notebook;

[Collection(ProcessStateCollection.Name)]
public class ProgressViewTests
{
    [Fact]
    public void Writes_progress_lines_to_the_runner_writer_and_renders_a_progress_bar()
    {
        var saved = ProgressView.ProgressWriter;
        var writer = new StringWriter();
        ProgressView.ProgressWriter = writer;
        try
        {
            using (var p = new ProgressView("inverting", 4))
            {
                for (var i = 0; i < 4; i++) p.Increment();
                Assert.Contains("<progress value=\"4\" max=\"4\"", p.ToHtml());
            }
            var text = writer.ToString();
            Assert.Contains("inverting: 0/4 (0%)", text);
            Assert.Contains("inverting: 4/4 (100%)", text);
            Assert.Contains(", done", text);
        }
        finally { ProgressView.ProgressWriter = saved; }
    }

    [Fact]
    public void Report_is_clamped_and_total_must_be_positive()
    {
        var saved = ProgressView.ProgressWriter;
        ProgressView.ProgressWriter = TextWriter.Null;
        try
        {
            var p = new ProgressView("x", 3);
            p.Report(10);
            Assert.Equal(3, p.Done);
            Assert.Throws<ArgumentOutOfRangeException>(() => new ProgressView("x", 0));
        }
        finally { ProgressView.ProgressWriter = saved; }
    }
}
