using System.Buffers.Binary;
using System.Text;
using SkiaSharp;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Notebook;

/// <summary>What the pixels of a spectrogram picture mean: the time span, the frequency range and spacing, and the dB
/// range with its colours. Used by <see cref="SpectrogramView"/> to draw axes and a colour bar around the image.</summary>
public sealed record SpectrogramAxes
{
    /// <summary>Time covered from the left edge to the right edge, in seconds.</summary>
    public double DurationSeconds { get; init; }
    /// <summary>Frequency of the bottom edge in Hz (librosa <c>fmin</c>).</summary>
    public double FMinHz { get; init; }
    /// <summary>Frequency of the top edge in Hz (librosa <c>fmax</c>, sr/2 by default).</summary>
    public double FMaxHz { get; init; } = LibrosaDefaults.SampleRate / 2.0;
    /// <summary>How rows are spaced: <see cref="FrequencyAxis.Mel"/> (ticks placed on the mel scale) or linear.</summary>
    public FrequencyAxis Axis { get; init; } = FrequencyAxis.Mel;
    /// <summary>Mel formula for tick placement: HTK when true, Slaney (librosa default) when false.</summary>
    public bool Htk { get; init; }
    /// <summary>dB value of the lowest colour.</summary>
    public double DbMin { get; init; } = -80;
    /// <summary>dB value of the highest colour.</summary>
    public double DbMax { get; init; }
    /// <summary>Colours from low to high as 0xRRGGBB (e.g. magma's 256 entries); null = grayscale.</summary>
    public IReadOnlyList<uint>? Colormap { get; init; }

    /// <summary>Axes of a spectrogram's own grid (duration hop·frames/sr, 0..sr/2, its axis kind).</summary>
    public static SpectrogramAxes For(Spectrogram spectrogram, double dbMin = -80, double dbMax = 0)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        return new SpectrogramAxes
        {
            DurationSeconds = (double)spectrogram.HopLength * spectrogram.Frames / spectrogram.SampleRate,
            FMinHz = 0,
            FMaxHz = spectrogram.SampleRate / 2.0,
            Axis = spectrogram.Axis,
            DbMin = dbMin,
            DbMax = dbMax,
        };
    }

    internal uint ColorAt(double fraction)
    {
        fraction = Math.Clamp(fraction, 0, 1);
        if (Colormap is { Count: > 0 } map) return map[(int)Math.Round(fraction * (map.Count - 1))];
        var g = (uint)Math.Round(fraction * 255);
        return (g << 16) | (g << 8) | g;
    }
}

