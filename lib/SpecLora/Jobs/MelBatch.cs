using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Jobs;

/// <summary>Settings of a makeMels.py-style batch (<c>speclora mels</c>). Defaults reproduce makeMels.py:
/// 22050 Hz mono, librosa's mel defaults, <c>power_to_db(ref=np.max)</c>, magma, 640×480 JPEG.</summary>
/// <example>
/// <code>
/// var options = new MelBatchOptions { Format = MelImageFormat.Png, Numbered = true, SaveNpy = true, Overwrite = true };
/// var batch = MelBatch.Run(new[] { "../data/audio" }, "../results/02-make-spectrograms/mels", options);
/// </code>
/// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
/// </example>
public sealed record MelBatchOptions
{
    /// <summary>Output picture format. Default JPEG (what makeMels.py writes); PNG carries metadata for exact inversion.</summary>
    public MelImageFormat Format { get; init; } = MelImageFormat.Jpeg;
    /// <summary>Picture size and colormap. Default 640×480 magma.</summary>
    public RenderOptions Render { get; init; } = new();
    /// <summary>Mel settings (librosa defaults).</summary>
    public MelOptions Mel { get; init; } = new();
    /// <summary>Also save the dB matrix as float32 <c>.npy</c> (shape n_mels × frames) beside each picture.</summary>
    public bool SaveNpy { get; init; }
    /// <summary>Start reading at this many seconds (librosa <c>offset</c>). Default 0.</summary>
    public double OffsetSeconds { get; init; }
    /// <summary>Read at most this many seconds (librosa <c>duration</c>); null = to the end.</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>Name outputs mel0, mel1, … in input order, like the original script; otherwise after the inputs.</summary>
    public bool Numbered { get; init; }
    /// <summary>Replace pictures (and .npy files) that already exist in the output folder (<c>--overwrite</c>). Default
    /// false: they are refused before any work (<see cref="Batch.CheckOutputs"/>).</summary>
    public bool Overwrite { get; init; }
    /// <summary>How many files are processed at once. Default: the processor count.</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public MelBatchOptions Validate()
    {
        var p = new Problems();
        p.Check(!Enum.IsDefined(Format), $"Format={Format} is not a picture format");
        p.Nested(Render, nameof(Render), () => Render.Validate());
        p.Nested(Mel, nameof(Mel), () => Mel.Validate());
        p.Check(MaxParallelism < 1, $"MaxParallelism={MaxParallelism} must be ≥ 1");
        p.Nested(Mel, nameof(Mel), () => new AudioLoadOptions { SampleRate = Mel.SampleRate, OffsetSeconds = OffsetSeconds, DurationSeconds = DurationSeconds }.Validate());
        p.ThrowIfAny("Invalid picture batch options");
        return this;
    }
}

