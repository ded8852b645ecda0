using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.IO;
using SpecLora.Spectrograms;

namespace SpecLora.Jobs;

/// <summary>Settings of an audio → picture → audio round trip (<c>speclora roundtrip</c>).</summary>
public sealed record RoundTripOptions
{
    /// <summary>The picture format. Default PNG (exact, with metadata); JPEG is what makeMels.py writes (no
    /// metadata: the length is then taken from the audio).</summary>
    public MelImageFormat Format { get; init; } = MelImageFormat.Png;
    /// <summary>Also run <see cref="InversionOptions.LibrosaBaseline"/> (pinv + Griffin-Lim 32 from random phase).</summary>
    public bool Baseline { get; init; }
    /// <summary>Read at most this many seconds of each file (librosa <c>duration</c>); null = all.</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>Our inversion. The metrics are taken at the reconstruction's true level (its
    /// <see cref="InversionOptions.PeakDbfs"/> applies only to the WAVs written).</summary>
    public InversionOptions Inversion { get; init; } = new();
    /// <summary>Replace files that already exist in the output folder (<c>--overwrite</c>). Default false: they are
    /// refused before any work (<see cref="Batch.CheckOutputs"/>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>Validates (an <see cref="ArgumentException"/> quoting the bad value).</summary>
    public RoundTripOptions Validate()
    {
        var p = new Problems();
        p.Check(!Enum.IsDefined(Format), $"Format={Format} is not a picture format");
        p.Nested(Inversion, nameof(Inversion), () => Inversion.Validate());
        p.Nested(Inversion, nameof(Inversion), () => new AudioLoadOptions { SampleRate = Inversion.Mel.SampleRate, DurationSeconds = DurationSeconds }.Validate());
        p.ThrowIfAny("Invalid round-trip options");
        return this;
    }
}

/// <summary>One inversion of the round trip's picture, measured against the original.</summary>
/// <param name="Method">"ours (…)" or "librosa-style (…)".</param>
/// <param name="AudioSeconds">Length of the reconstruction.</param>
/// <param name="Metrics">SC, LSD, mel-SC, … against the original (specs/metrics.md).</param>
/// <param name="ConsistencyDb">Image consistency of the reconstruction against the decoded picture (dB).</param>
/// <param name="Wav">The WAV written (peak-normalised), or null when no output folder was given.</param>
public sealed record RoundTripRun(string Method, double AudioSeconds, InversionMetrics Metrics, double ConsistencyDb, string? Wav);

/// <summary>The outcome for one audio file.</summary>
/// <param name="Input">The audio file.</param>
/// <param name="Output">The picture written (in a temporary folder when no output folder was given), or null.</param>
/// <param name="Error">What went wrong (one sentence naming the file), or null.</param>
/// <param name="Elapsed">Wall time for this file.</param>
public sealed record RoundTripItem(string Input, string? Output, string? Error, TimeSpan Elapsed) : IBatchItem
{
    /// <summary>Ours first, then the baseline when asked for; empty on failure.</summary>
    public IReadOnlyList<RoundTripRun> Runs { get; init; } = [];
}

/// <summary>
/// Audio → mel picture (exactly as <see cref="MelBatch"/> draws it) → decoded → audio, with the metrics of
/// specs/metrics.md against the original, for ours and optionally the librosa-style baseline.
/// </summary>
/// <remarks>Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>; CLI: <c>speclora roundtrip</c>.</remarks>
public static class RoundTrip
{
    /// <summary>Round-trips one file: the picture goes to <paramref name="picturePath"/> (PNG or JPEG by
    /// <see cref="RoundTripOptions.Format"/>; give the matching extension), the WAVs beside it when
    /// <paramref name="writeWavs"/> (stem.wav, stem-baseline.wav). Throws on bad input.</summary>
    public static RoundTripItem ProcessFile(string input, string picturePath, RoundTripOptions? options = null, bool writeWavs = true,
        CancellationToken cancellationToken = default)
        => ProcessValidated(input, picturePath, (options ?? new RoundTripOptions()).Validate(), writeWavs, cancellationToken);

