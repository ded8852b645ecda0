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
    /// <summary>Existing files the batch was allowed to replace (<c>--overwrite</c>), to be reported per file.</summary>
    public IReadOnlyList<string> Replaced { get; init; } = [];
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

/// <summary>An output would land on one of the inputs, on a folder, or on a file this run did not create (without
/// <c>--overwrite</c>). Raised before any work; the message names both paths and says what to do.</summary>
public sealed class OutputConflictException(string message) : SpecLoraException(message);

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
internal static class Batch
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

    /// <summary>
    /// The overwrite rule of every job, checked before any work: no output may be one of the inputs (compared after
    /// resolving links) or an existing folder, and no output may replace an existing file unless
    /// <paramref name="overwrite"/> (the user asked). Returns the existing files that will be replaced (empty unless
    /// <paramref name="overwrite"/>), so that the caller says so per file.
    /// </summary>
    /// <exception cref="OutputConflictException">Names both paths (or the existing files) and what to do.</exception>
    public static IReadOnlyList<string> CheckOutputs(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(inputs); ArgumentNullException.ThrowIfNull(outputs);
        var comparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var byCanonical = new Dictionary<string, string>(comparer);
        foreach (var input in inputs) if (File.Exists(input)) byCanonical.TryAdd(Canonical(input), input);   // a missing input is reported by its row
        var existing = new List<string>();
        foreach (var output in outputs)
        {
            if (byCanonical.TryGetValue(Canonical(output), out var input))
                throw new OutputConflictException($"{TerminalText.Visible(output)} would be written over the input {TerminalText.Visible(input)}; choose another output folder (-o)");
            if (Directory.Exists(output))
                throw new OutputConflictException($"{TerminalText.Visible(output)} is a folder, where an output file would go; move it or choose another output folder (-o)");
            if (File.Exists(output)) existing.Add(output);
        }
        if (existing.Count > 0 && !overwrite)
        {
            var names = existing.Take(5).Select(TerminalText.Visible).ToList();
            string list = string.Join(", ", names) + (existing.Count > 5 ? $", … ({existing.Count} files)" : "");
            throw new OutputConflictException($"{(existing.Count == 1 ? "an output file already exists" : $"{existing.Count} output files already exist")} and {(existing.Count == 1 ? "was" : "were")} not made by this run: {list}; give --overwrite to replace {(existing.Count == 1 ? "it" : "them")}, or choose another output folder (-o)");
        }
        return existing;
    }

    /// <summary>The full path with a symbolic link (the file, or the folder it is in) resolved, for comparing paths.</summary>
    private static string Canonical(string path)
    {
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return path; }
        try
        {
            var dir = Path.GetDirectoryName(full);
            if (dir is not null && new DirectoryInfo(dir).ResolveLinkTarget(true) is { } realDir) full = Path.Combine(realDir.FullName, Path.GetFileName(full));
            if (new FileInfo(full).ResolveLinkTarget(true) is { } realFile) full = realFile.FullName;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return full;
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
            SpecLoraException or IOException => e.Message,
            OutOfMemoryException or InsufficientExecutionStackException => "ran out of memory on this input; try a smaller one (a shorter --duration, a lower -k)",
            _ => "could not be processed because of an error in speclora itself; please report it with the command line and this file",
        };
    }

    /// <summary>The sentence, starting with the file's name when it does not already name it.</summary>
    internal static string NamingTheFile(string input, string sentence) =>
        sentence.Contains(Path.GetFileName(input), StringComparison.Ordinal) ? sentence : $"{input}: {sentence}";

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
                try
                {
                    // a FIFO or a device would block or never end: refused before it is opened
                    if (RegularFile.NonRegularKind(inputs[i]) is { } kind) throw new ArgumentException($"{inputs[i]} is {kind}; give a regular file");
                    item = process(i);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { return; }
                catch (OutputFolderException e) { Interlocked.CompareExchange(ref stop, e, null); state.Stop(); return; }
                catch (Exception e) { item = failed(i, NamingTheFile(inputs[i], Describe(e)), sw.Elapsed); }
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