/// <summary>
/// A spectrogram picture (PNG, shown at its natural size) framed by a time axis in seconds, a frequency axis in Hz
/// (mel-spaced ticks for mel rows) and a dB colour bar. The PNG sits in an <c>&lt;img&gt;</c> over an inline SVG.
/// </summary>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class SpectrogramView : IHtmlView
{
    private const int Left = 58, Top = 8, Bottom = 40, Right = 74;

    /// <summary>The PNG bytes as given.</summary>
    public byte[] Png { get; }
    /// <summary>What the pixels mean.</summary>
    public SpectrogramAxes Axes { get; }
    /// <summary>Caption under the picture (may be null).</summary>
    public string? Caption { get; }
    /// <summary>PNG width in pixels (from its header).</summary>
    public int PixelWidth { get; }
    /// <summary>PNG height in pixels (from its header).</summary>
    public int PixelHeight { get; }
    /// <summary>Displayed width in CSS pixels.</summary>
    public int DisplayWidth { get; }
    /// <summary>Displayed height in CSS pixels.</summary>
    public int DisplayHeight { get; }

    /// <summary>Frames a PNG picture with axes.</summary>
    /// <param name="png">PNG file bytes; low frequencies at the bottom, time left to right.</param>
    /// <param name="axes">What the pixels mean.</param>
    /// <param name="caption">Text under the picture.</param>
    /// <param name="displayWidth">Displayed width; null = natural width (small pictures are enlarged to 480).</param>
    /// <param name="displayHeight">Displayed height; null = natural height (small pictures are enlarged to 256).</param>
    /// <exception cref="ArgumentException">The bytes are not a PNG.</exception>
    public SpectrogramView(byte[] png, SpectrogramAxes axes, string? caption = null, int? displayWidth = null, int? displayHeight = null)
    {
        ArgumentNullException.ThrowIfNull(png);
        ArgumentNullException.ThrowIfNull(axes);
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(signature))
            throw new ArgumentException($"expected PNG bytes (got {png.Length} bytes without the PNG signature); encode the image as PNG first", nameof(png));
        Png = png;
        Axes = axes;
        Caption = caption;
        PixelWidth = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        PixelHeight = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        DisplayWidth = displayWidth ?? (PixelWidth < 400 ? 480 : PixelWidth);
        DisplayHeight = displayHeight ?? (PixelHeight < 200 ? 256 : PixelHeight);
        if (DisplayWidth <= 0) throw new ArgumentOutOfRangeException(nameof(displayWidth), displayWidth, "displayWidth must be > 0");
        if (DisplayHeight <= 0) throw new ArgumentOutOfRangeException(nameof(displayHeight), displayHeight, "displayHeight must be > 0");
    }

    /// <summary>
    /// Renders a spectrogram in magma with axes (dB; power and magnitude are converted with ref = max and shown over
    /// <paramref name="topDb"/> below their maximum), point-sampled like specshow, low frequencies at the bottom.
    /// </summary>
    /// <remarks>Drawn by <see cref="SpectrogramRenderer"/> at a readable size (320–800 px wide); the makeMels-exact
    /// 640×480 picture is <see cref="MelImage.Save"/>'s.</remarks>
    public static SpectrogramView FromSpectrogram(Spectrogram spectrogram, string? caption = null, double topDb = 80)
    {
        ArgumentNullException.ThrowIfNull(spectrogram);
        if (!(topDb > 0)) throw new ArgumentOutOfRangeException(nameof(topDb), topDb, $"topDb={topDb} must be > 0");
        var db = spectrogram.Scale switch
        {
            SpectrogramScale.Power => Decibels.PowerToDb(spectrogram, new DbOptions { RefIsMax = true, TopDb = (float)topDb }),
            SpectrogramScale.Magnitude => Decibels.PowerToDb(Square(spectrogram), new DbOptions { RefIsMax = true, TopDb = (float)topDb }),
            _ => spectrogram,
        };
        var (vmin, vmax) = SpectrogramRenderer.ResolveRange(db);
        // Draw at (about) one pixel per frame and 3 px per mel band, within a readable size; point sampling as specshow.
        int width = Math.Clamp(db.Frames, 320, 800);
        int height = db.Axis == FrequencyAxis.Mel ? Math.Clamp(db.Bins * 2, 128, 384) : 320;
        var image = SpectrogramRenderer.Render(db, new RenderOptions { Width = width, Height = height, VMin = vmin, VMax = vmax });
        var lut = Colormap.Magma;
        var colors = new uint[Colormap.Size];
        for (var i = 0; i < colors.Length; i++) { var (r, g, b) = lut[i]; colors[i] = (uint)(r << 16 | g << 8 | b); }
        var axes = SpectrogramAxes.For(db, vmin, vmax) with { Colormap = colors };
        return new SpectrogramView(MelImage.EncodePng(image), axes, caption);
    }

    private static Spectrogram Square(Spectrogram magnitude)
    {
        var p = new float[magnitude.Data.Length];
        for (var i = 0; i < p.Length; i++) p[i] = magnitude.Data[i] * magnitude.Data[i];
        return magnitude with { Data = p, Scale = SpectrogramScale.Power };
    }

    /// <inheritdoc/>
    public string ToHtml()
    {
        int w = DisplayWidth, h = DisplayHeight, tw = Left + w + Right, th = Top + h + Bottom;
        var sb = new StringBuilder();
        sb.Append("<figure class=\"speclora-spectrogram\" style=\"margin:4px;display:inline-block;vertical-align:top;").Append(Html.Font).Append("\">");
        sb.Append("<div style=\"position:relative;width:").Append(tw).Append("px;height:").Append(th).Append("px\">");
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(tw).Append("\" height=\"").Append(th)
          .Append("\" style=\"position:absolute;left:0;top:0\" role=\"img\" aria-label=\"spectrogram axes\">");
        Html.Line(sb, Left, Top + h, Left + w, Top + h);
        Html.Line(sb, Left, Top, Left, Top + h);
        foreach (var t in Html.NiceTicks(0, Axes.DurationSeconds, Math.Max(2, w / 90)))
        {
            var x = Left + (Axes.DurationSeconds > 0 ? t / Axes.DurationSeconds * w : 0);
            Html.Line(sb, x, Top + h, x, Top + h + 4);
            Html.Text(sb, x, Top + h + 15, Html.TickLabel(t));
        }
        Html.Text(sb, Left + w / 2.0, Top + h + 32, "Time (s)");
        foreach (var (hz, y) in FrequencyTicks(h))
        {
            Html.Line(sb, Left - 4, Top + y, Left, Top + y);
            Html.Text(sb, Left - 6, Top + y + 4, Html.TickLabel(hz), "end");
        }
        Html.Text(sb, 12, Top + h / 2.0, "Hz", "middle", $" transform=\"rotate(-90 12 {Html.N(Top + h / 2.0)})\"");
        // dB colour bar: 64 stripes from DbMin (bottom) to DbMax (top)
        var bx = Left + w + 12;
        const int stripes = 64;
        for (var i = 0; i < stripes; i++)
        {
            var c = Axes.ColorAt((i + 0.5) / stripes);
            var y = Top + h - (i + 1) * (double)h / stripes;
            sb.Append("<rect x=\"").Append(bx).Append("\" y=\"").Append(Html.N(y)).Append("\" width=\"12\" height=\"")
              .Append(Html.N(h / (double)stripes + 0.6)).Append("\" fill=\"#").Append(c.ToString("x6")).Append("\"/>");
        }
        sb.Append("<rect x=\"").Append(bx).Append("\" y=\"").Append(Top).Append("\" width=\"12\" height=\"").Append(h).Append("\" fill=\"none\" stroke=\"#444\"/>");
        var range = Axes.DbMax - Axes.DbMin;
        foreach (var d in Html.NiceTicks(Axes.DbMin, Axes.DbMax, 5))
        {
            var y = Top + h - (range > 0 ? (d - Axes.DbMin) / range * h : 0);
            Html.Line(sb, bx + 12, y, bx + 16, y);
            Html.Text(sb, bx + 18, y + 4, Html.TickLabel(d) + " dB", "start");
        }
        sb.Append("</svg>");
        var alt = Caption ?? "spectrogram";
        sb.Append("<img src=\"").Append(Html.DataUri("image/png", Png)).Append("\" width=\"").Append(w).Append("\" height=\"").Append(h)
          .Append("\" alt=\"").Append(Html.Escape(alt)).Append("\" style=\"position:absolute;left:").Append(Left).Append("px;top:").Append(Top)
          .Append("px;image-rendering:").Append(w >= PixelWidth * 2 ? "pixelated" : "auto").Append("\"/>");
        sb.Append("</div>");
        if (!string.IsNullOrWhiteSpace(Caption)) sb.Append("<figcaption>").Append(Html.Escape(Caption)).Append("</figcaption>");
        sb.Append("</figure>");
        return sb.ToString();
    }

    /// <summary>A one-line description (used as text/plain).</summary>
    public override string ToString()
        => $"Spectrogram image {PixelWidth}×{PixelHeight} px, {Html.F(Axes.DurationSeconds, "0.00")} s, {Html.F(Axes.FMinHz)}–{Html.F(Axes.FMaxHz)} Hz ({Axes.Axis}), {Html.F(Axes.DbMin, "0.#")}..{Html.F(Axes.DbMax, "0.#")} dB"
           + (string.IsNullOrWhiteSpace(Caption) ? "" : ": " + Caption);

    /// <summary>Tick frequencies and their y offsets from the top of the image. Mel rows get librosa's
    /// octave-style ticks (0, 64, 128, …, 8192 Hz) placed on the mel scale; linear rows get nice linear ticks.</summary>
    internal IEnumerable<(double Hz, double Y)> FrequencyTicks(int height)
    {
        double fmin = Axes.FMinHz, fmax = Axes.FMaxHz;
        if (!(fmax > fmin)) yield break;
        if (Axes.Axis == FrequencyAxis.Mel)
        {
            double m0 = MelFilterBank.HzToMel(fmin, Axes.Htk), m1 = MelFilterBank.HzToMel(fmax, Axes.Htk);
            var candidates = new List<double> { 0 };
            for (var f = 64.0; f <= fmax; f *= 2) candidates.Add(f);
            var lastY = double.PositiveInfinity;
            foreach (var f in candidates)
            {
                if (f < fmin || f > fmax) continue;
                var y = height - (MelFilterBank.HzToMel(f, Axes.Htk) - m0) / (m1 - m0) * height;
                if (lastY - y < 13) continue; // keep labels from overlapping
                lastY = y;
                yield return (f, y);
            }
        }
        else
        {
            foreach (var f in Html.NiceTicks(fmin, fmax, Math.Max(2, height / 50)))
                yield return (f, height - (f - fmin) / (fmax - fmin) * height);
        }
    }
}
