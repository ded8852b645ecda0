using System.Text;
using SpecLora.Audio;

namespace SpecLora.Notebook;

/// <summary>
/// An audio player (<c>&lt;audio controls&gt;</c> with the clip embedded as a 16-bit PCM WAV data URI), a small
/// inline-SVG waveform and a caption with duration, sample rate and peak level.
/// </summary>
/// <remarks>
/// With <c>normalize: false</c> (the default) samples are embedded as they are and the waveform is drawn on a fixed
/// ±1 scale, so quiet clips look and sound quiet — unlike players that normalise loudness (IPython's <c>Audio</c>
/// does by default, as the FMP notebooks warn). Clips longer than <see cref="MaxDurationSeconds"/> are cut to keep
/// saved notebooks small, and the caption says so.
/// </remarks>
[TypeFormatterSource(typeof(HtmlViewFormatterSource))]
public sealed class AudioView : IHtmlView
{
    /// <summary>Longest stretch embedded, in seconds; longer clips are cut (the caption says so).</summary>
    public const double MaxDurationSeconds = 30;

    /// <summary>The clip as given.</summary>
    public AudioClip Clip { get; }
    /// <summary>Caption shown under the player (may be null).</summary>
    public string? Caption { get; }
    /// <summary>When true, the embedded audio and the waveform are scaled so that the peak is at full scale.</summary>
    public bool Normalize { get; }

    /// <summary>Creates the view.</summary>
    /// <param name="clip">Mono clip; samples are not modified.</param>
    /// <param name="caption">Text under the player, e.g. "Griffin-Lim, 32 iterations".</param>
    /// <param name="normalize">Scale to full level (false keeps levels honest).</param>
    public AudioView(AudioClip clip, string? caption = null, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.SampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(clip), clip.SampleRate, $"sampleRate={clip.SampleRate} must be > 0");
        Clip = clip;
        Caption = caption;
        Normalize = normalize;
    }

    /// <summary>Peak absolute sample value of the clip (0 for silence).</summary>
    public float Peak
    {
        get
        {
            var peak = 0f;
            foreach (var s in Clip.Samples) if (float.IsFinite(s)) peak = Math.Max(peak, Math.Abs(s));
            return peak;
        }
    }

    /// <summary>The WAV bytes embedded in the player (16-bit PCM, mono, clip's sample rate).</summary>
    public byte[] ToWavBytes()
    {
        var n = (int)Math.Min(Clip.Samples.Length, (long)(MaxDurationSeconds * Clip.SampleRate));
        var gain = Gain;
        var samples = new float[n];
        for (var i = 0; i < n; i++)
        {
            var v = Clip.Samples[i];
            samples[i] = float.IsFinite(v) ? Math.Clamp(v * gain, -1f, 1f) : 0f;
        }
        return WavFile.ToBytes(new AudioClip(samples, Clip.SampleRate), WavSampleFormat.Pcm16);
    }

    private float Gain => Normalize && Peak > 0 ? 1f / Peak : 1f;

    /// <inheritdoc/>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<figure class=\"speclora-audio\" style=\"margin:4px;display:inline-block;vertical-align:top;").Append(Html.Font).Append("\">");
        sb.Append(WaveformSvg(320, 48));
        sb.Append("<br/><audio controls preload=\"metadata\" src=\"").Append(Html.DataUri("audio/wav", ToWavBytes())).Append("\"></audio>");
        sb.Append("<figcaption style=\"max-width:320px\">").Append(Html.Escape(CaptionText())).Append("</figcaption></figure>");
        return sb.ToString();
    }

    /// <summary>A one-line description (used as text/plain).</summary>
    public override string ToString() => "Audio: " + CaptionText();

    private string CaptionText()
    {
        var peak = Peak;
        var peakText = peak > 0 ? Html.F(20 * Math.Log10(peak), "0.0") + " dBFS" : "silent";
        var cut = Clip.DurationSeconds > MaxDurationSeconds ? $" (first {Html.F(MaxDurationSeconds)} s embedded)" : "";
        var norm = Normalize ? ", normalised" : "";
        var head = string.IsNullOrWhiteSpace(Caption) ? "" : Caption + " — ";
        return $"{head}{Html.F(Clip.DurationSeconds, "0.00")} s · {Clip.SampleRate} Hz · peak {peakText}{norm}{cut}";
    }

    /// <summary>Min/max envelope per pixel column on a fixed ±1 scale (±peak when normalising).</summary>
    internal string WaveformSvg(int width, int height)
    {
        var s = Clip.Samples;
        var gain = Gain;
        var mid = height / 2.0;
        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(width).Append("\" height=\"").Append(height)
          .Append("\" viewBox=\"0 0 ").Append(width).Append(' ').Append(height).Append("\" role=\"img\" aria-label=\"waveform\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"#f6f6f8\"/>");
        Html.Line(sb, 0, mid, width, mid, "#bbb", 0.5);
        if (s.Length > 0)
        {
            sb.Append("<path fill=\"none\" stroke=\"#3b5b92\" stroke-width=\"1\" d=\"");
            for (var x = 0; x < width; x++)
            {
                var a = (int)((long)x * s.Length / width);
                var b = (int)Math.Max(a + 1, (long)(x + 1) * s.Length / width);
                float lo = 0, hi = 0;
                for (var i = a; i < b && i < s.Length; i++)
                {
                    var v = float.IsFinite(s[i]) ? Math.Clamp(s[i] * gain, -1f, 1f) : 0f;
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                var y1 = mid - hi * (mid - 1);
                var y2 = mid - lo * (mid - 1);
                if (y2 - y1 < 0.5) { y1 -= 0.25; y2 += 0.25; }
                sb.Append('M').Append(Html.N(x + 0.5)).Append(' ').Append(Html.N(y1)).Append('V').Append(Html.N(y2));
            }
            sb.Append("\"/>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }
}
