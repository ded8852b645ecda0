using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// Collects one cell's outputs as nbformat 4 output objects while the cell runs, within <see cref="OutputLimits"/>:
/// console text (<c>stream</c>) keeps its first <see cref="OutputLimits.HeadLines"/> lines and its last
/// <see cref="OutputLimits.TailLines"/>, with one line between them saying how much was dropped; displayed values
/// (<c>display_data</c>, updated in place), the trailing expression (<c>execute_result</c>) and the failure
/// (<c>error</c>) are kept in order until the stored outputs reach <see cref="OutputLimits.MaxStoredChars"/>. Work per
/// event is proportional to the event's text (no re-copying of what is stored), and memory stays within the limits
/// whatever the cell prints. Thread-safe: a cell may print from several threads.
/// </summary>
internal sealed class OutputCapture
{
    private abstract class Item;
    private sealed class StreamItem(string name) : Item
    {
        public string Name { get; } = name;
        public StringBuilder Text { get; } = new();
        public bool CutBefore { get; init; }
        public bool CutAfter { get; set; }
    }
    private sealed class DataItem(JsonObject output, long size) : Item
    {
        public JsonObject Output { get; set; } = output;
        public long Size { get; set; } = size;
    }

    private readonly object _gate = new();
    private readonly OutputLimits _limits;
    private readonly int _executionCount;
    private readonly List<Item> _items = [];
    private readonly Dictionary<string, DataItem> _displays = [];
    private readonly LinkedList<(string Name, string Text)> _tail = new();
    private long _tailChars, _headChars, _headLines, _stored, _printed, _droppedChars, _droppedLines;
    private bool _headFull;
    private int _droppedDisplays;
    private readonly TaskCompletionSource<string> _overflow = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A capture for the cell that runs as execution <paramref name="executionCount"/>.</summary>
    public OutputCapture(OutputLimits limits, int executionCount)
    {
        _limits = limits;
        _executionCount = executionCount;
    }

    /// <summary>Completes with a failure sentence when the cell printed more than <see cref="OutputLimits.MaxPrintedChars"/>.</summary>
    public Task<string> Overflowed => _overflow.Task;

    /// <summary>Takes one kernel event (others than outputs and failures are ignored).</summary>
    public void OnEvent(KernelEvent e)
    {
        switch (e)
        {
            case StandardOutputValueProduced or StandardErrorValueProduced:
                AddText(e is StandardOutputValueProduced ? "stdout" : "stderr", PlainText(((DisplayEvent)e).FormattedValues));
                break;
            case DisplayedValueUpdated update:
                UpdateDisplay(update.ValueId, Bundle(update.FormattedValues));
                break;
            case DisplayedValueProduced display:
                AddData("display_data", Bundle(display.FormattedValues), display.ValueId);
                break;
            case ReturnValueProduced value:
                AddData("execute_result", Bundle(value.FormattedValues), null);
                break;
            case CommandFailed failed:
                AddError(failed.Exception?.GetType().Name ?? "Error", failed.Message ?? "",
                    (failed.Exception?.ToString() ?? failed.Message ?? "").Replace("\r\n", "\n").Split('\n'));
                break;
        }
    }

    /// <summary>Console text of stream <paramref name="name"/> ("stdout" or "stderr").</summary>
    public void AddText(string name, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (_gate)
        {
            _printed += text.Length;
            if (_printed > _limits.MaxPrintedChars)
            {
                _droppedChars += text.Length;
                _overflow.TrySetResult($"the cell printed more than {_limits.MaxPrintedChars.ToString("N0", CultureInfo.InvariantCulture)} characters, " +
                                       "the most a cell may print; print less (the page keeps only its first and last lines anyway)");
                return;
            }
            if (!_headFull)
            {
                var cut = HeadCut(text);
                if (cut > 0)
                {
                    var item = _items.Count > 0 && _items[^1] is StreamItem s && s.Name == name ? s : null;
                    if (item is null) _items.Add(item = new StreamItem(name));
                    item.Text.Append(text, 0, cut);
                    _headChars += cut;
                    _headLines += CountLines(text.AsSpan(0, cut));
                    _stored += cut;
                }
                if (cut == text.Length) return;
                _headFull = true;
                if (_items.Count > 0 && _items[^1] is StreamItem last) last.CutAfter = true;
                text = text[cut..];
            }
            AddTail(name, text);
        }
    }

