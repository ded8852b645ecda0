using System.Text.Json.Nodes;

namespace SpecLora.Replicate;

/// <summary>Runs one model on Replicate: resolves its version once (schema for validation), then create → poll → succeed.</summary>
/// <example>
/// <code>
/// using var client = ReplicateClient.Create(ReplicateClientOptions.FromEnvironment());
/// var generator = new SettingGenerator(new ReplicateBackend(client));   // the README's model
/// var result = await generator.GenerateAsync(ReadmeSettings.Get(1), "../results/04-generate", seed: 42);
/// </code>
/// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
/// </example>
public sealed class ReplicateBackend : IPredictionBackend
{
    private readonly ReplicateClient _client;
    private ModelVersion? _version;

    /// <summary>Creates the backend for <paramref name="modelRef"/> (<c>owner/name</c> or <c>owner/name:version</c>).</summary>
    public ReplicateBackend(ReplicateClient client, string modelRef = ReadmeSettings.Model)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ReplicateClient.ParseModelRef(modelRef);
        ModelName = modelRef;
    }

    /// <inheritdoc/>
    public string Name => "replicate";

    /// <inheritdoc/>
    public string ModelName { get; }

    /// <summary>The resolved version (after <see cref="PrepareAsync"/>).</summary>
    public ModelVersion? Version => _version;

    /// <inheritdoc/>
    public async Task PrepareAsync(JsonObject input, CancellationToken cancellationToken = default)
    {
        InputValidator.Validate(input);
        _version ??= await _client.ResolveVersionAsync(ModelName, cancellationToken).ConfigureAwait(false);
        InputValidator.Validate(input, _version.OpenApiSchema);
    }

    /// <inheritdoc/>
    public async Task<Prediction> PredictAsync(JsonObject input, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await PrepareAsync(input, cancellationToken).ConfigureAwait(false);
        return await _client.RunAsync(new PredictionRequest(_version!.Id, input), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task DownloadAsync(string url, Stream destination, string? predictionId, OutputKind kind, CancellationToken cancellationToken = default)
        => _client.DownloadAsync(url, destination, predictionId, kind, cancellationToken);

    /// <summary>The client's download limits.</summary>
    internal DownloadLimits Limits => _client.Options.Downloads;
}
