using System.Text;
using System.Text.Json.Nodes;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>The outputs of one executed cell, in the order they happened (console text, displays, result, error).</summary>
public sealed class CellOutputs
{
    private readonly object _gate = new();
    private readonly List<JsonObject> _outputs = [];
    private string? _streamName;
    private StringBuilder? _stream;

    /// <summary>Captures Console.Out into a stdout stream output.</summary>
    public TextWriter Stdout { get; }
    /// <summary>Captures Console.Error into a stderr stream output.</summary>
    public TextWriter Stderr { get; }

    /// <summary>Creates an empty output list.</summary>
    public CellOutputs()
    {
        Stdout = TextWriter.Synchronized(new StreamWriter(this, "stdout"));
        Stderr = TextWriter.Synchronized(new StreamWriter(this, "stderr"));
    }

    /// <summary>Appends console text, merging with the previous chunk of the same stream.</summary>
    internal void AppendStream(string name, string text)
    {
        lock (_gate)
        {
            if (_streamName != name || _stream is null)
            {
                FlushStream();
                _streamName = name;
                _stream = new StringBuilder();
            }
            _stream.Append(text);
        }
    }

    private void FlushStream()
    {
        if (_stream is { Length: > 0 })
            _outputs.Add(new JsonObject { ["name"] = _streamName, ["output_type"] = "stream", ["text"] = NotebookDocument.SplitLines(_stream.ToString()) });
        _stream = null;
        _streamName = null;
    }

    /// <summary>Adds a display_data output and returns its index (for updates).</summary>
    internal int AddDisplay(FormattedValue value)
    {
        lock (_gate)
        {
            FlushStream();
            _outputs.Add(new JsonObject { ["data"] = value.ToMimeBundle(), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" });
            return _outputs.Count - 1;
        }
    }

    /// <summary>Replaces the data of an earlier display_data output.</summary>
    internal void UpdateDisplay(int index, FormattedValue value)
    {
        lock (_gate) _outputs[index]["data"] = value.ToMimeBundle();
    }

    /// <summary>Adds the execute_result of the cell's trailing expression.</summary>
    internal void AddResult(FormattedValue value, int executionCount)
    {
        lock (_gate)
        {
            FlushStream();
            _outputs.Add(new JsonObject { ["data"] = value.ToMimeBundle(), ["execution_count"] = executionCount, ["metadata"] = new JsonObject(), ["output_type"] = "execute_result" });
        }
    }

    /// <summary>Adds an error output.</summary>
    internal void AddError(string name, string message, IEnumerable<string> traceback)
    {
        lock (_gate)
        {
            FlushStream();
            _outputs.Add(new JsonObject { ["ename"] = name, ["evalue"] = message, ["output_type"] = "error", ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()) });
        }
    }

    /// <summary>The outputs as nbformat JSON (a fresh array; pending console text included), with the current
    /// <c>REPLICATE_API_TOKEN</c> value replaced by <c>***</c> in every string (see <see cref="ScrubSecrets(string?)"/>).</summary>
    public JsonArray ToJson()
    {
        lock (_gate)
        {
            FlushStream();
            var array = new JsonArray(_outputs.Select(o => (JsonNode?)o.DeepClone()).ToArray());
            if (CurrentSecret() is { } secret) ScrubNode(array, secret);
            return array;
        }
    }

    /// <summary>Replaces the current <c>REPLICATE_API_TOKEN</c> value (when set and at least 8 characters) with
    /// <c>***</c>: whatever a cell prints, displays, returns or throws, the token never reaches the executed notebook or page.</summary>
    public static string? ScrubSecrets(string? text)
        => text is null || CurrentSecret() is not { } secret ? text : text.Replace(secret, "***", StringComparison.Ordinal);

    private static string? CurrentSecret()
    {
        var token = Environment.GetEnvironmentVariable(SpecLora.Replicate.ReplicateClientOptions.TokenVariable)?.Trim();
        return token is { Length: >= 8 } ? token : null;
    }

    private static void ScrubNode(JsonNode node, string secret)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(kv => kv.Key).ToArray())
                {
                    if (obj[key] is JsonValue v && v.TryGetValue(out string? text)) { if (text.Contains(secret, StringComparison.Ordinal)) obj[key] = text.Replace(secret, "***", StringComparison.Ordinal); }
                    else if (obj[key] is { } child) ScrubNode(child, secret);
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is JsonValue v && v.TryGetValue(out string? text)) { if (text.Contains(secret, StringComparison.Ordinal)) arr[i] = text.Replace(secret, "***", StringComparison.Ordinal); }
                    else if (arr[i] is { } child) ScrubNode(child, secret);
                }
                break;
        }
    }

    private sealed class StreamWriter(CellOutputs owner, string name) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => owner.AppendStream(name, value.ToString());
        public override void Write(string? value) { if (!string.IsNullOrEmpty(value)) owner.AppendStream(name, value); }
        public override void Write(char[] buffer, int index, int count) => owner.AppendStream(name, new string(buffer, index, count));
    }
}
