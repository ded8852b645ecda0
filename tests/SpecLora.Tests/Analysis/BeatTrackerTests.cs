using SpecLora.Analysis;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class BeatTrackerTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [MemberData(nameof(AnalysisGolden.Inputs), MemberType = typeof(AnalysisGolden))]
    public void Beat_track_gives_librosas_beat_frames_and_tempo(string input)
    {
        var summary = AnalysisGolden.Summary(input);
        var track = BeatTracker.Track(AnalysisGolden.Array(input, "onset"));
        output.WriteLine($"{input}: {string.Join(",", track.BeatFrames)} at {track.TempoBpm:F4} BPM");
        Assert.Equal(AnalysisGolden.Frames(input, "beats"), track.BeatFrames);
        Assert.True(Math.Abs(track.TempoBpm - summary.GetProperty("beat_track_tempo_bpm").GetDouble()) <= 0.01);
    }

    [Fact]
    public void A_click_train_is_tracked_on_its_clicks()
    {
        var env = new float[490];
        for (int t = 7; t < env.Length; t += 20) env[t] = 1f;
        var track = BeatTracker.Track(env);
        Assert.Equal(60.0 * 22050 / 512 / 20, track.TempoBpm, 6);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => 7 + 20 * i).ToArray(), track.BeatFrames);
    }

    [Fact]
    public void The_last_frame_counts_as_a_peak_of_the_cumulative_score_as_in_librosa()
    {
        // 12 frames after the last click the cumulative score rises again at the very end: librosa's localmax marks
        // the last frame, the backtrack starts there, and trimming (from the end, up to the first strong frame)
        // leaves its predecessor 483 as the final beat instead of the click at 487.
        var env = new float[500];
        for (int t = 7; t < env.Length; t += 20) env[t] = 1f;
        var beats = BeatTracker.Track(env).BeatFrames;
        Assert.Equal(483, beats[^1]);
        Assert.All(beats[..^1], b => Assert.Equal(7, b % 20));
    }

    [Fact]
    public void Silence_has_no_beats_and_bad_options_say_which()
    {
        Assert.Empty(BeatTracker.Track(new float[100]).BeatFrames);
        var e = Assert.Throws<ArgumentException>(() => BeatTracker.Track(new float[10], options: new BeatTrackOptions { Tightness = 0 }));
        Assert.Contains("Tightness=0", e.Message);
        Assert.Equal([false, true, false, false, true], BeatTracker.LocalMax([0f, 2f, 1f, 1f, 3f]));
    }
}
