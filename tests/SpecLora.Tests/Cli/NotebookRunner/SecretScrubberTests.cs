using Microsoft.DotNet.Interactive.Documents;
using SpecLora.Cli.NotebookRunner;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Cli.NotebookRunner;

[Collection(ProcessStateCollection.Name)]
public class SecretScrubberTests
{
    private static void WithToken(string? token, Action body)
    {
        var saved = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable);
        try
        {
            Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, token);
            body();
        }
        finally { Environment.SetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable, saved); }
    }

    [Fact]
    public void Short_or_unset_tokens_are_not_scrubbed()
    {
        WithToken("abc", () => Assert.Equal("abcdef", SecretScrubber.Scrub("abcdef"))); // under 8 characters: would mangle ordinary text
        WithToken(null, () => Assert.Equal("abcdef", SecretScrubber.Scrub("abcdef")));
        WithToken("abcdefgh", () => Assert.Equal("x *** y", SecretScrubber.Scrub("x abcdefgh y")));
    }

    [Fact]
    public void Every_kind_of_output_is_scrubbed()
    {
        WithToken("r8_secret123456", () =>
        {
            var display = (DisplayElement)SecretScrubber.Scrub(new DisplayElement(new Dictionary<string, object> { ["text/html"] = "<b>r8_secret123456</b>" }));
            Assert.Equal("<b>***</b>", display.Data["text/html"]);
            var value = new ReturnValueElement { ExecutionOrder = 3 };
            value.Data["text/plain"] = "t=r8_secret123456";
            var scrubbed = (ReturnValueElement)SecretScrubber.Scrub(value);
            Assert.Equal(("t=***", 3), ((string)scrubbed.Data["text/plain"], scrubbed.ExecutionOrder));
            Assert.Equal("***\n", ((TextElement)SecretScrubber.Scrub(new TextElement("r8_secret123456\n", "stderr"))).Text);
            var error = (ErrorElement)SecretScrubber.Scrub(new ErrorElement("is r8_secret123456", "E", ["at r8_secret123456"]));
            Assert.Equal(("is ***", "at ***"), (error.ErrorValue, error.StackTrace[0]));
        });
    }
}
