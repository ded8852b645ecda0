using SpecLora.Audio;
using SpecLora.Notebook;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Notebook;

public class ShowTests
{
    [Fact]
    public void Facade_builds_the_views_with_self_contained_html()
    {
        var clip = new AudioClip(Enumerable.Range(0, 2205).Select(i => MathF.Sin(i * 0.1f) * 0.3f).ToArray(), 22050);
        var mel = MelSpectrogram.Compute(clip);
        IHtmlView[] views =
        [
            Show.Audio(clip, "a"),
            Show.Audio(clip.Samples, 22050, normalize: true),
            Show.Spectrogram(mel, "mel"),
            Show.Grid(new GridRow("r", Show.Spectrogram(mel), Show.Audio(clip))),
            Show.Row(Show.Audio(clip), Show.Spectrogram(mel)),
            Show.Chart([0.0, 1, 2], [0.0, 1, 4], "sq", "x", "y"),
            Show.Chart(clip.Samples, 22050, "wave"),
            Show.Filterbank(every: 16),
        ];
        foreach (var v in views) HtmlAssert.SelfContained(v.ToHtml());
        Assert.True(Show.Audio(clip.Samples, 22050, normalize: true).Normalize);
    }
}
