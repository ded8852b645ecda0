using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;

namespace SpecLora.Jobs;

/// <summary>One input of an <see cref="AnalysisBatch"/>: its analysis, or the sentence saying why it failed.</summary>
/// <param name="Input">The audio file or picture.</param>
/// <param name="Analysis">Its numbers, or null when it failed.</param>
/// <param name="Error">What went wrong (one sentence naming the file), or null.</param>
/// <param name="Elapsed">Wall time for this input.</param>
public sealed record AnalysisBatchItem(string Input, MusicAnalysis? Analysis, string? Error, TimeSpan Elapsed) : IBatchItem
{
    /// <summary>Nothing is written per input; the JSON (if asked for) holds them all.</summary>
    public string? Output => null;
}

/// <summary>
/// Analyses audio files and pictures (folders expand to both) one after the other, as <c>speclora analyze</c> does and a
/// notebook can: one bad input is its item's sentence and the others go on; the JSON array of the analysed ones is
/// written atomically when a path is given.
/// </summary>
public static class AnalysisBatch
{
    /// <summary>Analyses a file: audio (by <see cref="AudioLoader.KnownExtensions"/>, loaded as librosa.load does) or a
    /// picture (by <see cref="PictureFiles.KnownExtensions"/>, decoded, inverted by the picture policy
    /// <see cref="ImageInversion.Plan"/>). An unknown extension or a missing file is an <see cref="ArgumentException"/> /
    /// <see cref="FileNotFoundException"/> whose message names the file.</summary>
    /// <example>
    /// <code>
    /// MusicAnalysis a = AnalysisBatch.AnalyzeFile("res5.png");
    /// Console.WriteLine($"{a.Key}, key clarity {a.KeyClarity:F2}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static MusicAnalysis AnalyzeFile(string path, AnalysisOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        bool picture = PictureFiles.KnownExtensions.Contains(ext), audio = AudioLoader.KnownExtensions.Contains(ext);
        if (!picture && !audio)
            throw new ArgumentException($"{path}: not an audio file ({string.Join(", ", AudioLoader.KnownExtensions)}) nor a spectrogram picture ({string.Join(", ", PictureFiles.KnownExtensions)}); give one of those");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist; check the path", path);
        var o = (options ?? new AnalysisOptions()).Validate();
        if (picture) return MusicAnalyzer.AnalyzePicture(SpectrogramImageDecoder.Decode(path), o, cancellationToken);
        var clip = AudioLoader.Load(path, new AudioLoadOptions { SampleRate = o.Mel.SampleRate });
        return MusicAnalyzer.Analyze(clip, o, path, cancellationToken);
    }

    /// <summary>Files as given; folders → their audio files and pictures, in name order.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs) =>
        Batch.ExpandInputs(inputs, [.. AudioLoader.KnownExtensions, .. PictureFiles.KnownExtensions]);

    /// <summary>Runs <see cref="AnalyzeFile"/> on each input; each finished item goes to
    /// <paramref name="progress"/>. Writes <see cref="MusicAnalysis.ToJson"/> of the analysed inputs to
    /// <paramref name="jsonPath"/> (atomically) when it is not null and at least one input was analysed.</summary>
    /// <exception cref="OutputConflictException">The JSON would be written over an input, a folder or an existing file
    /// (without <paramref name="overwrite"/>): checked before any input is analysed.</exception>
    /// <exception cref="OutputFolderException">The JSON's folder cannot be created.</exception>
    /// <exception cref="BatchInterruptedException">Cancelled: lists the finished inputs and those not analysed.</exception>
    public static BatchResult<AnalysisBatchItem> Run(IReadOnlyList<string> files, AnalysisOptions? options = null, string? jsonPath = null,
        IProgress<AnalysisBatchItem>? progress = null, CancellationToken cancellationToken = default, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        var o = (options ?? new AnalysisOptions()).Validate();
        IReadOnlyList<string> replaced = [];
        if (jsonPath is not null)
        {
            Batch.CheckOutputFolder(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            replaced = Batch.CheckOutputs(files, [jsonPath], overwrite);
        }
        var result = Batch.Run(files, 1, i =>
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var a = AnalyzeFile(files[i], o, cancellationToken);
                return new AnalysisBatchItem(files[i], a, null, sw.Elapsed);
            },
            (i, error, elapsed) => new AnalysisBatchItem(files[i], null, error, elapsed),
            (_, item) => progress?.Report(item), cancellationToken);
        var analysed = result.Items.Where(i => i.Analysis is not null).Select(i => i.Analysis!).ToList();
        if (jsonPath is not null && analysed.Count > 0) Batch.WriteOutput(jsonPath, () => AtomicFile.WriteAllText(jsonPath, MusicAnalysis.ToJson(analysed)));
        return result with { Replaced = analysed.Count > 0 ? replaced : [] };
    }
}
