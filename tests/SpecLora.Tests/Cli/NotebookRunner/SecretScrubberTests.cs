using System.Text.Json.Nodes;
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
            var outputs = JsonNode.Parse("""
                [{"output_type":"display_data","data":{"text/html":"<b>r8_secret123456</b>","application/json":{"k":["r8_secret123456"]}},"metadata":{}},
                 {"output_type":"execute_result","execution_count":3,"data":{"text/plain":"t=r8_secret123456"},"metadata":{}},
                 {"output_type":"stream","name":"stderr","text":"r8_secret123456\n"},
                 {"output_type":"error","ename":"E","evalue":"is r8_secret123456","traceback":["at r8_secret123456"]}]
                """);
            var scrubbed = SecretScrubber.Scrub(outputs)!.ToJsonString();
            Assert.DoesNotContain("r8_secret123456", scrubbed);
            Assert.Contains("\"execution_count\":3", scrubbed);
            Assert.Equal(7, scrubbed.Split("***").Length);
            Assert.Contains("r8_secret123456", outputs!.ToJsonString()); // a copy: the original is untouched
        });
    }

    [Fact]
    public void A_piece_of_the_token_at_a_cut_is_masked_and_short_pieces_are_not()
    {
        WithToken("r8_secret123456", () =>
        {
            Assert.Equal("end ***", SecretScrubber.ScrubCut("end r8_secr", cutBefore: false, cutAfter: true));
            Assert.Equal("*** next", SecretScrubber.ScrubCut("123456 next", cutBefore: true, cutAfter: false));
            Assert.Equal("end r8_", SecretScrubber.ScrubCut("end r8_", cutBefore: false, cutAfter: true)); // 3 characters say nothing
            Assert.Equal("end r8_secr", SecretScrubber.ScrubCut("end r8_secr", cutBefore: false, cutAfter: false));
            Assert.Equal("a *** b", SecretScrubber.ScrubCut("a r8_secret123456 b", cutBefore: true, cutAfter: true));
        });
    }
}
