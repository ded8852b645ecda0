using System.Diagnostics;
using System.Reflection;

namespace SpecLora.Notebook;

/// <summary>
/// Progress of a long cell. In the .NET Interactive kernel (Jupyter, VS Code, <c>speclora notebooks</c>) it shows one
/// output that updates in place (<c>display</c> and its <c>Update</c>); elsewhere it prints a plain line every 10 % to
/// <see cref="Console.Out"/> or to the writer given. No process-wide setting: the host decides by being a kernel or not.
/// Dispose (or <see cref="Complete"/>) at the end.
/// </summary>
/// <example>
/// <code>
/// using (var p = Show.Progress("Griffin-Lim", 32))
///     for (var i = 0; i &lt; 32; i++) { Step(); p.Increment(); }
/// </code>
/// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
/// </example>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class ProgressView : IHtmlView, IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object? _kernelHandle;
    private readonly TextWriter? _writer;
    private long _lastUpdateMs = -1000;
    private int _lastDecile = -1;

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
    /// <param name="writer">Where progress lines go outside a kernel; null = <see cref="Console.Out"/>. When given, the
    /// kernel display is not used (tests, consoles).</param>
    public ProgressView(string label, int total, TextWriter? writer = null)
    {
        if (total < 1) throw new ArgumentOutOfRangeException(nameof(total), total, $"total={total} must be ≥ 1");
        Label = label ?? "";
        Total = total;
        _writer = writer;
        _kernelHandle = writer is null ? KernelDisplay.TryDisplay(this) : null;
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
        var decile = Done * 10 / Total;
        if (IsComplete || decile > _lastDecile) { _lastDecile = decile; (_writer ?? Console.Out).WriteLine(ToString()); }
    }

    /// <inheritdoc/>
    public string ToHtml()
        => $"<div class=\"speclora-progress\" style=\"{Html.Font}\"><progress value=\"{Done}\" max=\"{Total}\" style=\"width:240px\"></progress> "
           + Html.Escape(ToString()) + "</div>";

    /// <summary>"label: done/total (pct) in N s", plus "done" when complete.</summary>
    public override string ToString()
        => $"{Label}: {Done}/{Total} ({100 * Done / Total}%) in {Html.F(Elapsed.TotalSeconds, "0.0")} s{(IsComplete ? ", done" : "")}";

    /// <summary>Reflection bridge to the kernel's display, present only inside .NET Interactive.</summary>
    /// <remarks>Displays through <c>KernelInvocationContextExtensions.Display(KernelInvocationContext.Current, …)</c>,
    /// whose returned handle is the one it published: in kernel 1.0.712001 the <c>display(x)</c> helper returns a
    /// <em>second</em> handle with a new id, so its <c>Update</c> never reaches the shown output. Falls back to
    /// <c>Kernel.display</c> if the context method is missing.</remarks>
    private static class KernelDisplay
    {
        internal static object? TryDisplay(object value)
        {
            try
            {
                var asm = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");
                if (asm is null) return null;
                var context = asm.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext")?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
                if (context is null) return null; // a kernel is loaded but no cell is running
                var viaContext = asm.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions")?.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == "Display" && m.GetParameters() is { Length: 3 } p && p[1].ParameterType == typeof(object));
                if (viaContext is not null) return viaContext.Invoke(null, [context, value, new[] { "text/html" }]);
                var display = asm.GetType("Microsoft.DotNet.Interactive.Kernel")?.GetMethods(BindingFlags.Public | BindingFlags.Static)
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
