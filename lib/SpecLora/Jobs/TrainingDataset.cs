using System.IO.Compression;
using System.Text;
using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Replicate;

namespace SpecLora.Jobs;

/// <summary>Settings of a training zip (<see cref="TrainingDataset"/>).</summary>
public sealed record TrainingDatasetOptions
{
    /// <summary>When set (e.g. 1024), each image is resized to Size×Size pixels (stretched, so time and frequency axes stay
    /// aligned) and stored as PNG; 64–4096. Null: the pictures are zipped as they are.</summary>
    public int? Size { get; init; }

    /// <summary>Add a <c>&lt;image&gt;.txt</c> caption per image.</summary>
    public bool Captions { get; init; }

    /// <summary>Caption text; must contain the trigger word <c>SPECTROGRAM</c> (at most 1000 characters, one line).</summary>
    public string Caption { get; init; } = TrainingDataset.DefaultCaption;

    /// <summary>Limit on the zip (100 MiB, the Files API limit).</summary>
    public long MaxBytes { get; init; } = ReplicateClient.MaxFileBytes;

    /// <summary>Replace the zip when it exists already (default false: an existing file is refused, never replaced).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Checks every setting and reports every bad one at once, quoting each value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Only numbers are out of range (the message lists them all).</exception>
    /// <exception cref="ArgumentException">The caption is bad, alone or with other problems.</exception>
    public TrainingDatasetOptions Validate()
    {
        var p = new OptionProblems();
        if (Size is < 64 or > 4096) p.Range(nameof(Size), $"size={Size} must be 64–4096 pixels (the trainer used 1024)");
        if (MaxBytes is < 1 or > ReplicateClient.MaxFileBytes) p.Range(nameof(MaxBytes), $"maxBytes={MaxBytes} must be 1…{ReplicateClient.MaxFileBytes} (100 MiB, the Files API limit)");
        if (Captions)
        {
            if (Caption is null || !Caption.Contains(ReadmeSettings.TriggerWord, StringComparison.Ordinal))
                p.Other(nameof(Caption), $"caption \"{Secrets.Show(Caption, null, 200)}\" must contain the trigger word {ReadmeSettings.TriggerWord}");
            else if (Caption.Length > 1000 || Caption.Any(char.IsControl))
                p.Other(nameof(Caption), $"caption \"{Secrets.Show(Caption, null, 200)}\" must be one line of at most 1000 characters");
        }
        p.ThrowIfAny();
        return this;
    }
}

/// <summary>
/// Builds the training zip for <c>zylim0702/sdxl-lora-customize-training</c> from a folder of mel images
/// (the README: "Zip mels directory"), optionally fitted to a square size and with caption files carrying the
/// trigger word <c>SPECTROGRAM</c>. Refuses zips over the Files API's 100 MiB.
/// </summary>
/// <remarks>
/// Everything is refused before any work, naming the file: a folder entry that is not a regular file (a FIFO, a device, a
/// socket: opening one would block or never end), two pictures that would get the same entry name (<c>a.jpg</c> and
/// <c>a.png</c> with a size, or with captions), an output that is one of the pictures, and an output that exists unless
/// <see cref="TrainingDatasetOptions.Overwrite"/>. Each picture is then read once into memory (at most
/// <see cref="MaxPictureBytes"/>), those bytes are checked (every pixel decodes) and those same bytes (or their resized
/// copy) are zipped: a file swapped on disk meanwhile cannot slip in. The zip is written only after every picture was read,
/// through a temporary file moved into place, so a cancellation or a failure leaves nothing behind.
/// </remarks>
/// <example>
/// <code>
/// var report = TrainingDataset.Create("../results/03-prepare-training/images", "../results/03-prepare-training/mels.zip",
///     size: 1024, captions: true, overwrite: true);
/// Console.WriteLine(report);
/// </code>
/// Notebook: <c>notebooks/03-prepare-training.ipynb</c>.
/// </example>
public static class TrainingDataset
{
    /// <summary>Image extensions picked up (<see cref="TrainingZip.ImageExtensions"/>).</summary>
    public static IReadOnlyList<string> ImageExtensions => TrainingZip.ImageExtensions;

    /// <summary>Default caption, with the trigger word (<see cref="TrainingZip.DefaultCaption"/>).</summary>
    public const string DefaultCaption = TrainingZip.DefaultCaption;

    /// <summary>Largest picture read from the folder: 100 MiB (no picture larger than the zip's limit can go in it).</summary>
    public const long MaxPictureBytes = ReplicateClient.MaxFileBytes;

