using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Jobs;

/// <summary>Settings of a picture → WAV batch (<c>speclora invert</c>). Defaults: our inversion defaults
/// (NNLS + PGHI + 32 FGLA iterations, 4 frames per column, peak −1 dBFS) and colormap detection.</summary>
public sealed record ImageBatchOptions
{
    /// <summary>How each picture is inverted.</summary>
    public InversionOptions Inversion { get; init; } = new();
    /// <summary>How each picture is decoded (colormap "auto" by default).</summary>
    public ImageDecodeOptions Decode { get; init; } = new();
    /// <summary>Use the frame count and level stored in our PNGs (exact round trip). Default true.</summary>
    public bool UseMetadata { get; init; } = true;
    /// <summary>Replace WAVs that already exist in the output folder (<c>--overwrite</c>). Default false: they are
    /// refused before any work (<see cref="Batch.CheckOutputs"/>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Validates both stages' options (an <see cref="ArgumentException"/> quoting the bad value).</summary>
    public ImageBatchOptions Validate()
    {
        var p = new Problems();
        p.Nested(Inversion, nameof(Inversion), () => Inversion.Validate());
        p.Nested(Decode, nameof(Decode), () => Decode.Validate());
        p.ThrowIfAny("Invalid picture inversion options");
        return this;
    }
}

/// <summary>The outcome for one picture. On failure only <see cref="Input"/>, <see cref="Error"/> and
/// <see cref="Elapsed"/> are set.</summary>
/// <param name="Input">The picture file.</param>
/// <param name="Output">The WAV written, or null.</param>
/// <param name="Error">What went wrong (one sentence naming the file), or null.</param>
/// <param name="Elapsed">Wall time for this picture.</param>
public sealed record ImageBatchItem(string Input, string? Output, string? Error, TimeSpan Elapsed) : IBatchItem
{
    /// <summary>True when the WAV was written.</summary>
    public bool Succeeded => Error is null;
    /// <summary>The decoded picture (size, kind, colour method, off-colormap fraction, median ΔE, warnings, and the
    /// dB mel itself: ≈ 1.5 MB for a 640×480 picture, kept so that a notebook can show it beside the audio).</summary>
    public DecodedSpectrogramImage? Decoded { get; init; }
    /// <summary>The time axis the picture was inverted on (from its metadata, the options, or assumed: then its length
    /// is a guess, and <see cref="FrameAxis.Describe"/> says so).</summary>
    public FrameAxis? Axis { get; init; }
    /// <summary>Seconds of audio written.</summary>
    public double AudioSeconds { get; init; }
    /// <summary>Image consistency (dB, <see cref="QualityMetrics.ImageConsistency(Spectrogram, AudioClip, MelOptions?)"/>):
    /// how far the reconstruction's mel is from the picture's, after the best level offset.</summary>
    public double ConsistencyDb { get; init; }
    /// <summary>True when more than half the picture is off the colormap (the audio is then a guess).</summary>
    public bool MostlyOffColormap => Decoded is { OffColormapFraction: > 0.5 };
}

/// <summary>What <see cref="ImageBatch.Run"/> is doing: picture <see cref="Index"/> of <see cref="Count"/>, and how far
/// along it is; <see cref="Finished"/> is set once, when that picture is done.</summary>
/// <param name="Index">Position of the picture in the input list.</param>
/// <param name="Count">Number of pictures.</param>
/// <param name="Input">The picture file.</param>
/// <param name="FileFraction">0…1 within this picture (stage-weighted).</param>
/// <param name="Finished">The outcome, when the picture is done.</param>
public sealed record ImageBatchProgress(int Index, int Count, string Input, double FileFraction, ImageBatchItem? Finished)
{
    /// <summary>0…1 over the whole batch.</summary>
    public double Fraction => Count == 0 ? 1 : (Index + FileFraction) / Count;
}

/// <summary>
/// Spectrogram pictures (files or folders of them) → WAV files, one after the other (memory stays that of one
/// inversion): decode, invert (<see cref="ImageInversion"/>), write atomically, measure the image consistency. One bad picture never stops the
/// others: it is reported with its sentence. The output folder is checked first and created with the first WAV.
/// </summary>
/// <remarks>Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>; CLI: <c>speclora invert</c>.</remarks>
public static class ImageBatch
{
    /// <summary>Expands files and folders (a folder's pictures by <see cref="PictureFiles.KnownExtensions"/>, not
    /// recursive, sorted by name). Missing paths are kept so that they are reported.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs) => Batch.ExpandInputs(inputs, PictureFiles.KnownExtensions);

