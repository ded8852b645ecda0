namespace SpecLora;

/// <summary>Base type of every domain failure this library reports (bad files, failed predictions, …).
/// Messages name the file or value and say what to do.</summary>
public class SpecLoraException : Exception
{
    /// <summary>Creates the exception with a message that says what went wrong and what to do.</summary>
    public SpecLoraException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping an inner cause.</summary>
    public SpecLoraException(string message, Exception? inner) : base(message, inner) { }
}