/// <summary>The outcome for one input file.</summary>
/// <param name="Input">The audio file.</param>
/// <param name="Output">The picture written, or null when the file failed.</param>
/// <param name="NpyOutput">The .npy written, when asked for.</param>
/// <param name="DurationSeconds">Seconds of audio drawn.</param>
/// <param name="Frames">STFT frames drawn.</param>
/// <param name="Error">What went wrong (one sentence naming the file), or null.</param>
/// <param name="Elapsed">Wall time for this file.</param>
/// <param name="Warning">Something the user should know about a picture that was written (e.g.
/// <see cref="MelImage.SilentAudioWarning"/>), or null.</param>
public sealed record MelBatchItem(string Input, string? Output, string? NpyOutput, double DurationSeconds, int Frames, string? Error, TimeSpan Elapsed,
    string? Warning = null) : IBatchItem
{
    /// <summary>True when the picture was written.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>A picture written by <see cref="MelBatch.Draw"/>.</summary>
/// <param name="Path">The picture file.</param>
/// <param name="Db">The mel dB matrix drawn (<c>power_to_db(ref=max, top_db=80)</c>).</param>
/// <param name="Metadata">What the picture shows (frames, duration, reference power, …; stored in PNGs).</param>
public sealed record MelPicture(string Path, Spectrogram Db, MelImageMetadata Metadata);

/// <summary>
/// makeMels.py in C#: audio files (or folders of them) → mel spectrogram pictures, in parallel. One bad file never
/// stops the others: it is reported in the result. Outputs are written atomically, and the output folder is created
/// only when the first picture is ready.
/// </summary>
/// <remarks>Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.</remarks>
public static class MelBatch
{
    /// <summary>Expands files and folders (a folder's audio files by <see cref="AudioLoader.KnownExtensions"/>, not
    /// recursive, sorted by name) into the list of inputs. Missing paths are kept so that they are reported.</summary>
    public static IReadOnlyList<string> ExpandInputs(IEnumerable<string> inputs) => Batch.ExpandInputs(inputs, AudioLoader.KnownExtensions);

    /// <summary>Output file names for <paramref name="inputs"/>: mel0… when numbered, else each input's name with the
    /// picture extension (a repeated name gets -2, -3, …).</summary>
    public static IReadOnlyList<string> OutputNames(IReadOnlyList<string> inputs, MelBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Batch.OutputNames(inputs, options.Format == MelImageFormat.Jpeg ? ".jpg" : ".png", options.Numbered ? "mel" : null);
    }

    /// <summary>Makes one picture (and .npy) from one audio file. Throws on bad input.</summary>
    /// <returns>The mel dB matrix drawn.</returns>
    /// <example>
    /// <code>
    /// var png = "../results/06-listen/fur-elise-theme.png";
    /// MelBatch.ProcessFile("../data/audio/fur-elise-theme.wav", png, new MelBatchOptions { Format = MelImageFormat.Png });
    /// var decoded = SpectrogramImageDecoder.Decode(png);   // the PNG carries its time axis
    /// </code>
    /// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
    /// </example>
    public static Spectrogram ProcessFile(string input, string outputPath, MelBatchOptions? options = null)
        => ProcessValidated(input, outputPath, (options ?? new MelBatchOptions()).Validate());

    /// <summary><see cref="ProcessFile"/> with options already validated (once per job).</summary>
    private static Spectrogram ProcessValidated(string input, string outputPath, MelBatchOptions o)
    {
        var clip = AudioLoader.Load(input, new AudioLoadOptions { SampleRate = o.Mel.SampleRate, OffsetSeconds = o.OffsetSeconds, DurationSeconds = o.DurationSeconds });
        return DrawValidated(clip, outputPath, o).Db;
    }

    /// <summary>Draws <paramref name="clip"/> as makeMels.py does and writes the picture (and .npy when asked) to
    /// <paramref name="outputPath"/>, JPEG or PNG by its extension; the folder is created now.</summary>
    /// <exception cref="OutputFolderException">The picture's folder cannot be created or written to.</exception>
    /// <example>
    /// <code>
    /// MelPicture picture = MelBatch.Draw(PianoSynth.Render(PianoSynth.FurEliseOpening), "stand-in.jpg");   // as makeMels writes it
    /// Console.WriteLine($"{picture.Metadata.Frames} frames drawn into {picture.Path}");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static MelPicture Draw(AudioClip clip, string outputPath, MelBatchOptions? options = null)
        => DrawValidated(clip, outputPath, (options ?? new MelBatchOptions()).Validate());

    /// <summary><see cref="Draw"/> with options already validated (once per job).</summary>
    internal static MelPicture DrawValidated(AudioClip clip, string outputPath, MelBatchOptions o)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var power = MelSpectrogram.Compute(clip, o.Mel);
        var db = Decibels.PowerToDb(power, DbOptions.MakeMels, out float refPower);
        var meta = MelImageMetadata.From(db, o.Render, o.Mel, refPower, clip.DurationSeconds);
        Batch.WriteOutput(outputPath, () =>
        {
            meta = MelImage.Save(outputPath, db, o.Render, meta);
            if (o.SaveNpy) NpyWriter.Write(Path.ChangeExtension(outputPath, ".npy"), db);
        });
        return new MelPicture(outputPath, db, meta);
    }

    /// <summary>Processes every input into <paramref name="outputDirectory"/>, <see cref="MelBatchOptions.MaxParallelism"/>
    /// files at a time, reporting each finished file to <paramref name="progress"/>.</summary>
    /// <exception cref="OutputFolderException"><paramref name="outputDirectory"/> is a file, under a file, or cannot be
    /// created (checked before any work; creation happens with the first picture).</exception>
    /// <exception cref="OutputConflictException">A picture would be written over an input or an existing file (without
    /// <see cref="MelBatchOptions.Overwrite"/>): checked before any audio is read.</exception>
    /// <exception cref="BatchInterruptedException">Cancelled: says which files were written and which were not.</exception>
    /// <example>
    /// <code>
    /// var batch = MelBatch.Run(new[] { "../data/audio" }, "../results/mels", new MelBatchOptions { Numbered = true });
    /// foreach (var item in batch.Items)
    ///     Console.WriteLine($"{Path.GetFileName(item.Input)} → {item.Output ?? item.Error}");
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static BatchResult<MelBatchItem> Run(IEnumerable<string> inputs, string outputDirectory, MelBatchOptions? options = null,
        IProgress<MelBatchItem>? progress = null, CancellationToken cancellationToken = default)
    {
        Batch.CheckOutputFolder(outputDirectory);
        var o = (options ?? new MelBatchOptions()).Validate();
        var files = ExpandInputs(inputs);
        var names = OutputNames(files, o);
        var outputs = names.Select(n => Path.Combine(outputDirectory, n)).ToList();
        var replaced = Batch.CheckOutputs(files, o.SaveNpy ? [.. outputs, .. outputs.Select(p => Path.ChangeExtension(p, ".npy"))] : outputs, o.Overwrite);
        return Batch.Run(files, o.MaxParallelism, i =>
        {
            var sw = Stopwatch.StartNew();
            var output = Path.Combine(outputDirectory, names[i]);
            var db = ProcessValidated(files[i], output, o);
            return new MelBatchItem(files[i], output, o.SaveNpy ? Path.ChangeExtension(output, ".npy") : null, db.DurationSeconds, db.Frames, null, sw.Elapsed,
                MelImage.HasNoSignal(db) ? MelImage.SilentAudioWarning : null);
        }, (i, error, elapsed) => new MelBatchItem(files[i], null, null, 0, 0, error, elapsed), (_, item) => progress?.Report(item), cancellationToken) with { Replaced = replaced };
    }
}