    /// <summary>Decodes and inverts one picture, writes <paramref name="outputPath"/> (WAV, folder created now) and
    /// measures it. Throws on bad input.</summary>
    public static ImageBatchItem ProcessFile(string input, string outputPath, ImageBatchOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
        => ProcessValidated(input, outputPath, (options ?? new ImageBatchOptions()).Validate(), progress, cancellationToken);

    /// <summary><see cref="ProcessFile"/> with options already validated (once per job).</summary>
    private static ImageBatchItem ProcessValidated(string input, string outputPath, ImageBatchOptions o, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var sw = Stopwatch.StartNew();
        var decoded = SpectrogramImageDecoder.Decode(input, o.Decode);
        var stages = progress is null ? null : new InlineProgress<InversionProgress>(p => progress.Report(Fraction(p)));
        var plan = ImageInversion.Plan(decoded, o.Inversion, o.UseMetadata);
        var audio = ImageInversion.FromPlan(decoded, plan, stages, cancellationToken);
        // everything is measured before anything is written: a failed picture leaves the output folder as it was
        if (audio.Length == 0) throw new ArgumentException($"{input}: the time axis gives no audio (0 samples); give a longer --duration or more --frames");
        double consistency = QualityMetrics.ImageConsistency(decoded.Db, audio, o.Inversion.Mel);
        Batch.WriteOutput(outputPath, () => WavFile.Write(outputPath, audio));
        progress?.Report(1);
        return new ImageBatchItem(input, outputPath, null, sw.Elapsed)
        {
            Decoded = decoded, Axis = plan.Axis, AudioSeconds = audio.DurationSeconds, ConsistencyDb = consistency,
        };
    }

    /// <summary>Inverts every picture into <paramref name="outputDirectory"/> (WAVs named after the pictures; a.png
    /// beside a.jpg gives a.wav and a-2.wav), reporting progress within and across pictures.</summary>
    /// <exception cref="OutputFolderException"><paramref name="outputDirectory"/> is a file, under a file, or cannot be
    /// created (checked before any picture is inverted).</exception>
    /// <exception cref="OutputConflictException">A WAV would be written over an input or an existing file (without
    /// <see cref="ImageBatchOptions.Overwrite"/>): checked before any picture is decoded.</exception>
    /// <exception cref="BatchInterruptedException">Cancelled: says which WAVs were written and which were not.</exception>
    public static BatchResult<ImageBatchItem> Run(IEnumerable<string> inputs, string outputDirectory, ImageBatchOptions? options = null,
        IProgress<ImageBatchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Batch.CheckOutputFolder(outputDirectory);
        var o = (options ?? new ImageBatchOptions()).Validate();
        var files = ExpandInputs(inputs);
        var names = Batch.OutputNames(files, ".wav");
        var replaced = Batch.CheckOutputs(files, names.Select(n => Path.Combine(outputDirectory, n)).ToList(), o.Overwrite);
        return Batch.Run(files, 1, i =>
        {
            var within = progress is null ? null : new InlineProgress<double>(f => progress.Report(new ImageBatchProgress(i, files.Count, files[i], f, null)));
            return ProcessValidated(files[i], Path.Combine(outputDirectory, names[i]), o, within, cancellationToken);
        }, (i, error, elapsed) => new ImageBatchItem(files[i], null, error, elapsed),
        (i, item) => progress?.Report(new ImageBatchProgress(i, files.Count, item.Input, 1, item)), cancellationToken) with { Replaced = replaced };
    }

    /// <summary>Fixed weights of the inversion stages within one picture, for a steadily moving bar: NNLS 10 %,
    /// time axis 5 %, PGHI 10 %, phase iterations 70 %, synthesis 5 %.</summary>
    internal static double Fraction(InversionProgress p) => p.Stage switch
    {
        InversionStage.MelToLinear => 0.1 * p.Completed / Math.Max(1, p.Total),
        InversionStage.TimeAxis => 0.1 + 0.05 * p.Completed / Math.Max(1, p.Total),
        InversionStage.PhaseInit => 0.15 + 0.1 * p.Completed / Math.Max(1, p.Total),
        InversionStage.PhaseIterations => 0.25 + 0.7 * p.Completed / Math.Max(1, p.Total),
        _ => 0.95 + 0.05 * p.Completed / Math.Max(1, p.Total),
    };

}
