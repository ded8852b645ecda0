namespace SpecLora.Spectrograms;

/// <summary>Where a <see cref="FrameAxis"/> came from.</summary>
public enum FrameAxisSource
{
    /// <summary>The picture's own metadata (our PNGs): its true frame count and duration.</summary>
    Metadata,
    /// <summary>A frame count given by the caller (<c>--frames</c>, librosa's <c>S.shape[1]</c>).</summary>
    Frames,
    /// <summary>A duration given by the caller (<c>--duration</c>): librosa's frame count for it.</summary>
    Duration,
    /// <summary>Frames per column given by the caller (<c>-k</c>).</summary>
    FramesPerColumn,
    /// <summary>Nothing was known: the default frames per column was assumed, so the length is a guess.</summary>
    Assumed,
}

/// <summary>
/// The time axis of a picture (or of any mel with fewer columns than STFT frames): <see cref="Frames"/> STFT frames
/// drawn into <see cref="Columns"/> columns, column c showing frame ⌊(c + 0.5)·T/W⌋ — the pixel rule of librosa's
/// <c>specshow</c>, verified on every pixel of the golden PNGs. One type for the decoder, the inversion, the analysis
/// and the metrics, and the one home of the memory limit (<see cref="MaxCoefficients"/>).
/// </summary>
/// <example>
/// <code>
/// var axis = FrameAxis.ForDuration(columns: 640, seconds: 30);   // 1292 frames, 2.02 per column
/// int shown = axis.FrameOf(0);                                     // 1
/// </code>
/// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c> (§ the time axis).
/// </example>
public sealed record FrameAxis
{
    /// <summary>The one memory limit of every job over a time axis: at most 100 million STFT coefficients
    /// (frames × (n_fft/2 + 1)) are worked on at once. The inversion holds about 24 bytes per coefficient (magnitude, two
    /// complex spectrograms, the mel target, the phase), so this is ≈ 2.4 GB; at the defaults (n_fft 2048) it is
    /// 97,560 frames, 37.8 minutes of audio.</summary>
    public const long MaxCoefficients = 100_000_000;

    /// <summary>Working memory per STFT coefficient (bytes) that <see cref="MaxCoefficients"/> allows for.</summary>
    internal const long BytesPerCoefficient = 24;

    /// <summary>Number of columns (pixel columns of a picture, or mel columns).</summary>
    public int Columns { get; }
    /// <summary>Number of STFT frames T of the audio drawn (librosa <c>S.shape[1]</c>).</summary>
    public int Frames { get; }
    /// <summary>The audio length in samples when known exactly (metadata, a given duration); null = hop·(T−1).</summary>
    public int? Samples { get; }
    /// <summary>Sample rate in Hz.</summary>
    public int SampleRate { get; }
    /// <summary>Hop in samples.</summary>
    public int HopLength { get; }
    /// <summary>Where the frame count came from.</summary>
    public FrameAxisSource Source { get; }

    private FrameAxis(int columns, int frames, int? samples, int sampleRate, int hopLength, FrameAxisSource source)
    {
        var errors = new List<string>();
        if (columns <= 0) errors.Add($"columns={columns} must be > 0");
        if (frames <= 0) errors.Add($"frames={frames} must be > 0");
        if (samples is < 0) errors.Add($"samples={samples} must be ≥ 0");
        if (sampleRate <= 0) errors.Add($"sampleRate={sampleRate} must be > 0");
        if (hopLength <= 0) errors.Add($"hopLength={hopLength} must be > 0");
        if (errors.Count > 0) throw new ArgumentOutOfRangeException(null, "Invalid time axis: " + string.Join("; ", errors));
        Columns = columns; Frames = frames; Samples = samples; SampleRate = sampleRate; HopLength = hopLength; Source = source;
    }

