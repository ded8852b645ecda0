using System.Text.RegularExpressions;
using SpecLora.Replicate;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Replicate;

public class ReadmeSettingsTests
{
    [Fact]
    public void Seven_settings_as_published()
    {
        Assert.Equal(7, ReadmeSettings.All.Count);
        Assert.Equal(Enumerable.Range(1, 7), ReadmeSettings.All.Select(s => s.Number));
        Assert.Null(ReadmeSettings.Get(1).NegativePrompt);
        Assert.Equal("fuzzy, lone pixels", ReadmeSettings.Get(2).NegativePrompt);
        Assert.Equal((640, 480), (ReadmeSettings.Get(3).Width, ReadmeSettings.Get(3).Height));
        Assert.Equal("noisy", ReadmeSettings.Get(4).NegativePrompt);
        Assert.Equal("A photo of a dog in the style of SPECTROGRAM", ReadmeSettings.Get(6).Prompt);
        Assert.Equal((40.0, 100), (ReadmeSettings.Get(7).GuidanceScale, ReadmeSettings.Get(7).NumInferenceSteps));
        Assert.All(ReadmeSettings.All, s => Assert.Equal($"res{s.Number}.png", s.OriginalImageFileName));
        Assert.All(ReadmeSettings.All, s => Assert.Contains("SPECTROGRAM", s.Prompt));
    }

    [SkippableFact]
    public void Settings_match_the_original_readme_text()
    {
        var readme = File.ReadAllText(Golden.RequireShared("seed", "README.original.md"));
        var lines = Regex.Matches(readme, @"^- (\d)\) Prompt: ""([^""]+)"", (No Negative Prompt|Negative Prompt: ""([^""]+)""), width=(\d+), height=(\d+), guidanceScale=([\d.]+), num_inference_steps=(\d+)", RegexOptions.Multiline);
        Assert.Equal(7, lines.Count);
        foreach (Match m in lines)
        {
            var s = ReadmeSettings.Get(int.Parse(m.Groups[1].Value));
            Assert.Equal(m.Groups[2].Value, s.Prompt);
            Assert.Equal(m.Groups[4].Success ? m.Groups[4].Value : null, s.NegativePrompt);
            Assert.Equal(int.Parse(m.Groups[5].Value), s.Width);
            Assert.Equal(int.Parse(m.Groups[6].Value), s.Height);
            Assert.Equal(double.Parse(m.Groups[7].Value, System.Globalization.CultureInfo.InvariantCulture), s.GuidanceScale);
            Assert.Equal(int.Parse(m.Groups[8].Value), s.NumInferenceSteps);
            Assert.True(File.Exists(ReadmeSettings.OriginalImagePath(s, Path.Combine(Golden.SharedDir!, "seed"))));
        }
    }

    [Fact]
    public void Input_uses_the_model_names_and_leaves_out_unset_fields()
    {
        var input = ReadmeSettings.Get(1).ToInput();
        Assert.Equal("A SPECTROGRAM image", input["myprompt"]!.GetValue<string>());
        Assert.False(input.ContainsKey("negative_prompt"));
        Assert.False(input.ContainsKey("seed"));
        Assert.Equal(1, input["num_outputs"]!.GetValue<int>());
        var seeded = ReadmeSettings.Get(7).ToInput(42);
        Assert.Equal(42L, seeded["seed"]!.GetValue<long>());
        Assert.Equal(40.0, seeded["guidanceScale"]!.GetValue<double>());
        Assert.Equal(100, seeded["num_inference_steps"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("all", 7)]
    [InlineData("ALL", 7)]
    [InlineData("3", 1)]
    [InlineData("1,3, 7", 3)]
    public void Parse_accepts_numbers_lists_and_all(string text, int count) => Assert.Equal(count, ReadmeSettings.Parse(text).Count);

    [Theory]
    [InlineData("0")]
    [InlineData("8")]
    [InlineData("x")]
    [InlineData("")]
    public void Unknown_setting_is_rejected_with_the_valid_range(string text)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ReadmeSettings.Parse(text));
        Assert.Contains("1–7", e.Message);
    }
}
