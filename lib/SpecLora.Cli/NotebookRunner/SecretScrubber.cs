using Microsoft.DotNet.Interactive.Documents;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Keeps the Replicate token out of executed notebooks and pages: the current <c>REPLICATE_API_TOKEN</c> value (when
/// set and at least 8 characters, so ordinary text is not mangled) is replaced by <c>***</c> in whatever a cell
/// printed, displayed, returned or threw. The kernel knows nothing of our token; this is one of the few things the
/// runner adds to it.
/// </summary>
public static class SecretScrubber
{
    /// <summary>The replacement text.</summary>
    public const string Mask = "***";

    /// <summary><paramref name="text"/> with the token replaced by <see cref="Mask"/>.</summary>
    public static string? Scrub(string? text)
        => text is null || CurrentSecret() is not { } secret ? text : text.Replace(secret, Mask, StringComparison.Ordinal);

    /// <summary>A copy of <paramref name="output"/> with the token replaced in every string it holds.</summary>
    public static InteractiveDocumentOutputElement Scrub(InteractiveDocumentOutputElement output)
    {
        if (CurrentSecret() is null) return output;
        switch (output)
        {
            case DisplayElement d:
                return new DisplayElement(ScrubData(d.Data));
            case ReturnValueElement r:
                var copy = new ReturnValueElement { ExecutionOrder = r.ExecutionOrder };
                foreach (var (k, v) in ScrubData(r.Data)) copy.Data[k] = v;
                return copy;
            case TextElement t:
                return new TextElement(Scrub(t.Text), t.Name);
            case ErrorElement e:
                return new ErrorElement(Scrub(e.ErrorValue), e.ErrorName, e.StackTrace.Select(l => Scrub(l) ?? "").ToArray());
            default:
                return output;
        }
    }

    private static Dictionary<string, object> ScrubData(IDictionary<string, object> data)
        => data.ToDictionary(kv => kv.Key, kv => kv.Value is string s ? (object)(Scrub(s) ?? "") : kv.Value);

    private static string? CurrentSecret()
    {
        var token = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable)?.Trim();
        return token is { Length: >= 8 } ? token : null;
    }
}
