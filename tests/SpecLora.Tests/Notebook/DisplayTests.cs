using Microsoft.DotNet.Interactive.Formatting;
using SpecLora.Audio;
using SpecLora.Notebook;
using SpecLora.Replicate;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Notebook;

public class DisplayTests
{
    [Fact]
    public void Register_is_idempotent_and_makes_the_interactive_formatter_use_ToHtml()
    {
        Display.Register();
        Display.Register();
        Assert.True(Display.FormattersRegistered);
        var view = new AudioView(new AudioClip(new float[100], 8000), "x");
        Assert.Equal(view.ToHtml(), view.ToDisplayString("text/html"));
        var clipHtml = new AudioClip(new float[100], 8000).ToDisplayString("text/html");
        Assert.Contains("<audio controls", clipHtml);
    }

    [Fact]
    public void Replicate_options_and_client_display_with_the_token_redacted()
    {
        const string secret = "r8_DisplayMeNot0123456789abcdefghijklmn";
        Display.Register();
        var options = new ReplicateClientOptions { ApiToken = secret, BaseAddress = ReplicateClientOptions.DefaultBaseAddress };
        using var client = new ReplicateClient(new HttpClient(), options);
        foreach (var value in new object[] { options, client })
        {
            foreach (var mime in new[] { "text/html", "text/plain" })
            {
                var shown = value.ToDisplayString(mime);
                Assert.DoesNotContain(secret, shown);
                Assert.Contains("ApiToken = ***", shown);
            }
        }
        var browsable = typeof(ReplicateClientOptions).GetProperty(nameof(ReplicateClientOptions.ApiToken))!
            .GetCustomAttributes(typeof(System.Diagnostics.DebuggerBrowsableAttribute), false).Cast<System.Diagnostics.DebuggerBrowsableAttribute>().Single();
        Assert.Equal(System.Diagnostics.DebuggerBrowsableState.Never, browsable.State);
        Assert.DoesNotContain(secret, System.Text.Json.JsonSerializer.Serialize(options));
    }

    [Fact]
    public void Clips_and_spectrograms_display_as_a_player_and_a_picture()
    {
        Display.Register();
        Assert.Contains("audio/wav", new AudioClip(new float[10], 8000).ToDisplayString("text/html"));
        var s = Spectrogram.Create(new float[12], 3, 4, SpectrogramScale.Power, FrequencyAxis.Mel);
        Assert.Contains("image/png", s.ToDisplayString("text/html"));
    }

    [Fact]
    public void Views_carry_the_name_matched_formatter_source_attribute()
    {
        var views = typeof(IHtmlView).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && typeof(IHtmlView).IsAssignableFrom(t)).ToList();
        Assert.Contains(typeof(NoticeView), views);
        foreach (var type in views)
        {
            var attr = type.GetCustomAttributes(false).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
            var source = Activator.CreateInstance((Type)attr.GetType().GetProperty("FormatterSourceType")!.GetValue(attr)!, nonPublic: true)!;
            var formatters = ((IEnumerable<object>)source.GetType().GetMethod("CreateTypeFormatters")!.Invoke(source, null)!).ToList();
            var html = formatters.Single(f => (string)f.GetType().GetProperty("MimeType")!.GetValue(f)! == "text/html");
            var writer = new StringWriter();
            var clip = new AudioView(new AudioClip(new float[10], 8000));
            Assert.True((bool)html.GetType().GetMethod("Format")!.Invoke(html, [clip, writer])!);
            Assert.Equal(clip.ToHtml(), writer.ToString());
        }
    }
}
