using System.Text.Json.Nodes;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Keeps the Replicate token out of executed notebooks and pages: the current <c>REPLICATE_API_TOKEN</c> value (when
/// set and at least 8 characters, so ordinary text is not mangled) is replaced by <c>***</c> in whatever a cell
/// printed, displayed, returned or threw. The kernel knows nothing of our token; this is one of the few things the
/// runner adds to it. Where the output cap cut a cell's text, a piece of the token at the cut is masked too.
/// </summary>
public static class SecretScrubber
{
    /// <summary>The replacement text.</summary>
    public const string Mask = "***";

    /// <summary>Shortest piece of the token masked at a cut (shorter pieces, such as "r8_", say nothing).</summary>
    private const int MinPiece = 4;

    /// <summary><paramref name="text"/> with the token replaced by <see cref="Mask"/>.</summary>
    public static string? Scrub(string? text)
        => text is null || CurrentSecret() is not { } secret ? text : text.Replace(secret, Mask, StringComparison.Ordinal);

    /// <summary><paramref name="text"/> scrubbed, and where it was cut out of a longer text (<paramref name="cutBefore"/>:
    /// something was dropped before it; <paramref name="cutAfter"/>: after it), a start or end that is a piece of the
    /// token masked as well.</summary>
    public static string ScrubCut(string text, bool cutBefore, bool cutAfter)
    {
        if (CurrentSecret() is not { } secret) return text;
        text = text.Replace(secret, Mask, StringComparison.Ordinal);
        if (cutAfter)
            for (var k = Math.Min(secret.Length - 1, text.Length); k >= MinPiece; k--)
                if (text.EndsWith(secret[..k], StringComparison.Ordinal)) { text = text[..^k] + Mask; break; }
        if (cutBefore)
            for (var k = Math.Min(secret.Length - 1, text.Length); k >= MinPiece; k--)
                if (text.StartsWith(secret[^k..], StringComparison.Ordinal)) { text = Mask + text[k..]; break; }
        return text;
    }

    /// <summary>A copy of <paramref name="node"/> (an nbformat output, or any JSON) with the token replaced in every
    /// string it holds.</summary>
    public static JsonNode? Scrub(JsonNode? node)
    {
        if (node is null || CurrentSecret() is null) return node?.DeepClone();
        return node switch
        {
            JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Scrub(kv.Value)))),
            JsonArray a => new JsonArray(a.Select(Scrub).ToArray()),
            JsonValue v when v.TryGetValue<string>(out var s) => JsonValue.Create(Scrub(s)),
            _ => node.DeepClone(),
        };
    }

    private static string? CurrentSecret()
    {
        var token = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable)?.Trim();
        return token is { Length: >= 8 } ? token : null;
    }
}
