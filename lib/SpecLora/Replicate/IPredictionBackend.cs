using System.Text.Json.Nodes;

namespace SpecLora.Replicate;

/// <summary>Something that runs a model to completion: Replicate (<see cref="ReplicateBackend"/>) or a local Cog container (<see cref="CogClient"/>).</summary>
public interface IPredictionBackend
{
    /// <summary><c>replicate</c> or <c>cog</c>.</summary>
    string Name { get; }

    /// <summary>Model reference recorded in manifests.</summary>
    string ModelName { get; }

    /// <summary>Checks the backend is usable (version resolved / container READY) and validates <paramref name="input"/>; nothing billable happens.</summary>
    /// <exception cref="ReplicateInputException">Bad input.</exception>
    Task PrepareAsync(JsonObject input, CancellationToken cancellationToken = default);

    /// <summary>Runs to a terminal, succeeded prediction.</summary>
    /// <exception cref="ReplicatePredictionFailedException">The model failed; error and log tail included.</exception>
    Task<Prediction> PredictAsync(JsonObject input, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Copies one output (URL or data URI) into <paramref name="destination"/>, within the backend's
    /// <see cref="DownloadLimits"/> for <paramref name="kind"/>: a picture must be a whole picture before a byte is written.</summary>
    /// <exception cref="ReplicateOutputExpiredException">The output URL has expired.</exception>
    /// <exception cref="ReplicateDownloadException">The output was refused (too large, too slow, not what it should be, a bad redirect).</exception>
    Task DownloadAsync(string url, Stream destination, string? predictionId, OutputKind kind, CancellationToken cancellationToken = default);
}
