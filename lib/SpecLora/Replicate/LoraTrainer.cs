using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>How the trainer runs.</summary>
public enum TrainingMode
{
    /// <summary>As an ordinary prediction (<c>POST /predictions</c>); the output is one <c>trained_model.tar</c> URL. What public projects do.</summary>
    Prediction,
    /// <summary>Through <c>POST /models/{o}/{n}/versions/{v}/trainings</c> into a destination model; output <c>{version, weights}</c>.</summary>
    Training,
}

/// <summary>Settings of a LoRA training with <c>zylim0702/sdxl-lora-customize-training</c> (input names from cog-sdxl <c>train.py</c>).</summary>
public sealed record LoraTrainingOptions
{
    /// <summary>Trainer model.</summary>
    public string TrainerModel { get; init; } = "zylim0702/sdxl-lora-customize-training";
    /// <summary>Pinned trainer version (the one public projects used).</summary>
    public string TrainerVersion { get; init; } = "2ea90da29b19984472a0bbad4ecb39abe4b91fa0d6a5e8dc59988022149dee55";
    /// <summary>Prediction (default) or the trainings endpoint.</summary>
    public TrainingMode Mode { get; init; } = TrainingMode.Prediction;
    /// <summary>Destination <c>owner/name</c> (required for <see cref="TrainingMode.Training"/>).</summary>
    public string? Destination { get; init; }
    /// <summary>Create the destination (private, gpu-t4) when it does not exist.</summary>
    public bool CreateDestination { get; init; }
    /// <summary><c>resolution</c> (trainer default 768; the README's LoRA used 1024).</summary>
    public int Resolution { get; init; } = 1024;
    /// <summary><c>max_train_steps</c> (1000).</summary>
    public int MaxTrainSteps { get; init; } = 1000;
    /// <summary><c>train_batch_size</c> (4).</summary>
    public int TrainBatchSize { get; init; } = 4;
    /// <summary><c>token_string</c>: the trigger word.</summary>
    public string TokenString { get; init; } = ReadmeSettings.TriggerWord;
    /// <summary><c>caption_prefix</c>; must contain <see cref="TokenString"/>.</summary>
    public string CaptionPrefix { get; init; } = "a SPECTROGRAM image, ";
    /// <summary><c>seed</c>, or null.</summary>
    public long? Seed { get; init; }
    /// <summary>Other trainer inputs (e.g. <c>lora_lr</c>), sent as given.</summary>
    public JsonObject? ExtraInput { get; init; }

    /// <summary><c>owner/name:version</c> of the trainer.</summary>
    public string TrainerRef => $"{TrainerModel}:{TrainerVersion}";

    /// <summary>Checks every setting and reports every bad one at once, quoting each value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Only numbers are out of range (the message lists them all).</exception>
    /// <exception cref="ArgumentException">Any other bad setting (a model reference, the caption prefix, a missing
    /// destination), alone or with others; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public LoraTrainingOptions Validate()
    {
        var p = new OptionProblems();
        if (!IsModelRef(TrainerModel, allowVersion: false)) p.Other(nameof(TrainerModel), $"trainer model=\"{Show(TrainerModel)}\" must look like owner/name");
        if (string.IsNullOrEmpty(TrainerVersion) || !TrainerVersion.All(char.IsAsciiLetterOrDigit)) p.Other(nameof(TrainerVersion), $"trainer version=\"{Show(TrainerVersion)}\" must be a version id (letters and digits, e.g. 64 hex characters)");
        if (!Enum.IsDefined(Mode)) p.Other(nameof(Mode), $"mode={Mode} must be Prediction or Training");
        if (Resolution is < 256 or > 2048) p.Range(nameof(Resolution), $"resolution={Resolution} must be 256–2048");
        if (MaxTrainSteps is < 1 or > 100_000) p.Range(nameof(MaxTrainSteps), $"max_train_steps={MaxTrainSteps} must be 1–100000");
        if (TrainBatchSize is < 1 or > 64) p.Range(nameof(TrainBatchSize), $"train_batch_size={TrainBatchSize} must be 1–64");
        if (string.IsNullOrWhiteSpace(TokenString)) p.Other(nameof(TokenString), $"token_string=\"{Show(TokenString)}\" must not be empty");
        else if (CaptionPrefix is null || !CaptionPrefix.Contains(TokenString, StringComparison.Ordinal))
            p.Other(nameof(CaptionPrefix), $"caption_prefix=\"{Show(CaptionPrefix)}\" must contain token_string={Show(TokenString)}");
        if (Mode == TrainingMode.Training)
        {
            if (Destination == null) p.Other(nameof(Destination), "destination (owner/name) is required with the trainings endpoint");
            else if (!IsModelRef(Destination, allowVersion: false))
                p.Other(nameof(Destination), $"destination={Show(Destination)} must be owner/name without a version");
        }
        p.ThrowIfAny();
        return this;

        static string Show(string? s) => Secrets.Show(s, null, 200);
    }

