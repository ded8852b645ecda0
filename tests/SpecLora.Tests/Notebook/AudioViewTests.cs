using SpecLora.Audio;
using SpecLora.Notebook;

namespace SpecLora.Tests.Notebook;

public class AudioViewTests
{
    private static AudioClip Tone(float amplitude, int sr = 22050, double seconds = 0.5)
    {
        var y = new float[(int)(sr * seconds)];
        for (var i = 0; i < y.Length; i++) y[i] = amplitude * MathF.Sin(2 * MathF.PI * 440 * i / sr);
        return new AudioClip(y, sr);
    }

    [Fact]
    public void Html_is_self_contained_with_a_player_whose_wav_decodes_with_positive_duration()
    {
        var html = new AudioView(Tone(0.5f), "tone").ToHtml();
        HtmlAssert.SelfContained(html);
        Assert.Contains("<audio controls", html);
        Assert.Contains("<svg", html);
        var wav = Assert.Single(HtmlAssert.DataUris(html, "audio/wav"));
        var (sr, samples) = HtmlAssert.Wav(wav);
        Assert.Equal(22050, sr);
        Assert.True(samples.Length / (double)sr > 0.49, $"duration {samples.Length / (double)sr} s");
    }

    [Fact]
    public void Without_normalize_levels_are_kept_and_with_it_the_peak_reaches_full_scale()
    {
        var quiet = Tone(0.1f);
        var honest = HtmlAssert.Wav(new AudioView(quiet).ToWavBytes()).Samples;
        Assert.InRange(honest.Max(s => Math.Abs((int)s)), 3270, 3280); // 0.1 × 32767
        var loud = HtmlAssert.Wav(new AudioView(quiet, normalize: true).ToWavBytes()).Samples;
        Assert.InRange(loud.Max(s => Math.Abs((int)s)), 32700, 32768); // full scale: +32767 or −32768
        Assert.Contains("peak -20.0 dBFS", new AudioView(quiet).ToString());
    }

    [Fact]
    public void Caption_is_escaped_and_reports_duration_rate_and_peak()
    {
        var html = new AudioView(Tone(0.5f), "<b>x</b> & y").ToHtml();
        Assert.Contains("&lt;b&gt;x&lt;/b&gt; &amp; y", html);
        Assert.Contains("0.50 s · 22050 Hz · peak -6.0 dBFS", html);
    }

    [Fact]
    public void Long_clips_are_cut_and_say_so()
    {
        var clip = new AudioClip(new float[(int)(8000 * (AudioView.MaxDurationSeconds + 2))], 8000);
        var view = new AudioView(clip);
        Assert.Equal(44 + 2 * (int)(8000 * AudioView.MaxDurationSeconds), view.ToWavBytes().Length);
        Assert.Contains("embedded", view.ToString());
        Assert.Contains("silent", view.ToString());
    }

    [Fact]
    public void Waveform_is_drawn_on_a_fixed_scale_so_a_quiet_clip_stays_small()
    {
        static double Extent(string svg)
        {
            var ys = System.Text.RegularExpressions.Regex.Matches(svg, @"M[\d.]+ ([\d.]+)V([\d.]+)")
                .Select(m => double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            return ys.Max();
        }
        var quiet = Extent(new AudioView(Tone(0.1f)).WaveformSvg(100, 48));
        var full = Extent(new AudioView(Tone(0.1f), normalize: true).WaveformSvg(100, 48));
        Assert.InRange(quiet, 3, 6);     // ±0.1 of 47 px
        Assert.InRange(full, 40, 48);
    }

    [Fact]
    public void Rejects_a_bad_sample_rate_quoting_it()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AudioView(new AudioClip(new float[4], 0)));
        Assert.Contains("sampleRate=0", e.Message);
    }
}