    /// <summary>How much of <paramref name="text"/> still fits the head: up to the line that fills
    /// <see cref="OutputLimits.HeadLines"/>, within <see cref="OutputLimits.HeadChars"/>.</summary>
    private int HeadCut(string text)
    {
        if (_headLines >= _limits.HeadLines) return 0;
        var room = (int)Math.Min(text.Length, _limits.HeadChars - _headChars);
        var lines = _headLines;
        for (var i = 0; i < room; i++)
            if (text[i] == '\n' && ++lines >= _limits.HeadLines) return i + 1;
        return room;
    }

    private void AddTail(string name, string text)
    {
        if (text.Length > _limits.TailChars)
        {
            Drop(text.AsSpan(0, text.Length - _limits.TailChars));
            text = text[^_limits.TailChars..];
        }
        if (text.Length == 0) return;
        _tail.AddLast((name, text));
        _tailChars += text.Length;
        while (_tailChars > _limits.TailChars && _tail.First is { } first)
        {
            var excess = (int)Math.Min(_tailChars - _limits.TailChars, first.Value.Text.Length);
            Drop(first.Value.Text.AsSpan(0, excess));
            _tailChars -= excess;
            if (excess == first.Value.Text.Length) _tail.RemoveFirst();
            else first.Value = (first.Value.Name, first.Value.Text[excess..]);
        }
    }

    private void Drop(ReadOnlySpan<char> text)
    {
        _droppedChars += text.Length;
        _droppedLines += CountLines(text);
    }

    /// <summary>Moves the tail into the outputs (after a line saying what was dropped, if anything was): before a
    /// displayed value, so the outputs stay in order, and at the end.</summary>
    private void FlushTail()
    {
        if (_tail.Count == 0 && _droppedChars == 0) return;
        // keep the last TailLines lines: scan back from the end (a final newline ends the last line, it does not start one)
        LinkedListNode<(string Name, string Text)>? keepNode = null;
        var keepAt = 0;
        if (_limits.TailLines > 0 && _tail.First is not null)
        {
            keepNode = _tail.First;
            var count = 0;
            var skipLast = true;
            for (var node = _tail.Last; node is not null; node = node.Previous)
            {
                var t = node.Value.Text;
                var found = -1;
                for (var i = t.Length - (skipLast ? 2 : 1); i >= 0; i--)
                    if (t[i] == '\n' && ++count == _limits.TailLines) { found = i + 1; break; }
                skipLast = false;
                if (found >= 0) { keepNode = node; keepAt = found; break; }
            }
        }
        var kept = new List<(string Name, string Text)>();
        if (keepNode is null)
            foreach (var (_, text) in _tail) Drop(text);
        else
        {
            for (var node = _tail.First; node is not null && node != keepNode; node = node.Next) Drop(node.Value.Text);
            Drop(keepNode.Value.Text.AsSpan(0, keepAt));
            for (var node = keepNode; node is not null; node = node.Next)
                kept.Add(node == keepNode ? (node.Value.Name, node.Value.Text[keepAt..]) : node.Value);
        }
        _tail.Clear();
        _tailChars = 0;
        if (_stored + kept.Sum(k => (long)k.Text.Length) > _limits.MaxStoredChars)
        {
            foreach (var (_, text) in kept) Drop(text);
            kept.Clear();
        }
        var cut = _droppedChars > 0;
        if (cut)
        {
            var line = DroppedLine();
            var marker = new StreamItem("stdout");
            marker.Text.Append(line);
            _items.Add(marker);
            _stored += line.Length;
            _droppedChars = _droppedLines = 0;
        }
        StreamItem? current = null;
        foreach (var (name, text) in kept.Where(k => k.Text.Length > 0))
        {
            if (current is null || current.Name != name) _items.Add(current = new StreamItem(name) { CutBefore = cut && current is null });
            current.Text.Append(text);
            _stored += text.Length;
        }
    }

