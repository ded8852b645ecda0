namespace SpecLora.IO;

/// <summary>Sentences from exceptions, and the problem list every options record's <c>Validate()</c> fills.</summary>
internal static class Messages
{
    /// <summary>An <see cref="ArgumentException"/>'s first line without .NET's " (Parameter 'x')" suffix.</summary>
    public static string WithoutParameter(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var m = e.Message.Split('\n')[0];
        var i = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (i >= 0 ? m[..i] : m).Trim();
    }
}

/// <summary>
/// Every problem of an options record, collected so that <c>Validate()</c> reports them all at once (the house style,
/// after NWaves' <c>Errors</c> and our Spectrograms options): <c>var p = new Problems(); p.Check(…); p.Nested(…);
/// p.ThrowIfAny("Invalid inversion options");</c> → one <see cref="ArgumentException"/> quoting each bad value.
/// </summary>
internal sealed class Problems
{
    private readonly List<string> _list = [];

    /// <summary>The problems so far.</summary>
    public IReadOnlyList<string> List => _list;

    /// <summary>Adds <paramref name="message"/> when <paramref name="bad"/>.</summary>
    public void Check(bool bad, string message) { if (bad) _list.Add(message); }

    /// <summary>Adds a problem.</summary>
    public void Add(string message) => _list.Add(message);

    /// <summary>Adds what a nested record's <c>Validate()</c> reports (or that it is missing).</summary>
    public void Nested(object? value, string name, Action validate)
    {
        if (value is null) { _list.Add($"{name} must not be null"); return; }
        try { validate(); }
        catch (ArgumentException e) { _list.Add(Messages.WithoutParameter(e)); }
    }

    /// <summary>Throws one <see cref="ArgumentException"/> "<paramref name="title"/>: a; b; c" when there is any problem.</summary>
    public void ThrowIfAny(string title)
    {
        if (_list.Count > 0) throw new ArgumentException(title + ": " + string.Join("; ", _list));
    }
}