    /// <summary>An axis of <paramref name="frames"/> STFT frames in <paramref name="columns"/> columns.</summary>
    /// <param name="columns">Columns of the picture or mel.</param>
    /// <param name="frames">The true frame count T.</param>
    /// <param name="sampleRate">Hz.</param>
    /// <param name="hopLength">Samples.</param>
    /// <param name="samples">The audio length when known exactly.</param>
    /// <param name="source">Where the count came from (default <see cref="FrameAxisSource.Frames"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count ≤ 0 (every bad value is quoted).</exception>
    /// <example>
    /// <code>
    /// var axis = FrameAxis.ForFrames(columns: 640, frames: 420);   // 420 frames (9.73 s) in 640 columns, 0.66 per column
    /// int[] shows = axis.ColumnFrames();                            // column c shows frame ⌊(c + 0.5)·420/640⌋
    /// </code>
    /// Notebook: <c>notebooks/05-spectrogram-to-audio.ipynb</c>.
    /// </example>
    public static FrameAxis ForFrames(int columns, int frames, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength,
        int? samples = null, FrameAxisSource source = FrameAxisSource.Frames) => new(columns, frames, samples, sampleRate, hopLength, source);

    /// <summary>The axis of <paramref name="seconds"/> of audio in <paramref name="columns"/> columns: librosa's frame
    /// count for round(d·sr) samples (<see cref="FramesForDuration"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration ≤ 0, not finite or over 24 h, or a count ≤ 0.</exception>
    public static FrameAxis ForDuration(int columns, double seconds, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength)
    {
        int frames = FramesForDuration(seconds, sampleRate, hopLength);
        return new(columns, frames, (int)Math.Min(int.MaxValue, Math.Round(seconds * sampleRate)), sampleRate, hopLength, FrameAxisSource.Duration);
    }

