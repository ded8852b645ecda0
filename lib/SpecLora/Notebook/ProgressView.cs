using System.Diagnostics;
using System.Reflection;

namespace SpecLora.Notebook;

/// <summary>
/// Progress of a long cell. In Polyglot Notebooks it shows one output that updates in place; in the
/// <c>speclora notebooks</c> runner (which sets <see cref="ProgressWriter"/>) it writes a console progress line outside
/// the cell's captured output; elsewhere it prints a plain line every 10 %. Dispose (or <see cref="Complete"/>) at the end.
/// </summary>
/// <example><code>
/// using (var p = Show.Progress("Griffin-Lim", 32))
///     for (var i = 0; i &lt; 32; i++) { Step(); p.Increment(); }
/// </code></example>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class ProgressView : IHtmlView, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object? _kernelHandle;
    private long _lastUpdateMs = -1000;
    private int _lastDecile = -1;

    /// <summary>Where progress lines go when no kernel is present. The runner sets this to its console so that
    /// progress is not recorded as cell output; null = <see cref="Console.Out"/>.</summary>
    public static TextWriter? ProgressWriter { get; set; }

    /// <summary>What is being done.</summary>
    public string Label { get; }
    /// <summary>Number of steps in all (≥ 1).</summary>
    public int Total { get; }
    /// <summary>Steps done so far.</summary>
    public int Done { get; private set; }
    /// <summary>True once <see cref="Complete"/> or <see cref="Dispose"/> ran.</summary>
    public bool IsComplete { get; private set; }
    /// <summary>Time since creation.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts a progress display.</summary>
    /// <param name="label">What is being done, e.g. "Inverting 7 spectrograms".</param>
    /// <param name="total">Number of steps (≥ 1).</param>
    public ProgressView(string label, int total)
    {
        if (total < 1) throw new ArgumentOutOfRangeException(nameof(total), total, $"total={total} must be ≥ 1");
        Label = label ?? "";
        Total = total;
        _kernelHandle = ProgressWriter is null ? KernelDisplay.TryDisplay(this) : null;
        Publish(force: true);
    }

    /// <summary>Sets the number of steps done (clamped to [0, Total]).</summary>
    public void Report(int done)
    {
        Done = Math.Clamp(done, 0, Total);
        Publish(force: Done == Total);
    }

    /// <summary>One more step done.</summary>
    public void Increment() => Report(Done + 1);

    /// <summary>Marks the work finished and shows the final state.</summary>
    public void Complete()
    {
        if (IsComplete) return;
        IsComplete = true;
        _clock.Stop();
        Publish(force: true);
    }

    /// <summary>Same as <see cref="Complete"/>.</summary>
    public void Dispose() => Complete();

    private void Publish(bool force)
    {
        var now = _clock.ElapsedMilliseconds;
        if (_kernelHandle != null)
        {
            if (force || now - _lastUpdateMs >= 250) { _lastUpdateMs = now; KernelDisplay.TryUpdate(_kernelHandle, this); }
            return;
        }
        var writer = ProgressWriter;
        if (writer != null)
        {
            if (force || now - _lastUpdateMs >= 500) { _lastUpdateMs = now; writer.WriteLine("  … " + ToString()); }
            return;
        }
        var decile = Done * 10 / Total;
        if (IsComplete || decile > _lastDecile) { _lastDecile = decile; Console.WriteLine(ToString()); }
    }

    /// <inheritdoc/>
    public string ToHtml()
        => $"<div class=\"speclora-progress\" style=\"{Html.Font}\"><progress value=\"{Done}\" max=\"{Total}\" style=\"width:240px\"></progress> "
           + Html.Escape(ToString()) + "</div>";

    /// <summary>"label: done/total (pct) in N s", plus "done" when complete.</summary>
    public override string ToString()
        => $"{Label}: {Done}/{Total} ({100 * Done / Total}%) in {Html.F(Elapsed.TotalSeconds, "0.0")} s{(IsComplete ? ", done" : "")}";

    /// <summary>Reflection bridge to <c>Microsoft.DotNet.Interactive.Kernel.display</c>, present only inside the kernel.</summary>
    private static class KernelDisplay
    {
        internal static object? TryDisplay(object value)
        {
            try
            {
                var asm = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
                var kernel = asm?.GetType("Microsoft.DotNet.Interactive.Kernel");
                var display = kernel?.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == "display" && m.GetParameters().Length == 2);
                return display?.Invoke(null, [value, new[] { "text/html" }]);
            }
            catch (Exception) { return null; } // no kernel, or no current submission: fall back to text
        }

        internal static void TryUpdate(object handle, object value)
        {
            try { handle.GetType().GetMethod("Update", [typeof(object)])?.Invoke(handle, [value]); }
            catch (Exception) { /* display closed: nothing to update */ }
        }
    }
}
