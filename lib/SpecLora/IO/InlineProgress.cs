namespace SpecLora.IO;

/// <summary>An <see cref="IProgress{T}"/> that calls back synchronously on the reporting thread (no context hop, so
/// reports stay in order; <see cref="Progress{T}"/> posts them).</summary>
/// <typeparam name="T">The report type.</typeparam>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