    private static bool IsModelRef(string? text, bool allowVersion)
    {
        try
        {
            var (_, _, v) = ReplicateClient.ParseModelRef(text ?? "");
            return allowVersion || v is null;
        }
        catch (ArgumentException) { return false; }
    }

    /// <summary>The trainer input for an uploaded dataset URL.</summary>
    public JsonObject ToInput(Uri datasetUrl)
    {
        var input = new JsonObject
        {
            ["input_images"] = datasetUrl.ToString(),
            ["input_images_filetype"] = "zip",
            ["resolution"] = Resolution,
            ["train_batch_size"] = TrainBatchSize,
            ["max_train_steps"] = MaxTrainSteps,
            ["is_lora"] = true,
            ["token_string"] = TokenString,
            ["caption_prefix"] = CaptionPrefix,
        };
        if (Seed != null) input["seed"] = Seed.Value;
        if (ExtraInput != null) foreach (var (k, v) in ExtraInput) input[k] = v?.DeepClone();
        return input;
    }
}

/// <summary>A finished training: the trained weights on disk and the prediction/training behind them.</summary>
/// <param name="Dataset">The zip that was uploaded.</param>
/// <param name="UploadedFile">The Files API record.</param>
/// <param name="Result">Terminal prediction/training and the downloaded <c>.tar</c> (with manifest).</param>
/// <param name="NewVersion">Destination version (<see cref="TrainingMode.Training"/>), else null.</param>
public sealed record LoraTrainingResult(TrainingDatasetReport Dataset, ReplicateFile UploadedFile, PredictionResult Result, string? NewVersion)
{
    /// <summary>The downloaded weights file.</summary>
    public string WeightsPath => Result.Files[0].Path;
}

/// <summary>
/// Zip → Files API upload → trainer (as a prediction or via the trainings API) → progress from the logs →
/// the trained <c>.tar</c> downloaded at once (outputs expire about 1 h later) with a manifest.
/// </summary>
/// <example>
/// <code>
/// using var client = ReplicateClient.Create(ReplicateClientOptions.FromEnvironment());
/// var progress = new Progress&lt;PredictionProgress&gt;(p =&gt; Console.WriteLine(p));
/// var result = await new LoraTrainer(client).TrainAsync("mels.zip", "weights", progress: progress);
/// Console.WriteLine($"weights: {result.WeightsPath}");
/// </code>
/// Notebook: <c>notebooks/03-prepare-training.ipynb</c>.
/// </example>
public sealed class LoraTrainer
{
    private readonly ReplicateClient _client;

