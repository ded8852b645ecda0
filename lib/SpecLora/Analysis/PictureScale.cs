using System.Globalization;
using System.Text.Json.Serialization;
using SpecLora.Spectrograms;

namespace SpecLora.Analysis;

/// <summary>
/// The time scale a picture is drawn at, and whether its columns can show rhythm. makeMels draws a whole piece into 640
/// columns, so a column of a training mel or of the LoRA's results stands for 10–60 STFT frames (0.25–1.4 s): onsets
/// and beats at hop 512 cannot be seen there, and the analysis says so instead of printing a tempo. Rhythm is read only
/// where the picture says how long it is (its metadata, or a duration or frame count given) and a column stands for at
/// most <see cref="MaxRhythmFramesPerColumn"/> frames.
/// </summary>
/// <param name="Columns">Picture width in pixels.</param>
/// <param name="FramesPerColumn">STFT frames per column when the time axis is known; null when it is assumed.</param>
/// <param name="SecondsPerColumn">Seconds per column when known; null when assumed.</param>
/// <param name="TimeAxis">Where the time axis came from: metadata, frames, duration, framespercolumn or assumed.</param>
/// <param name="RhythmMeasurable">True when tempo, beats, onsets and pulse clarity are measured.</param>
/// <param name="RhythmNote">Why rhythm is not measured (with the threshold), or null.</param>
public sealed record PictureScale(
    [property: JsonPropertyName("columns")] int Columns,
    [property: JsonPropertyName("frames_per_column")] double? FramesPerColumn,
    [property: JsonPropertyName("seconds_per_column")] double? SecondsPerColumn,
    [property: JsonPropertyName("time_axis")] string TimeAxis,
    [property: JsonPropertyName("rhythm_measurable")] bool RhythmMeasurable,
    [property: JsonPropertyName("rhythm_note")] string? RhythmNote)
{
    /// <summary>The most STFT frames per column at which onsets and beats are still measured: 2 (a column every 46 ms at
    /// 22050 Hz, hop 512). The onset envelope is librosa's frame-to-frame flux; with k frames per column it sees one
    /// change in k, so at k = 2 a note 93 ms long (a sixteenth at 160 BPM) still spans two columns, and the fastest tempo
    /// the tempogram reads, 320 BPM (16 frames a beat), spans 8. At 4 frames per column (the default assumed for a
    /// picture without metadata) a sixteenth at 120 BPM falls between columns; the seed's training mels hold 10–60.
    /// Measured on our corpus clips drawn at 1, 2, 4 and 8 frames per column: see lib/SpecLora/Analysis/README.md.</summary>
    public const double MaxRhythmFramesPerColumn = 2;

    /// <summary>Null when rhythm can be measured on <paramref name="axis"/>, else the sentence saying why not, with the
    /// threshold.</summary>
    /// <example>
    /// <code>
    /// var axis = SpectrogramImageDecoder.Decode("fur-elise-theme.png").Axis!;   // our PNG: its own time axis
    /// Console.WriteLine(PictureScale.RhythmNotMeasurable(axis) ?? "rhythm measurable");
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static string? RhythmNotMeasurable(FrameAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        if (axis.Source == FrameAxisSource.Assumed)
            return "not measurable at this scale: the picture does not say how long it is (no metadata, no --duration), so its "
                + $"columns' spacing in time is unknown; onsets and beats need at most {MaxRhythmFramesPerColumn:0} STFT frames per column";
        if (axis.FramesPerColumn > MaxRhythmFramesPerColumn)
            return string.Create(CultureInfo.InvariantCulture,
                $"not measurable at this scale: a column stands for {axis.FramesPerColumn:0.#} STFT frames ({axis.SecondsPerColumn:0.00} s); onsets and beats need at most {MaxRhythmFramesPerColumn:0} frames ({MaxRhythmFramesPerColumn * axis.HopLength / axis.SampleRate * 1000:0} ms) per column");
        return null;
    }
}