    private string DroppedLine()
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = _droppedLines == 1 ? "1 line" : _droppedLines.ToString("N0", ci) + " lines";
        var chars = _droppedChars == 1 ? "1 character" : _droppedChars.ToString("N0", ci) + " characters";
        return $"\n[speclora notebooks: {lines} ({chars}) of this cell's output dropped here; " +
               $"a cell keeps its first {_limits.HeadLines.ToString("N0", ci)} and last {_limits.TailLines.ToString("N0", ci)} lines]\n";
    }

    /// <summary>A displayed value or the trailing expression's value (<paramref name="outputType"/>
    /// <c>display_data</c> or <c>execute_result</c>) with its mime bundle.</summary>
    public void AddData(string outputType, JsonObject data, string? valueId)
    {
        lock (_gate)
        {
            FlushTail();
            var output = new JsonObject { ["output_type"] = outputType, ["data"] = data, ["metadata"] = new JsonObject() };
            if (outputType == "execute_result") output["execution_count"] = _executionCount;
            var size = Size(data);
            if (_stored + size > _limits.MaxStoredChars) { _droppedDisplays++; return; }
            var item = new DataItem(output, size);
            _items.Add(item);
            _stored += size;
            if (valueId is not null) _displays[valueId] = item;
        }
    }

    /// <summary>Replaces the display <paramref name="valueId"/> shown earlier (a progress view), if it was kept and the
    /// new value fits.</summary>
    public void UpdateDisplay(string? valueId, JsonObject data)
    {
        lock (_gate)
        {
            if (valueId is null || !_displays.TryGetValue(valueId, out var item)) return;
            var size = Size(data);
            if (_stored - item.Size + size > _limits.MaxStoredChars) return;
            _stored += size - item.Size;
            item.Output = new JsonObject { ["output_type"] = "display_data", ["data"] = data, ["metadata"] = new JsonObject() };
            item.Size = size;
        }
    }

    /// <summary>The cell's failure.</summary>
    public void AddError(string name, string value, IReadOnlyList<string> traceback)
    {
        lock (_gate)
        {
            FlushTail();
            var capped = traceback.Take(200).Select(l => l.Length > 2000 ? l[..2000] + "…" : l).ToList();
            var output = new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = name,
                ["evalue"] = value.Length > 100_000 ? value[..100_000] + "…" : value,
                ["traceback"] = new JsonArray(capped.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            };
            _items.Add(new DataItem(output, Size(output)));
        }
    }

    /// <summary>The outputs, in order, scrubbed of the Replicate token; the capture can take no more after this.</summary>
    public JsonArray Finish()
    {
        lock (_gate)
        {
            FlushTail();
            var outputs = new JsonArray();
            foreach (var item in _items)
            {
                if (item is StreamItem s)
                {
                    var text = SecretScrubber.ScrubCut(s.Text.ToString(), s.CutBefore, s.CutAfter);
                    if (outputs.Count > 0 && outputs[^1] is JsonObject prev && (string?)prev["output_type"] == "stream" && (string?)prev["name"] == s.Name)
                        prev["text"] = (string?)prev["text"] + text;
                    else
                        outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = s.Name, ["text"] = text });
                }
                else outputs.Add(SecretScrubber.Scrub(((DataItem)item).Output));
            }
            if (_droppedDisplays > 0)
                outputs.Add(new JsonObject
                {
                    ["output_type"] = "stream", ["name"] = "stdout",
                    ["text"] = $"\n[speclora notebooks: {(_droppedDisplays == 1 ? "1 displayed value" : _droppedDisplays.ToString("N0", CultureInfo.InvariantCulture) + " displayed values")} " +
                               $"dropped: a cell's outputs may hold {_limits.MaxStoredChars.ToString("N0", CultureInfo.InvariantCulture)} characters]\n",
                });
            _items.Clear();
            return outputs;
        }
    }

    private static long CountLines(ReadOnlySpan<char> text) => text.Count('\n');

    private static long Size(JsonNode node) => node switch
    {
        JsonObject o => o.Sum(kv => kv.Key.Length + (kv.Value is null ? 4 : Size(kv.Value))),
        JsonArray a => a.Sum(v => v is null ? 4 : Size(v)),
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length + 2,
        _ => 8,
    };

    /// <summary>A kernel mime bundle as nbformat <c>data</c>: text as is, JSON mime types as JSON (dropped when they do
    /// not parse), values the kernel marks as not to be displayed left out.</summary>
    internal static JsonObject Bundle(IEnumerable<FormattedValue> values)
    {
        var data = new JsonObject();
        foreach (var v in values)
        {
            if (v.SuppressDisplay || data.ContainsKey(v.MimeType)) continue;
            if (v.MimeType == "application/json" || v.MimeType.EndsWith("+json", StringComparison.Ordinal))
            {
                try { data[v.MimeType] = JsonNode.Parse(v.Value ?? "null"); }
                catch (JsonException) { }
            }
            else data[v.MimeType] = v.Value ?? "";
        }
        return data;
    }

    private static string PlainText(IEnumerable<FormattedValue> values)
        => values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";
}
