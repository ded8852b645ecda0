using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.IO;

namespace SpecLora.Analysis;

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
    /// <summary>Files as given; folders → their audio files and pictures, in name order.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs) =>
        Batch.ExpandInputs(inputs, [.. AudioLoader.KnownExtensions, .. PictureFiles.KnownExtensions]);

    /// <summary>Runs <see cref="MusicAnalyzer.AnalyzeFile"/> on each input; each finished item goes to
    /// <paramref name="progress"/>. Writes <see cref="MusicAnalysis.ToJson"/> of the analysed inputs to
    /// <paramref name="jsonPath"/> (atomically) when it is not null and at least one input was analysed.</summary>
    /// <exception cref="BatchInterruptedException">Cancelled: lists the finished inputs and those not analysed.</exception>
    public static BatchResult<AnalysisBatchItem> Run(IReadOnlyList<string> files, AnalysisOptions? options = null, string? jsonPath = null,
        IProgress<AnalysisBatchItem>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var o = (options ?? new AnalysisOptions()).Validate();
        var result = Batch.Run(files, 1, i =>
            {
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var a = MusicAnalyzer.AnalyzeFile(files[i], o, cancellationToken);
                return new AnalysisBatchItem(files[i], a, null, sw.Elapsed);
            },
            (i, error, elapsed) => new AnalysisBatchItem(files[i], null, error, elapsed),
            (_, item) => progress?.Report(item), cancellationToken);
        var analysed = result.Items.Where(i => i.Analysis is not null).Select(i => i.Analysis!).ToList();
        if (jsonPath is not null && analysed.Count > 0) AtomicFile.WriteAllText(jsonPath, MusicAnalysis.ToJson(analysed));
        return result;
    }
}
