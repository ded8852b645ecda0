using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Jobs;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class PictureScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void Rhythm_is_read_only_on_a_known_axis_of_at_most_two_frames_per_column()
    {
        Assert.Null(PictureScale.RhythmNotMeasurable(FrameAxis.ForFrames(640, 418, source: FrameAxisSource.Metadata)));
        Assert.Null(PictureScale.RhythmNotMeasurable(FrameAxis.ForFrames(640, 1280)));
        var wide = PictureScale.RhythmNotMeasurable(FrameAxis.ForFrames(640, 1292));   // 30 s: 2.02 per column
        Assert.NotNull(wide);
        Assert.Contains("not measurable at this scale", wide);
        Assert.Contains("2 frames (46 ms) per column", wide!);
        var assumed = PictureScale.RhythmNotMeasurable(FrameAxis.ForFramesPerColumn(640, 4, assumed: true));
        Assert.Contains("does not say how long it is", assumed);
    }

    [Fact]
    public void A_picture_without_its_time_axis_gets_no_tempo_and_says_why()
    {
        var clip = PianoSynth.RenderFurEliseOpening();
        var jpeg = SpectrogramImageDecoder.Decode(MelImage.EncodeJpeg(SpectrogramRenderer.Render(Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels))), null, "theme.jpg");
        var a = MusicAnalyzer.AnalyzePicture(jpeg, new AnalysisOptions { Inversion = new InversionOptions { Iterations = 2 } });
        Assert.Null(a.TempoBpm);
        Assert.Null(a.PulseClarity);
        Assert.Empty(a.BeatFrames);
        Assert.False(a.Scale!.RhythmMeasurable);
        Assert.Contains("not measurable at this scale", a.Scale.RhythmNote);
        Assert.Contains(a.Verdict, new[] { MusicVerdict.Music, MusicVerdict.NotMusic, MusicVerdict.Undecided });
        var json = MusicAnalysis.ToJson([a]);
        Assert.DoesNotContain("tempo_bpm", json);
        Assert.DoesNotContain("NaN", json);
        Assert.DoesNotContain("Infinity", json);
        // the same picture with its true duration given: 0.65 frames per column, rhythm is read
        var known = MusicAnalyzer.AnalyzePicture(jpeg, new AnalysisOptions { Inversion = new InversionOptions { Iterations = 2, DurationSeconds = clip.DurationSeconds } });
        Assert.True(known.Scale!.RhythmMeasurable);
        Assert.NotNull(known.TempoBpm);
    }

    /// <summary>
    /// Where the threshold of <see cref="PictureScale.MaxRhythmFramesPerColumn"/> comes from: real recordings and renders
    /// drawn as our PNGs at 1, 2, 4 and 8 frames per column (15, 30, 60, 120 s in 640 columns; the 60-s recordings are
    /// played twice for 120 s), their rhythm read from the decoded picture on its true axis and compared with the audio's
    /// (F-measure of beats within ±70 ms and onsets within ±50 ms, the MIREX tolerances). Rebuilds the table of
    /// lib/SpecLora/Analysis/README.md ("Rhythm at a picture's scale") with --logger "console;verbosity=detailed".
    /// </summary>
    [SkippableFact]
    public void Onsets_and_beats_are_read_up_to_two_frames_per_column_and_lost_beyond()
    {
        var corpus = Golden.RequireShared("corpus");
        var sources = new (string Name, string Path, double[] Seconds)[]
        {
            ("elise", Path.Combine(corpus, "beethoven_elise_15s.wav"), [15]),
            ("op10", Path.Combine(corpus, "beethoven_op10no1_1_15s.wav"), [15]),
            ("nutcracker", Path.Combine(corpus, "real", "nutcracker_60s.wav"), [15, 30, 60, 120]),
            ("vibeace", Path.Combine(corpus, "real", "vibeace_60s.wav"), [15, 30, 60, 120]),
        };
        var dir = Directory.CreateTempSubdirectory("speclora-scale-");
        try
        {
            foreach (var (name, path, lengths) in sources)
            {
                var full = AudioLoader.Load(path, new AudioLoadOptions { SampleRate = 22050 });
                foreach (var seconds in lengths)
                {
                    var y = new float[(int)(seconds * 22050)];
                    for (int i = 0; i < y.Length; i++) y[i] = full.Samples[i % full.Length];
                    var clip = new AudioClip(y, 22050);
                    var audio = Read(Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels));
                    var png = MelBatch.Draw(clip, Path.Combine(dir.FullName, $"{name}-{seconds}.png"), new MelBatchOptions { Format = MelImageFormat.Png }).Path;
                    var decoded = SpectrogramImageDecoder.Decode(png);
                    var plan = ImageInversion.Plan(decoded);
                    var picture = Read(ImageInversion.MelOnFrameAxis(decoded, plan));
                    double beatF = FMeasure(picture.Beats, audio.Beats, 0.07), onsetF = FMeasure(picture.Onsets, audio.Onsets, 0.05);
                    output.WriteLine($"{name} {seconds} s: {plan.Axis.FramesPerColumn:F2} frames/column; tempo {audio.Tempo:F1} → {picture.Tempo:F1} BPM; beats F {beatF:F2}; onsets F {onsetF:F2}");
                    if (plan.Axis.FramesPerColumn <= PictureScale.MaxRhythmFramesPerColumn + 0.05)
                        Assert.True(beatF >= 0.9 && onsetF >= 0.8, $"{name} at {plan.Axis.FramesPerColumn:F2} frames per column: beats {beatF:F2}, onsets {onsetF:F2}");
                    else if (plan.Axis.FramesPerColumn >= 4)
                        Assert.True(onsetF < 0.7, $"{name} at {plan.Axis.FramesPerColumn:F2} frames per column still reads onsets (F {onsetF:F2}): the threshold is too strict");
                }
            }
        }
        finally { dir.Delete(true); }
    }

    private static (double Tempo, int[] Beats, int[] Onsets) Read(Spectrogram db)
    {
        var env = Onset.Strength(db);
        double tempo = Rhythm.Tempo(env);
        return (tempo, BeatTracker.Track(env, 22050, 512, new BeatTrackOptions { Bpm = tempo }).BeatFrames, Onset.Detect(env));
    }

    private static double FMeasure(int[] estimate, int[] reference, double toleranceSeconds)
    {
        if (estimate.Length == 0 || reference.Length == 0) return 0;
        int tol = (int)Math.Round(toleranceSeconds * 22050 / 512), hit = 0;
        var used = new bool[reference.Length];
        foreach (var e in estimate)
            for (int i = 0; i < reference.Length; i++)
                if (!used[i] && Math.Abs(reference[i] - e) <= tol) { used[i] = true; hit++; break; }
        double p = (double)hit / estimate.Length, r = (double)hit / reference.Length;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