    /// <summary>Creates the trainer over <paramref name="client"/>.</summary>
    public LoraTrainer(ReplicateClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <summary>Runs the whole training. Every check (zip size, options, trainer schema, destination) happens before anything billable.</summary>
    /// <param name="zipPath">Training zip (see <c>Jobs.TrainingDataset</c>), ≤ 100 MiB.</param>
    /// <param name="outputDirectory">Where the weights and manifest go.</param>
    /// <param name="options">Trainer settings.</param>
    /// <param name="progress">Status ("uploading", "starting", "processing" …) and percentage.</param>
    /// <param name="cancellationToken">Cancels (and cancels the run on the server).</param>
    /// <exception cref="TrainingDatasetException">Zip missing, empty or over 100 MiB.</exception>
    /// <exception cref="ReplicatePredictionFailedException">The trainer failed; error and log tail included.</exception>
    public async Task<LoraTrainingResult> TrainAsync(string zipPath, string outputDirectory, LoraTrainingOptions? options = null, IProgress<PredictionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LoraTrainingOptions();
        options.Validate();
        var dataset = TrainingZip.Inspect(zipPath);

        var version = await _client.ResolveVersionAsync(options.TrainerRef, cancellationToken).ConfigureAwait(false);
        if (version.InputSchema?["properties"] is JsonObject props && !props.ContainsKey("input_images"))
            throw new ReplicateInputException("input_images", $"Trainer {options.TrainerRef} has no input_images input; pin a version that does (LoraTrainingOptions.TrainerVersion).");
        if (options.Mode == TrainingMode.Training)
        {
            var (owner, name, _) = ReplicateClient.ParseModelRef(options.Destination!);
            try
            {
                await _client.GetModelAsync(owner, name, cancellationToken).ConfigureAwait(false);
            }
            catch (ReplicateNotFoundException) when (options.CreateDestination)
            {
                await _client.CreateModelAsync(owner, name, "private", "gpu-t4", "SDXL LoRA trained on mel spectrograms (speclora)", cancellationToken).ConfigureAwait(false);
            }
        }

        progress?.Report(new PredictionProgress("", "uploading", null, $"{TerminalText.Visible(Path.GetFileName(zipPath))} ({dataset.ZipBytes} bytes)"));
        var file = await _client.UploadFileAsync(zipPath, "application/zip", cancellationToken).ConfigureAwait(false);
        var input = options.ToInput(file.GetUrl);
        InputValidator.Validate(input, version.OpenApiSchema);

        Prediction done;
        if (options.Mode == TrainingMode.Prediction)
        {
            var created = await _client.CreatePredictionAsync(new PredictionRequest(version.Id, input), cancellationToken).ConfigureAwait(false);
            done = await _client.WaitAsync(created, progress, _client.Options.TrainingTimeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var created = await _client.CreateTrainingAsync(options.TrainerRef, options.Destination!, input, cancellationToken).ConfigureAwait(false);
            done = await _client.WaitForTrainingAsync(created, progress, null, cancellationToken).ConfigureAwait(false);
        }
        ReplicateClient.EnsureSucceeded(done, options.Mode == TrainingMode.Prediction ? "training (run as a prediction)" : "training", _client.Redact);

        var newVersion = (done.Output as JsonObject)?["version"] is JsonValue nv && nv.TryGetValue<string>(out var nvs) ? _client.Show(nvs, 300) : null;
        var extra = new JsonObject
        {
            ["kind"] = "lora-training",
            ["mode"] = options.Mode.ToString().ToLowerInvariant(),
            ["trainer"] = options.TrainerRef,
            ["destination"] = options.Destination,
            ["new_version"] = newVersion,
            ["dataset"] = Path.GetFileName(zipPath),
            ["dataset_bytes"] = dataset.ZipBytes,
            ["dataset_images"] = dataset.ImageCount,
            ["uploaded_file_id"] = _client.Redact(file.Id),
        };
        var backend = new ReplicateBackend(_client, options.TrainerRef);
        var saved = await PredictionManifest.SaveAsync(backend, done, input, outputDirectory, "lora", OutputKind.File, extra, _client.Redact, cancellationToken).ConfigureAwait(false);
        return new LoraTrainingResult(dataset, file, saved, newVersion);
    }
}
