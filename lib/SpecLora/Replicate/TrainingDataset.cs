using System.IO.Compression;
using SpecLora.Imaging;
using SpecLora.IO;

namespace SpecLora.Replicate;

/// <summary>One entry of a training zip.</summary>
/// <param name="Name">Entry name.</param>
/// <param name="Bytes">Uncompressed size.</param>
public sealed record DatasetEntry(string Name, long Bytes);

/// <summary>What <see cref="TrainingDataset.Create"/> wrote.</summary>
/// <param name="ZipPath">The zip.</param>
/// <param name="ZipBytes">Its size in bytes (≤ 100 MiB).</param>
/// <param name="ImageCount">Images in it.</param>
/// <param name="CaptionCount">Caption files in it.</param>
/// <param name="Size">Side of the square images when resized, else null (copied as-is).</param>
/// <param name="Entries">Every entry.</param>
public sealed record TrainingDatasetReport(string ZipPath, long ZipBytes, int ImageCount, int CaptionCount, int? Size, IReadOnlyList<DatasetEntry> Entries)
{
    /// <summary>One-line summary: path, size, counts.</summary>
    public override string ToString() =>
        $"{ZipPath}: {ZipBytes / 1048576.0:F2} MiB, {ImageCount} images{(Size is { } s ? $" at {s}×{s}" : "")}, {CaptionCount} captions";
}

/// <summary>
/// Builds the training zip for <c>zylim0702/sdxl-lora-customize-training</c> from a folder of mel images
/// (the README: "Zip mels directory"), optionally fitted to a square size and with caption files carrying the
/// trigger word <c>SPECTROGRAM</c>. Refuses zips over the Files API's 100 MiB.
/// </summary>
public static class TrainingDataset
{
    /// <summary>Image extensions picked up.</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>Default caption, with the trigger word.</summary>
    public const string DefaultCaption = "a SPECTROGRAM image, a mel spectrogram of Beethoven piano music";

    /// <summary>Writes the zip atomically and reports its contents.</summary>
    /// <param name="folder">Folder of images (not recursive).</param>
    /// <param name="zipPath">Zip to write.</param>
    /// <param name="size">When set (e.g. 1024), each image is resized to size×size pixels (stretched, so time and frequency axes stay aligned) and stored as PNG.</param>
    /// <param name="captions">When true, a <c>&lt;image&gt;.txt</c> caption is added per image.</param>
    /// <param name="caption">Caption text; must contain the trigger word <c>SPECTROGRAM</c>.</param>
    /// <param name="maxBytes">Limit on the zip (100 MiB, the Files API limit).</param>
    /// <exception cref="TrainingDatasetException">No images, unreadable image, or the zip exceeds <paramref name="maxBytes"/> (nothing is left on disk).</exception>
    public static TrainingDatasetReport Create(string folder, string zipPath, int? size = null, bool captions = false, string caption = DefaultCaption, long maxBytes = ReplicateClient.MaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        if (size is < 64 or > 4096) throw new ArgumentOutOfRangeException(nameof(size), size, $"size={size} must be 64–4096 pixels (the trainer used 1024)");
        if (captions && !caption.Contains(ReadmeSettings.TriggerWord, StringComparison.Ordinal))
            throw new ArgumentException($"caption \"{caption}\" must contain the trigger word {ReadmeSettings.TriggerWord}", nameof(caption));
        if (!Directory.Exists(folder)) throw new TrainingDatasetException($"Image folder {folder} does not exist.");
        var images = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        if (images.Length == 0)
            throw new TrainingDatasetException($"No images ({string.Join(", ", ImageExtensions)}) in {folder}; make mel images first (speclora mels).");
        var entries = new List<DatasetEntry>();
        try
        {
            AtomicFile.Write(zipPath, stream =>
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var image in images)
                    {
                        var stem = Path.GetFileNameWithoutExtension(image);
                        try { Imaging.SpectrogramImageDecoder.CheckPicture(image); } catch (Imaging.SpectrogramImageException e) { throw new TrainingDatasetException(e.Message); }
                        byte[] data;
                        string name;
                        if (size is { } side)
                        {
                            data = Resize(image, side);
                            name = stem + ".png";
                        }
                        else
                        {
                            data = File.ReadAllBytes(image);
                            name = Path.GetFileName(image);
                        }
                        Add(zip, name, data, CompressionLevel.NoCompression, entries);
                        if (captions) Add(zip, stem + ".txt", System.Text.Encoding.UTF8.GetBytes(caption), CompressionLevel.Optimal, entries);
                        if (stream.Length > maxBytes) throw Oversize(stream.Length, maxBytes, folder);
                    }
                }
                if (stream.Length > maxBytes) throw Oversize(stream.Length, maxBytes, folder);
            });
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new TrainingDatasetException($"Could not write {zipPath}: {e.Message}");
        }
        return new TrainingDatasetReport(Path.GetFullPath(zipPath), new FileInfo(zipPath).Length, images.Length, captions ? images.Length : 0, size, entries);
    }

    /// <summary>Checks an existing zip against the 100 MiB limit and reads its entries.</summary>
    /// <exception cref="TrainingDatasetException">Missing, not a zip, empty, or too large.</exception>
    public static TrainingDatasetReport Inspect(string zipPath, long maxBytes = ReplicateClient.MaxFileBytes)
    {
        var info = new FileInfo(zipPath);
        if (!info.Exists) throw new TrainingDatasetException($"Training zip {zipPath} does not exist; build it with: speclora dataset <mels folder> -o {zipPath}");
        if (info.Length > maxBytes) throw Oversize(info.Length, maxBytes, zipPath);
        try
        {
            using var zip = ZipFile.OpenRead(zipPath);
            var entries = zip.Entries.Where(e => e.Name.Length > 0).Select(e => new DatasetEntry(e.FullName, e.Length)).ToArray();
            var imgs = entries.Count(e => ImageExtensions.Contains(Path.GetExtension(e.Name).ToLowerInvariant()));
            if (imgs == 0) throw new TrainingDatasetException($"Training zip {zipPath} holds no images.");
            return new TrainingDatasetReport(info.FullName, info.Length, imgs, entries.Count(e => e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)), null, entries);
        }
        catch (InvalidDataException e)
        {
            throw new TrainingDatasetException($"{zipPath} is not a valid zip: {e.Message}");
        }
    }

    private static TrainingDatasetException Oversize(long bytes, long max, string what) =>
        new($"The training zip from {what} is {bytes / 1048576.0:F1} MiB (over {max / 1048576.0:F0} MiB so far), above the Replicate Files API limit; use fewer images or --size 1024. Nothing was uploaded.");

    private static void Add(ZipArchive zip, string name, byte[] data, CompressionLevel level, List<DatasetEntry> entries)
    {
        var entry = zip.CreateEntry(name, level);
        using (var s = entry.Open()) s.Write(data);
        entries.Add(new DatasetEntry(name, data.Length));
    }

    private static byte[] Resize(string path, int side) =>
        ImageResize.TryResize(File.ReadAllBytes(path), side, side, MelImageFormat.Png)
        ?? throw new TrainingDatasetException($"{path} is not a readable image; remove it from the folder or re-export it as PNG or JPEG.");
}
