namespace SpecLora.IO;

/// <summary>
/// Writes files so that nothing is ever half-written: data go to a temporary file in the destination folder,
/// which is moved over the destination only once complete. On any failure the temporary file is deleted.
/// A process that is killed or fails mid-write leaves the destination as it was (at most a hidden temporary file).
/// The data are handed to the operating system, not forced to the disk (no fsync): against a power cut between the
/// write and the OS's own flush this is no guarantee, and an fsync cost 112 ms per 2.6 MB WAV on the development
/// machine, a tenth of a whole <c>speclora invert</c>.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">Destination file; its folder is created if missing.</param>
    /// <param name="write">Writes the whole content to the stream it is given.</param>
    /// <param name="overwrite">When false and the destination exists, throws <see cref="IOException"/> before writing.</param>
    public static void Write(string path, Action<Stream> write, bool overwrite = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, tmp) = Prepare(path, overwrite);
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush();
            }
            File.Move(tmp, full, overwrite);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort */ }
            throw;
        }
    }

    /// <summary>Async variant of <see cref="Write(string, Action{Stream}, bool)"/>.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, tmp) = Prepare(path, overwrite);
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await write(fs, cancellationToken).ConfigureAwait(false);
                await fs.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(tmp, full, overwrite);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort */ }
            throw;
        }
    }

    /// <summary>Full destination path and a unique hidden temporary file beside it; the folder is created.</summary>
    private static (string Full, string Tmp) Prepare(string path, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        if (!overwrite && File.Exists(full)) throw new IOException($"{full} already exists; refusing to overwrite it");
        return (full, Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp"));
    }

    /// <summary>Writes all bytes atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite = true)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy), overwrite);
    }

    /// <summary>Writes text (UTF-8, no BOM) atomically.</summary>
    public static void WriteAllText(string path, string text, bool overwrite = true)
        => WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text), overwrite);
}
