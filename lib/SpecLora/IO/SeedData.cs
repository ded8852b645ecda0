namespace SpecLora.IO;

/// <summary>The original project's own images, which we may not redistribute: its eight training mels
/// (<c>mels/mel0.jpg … mel7.jpg</c>) and its seven published SDXL results (<c>results/res1.png … res7.png</c>).
/// They are fetched on first use from the original repository into <c>data/seed/</c> (git-ignored).</summary>
public static class SeedData
{
    /// <summary>Where the files come from: the original repository's raw files (branch main).</summary>
    public const string DefaultSourceBase = "https://raw.githubusercontent.com/GeorgeDavila/SDXL-LoRA-beethoven-melspectrogram/main/";

    /// <summary>How many training mels the original repository holds (8).</summary>
    public const int MelCount = 8;

    /// <summary>How many published results the original README shows (7, one per setting).</summary>
    public const int ResultCount = 7;

    /// <summary>Training mel <paramref name="index"/> (0–7), relative to the seed folder: <c>mels/mel{index}.jpg</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0–7.</exception>
    public static string MelFile(int index) =>
        index is >= 0 and < MelCount ? $"mels/mel{index}.jpg"
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"mel index={index} must be 0–{MelCount - 1}");

    /// <summary>The published result of README setting <paramref name="setting"/> (1–7), relative to the seed folder:
    /// <c>results/res{setting}.png</c>. The one place that knows the original repository's layout.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 1–7.</exception>
    public static string ResultFile(int setting) =>
        setting is >= 1 and <= ResultCount ? $"results/res{setting}.png"
        : throw new ArgumentOutOfRangeException(nameof(setting), setting, $"setting={setting} must be 1–{ResultCount}");

    /// <summary>The eight training mel images, relative to the seed folder.</summary>
    public static IReadOnlyList<string> MelFiles { get; } = Enumerable.Range(0, MelCount).Select(MelFile).ToArray();

    /// <summary>The seven published results, relative to the seed folder (README settings 1…7).</summary>
    public static IReadOnlyList<string> ResultFiles { get; } = Enumerable.Range(1, ResultCount).Select(ResultFile).ToArray();

    /// <summary>Every seed file.</summary>
    public static IReadOnlyList<string> AllFiles { get; } = MelFiles.Concat(ResultFiles).ToArray();

    /// <summary>True when every seed file is present under <paramref name="seedDir"/>.</summary>
    /// <example>
    /// <code>
    /// bool haveSeed = SeedData.IsComplete("../data/seed");   // all eight training mels and seven results on disk
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static bool IsComplete(string seedDir) => AllFiles.All(f => File.Exists(Path.Combine(seedDir, f)));

    /// <summary>Makes sure every seed file is in <paramref name="seedDir"/>, downloading the missing ones (atomically).</summary>
    /// <exception cref="SeedDataUnavailableException">A file could not be fetched (offline, or <c>SPECLORA_OFFLINE=1</c>):
    /// the message says how to put the files there by hand.</exception>
    /// <example>
    /// <code>
    /// try { await SeedData.EnsureAsync("../data/seed"); }
    /// catch (SeedDataUnavailableException e) { Console.WriteLine(e.Message); }   // offline: says how to add them by hand
    /// var mels = SeedData.MelFiles.Select(f =&gt; Path.Combine("../data/seed", f)).Where(File.Exists).ToList();
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static async Task EnsureAsync(string seedDir, HttpClient? http = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(seedDir);
        var missing = AllFiles.Where(f => !File.Exists(Path.Combine(seedDir, f))).ToList();
        if (missing.Count == 0) return;
        if (Environment.GetEnvironmentVariable("SPECLORA_OFFLINE") is "1" or "true")
            throw new SeedDataUnavailableException(
                $"{missing.Count} of the original project's images are missing from {Path.GetFullPath(seedDir)} and SPECLORA_OFFLINE is set, " +
                "so nothing is downloaded. Copy its mels/ and results/ folders there, or unset SPECLORA_OFFLINE.", null);
        var sourceBase = Environment.GetEnvironmentVariable("SPECLORA_SEED_URL") is { Length: > 0 } env ? env.TrimEnd('/') + "/" : DefaultSourceBase;
        var client = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            foreach (var file in missing)
            {
                progress?.Report($"downloading {file}");
                byte[] bytes;
                try
                {
                    bytes = await client.GetByteArrayAsync(sourceBase + file, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw new SeedDataUnavailableException(
                        $"Could not download the original project's {file} from {sourceBase} ({e.Message}). " +
                        $"Copy its mels/ and results/ folders into {Path.GetFullPath(seedDir)} by hand, or run online once.", e);
                }
                AtomicFile.WriteAllBytes(Path.Combine(seedDir, file), bytes);
            }
        }
        finally
        {
            if (http == null) client.Dispose();
        }
    }
}

/// <summary>The original project's images are not on disk and could not be downloaded.</summary>
public sealed class SeedDataUnavailableException : SpecLoraException
{
    /// <summary>Creates the exception.</summary>
    public SeedDataUnavailableException(string message, Exception? inner) : base(message, inner) { }
}