    /// <summary><see cref="ProcessFile"/> with options already validated (once per job).</summary>
    private static RoundTripItem ProcessValidated(string input, string picturePath, RoundTripOptions o, bool writeWavs, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        var clip = AudioLoader.Load(input, new AudioLoadOptions { SampleRate = o.Inversion.Mel.SampleRate, DurationSeconds = o.DurationSeconds });
        var picture = MelBatch.DrawValidated(clip, picturePath, new MelBatchOptions { Format = o.Format, Mel = o.Inversion.Mel });
        var decoded = SpectrogramImageDecoder.Decode(picturePath);
        var ours = o.Inversion with
        {
            DurationSeconds = decoded.Metadata is null ? clip.DurationSeconds : null,
            ReferencePower = (float)(picture.Metadata.ReferencePower ?? o.Inversion.ReferencePower),
            PeakDbfs = null,
        };
        var runs = new List<(string Name, string Suffix, InversionOptions Options)> { ($"ours (NNLS + PGHI + FGLA{ImageInversion.Plan(decoded, ours).Iterations})", "", ours) };
        if (o.Baseline)
            runs.Add(("librosa-style (pinv + griffinlim 32)", BaselineSuffix, InversionOptions.LibrosaBaseline with
            {
                DurationSeconds = ours.DurationSeconds, ReferencePower = ours.ReferencePower, PeakDbfs = null, Mel = ours.Mel,
            }));
        var results = new List<RoundTripRun>();
        foreach (var (name, suffix, inversion) in runs)
        {
            var audio = ImageInversion.FromImage(decoded, inversion, true, null, cancellationToken);
            string? wav = null;
            if (writeWavs)
            {
                wav = WavPath(picturePath, suffix);
                var samples = (float[])audio.Samples.Clone();
                MelInverter.Finish(samples, o.Inversion.PeakDbfs);
                Batch.WriteOutput(wav, () => WavFile.Write(wav!, audio with { Samples = samples }));
            }
            results.Add(new RoundTripRun(name, audio.DurationSeconds, QualityMetrics.Compare(clip, audio, ours.Mel),
                QualityMetrics.ImageConsistency(decoded.Db, audio, ours.Mel), wav));
        }
        return new RoundTripItem(input, picturePath, null, sw.Elapsed) { Runs = results };
    }

    private const string BaselineSuffix = "-baseline";

    /// <summary>The WAV written beside a round trip's picture: stem.wav, or stem-baseline.wav.</summary>
    private static string WavPath(string picturePath, string suffix) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(picturePath))!, Path.GetFileNameWithoutExtension(picturePath) + suffix + ".wav");

    /// <summary>Round-trips every input (files or folders of audio), one after the other. With
    /// <paramref name="outputDirectory"/> the pictures and WAVs are kept there; without, the pictures go to a
    /// temporary folder that is deleted at the end and no WAV is written.</summary>
    /// <exception cref="OutputFolderException"><paramref name="outputDirectory"/> cannot hold the files.</exception>
    /// <exception cref="OutputConflictException">A picture or WAV would be written over an input or an existing file
    /// (without <see cref="RoundTripOptions.Overwrite"/>): checked before any audio is read.</exception>
    /// <exception cref="BatchInterruptedException">Cancelled: says which files were finished and which were not.</exception>
    public static BatchResult<RoundTripItem> Run(IEnumerable<string> inputs, string? outputDirectory, RoundTripOptions? options = null,
        IProgress<RoundTripItem>? progress = null, CancellationToken cancellationToken = default)
    {
        if (outputDirectory is not null) Batch.CheckOutputFolder(outputDirectory);
        var o = (options ?? new RoundTripOptions()).Validate();
        var files = MelBatch.ExpandInputs(inputs);
        var names = MelBatch.OutputNames(files, new MelBatchOptions { Format = o.Format });
        IReadOnlyList<string> replaced = [];
        if (outputDirectory is not null)
        {
            var outputs = new List<string>();
            foreach (var name in names)
            {
                var picture = Path.Combine(outputDirectory, name);
                outputs.Add(picture);
                outputs.Add(WavPath(picture, ""));
                if (o.Baseline) outputs.Add(WavPath(picture, BaselineSuffix));
            }
            replaced = Batch.CheckOutputs(files, outputs, o.Overwrite);
        }
        var dir = outputDirectory ?? Directory.CreateTempSubdirectory("speclora-roundtrip-").FullName;
        try
        {
            return Batch.Run(files, 1, i => ProcessValidated(files[i], Path.Combine(dir, names[i]), o, outputDirectory is not null, cancellationToken),
                (i, error, elapsed) => new RoundTripItem(files[i], null, error, elapsed), (_, item) => progress?.Report(item), cancellationToken) with { Replaced = replaced };
        }
        finally
        {
            if (outputDirectory is null) try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
