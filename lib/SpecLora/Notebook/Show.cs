using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Notebook;

/// <summary>
/// The one-liners notebooks use to show things. Each returns a view with <c>ToHtml()</c>; end a cell with it, or pass
/// it to <c>display(…)</c>. All HTML is self-contained (data URIs, inline SVG, no scripts).
/// </summary>
/// <example>
/// <code>
/// Show.Audio(clip, "original");                       // player + waveform, levels as they are
/// Show.Spectrogram(png, SpectrogramAxes.For(mel));    // picture with time/Hz axes and dB bar
/// Show.Chart(xsHz, mels, "Mel scale", "Hz", "mel");   // SVG line chart
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public static class Show
{
    /// <summary>A player with waveform; <paramref name="normalize"/> false keeps levels honest.</summary>
    /// <example>
    /// <code>
    /// Show.Audio(clip, "original");   // a player with its waveform, at the clip's own level
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static AudioView Audio(AudioClip clip, string? caption = null, bool normalize = false) => new(clip, caption, normalize);

    /// <summary>A player for raw samples at <paramref name="sampleRate"/> Hz.</summary>
    public static AudioView Audio(float[] samples, int sampleRate, string? caption = null, bool normalize = false)
        => new(new AudioClip(samples, sampleRate), caption, normalize);

    /// <summary>A PNG spectrogram picture framed by axes and a dB colour bar.</summary>
    public static SpectrogramView Spectrogram(byte[] png, SpectrogramAxes axes, string? caption = null) => new(png, axes, caption);

    /// <summary>A grayscale preview of a spectrogram's values with axes (dB over <paramref name="topDb"/>).</summary>
    /// <example>
    /// <code>
    /// Show.Spectrogram(Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels), "mel (dB, ref = max)");
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static SpectrogramView Spectrogram(Spectrogram spectrogram, string? caption = null, double topDb = 80)
        => SpectrogramView.FromSpectrogram(spectrogram, caption, topDb);

    /// <summary>Rows of image | player | metrics.</summary>
    /// <example>
    /// <code>
    /// Show.Grid(rows, "Image | reconstruction | numbers");   // rows: new GridRow(label, image, player, metrics)
    /// </code>
    /// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
    /// </example>
    public static SideBySide Grid(IEnumerable<GridRow> rows, string? title = null) => new(rows, title);

    /// <summary>Rows of image | player | metrics.</summary>
    public static SideBySide Grid(params GridRow[] rows) => new(rows);

    /// <summary>Views side by side on one line (they wrap only on a page too narrow for them); text in a row wraps
    /// within its own column.</summary>
    /// <example>
    /// <code>
    /// Show.Row(Show.Spectrogram(melDb, "Für Elise (mel, dB)"), Show.Audio(clip, "original"));
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static HtmlRow Row(params IHtmlView[] items) => new(items);

    /// <summary>A line chart of y against x.</summary>
    /// <example>
    /// <code>
    /// var hz = Enumerable.Range(0, 221).Select(i =&gt; i * 50.0).ToArray();
    /// Show.Chart(hz, hz.Select(f =&gt; MelFilterBank.HzToMel(f)).ToArray(), "Slaney mel scale", "frequency (Hz)", "mel");
    /// Show.Chart("Onset strength and beats", "time (s)", "dB").Add("onset strength", time, env).Add("beats", beatX, beatY);
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static LineChart Chart(double[] x, double[] y, string? title = null, string? xLabel = null, string? yLabel = null)
        => new LineChart { Title = title, XLabel = xLabel, YLabel = yLabel }.Add("", x, y);

    /// <summary>A line chart of samples against time in seconds (a waveform, a window).</summary>
    public static LineChart Chart(float[] y, int sampleRate, string? title = null, string? yLabel = null)
        => new LineChart { Title = title, XLabel = "Time (s)", YLabel = yLabel }.Add("", y, sampleRate);

    /// <summary>An empty chart to add several named series to with <see cref="LineChart.Add(string, double[], double[])"/>.</summary>
    public static LineChart Chart(string? title = null, string? xLabel = null, string? yLabel = null)
        => new() { Title = title, XLabel = xLabel, YLabel = yLabel };

    /// <summary>The mel filterbank's triangles over frequency.</summary>
    /// <example>
    /// <code>
    /// Show.Filterbank(new MelOptions(), every: 8, maxHz: 11025);   // every 8th triangle
    /// </code>
    /// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
    /// </example>
    public static FilterbankChart Filterbank(MelOptions? options = null, int every = 1, double? maxHz = null) => new(options, every, maxHz);

    /// <summary>Progress for a long cell; dispose it when done.</summary>
    /// <example>
    /// <code>
    /// var progress = Show.Progress("reconstructing", paths.Count);
    /// foreach (var path in paths) { ImageInversion.FromImage(SpectrogramImageDecoder.Decode(path)); progress.Increment(); }
    /// progress.Complete();
    /// </code>
    /// Notebook: <c>notebooks/06-listen-side-by-side.ipynb</c>.
    /// </example>
    public static ProgressView Progress(string label, int total) => new(label, total);

    /// <summary>A picture from encoded bytes (PNG, JPEG, …).</summary>
    public static ImageView Image(byte[] bytes, string? caption = null, int? maxWidth = null) => new(bytes, caption, maxWidth);

    /// <summary>A picture file (relative paths are relative to the notebook's folder).</summary>
    /// <example>
    /// <code>
    /// Show.Image("../results/02-make-spectrograms/fur-elise-theme.jpg", "our makeMels JPEG", maxWidth: 400);
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static ImageView Image(string path, string? caption = null, int? maxWidth = null) => ImageView.FromFile(path, caption, maxWidth);

    /// <summary>A rendered RGBA picture (e.g. from <see cref="SpecLora.Imaging.SpectrogramRenderer.Render"/>).</summary>
    public static ImageView Image(SpecLora.Imaging.RgbaImage image, string? caption = null, int? maxWidth = null) => ImageView.FromRgba(image, caption, maxWidth);

    /// <summary>Several views that wrap over lines (a gallery of pictures).</summary>
    /// <example>
    /// <code>
    /// Show.Gallery(paths.Select(p =&gt; Show.Image(p, Path.GetFileName(p), maxWidth: 320)));
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static HtmlRow Gallery(IEnumerable<IHtmlView> items) => new(items, gallery: true);

    /// <summary>A table with one row per item and one column per public property.</summary>
    /// <example>
    /// <code>
    /// Show.Table(ReadmeSettings.All.Select(s =&gt; new { s.Number, s.Prompt, Guidance = s.GuidanceScale, Steps = s.NumInferenceSteps }));
    /// </code>
    /// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
    /// </example>
    public static TableView Table<T>(IEnumerable<T> items) => TableView.From(items);

    /// <summary>A name/value table (e.g. metrics).</summary>
    public static TableView Metrics(IEnumerable<KeyValuePair<string, object>> values) => TableView.FromPairs(values);

    /// <summary>A paragraph of text.</summary>
    /// <example>
    /// <code>
    /// Show.Row(Show.Text($"Setting {s.Number}: “{s.Prompt}”"), Show.Image(path, "recorded original", maxWidth: 256));
    /// </code>
    /// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
    /// </example>
    public static TextView Text(string text) => new(text);

    /// <summary>A boxed sentence for the reader (e.g. why the original images are missing); long words wrap in the box.</summary>
    /// <example>
    /// <code>
    /// try { await SeedData.EnsureAsync("../data/seed"); }
    /// catch (SeedDataUnavailableException e) { display(Show.Notice(e.Message)); }
    /// </code>
    /// Notebook: <c>notebooks/02-make-spectrograms.ipynb</c>.
    /// </example>
    public static NoticeView Notice(string text) => new(text);

    /// <summary>What a section would show with the original project's images, in one boxed sentence: "Without the
    /// original project's images this section would show <paramref name="wouldShow"/>."</summary>
    /// <example>
    /// <code>
    /// if (available.Count == 0) display(Show.WithoutOriginalImages("the seven recorded results, one per setting"));
    /// </code>
    /// Notebook: <c>notebooks/04-generate-at-readme-settings.ipynb</c>.
    /// </example>
    public static NoticeView WithoutOriginalImages(string wouldShow) => NoticeView.WithoutOriginalImages(wouldShow);
}
