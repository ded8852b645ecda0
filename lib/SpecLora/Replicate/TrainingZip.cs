using System.IO.Compression;
using System.Text;
using SpecLora.Imaging;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>One entry of a training zip.</summary>
/// <param name="Name">Entry name.</param>
/// <param name="Bytes">Uncompressed size.</param>
public sealed record DatasetEntry(string Name, long Bytes);

/// <summary>What a training zip holds: made by <c>Jobs.TrainingDataset.Create</c>, or read by <see cref="TrainingZip.Inspect"/>.</summary>
/// <param name="ZipPath">The zip.</param>
/// <param name="ZipBytes">Its size in bytes (≤ 100 MiB).</param>
/// <param name="ImageCount">Images in it (counted from its entries).</param>
/// <param name="CaptionCount">Caption files in it (counted from its entries).</param>
/// <param name="Size">Side of the square images when resized, else null (copied as-is).</param>
/// <param name="Entries">Every entry.</param>
public sealed record TrainingDatasetReport(string ZipPath, long ZipBytes, int ImageCount, int CaptionCount, int? Size, IReadOnlyList<DatasetEntry> Entries)
{
    /// <summary>True when <see cref="ZipPath"/> existed and was replaced (<c>--overwrite</c>).</summary>
    public bool Replaced { get; init; }

    /// <summary>One-line summary: path, size, counts ("1 image", "3 images").</summary>
    public override string ToString() =>
        $"{TerminalText.Visible(ZipPath)}: {ZipBytes / 1048576.0:F2} MiB, {Count(ImageCount, "image")}{(Size is { } s ? $" at {s}×{s}" : "")}, {Count(CaptionCount, "caption")}";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}

/// <summary>
/// The training zip the Replicate trainer takes (pictures, optional <c>.txt</c> captions, at most 100 MiB, the Files
/// API's limit): what a zip must hold, and the check of an existing one before it is uploaded. Making one from a folder
/// is the job <c>Jobs.TrainingDataset</c>.
/// </summary>
internal static class TrainingZip
{
    /// <summary>Image extensions a zip's pictures have.</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>Default caption, with the trigger word.</summary>
    public const string DefaultCaption = "a SPECTROGRAM image, a mel spectrogram of Beethoven piano music";

    /// <summary>Checks an existing zip against the 100 MiB limit and reads its entries.</summary>
    /// <exception cref="TrainingDatasetException">Missing, not a regular file, not a zip, empty, or too large.</exception>
    public static TrainingDatasetReport Inspect(string zipPath, long maxBytes = ReplicateClient.MaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        if (RegularFile.NonRegularKind(zipPath) is { } kind)
            throw new TrainingDatasetException($"Training zip {Show(zipPath)} is {kind}, not a zip file; build one with: speclora dataset <mels folder> -o data.zip");
        var info = new FileInfo(zipPath);
        if (!info.Exists) throw new TrainingDatasetException($"Training zip {Show(zipPath)} does not exist; build it with: speclora dataset <mels folder> -o {Show(zipPath)}");
        if (info.Length > maxBytes) throw Oversize(info.Length, maxBytes, zipPath);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var entries = zip.Entries.Where(e => e.Name.Length > 0).Select(e => new DatasetEntry(e.FullName, e.Length)).ToArray();
            var imgs = entries.Count(e => IsImage(e.Name));
            if (imgs == 0) throw new TrainingDatasetException($"Training zip {Show(zipPath)} holds no images; build it with: speclora dataset <mels folder> -o {Show(zipPath)}");
            return new TrainingDatasetReport(info.FullName, info.Length, imgs, entries.Count(e => e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)), null, entries);
        }
        catch (InvalidDataException)
        {
            throw new TrainingDatasetException($"{Show(zipPath)} is not a valid zip (damaged or another kind of file); build it again with: speclora dataset <mels folder> -o {Show(zipPath)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            throw new TrainingDatasetException($"Training zip {Show(zipPath)} cannot be read ({e.Message.TrimEnd('.')}); check the path and its permissions.");
        }
    }

    /// <summary>True for a picture's entry or file name.</summary>
    internal static bool IsImage(string name) => ImageExtensions.Contains(Path.GetExtension(name).ToLowerInvariant());

    /// <summary>The sentence for a zip over the limit.</summary>
    internal static TrainingDatasetException Oversize(long bytes, long max, string what) =>
        new($"The training zip from {Show(what)} is {bytes / 1048576.0:F1} MiB (over {max / 1048576.0:F0} MiB so far), above the Replicate Files API limit; use fewer images or --size 1024. Nothing was uploaded.");

    private static string Show(string path) => TerminalText.Visible(path);
}
