namespace SpecLora.Inversion;

/// <summary>Inversion (spectrogram → audio) failed: a non-finite value appeared or the input cannot be inverted.
/// The message says which stage and what to do.</summary>
public sealed class InversionException : SpecLoraException
{
    /// <summary>Creates the exception with a message that names the stage and the remedy.</summary>
    public InversionException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping an inner cause.</summary>
    public InversionException(string message, Exception? inner) : base(message, inner) { }
}
