namespace SpecLora.Cli.NotebookRunner;

/// <summary>
/// The globals every cell sees, standing in for the kernel's <c>Microsoft.DotNet.Interactive.Kernel</c> statics:
/// <c>display(x)</c> and <c>HTML(s)</c>, used unqualified by notebooks.
/// </summary>
public sealed class NotebookGlobals
{
    internal CellOutputs Current { get; set; } = new();

    /// <summary>Shows a value as a display_data output (HTML when it has a formatter) and returns a handle to update it.</summary>
    /// <param name="value">What to show.</param>
    /// <param name="mimeTypes">Accepted for compatibility with the kernel's signature; ignored.</param>
#pragma warning disable IDE1006 // lower-case names match the kernel's
    public DisplayHandle display(object? value, params string[] mimeTypes)
    {
        var outputs = Current;
        return new DisplayHandle(outputs, outputs.AddDisplay(ValueFormatter.Format(value)));
    }

    /// <summary>Raw HTML to show (as a trailing expression or through <c>display</c>).</summary>
    public HtmlContent HTML(string content) => new(content ?? "");
#pragma warning restore IDE1006
}

/// <summary>Returned by <c>display</c>: replaces what that output shows (the kernel's <c>DisplayedValue</c>).</summary>
public sealed class DisplayHandle
{
    private readonly CellOutputs _outputs;
    private readonly int _index;

    internal DisplayHandle(CellOutputs outputs, int index) { _outputs = outputs; _index = index; }

    /// <summary>Shows <paramref name="value"/> in place of the earlier one.</summary>
    public void Update(object? value) => _outputs.UpdateDisplay(_index, ValueFormatter.Format(value));
}
