using SpecLora.IO;

namespace SpecLora.Jobs;

/// <summary>One file's outcome in a batch (<c>MelBatch</c>, <c>ImageBatch</c>, <c>RoundTrip</c>).</summary>
public interface IBatchItem
{
    /// <summary>The input file.</summary>
    string Input { get; }
    /// <summary>The main file written for it, or null when it failed.</summary>
    string? Output { get; }
    /// <summary>What went wrong, as one sentence; null when it succeeded.</summary>
    string? Error { get; }
}

/// <summary>Every file's outcome, in input order.</summary>
/// <typeparam name="TItem">The batch's item type.</typeparam>
public sealed record BatchResult<TItem>(IReadOnlyList<TItem> Items) where TItem : IBatchItem
{
    /// <summary>Files that produced their output.</summary>
    public int Succeeded => Items.Count(i => i.Error is null);
    /// <summary>Files that failed (each with its sentence).</summary>
    public int Failed => Items.Count(i => i.Error is not null);
}

/// <summary>The output folder cannot hold the batch's files (it is a file, lies under a file, or cannot be created).
/// Raised before any work, or at the first write; never per file.</summary>
public sealed class OutputFolderException(string folder, string reason, Exception? inner = null)
    : SpecLoraException($"output folder {folder}: {reason}", inner)
{
    /// <summary>The folder as given.</summary>
    public string Folder { get; } = folder;
    /// <summary>Why it cannot be used, and what to do.</summary>
    public string Reason { get; } = reason;
}

/// <summary>A batch was cancelled: which files were finished (written or failed) and which were not.</summary>
public sealed class BatchInterruptedException(IReadOnlyList<IBatchItem> finished, IReadOnlyList<string> notFinished, CancellationToken token)
    : OperationCanceledException($"interrupted: {finished.Count(i => i.Error is null)} of {finished.Count + notFinished.Count} written", token)
{
    /// <summary>Files finished before the cancellation, written or failed, in input order.</summary>
    public IReadOnlyList<IBatchItem> Finished { get; } = finished;
    /// <summary>Inputs not finished (nothing was written for them).</summary>
    public IReadOnlyList<string> NotFinished { get; } = notFinished;
}

