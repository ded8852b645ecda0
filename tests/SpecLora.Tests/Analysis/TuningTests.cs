using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.Analysis;

public class TuningTests
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Estimate_tuning_of_audio_is_librosas_exactly(string input)
    {
        // summary.json's tuning is estimate_tuning(y=y): piptrack on the magnitude STFT. (chroma_stft estimates its own
        // from the power spectrogram; ChromaTests checks that one through the chroma values.)
        double expected = AnalysisGolden.Summary(input).GetProperty("tuning").GetDouble();
        Assert.Equal(expected, Tuning.Estimate(AnalysisGolden.Input(input)), 12);
    }

    [Fact]
    public void Pitch_tuning_finds_the_histogram_peak()
    {
        // 440 Hz is in tune; 440·2^(0.2/12) is 0.2 of a semitone sharp
        float sharp = (float)(440 * Math.Pow(2, 0.2 / 12));
        Assert.Equal(0.2, Tuning.PitchTuning([sharp, sharp, 440f]), 6);
        Assert.Equal(0.0, Tuning.PitchTuning([440f, 440f, sharp]), 6);
        Assert.Equal(0.0, Tuning.PitchTuning([]));
    }

    [Fact]
    public void A_flat_sine_is_estimated_flat_and_a_mel_input_is_refused()
    {
        double f = 440 * Math.Pow(2, -0.25 / 12);
        var y = new float[44100];
        for (int i = 0; i < y.Length; i++) y[i] = (float)Math.Sin(2 * Math.PI * f * i / 22050.0);
        double tuning = Tuning.Estimate(new AudioClip(y, 22050));
        Assert.True(Math.Abs(tuning + 0.25) <= 0.04, $"tuning {tuning}");   // parabolic interpolation on a Hann peak is biased by a few cents
        var s = Spectrogram.Create(new float[1], 1, 1, SpectrogramScale.Power, FrequencyAxis.Mel);
        Assert.Throws<ArgumentException>(() => Tuning.Estimate(s));
    }
}
