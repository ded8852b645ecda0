using SpecLora.Analysis;

namespace SpecLora.Tests.Analysis;

public class MusicMeasuresTests
{
    [Fact]
    public void The_profiles_themselves_are_their_keys_with_clarity_one()
    {
        var cMajor = MusicMeasures.MajorProfile.ToArray();
        var k = MusicMeasures.Key(cMajor, KeyProfile.KrumhanslKessler);
        Assert.Equal("C major", k.Name);
        Assert.Equal(1.0, k.Clarity, 12);
        // A minor = the minor profile rotated to start at A (index 9)
        var aMinor = new double[12];
        for (int pc = 0; pc < 12; pc++) aMinor[pc] = MusicMeasures.MinorProfile[((pc - 9) % 12 + 12) % 12];
        Assert.Equal("A minor", MusicMeasures.Key(aMinor, KeyProfile.KrumhanslKessler).Name);
        Assert.Equal(0, MusicMeasures.Key(Enumerable.Repeat(0.5, 12).ToArray()).Clarity);
        Assert.Throws<ArgumentException>(() => MusicMeasures.Key(new double[11]));
    }

    [Fact]
    public void Prominence_is_height_above_the_higher_saddle()
    {
        // 1.0 has no higher sample on either side: 1.0 − max(0, 0.2) = 0.8; 0.8 sits 0.3 above its saddle 0.5
        Assert.Equal(0.8, MusicMeasures.MaxProminence([0.0, 1.0, 0.5, 0.8, 0.2]), 12);
        Assert.Equal(0, MusicMeasures.MaxProminence([3.0, 2.0, 1.0]));                     // monotonic: no interior peak
        Assert.Equal(0.3, MusicMeasures.MaxProminence([0.1, 0.2, 0.5, 0.2, 0.4]), 12);
    }

    [Fact]
    public void Tempo_stability_counts_frames_within_4_percent()
    {
        Assert.Equal(0.75, MusicMeasures.TempoStability([120, 123, 118, 140], 120));
        Assert.Equal(0, MusicMeasures.TempoStability([], 120));
    }

    [Fact]
    public void A_repeated_chord_sequence_scores_above_a_random_one()
    {
        // 4 chords of 1 s, repeated: blocks correlate at the 4-s lag; the shuffled version has no such lag
        int fps = 43, frames = fps * 24;
        var rng = new Random(3);
        var chords = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 12).Select(_ => rng.NextDouble()).ToArray()).ToArray();
        var rep = new float[12 * frames];
        var rnd = new float[12 * frames];
        for (int t = 0; t < frames; t++)
        {
            var c = chords[t / fps % 4];
            var r = chords[rng.Next(4)];
            for (int p = 0; p < 12; p++) { rep[p * frames + t] = (float)c[p]; rnd[p * frames + t] = (float)(t % fps == 0 ? r[p] : rnd[p * frames + Math.Max(0, t - 1)]); }
        }
        double a = MusicMeasures.RepetitionScore(new Chromagram(rep, 12, frames, 0), fps);
        double b = MusicMeasures.RepetitionScore(new Chromagram(rnd, 12, frames, 0), fps);
        Assert.True(a > 0.3 && a > b + 0.2, $"repeated {a:F3}, random {b:F3}");
        Assert.Equal(0, MusicMeasures.RepetitionScore(new Chromagram(new float[12 * 10], 12, 10, 0), fps));
    }
}
