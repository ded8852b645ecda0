using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>Music analysis (issue 10) on 3 minutes of samples (the embedded piano signal): each row beside librosa
/// 0.10.2's time for the same calls, measured warm on this machine and quoted (librosa is not installed here).</summary>
internal sealed class AnalysisBenchSuite : IBenchSuite
{
    private const string Librosa = "librosa 0.10.2, warm (quoted)";

    public string Name => "Music analysis (3 min from samples)";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var heavy = options with { Samples = options.Quick ? 2 : 7, WarmUps = 1 };
        var clip = InversionBenchSuite.Piano(180);
        int frames = 1 + clip.Length / 512;

        var (tRhythm, tRhythmMin) = BenchTimer.Measure(() => Rhythm(clip), heavy);
        yield return new BenchRow("mel + onset + tempogram + beats + onsets, 3 min", tRhythm, Librosa, 1.48, null,
            $"melspectrogram, power_to_db, onset_strength, tempogram (384), tempo, beat_track, onset_detect; {frames} frames", tRhythmMin);

        var (tChroma, tChromaMin) = BenchTimer.Measure(() => Chroma.Stft(clip), heavy);
        yield return new BenchRow("chroma_stft (with estimate_tuning), 3 min", tChroma, Librosa, 0.52, null, "STFT + piptrack tuning + filterbank", tChromaMin);

        var (tHpss, tHpssMin) = BenchTimer.Measure(() =>
        {
            var s = SpectralFrames.FromAudio(clip);
            Hpss.SeparateFrameMajor(s.Magnitude, s.Bins, s.Frames, null);
        }, heavy);
        yield return new BenchRow("STFT + HPSS (31 × 31 medians), 3 min", tHpss, Librosa, 9.45, null, $"1025 × {frames}: sorted sliding windows, rows in parallel", tHpssMin);

        var (tFlat, tFlatMin) = BenchTimer.Measure(() => SpectralFlatness.Compute(clip), heavy);
        yield return new BenchRow("spectral_flatness, 3 min", tFlat, Librosa, 0.20, null, "STFT included", tFlatMin);

        var (tAll, tAllMin) = BenchTimer.Measure(() => MusicAnalyzer.Analyze(clip), heavy);
        yield return new BenchRow("whole analysis (MusicAnalyzer.Analyze), 3 min", tAll, Librosa + ": the four rows above", 11.7, 1.0,
            "all of the above + pulse clarity, tempo stability, key, repetition; aim 0.5 s", tAllMin);
    }

    private static void Rhythm(AudioClip clip)
    {
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels);
        var env = Onset.Strength(db);
        _ = SpecLora.Analysis.Rhythm.ComputeTempogram(env);
        var track = BeatTracker.Track(env);   // estimates the tempo (its own 344-lag tempogram), as beat_track does
        _ = Onset.Detect(env);
        GC.KeepAlive(track);
    }
}
