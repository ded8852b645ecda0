using System.Text.Json.Nodes;
using SpecLora.Replicate;

namespace SpecLora.Jobs;

/// <summary>Generates the README settings with a backend and saves images + manifests (<c>setting{N}_{id}.png</c>).</summary>
/// <example>
/// <code>
/// using var client = ReplicateClient.Create(ReplicateClientOptions.FromEnvironment());
/// var generator = new SettingGenerator(new ReplicateBackend(client), client.Redact);
/// var result = await generator.GenerateAsync(ReadmeSettings.Get(1), "../results/04-generate", seed: 42);
/// Console.WriteLine(result.Files[0].Path);   // setting1_&lt;id&gt;.png, with its manifest beside it
/// </code>
/// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
/// </example>
public sealed class SettingGenerator
{
    private readonly IPredictionBackend _backend;
    private readonly Func<string?, string>? _redact;

    /// <summary>Creates the generator.</summary>
    /// <param name="backend">Replicate or Cog.</param>
    /// <param name="redact">Removes secrets from manifest text (e.g. <see cref="ReplicateClient.Redact"/>).</param>
    public SettingGenerator(IPredictionBackend backend, Func<string?, string>? redact = null)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _redact = redact;
    }

    /// <summary>Validates every setting's input and prepares the backend, before anything billable.</summary>
    public async Task PrepareAsync(IEnumerable<ReadmeSetting> settings, long? seed = null, CancellationToken cancellationToken = default)
    {
        foreach (var s in settings)
            await _backend.PrepareAsync(s.ToInput(seed ?? 0), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one setting and saves its image(s) with manifests into <paramref name="outputDirectory"/>.</summary>
    /// <param name="setting">README setting.</param>
    /// <param name="outputDirectory">Folder for images and manifests.</param>
    /// <param name="seed">Seed; when null a random one is drawn and recorded, so the result can be reproduced.</param>
    /// <param name="progress">Status and percentage.</param>
    /// <param name="cancellationToken">Cancels (and cancels the prediction on the server).</param>
    public async Task<PredictionResult> GenerateAsync(ReadmeSetting setting, string outputDirectory, long? seed = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var input = setting.ToInput(seed ?? Random.Shared.NextInt64(0, int.MaxValue));
        var prediction = await _backend.PredictAsync(input, progress, cancellationToken).ConfigureAwait(false);
        var extra = new JsonObject
        {
            ["readme_setting"] = setting.Number,
            ["original_image"] = "seed/" + setting.OriginalImage,
        };
        return await PredictionManifest.SaveAsync(_backend, prediction, input, outputDirectory, $"setting{setting.Number}", extra, _redact, cancellationToken).ConfigureAwait(false);
    }
}