/// <summary>
/// What every file batch shares: folder expansion by extension, unique output names, the output-folder check,
/// failure isolation (a bad file becomes one sentence, the others go on) and cancellation that says what was done.
/// </summary>
public static class Batch
{
    /// <summary>Expands files and folders (a folder's files whose extension is in <paramref name="extensions"/>,
    /// not recursive, sorted by name) into the list of inputs. Missing paths are kept so that they are reported.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs, IReadOnlyCollection<string> extensions)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(extensions);
        var list = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                list.AddRange(Directory.EnumerateFiles(input)
                    .Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal));
            else
                list.Add(input);
        }
        return list;
    }

    /// <summary>Output file names: <paramref name="numberedPrefix"/>0, 1, … in input order when given, else each
    /// input's name; with <paramref name="extension"/> (".wav"); a repeated name gets -2, -3, … (case-insensitive).</summary>
    public static IReadOnlyList<string> OutputNames(IReadOnlyList<string> inputs, string extension, string? numberedPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var names = new List<string>(inputs.Count);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < inputs.Count; i++)
        {
            var stem = numberedPrefix is null ? Path.GetFileNameWithoutExtension(inputs[i]) : numberedPrefix + i;
            var name = stem + extension;
            for (int n = 2; !used.Add(name); n++) name = $"{stem}-{n}{extension}";
            names.Add(name);
        }
        return names;
    }

    /// <summary>Checks, without creating anything, that <paramref name="folder"/> can become the output folder:
    /// not empty, not an existing file, not under a file.</summary>
    /// <exception cref="OutputFolderException">It cannot (the message says why).</exception>
    public static void CheckOutputFolder(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new OutputFolderException("''", "the path is empty; give a folder for the outputs");
        string full;
        try { full = Path.GetFullPath(folder); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new OutputFolderException(folder, "is not a valid path", e);
        }
        if (File.Exists(full)) throw new OutputFolderException(folder, "is an existing file; it must be a folder (a new or an existing one)");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) return;
            if (File.Exists(parent)) throw new OutputFolderException(folder, $"cannot be created: {parent} is a file");
        }
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents).</summary>
    /// <exception cref="OutputFolderException">It cannot be created (read-only, no permission, a file in the way).</exception>
    public static void CreateOutputFolder(string folder)
    {
        CheckOutputFolder(folder);
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(folder, $"cannot be created ({e.Message.TrimEnd('.')}); choose a folder you can write to", e);
        }
    }

    /// <summary>Creates the folder of <paramref name="path"/> and runs <paramref name="write"/> (which writes files
    /// there, atomically). A failure to write there (no permission, read-only, disk full) would fail every other file
    /// too, so it is an <see cref="OutputFolderException"/> that stops the batch, not one file's failure.</summary>
    public static void WriteOutput(string path, Action write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateOutputFolder(folder);
        try { write(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(folder, $"cannot be written to ({e.Message.TrimEnd('.')}); choose a folder you can write to", e);
        }
    }

    /// <summary>The sentence for a failed file: the exception's message, without .NET's "(Parameter 'x')" and
    /// "Actual value was …" suffixes and never with an exception type name.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e switch
        {
            ArgumentException a => Clean(a),
            FileNotFoundException { FileName: { } name } f when !f.Message.Contains(name, StringComparison.Ordinal) => $"{name}: file not found",
            UnauthorizedAccessException u => $"{u.Message.TrimEnd('.')}; check the permissions",
            _ => e.Message,
        };
    }

    /// <summary>An <see cref="ArgumentException"/>'s first line without the " (Parameter 'x')" suffix.</summary>
    public static string Clean(ArgumentException e) => Messages.WithoutParameter(e);

    /// <summary>
    /// Runs <paramref name="process"/> for each of <paramref name="inputs"/>, <paramref name="maxParallelism"/> at a
    /// time. An exception (other than cancellation or <see cref="OutputFolderException"/>, which stop the batch)
    /// becomes that file's failed item through <paramref name="failed"/> and the others go on. Each finished item is
    /// reported to <paramref name="finished"/> with its index (from the worker thread).
    /// </summary>
    /// <exception cref="BatchInterruptedException">Cancelled: lists the finished items and the inputs not finished.</exception>
    public static BatchResult<TItem> Run<TItem>(IReadOnlyList<string> inputs, int maxParallelism, Func<int, TItem> process,
        Func<int, string, TimeSpan, TItem> failed, Action<int, TItem>? finished, CancellationToken cancellationToken) where TItem : class, IBatchItem
    {
        ArgumentNullException.ThrowIfNull(inputs); ArgumentNullException.ThrowIfNull(process); ArgumentNullException.ThrowIfNull(failed);
        if (maxParallelism < 1) throw new ArgumentOutOfRangeException(nameof(maxParallelism), maxParallelism, $"maxParallelism={maxParallelism} must be ≥ 1");
        var results = new TItem?[inputs.Count];
        OutputFolderException? stop = null;
        try
        {
            Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken }, (i, state) =>
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                TItem item;
                try { item = process(i); }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return; }
                catch (OutputFolderException e) { Interlocked.CompareExchange(ref stop, e, null); state.Stop(); return; }
                catch (Exception e) { item = failed(i, Describe(e), sw.Elapsed); }
                results[i] = item;
                finished?.Invoke(i, item);
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
        if (stop is not null) throw stop;
        if (cancellationToken.IsCancellationRequested && results.Any(r => r is null))
            throw new BatchInterruptedException(results.OfType<IBatchItem>().ToList(),
                inputs.Where((_, i) => results[i] is null).ToList(), cancellationToken);
        return new BatchResult<TItem>(results!);
    }
}
