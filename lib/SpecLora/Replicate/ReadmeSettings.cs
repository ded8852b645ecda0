using System.Text.Json.Nodes;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>One of the seven settings of the original README's "Results" section, with its published image.</summary>
/// <param name="Number">1–7, as numbered in the README.</param>
/// <param name="Prompt">Prompt (model input <c>myprompt</c>).</param>
/// <param name="NegativePrompt">Negative prompt, or null for "No Negative Prompt".</param>
/// <param name="Width">Output width in pixels (<c>outWidth</c>).</param>
/// <param name="Height">Output height in pixels (<c>outHeight</c>).</param>
/// <param name="GuidanceScale">Classifier-free guidance (<c>guidanceScale</c>).</param>
/// <param name="NumInferenceSteps">Denoising steps (<c>num_inference_steps</c>).</param>
public sealed record ReadmeSetting(int Number, string Prompt, string? NegativePrompt, int Width, int Height, double GuidanceScale, int NumInferenceSteps)
{
    /// <summary>The README's result image, relative to a seed folder (<see cref="SeedData.ResultFile"/>: <c>results/resN.png</c>).</summary>
    public string OriginalImage => SeedData.ResultFile(Number);

    /// <summary>File name of <see cref="OriginalImage"/> (<c>res1.png</c> … <c>res7.png</c>).</summary>
    public string OriginalImageFileName => Path.GetFileName(OriginalImage);

    /// <summary>The model input for this setting (georgedavila/sdxl-beethoven-spectrograms-lora names), one output.</summary>
    /// <param name="seed">Seed; left out when null (the model then picks one).</param>
    public JsonObject ToInput(long? seed = null)
    {
        var input = new JsonObject
        {
            ["myprompt"] = Prompt,
            ["outWidth"] = Width,
            ["outHeight"] = Height,
            ["guidanceScale"] = GuidanceScale,
            ["num_outputs"] = 1,
            ["num_inference_steps"] = NumInferenceSteps,
        };
        if (NegativePrompt != null) input["negative_prompt"] = NegativePrompt;
        if (seed != null) input["seed"] = seed.Value;
        return input;
    }
}

/// <summary>The seven settings of the original README, as data.</summary>
public static class ReadmeSettings
{
    /// <summary>The LoRA the README published (a community model: needs a version).</summary>
    public const string Model = "georgedavila/sdxl-beethoven-spectrograms-lora";

    /// <summary>The LoRA trigger word.</summary>
    public const string TriggerWord = "SPECTROGRAM";

    private const string Spectrogram = "A SPECTROGRAM image";
    private const string Dog = "A photo of a dog in the style of SPECTROGRAM";

    /// <summary>Settings 1–7 in README order.</summary>
    public static IReadOnlyList<ReadmeSetting> All { get; } =
    [
        new(1, Spectrogram, null, 1024, 1024, 7.5, 50),
        new(2, Spectrogram, "fuzzy, lone pixels", 1024, 1024, 7.5, 50),
        new(3, Spectrogram, null, 640, 480, 7.5, 50),
        new(4, Spectrogram, "noisy", 640, 480, 7.5, 50),
        new(5, Spectrogram, "noisy", 1024, 1024, 7.5, 50),
        new(6, Dog, "noisy", 1024, 1024, 7.5, 50),
        new(7, Dog, "noisy", 1024, 1024, 40.0, 100),
    ];

    /// <summary>Setting <paramref name="number"/> (1–7).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1–7.</exception>
    /// <example>
    /// <code>
    /// ReadmeSetting s = ReadmeSettings.Get(5);
    /// Console.WriteLine($"“{s.Prompt}”, guidance {s.GuidanceScale}, {s.NumInferenceSteps} steps");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static ReadmeSetting Get(int number) =>
        number is >= 1 and <= 7 ? All[number - 1]
        : throw new ArgumentOutOfRangeException(nameof(number), number, $"setting={number} is not a README setting: use 1–7 (or 'all')");

    /// <summary>Parses "1".."7" or "all".</summary>
    /// <exception cref="ArgumentOutOfRangeException">Anything else.</exception>
    public static IReadOnlyList<ReadmeSetting> Parse(string text)
    {
        if (string.Equals(text?.Trim(), "all", StringComparison.OrdinalIgnoreCase)) return All;
        var parts = (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) throw new ArgumentOutOfRangeException(nameof(text), text, "setting is empty: use 1–7, a list such as 1,3 or 'all'");
        return parts.Select(p => int.TryParse(p, out var n) ? Get(n)
            : throw new ArgumentOutOfRangeException(nameof(text), text, $"setting={TerminalText.Visible(p)} is not a README setting: use 1–7, a list such as 1,3 or 'all'")).ToArray();
    }

    /// <summary>Path of a setting's original image under a seed folder (<paramref name="seedFolder"/>/<see cref="ReadmeSetting.OriginalImage"/>).</summary>
    /// <example>
    /// <code>
    /// foreach (var s in ReadmeSettings.All)
    ///     Console.WriteLine($"setting {s.Number}: {ReadmeSettings.OriginalImagePath(s, "../data/seed")}");
    /// </code>
    /// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
    /// </example>
    public static string OriginalImagePath(ReadmeSetting setting, string seedFolder)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return Path.Combine(seedFolder, setting.OriginalImage);
    }
}