    /// <summary>The axis of <paramref name="framesPerColumn"/> frames per column (k·W frames); <paramref name="assumed"/>
    /// marks a default chosen because nothing was known.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k ≤ 0, W ≤ 0, or more than <see cref="int.MaxValue"/> frames.</exception>
    /// <example>
    /// <code>
    /// var unknown = FrameAxis.ForFramesPerColumn(640, InversionOptions.DefaultFramesPerColumn, assumed: true);   // a makeMels JPEG
    /// Console.WriteLine(unknown.Describe());   // 2560 frames (59.42 s) in 640 columns, 4 per column, assumed: …
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static FrameAxis ForFramesPerColumn(int columns, int framesPerColumn, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength,
        bool assumed = false)
    {
        if (framesPerColumn <= 0) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"framesPerColumn={framesPerColumn} must be > 0");
        long t = (long)Math.Max(columns, 0) * framesPerColumn;
        if (t > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(framesPerColumn), framesPerColumn, $"{columns} columns × {framesPerColumn} frames per column is {t:N0} frames; at most {int.MaxValue:N0}");
        return new(columns, (int)t, null, sampleRate, hopLength, assumed ? FrameAxisSource.Assumed : FrameAxisSource.FramesPerColumn);
    }

    /// <summary>librosa's frame count for <paramref name="seconds"/> of audio: a centred STFT of n = round(d·sr) samples
    /// has 1 + ⌊n/hop⌋ frames (30 s at 22050 Hz, hop 512 → 1292).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration ≤ 0, not finite or longer than 24 h; a rate or hop ≤ 0.</exception>
    public static int FramesForDuration(double seconds, int sampleRate = LibrosaDefaults.SampleRate, int hopLength = LibrosaDefaults.HopLength)
    {
        var errors = new List<string>();
        if (!(seconds > 0) || !double.IsFinite(seconds) || seconds > 86400) errors.Add($"seconds={seconds} must be > 0 and ≤ 86400");
        if (sampleRate <= 0) errors.Add($"sampleRate={sampleRate} must be > 0");
        if (hopLength <= 0) errors.Add($"hopLength={hopLength} must be > 0");
        if (errors.Count > 0) throw new ArgumentOutOfRangeException(null, "Invalid duration: " + string.Join("; ", errors));
        long n = (long)Math.Round(seconds * sampleRate);
        return (int)Math.Min(int.MaxValue, 1 + n / hopLength);
    }

    /// <summary>Frames per column, T/W (the seed's training mels: 10–60; our 640-column clip pictures: below 1).</summary>
    public double FramesPerColumn => (double)Frames / Columns;

    /// <summary>Seconds of audio per column.</summary>
    public double SecondsPerColumn => FramesPerColumn * HopLength / SampleRate;

    /// <summary>The audio length in seconds: <see cref="Samples"/>/sr when known, else hop·(T−1)/sr (librosa's
    /// <c>istft</c> length for T frames).</summary>
    public double DurationSeconds => (Samples ?? (double)HopLength * (Frames - 1)) / SampleRate;

    /// <summary>The frame column <paramref name="column"/> shows: ⌊(c + 0.5)·T/W⌋, in exact integer arithmetic.</summary>
    public int FrameOf(int column) => (int)Math.Min(Frames - 1, (2L * column + 1) * Frames / (2L * Columns));

    /// <summary>For each column, the frame it shows (non-decreasing).</summary>
    public int[] ColumnFrames()
    {
        var f = new int[Columns];
        for (int c = 0; c < Columns; c++) f[c] = FrameOf(c);
        return f;
    }

    /// <summary>The distinct frames the columns show, ascending (fewer than <see cref="Columns"/> when T &lt; W).</summary>
    public int[] ShownFrames()
    {
        var shown = new List<int>(Math.Min(Columns, Frames));
        for (int c = 0; c < Columns; c++) { int f = FrameOf(c); if (shown.Count == 0 || shown[^1] != f) shown.Add(f); }
        return [.. shown];
    }

    /// <summary>The columns of <paramref name="s"/> [bins × W] that show one frame of this axis averaged
    /// into one (in double precision): one column per distinct frame, <paramref name="frames"/> ascending. Returns
    /// <paramref name="s"/> itself when every column shows its own frame.</summary>
    internal Spectrogram Collapse(Spectrogram s, out int[] frames)
    {
        if (Columns != s.Frames) throw new ArgumentException($"the axis has {Columns} columns, the spectrogram {s.Frames}", nameof(s));
        var columnFrames = ColumnFrames();
        int w = s.Frames, bins = s.Bins, n = 0;
        for (int c = 0; c < w; c++) if (c == 0 || columnFrames[c] != columnFrames[c - 1]) n++;
        frames = new int[n];
        if (n == w) { columnFrames.CopyTo(frames, 0); return s; }
        var start = new int[n + 1];
        for (int c = 0, j = -1; c < w; c++)
            if (c == 0 || columnFrames[c] != columnFrames[c - 1]) { frames[++j] = columnFrames[c]; start[j] = c; }
        start[n] = w;
        var data = new float[bins * n];
        for (int b = 0; b < bins; b++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int c = start[j]; c < start[j + 1]; c++) sum += s.Data[b * w + c];
                data[b * n + j] = (float)(sum / (start[j + 1] - start[j]));
            }
        return s with { Data = data, Frames = n };
    }

    /// <summary>The largest frame count a job over STFTs of <paramref name="nFft"/> points may work on
    /// (<see cref="MaxCoefficients"/> / (n_fft/2 + 1)).</summary>
    public static int MaxFrames(int nFft) => (int)(MaxCoefficients / (nFft / 2 + 1));

    /// <summary>Null when this axis fits <see cref="MaxCoefficients"/> for STFTs of <paramref name="nFft"/> points, else the
    /// sentence saying how large it is and what to lower.</summary>
    public string? TooLarge(int nFft) => TooLarge(Frames, nFft, SampleRate, HopLength);

    /// <summary><see cref="TooLarge(int)"/> for a bare frame count.</summary>
    internal static string? TooLarge(long frames, int nFft, int sampleRate, int hopLength)
    {
        long bins = nFft / 2 + 1, max = MaxFrames(nFft);
        if (frames <= max) return null;
        double seconds = (double)(frames - 1) * hopLength / sampleRate, maxMinutes = (double)(max - 1) * hopLength / sampleRate / 60;
        return $"{frames:N0} frames ({seconds:N0} s of audio) need {frames * bins * BytesPerCoefficient / 1e9:N1} GB of working memory; "
            + $"at most {max:N0} frames ({maxMinutes:N1} min) are worked on at once. Lower the frames per column (-k), the duration (--duration) or the frame count (--frames), or invert the audio in pieces";
    }

    /// <summary>A sentence for people: "1292 frames (30.00 s) in 640 columns, 2.02 per column, from the duration given".</summary>
    public string Describe()
    {
        string from = Source switch
        {
            FrameAxisSource.Metadata => "from the picture's metadata",
            FrameAxisSource.Frames => "from the frame count given",
            FrameAxisSource.Duration => "from the duration given",
            FrameAxisSource.FramesPerColumn => "at the frames per column given",
            _ => "assumed: the picture does not say how long it is, so the length is a guess (give the duration or the frames per column)",
        };
        return $"{Frames} frames ({DurationSeconds:0.00} s) in {Columns} columns, {FramesPerColumn:0.##} per column, {from}";
    }
}