    /// <summary>Writes the zip atomically and reports its contents.</summary>
    /// <param name="folder">Folder of images (not recursive).</param>
    /// <param name="zipPath">Zip to write.</param>
    /// <param name="size">When set (e.g. 1024), each image is resized to size×size pixels and stored as PNG.</param>
    /// <param name="captions">When true, a <c>&lt;image&gt;.txt</c> caption is added per image.</param>
    /// <param name="caption">Caption text; must contain the trigger word <c>SPECTROGRAM</c>.</param>
    /// <param name="maxBytes">Limit on the zip (100 MiB, the Files API limit).</param>
    /// <param name="overwrite">Replace <paramref name="zipPath"/> when it exists (default: refuse).</param>
    /// <param name="cancellationToken">Stops between pictures; nothing is left on disk.</param>
    /// <exception cref="TrainingDatasetException">No images, an unreadable image, a name collision, an output that exists or is an
    /// input, or the zip exceeds <paramref name="maxBytes"/> (nothing is left on disk).</exception>
    public static TrainingDatasetReport Create(string folder, string zipPath, int? size = null, bool captions = false, string caption = DefaultCaption,
        long maxBytes = ReplicateClient.MaxFileBytes, bool overwrite = false, CancellationToken cancellationToken = default)
        => Create(folder, zipPath, new TrainingDatasetOptions { Size = size, Captions = captions, Caption = caption, MaxBytes = maxBytes, Overwrite = overwrite }, cancellationToken);

    /// <summary>Writes the zip atomically and reports its contents.</summary>
    /// <param name="folder">Folder of images (not recursive).</param>
    /// <param name="zipPath">Zip to write.</param>
    /// <param name="options">Size, captions, limit, overwrite.</param>
    /// <param name="cancellationToken">Stops between pictures; nothing is left on disk.</param>
    /// <exception cref="TrainingDatasetException">See the other overload.</exception>
    public static TrainingDatasetReport Create(string folder, string zipPath, TrainingDatasetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!Directory.Exists(folder)) throw new TrainingDatasetException($"Image folder {Show(folder)} does not exist; give the folder of mel images (speclora mels … -o FOLDER).");
        var images = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToArray();
        if (images.Length == 0)
            throw new TrainingDatasetException($"No images ({string.Join(", ", ImageExtensions)}) in {Show(folder)}; make mel images first (speclora mels).");
        var replaced = CheckOutput(zipPath, images, options.Overwrite);
        var plan = Plan(images, options);
        foreach (var image in images)
            if (RegularFile.NonRegularKind(image) is { } kind)
                throw new TrainingDatasetException($"{Show(image)} is {kind}, not a picture file; remove it from {Show(folder)}. Nothing was written.");

        // Read phase: each picture once, checked and (when asked) resized from the same bytes; nothing is on disk yet.
        var entries = new List<(string Name, byte[] Data, CompressionLevel Level)>();
        long total = 0;
        var captionBytes = Encoding.UTF8.GetBytes(options.Caption);
        for (var i = 0; i < images.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = images[i];
            var bytes = ReadOnce(image);
            RgbaImage pixels;
            try
            {
                var limits = new ImageDecodeOptions();
                pixels = SpectrogramImageDecoder.ReadPixels(bytes, Show(image), limits.MaxSize, out _, out _, limits.MaxPixels);
            }
            catch (SpectrogramImageException e) { throw new TrainingDatasetException(e.Message + " Nothing was written."); }
            var data = options.Size is { } side
                ? ImageResize.TryResize(pixels, side, side, MelImageFormat.Png)
                  ?? throw new TrainingDatasetException($"{Show(image)} could not be resized to {side}×{side}; re-export it as PNG or JPEG. Nothing was written.")
                : bytes;
            entries.Add((plan[i].Image, data, CompressionLevel.NoCompression));
            total += data.Length;
            if (options.Captions)
            {
                entries.Add((plan[i].Caption, captionBytes, CompressionLevel.Optimal));
                total += captionBytes.Length;
            }
            if (total > options.MaxBytes) throw Oversize(total, options.MaxBytes, folder);
        }

        // Write phase: from memory, through a temporary file that is deleted on any failure or cancellation.
        var written = new List<DatasetEntry>();
        try
        {
            AtomicFile.Write(zipPath, stream =>
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var (name, data, level) in entries)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var entry = zip.CreateEntry(name, level);
                        using (var s = entry.Open()) s.Write(data);
                        written.Add(new DatasetEntry(name, data.Length));
                        if (stream.Length > options.MaxBytes) throw Oversize(stream.Length, options.MaxBytes, folder);
                    }
                }
                if (stream.Length > options.MaxBytes) throw Oversize(stream.Length, options.MaxBytes, folder);
            }, overwrite: options.Overwrite);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new TrainingDatasetException($"Could not write {Show(zipPath)} ({e.Message.TrimEnd('.')}); choose a path you can write to. Nothing was written.");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new TrainingDatasetException($"Could not write {Show(zipPath)} ({e.Message.TrimEnd('.')}); choose a path you can write to. Nothing was written.");
        }
        return new TrainingDatasetReport(Path.GetFullPath(zipPath), new FileInfo(zipPath).Length,
            written.Count(e => IsImage(e.Name)), written.Count(e => e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)), options.Size, written)
        { Replaced = replaced };
    }

    private static bool IsImage(string name) => TrainingZip.IsImage(name);

    /// <summary>Refuses an output that is a folder, not a regular file, one of the pictures (even with overwrite), or an
    /// existing file without overwrite. Returns whether an existing file will be replaced.</summary>
    private static bool CheckOutput(string zipPath, IReadOnlyList<string> images, bool overwrite)
    {
        string full;
        try { full = Path.GetFullPath(zipPath); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TrainingDatasetException($"-o {Show(zipPath)} is not a valid path; give a file name such as data.zip.");
        }
        if (Directory.Exists(full)) throw new TrainingDatasetException($"-o {Show(zipPath)} is a folder; give a file name for the zip, such as {Show(Path.Combine(zipPath, "data.zip"))}.");
        if (RegularFile.NonRegularKind(full) is { } kind) throw new TrainingDatasetException($"-o {Show(zipPath)} is {kind}; give a new file name for the zip.");
        var target = Resolve(full);
        foreach (var image in images)
            if (string.Equals(Resolve(Path.GetFullPath(image)), target, StringComparison.Ordinal))
                throw new TrainingDatasetException($"-o {Show(zipPath)} is the picture {Show(image)}, one of the inputs; give the zip another name (outside the pictures). Nothing was written.");
        var exists = File.Exists(full) || new FileInfo(full).LinkTarget is not null;
        if (exists && !overwrite)
            throw new TrainingDatasetException($"-o {Show(zipPath)} already exists and was not made by this run; give a new name, or add --overwrite to replace it. Nothing was written.");
        return exists;
    }

    /// <summary>A path with its symbolic links resolved (the same file reached two ways is the same file).</summary>
    private static string Resolve(string full)
    {
        try { return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full; }
        catch (IOException) { return full; }
    }

    /// <summary>Each picture's entry name (and caption name); two pictures that would share one are refused, naming both.</summary>
    private static (string Image, string Caption)[] Plan(IReadOnlyList<string> images, TrainingDatasetOptions options)
    {
        var plan = new (string Image, string Caption)[images.Count];
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < images.Count; i++)
        {
            var stem = Path.GetFileNameWithoutExtension(images[i]);
            plan[i] = (options.Size is null ? Path.GetFileName(images[i]) : stem + ".png", stem + ".txt");
            Claim(plan[i].Image, images[i], options.Size is null ? "" : $" (--size stores every picture as PNG)");
            if (options.Captions) Claim(plan[i].Caption, images[i], " (its caption)");
        }
        return plan;

        void Claim(string name, string image, string why)
        {
            if (owner.TryGetValue(name, out var other))
                throw new TrainingDatasetException($"{Show(other)} and {Show(image)} would both be zipped as {Show(name)}{why}; rename one of them (the trainer pairs pictures and captions by name). Nothing was written.");
            owner[name] = image;
        }
    }

    /// <summary>The file's bytes, read once: at most <see cref="MaxPictureBytes"/> (a file that is larger, or grows past it
    /// while read, is refused).</summary>
    private static byte[] ReadOnce(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (fs.Length > MaxPictureBytes)
                throw new TrainingDatasetException($"{Show(path)} is {fs.Length / 1048576.0:F1} MiB, larger than a training picture can be ({MaxPictureBytes >> 20} MiB); remove it from the folder. Nothing was written.");
            var buffer = new byte[Math.Min(fs.Length + 1, MaxPictureBytes + 1)];
            int total = 0, n;
            while (total < buffer.Length && (n = fs.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total > MaxPictureBytes)
                throw new TrainingDatasetException($"{Show(path)} grew past {MaxPictureBytes >> 20} MiB while it was read; remove it from the folder. Nothing was written.");
            if (total == buffer.Length)
            {
                // it grew while read: take what is there now, once more, within the limit
                using var more = new MemoryStream();
                more.Write(buffer, 0, total);
                var chunk = new byte[81920];
                while ((n = fs.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (more.Length + n > MaxPictureBytes)
                        throw new TrainingDatasetException($"{Show(path)} grew past {MaxPictureBytes >> 20} MiB while it was read; remove it from the folder. Nothing was written.");
                    more.Write(chunk, 0, n);
                }
                return more.ToArray();
            }
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
        {
            throw new TrainingDatasetException($"{Show(path)} cannot be read ({e.Message.TrimEnd('.')}); check it and its permissions. Nothing was written.");
        }
        catch (FileNotFoundException)
        {
            throw new TrainingDatasetException($"{Show(path)} disappeared while the zip was being made; run again. Nothing was written.");
        }
    }

    private static TrainingDatasetException Oversize(long bytes, long max, string what) => TrainingZip.Oversize(bytes, max, what);

    private static string Show(string path) => TerminalText.Visible(path);
}
