using System.Diagnostics;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;

namespace SpecLora.Cli.Bench;

/// <summary>Mel → audio (issue 3): our default pipeline (FISTA-NNLS, PGHI, 32 mel-consistent FGLA iterations) against
/// a librosa-equivalent baseline of ours (pinv + clip, Griffin-Lim 32 from random phase), timed and scored in one run
/// on a 3-minute deterministic piano signal; plus one FGLA iteration and a 640-column image at k = 4.</summary>
internal sealed class InversionBenchSuite : IBenchSuite
{
    private const double FullTargetSeconds = 3.0, IterationTargetSeconds = 0.100, ImageTargetSeconds = 1.5;

    public string Name => "Inversion (3 min mel, 640-column image)";

    public IEnumerable<BenchRow> Run(BenchOptions options)
    {
        var heavy = options with { Samples = options.Quick ? 1 : 3, WarmUps = 1 };
        var clip = Piano(180);
        var mel = MelSpectrogram.Compute(clip);
        string frames = $"{mel.Frames} frames";

        // Level kept (no peak normalisation), so that SC and mel-SC compare like with like.
        var ours = new MelInverter(new InversionOptions { FramesPerColumn = 1, PeakDbfs = null });
        var baseline = new MelInverter(Baseline(1) with { PeakDbfs = null });
        AudioClip? oursOut = null, baseOut = null;
        var (tOurs, tOursMin) = BenchTimer.Measure(() => oursOut = ours.FromMelPower(mel), heavy);
        double tBase = BenchTimer.Median(() => baseOut = baseline.FromMelPower(mel), heavy);
        var mOurs = QualityMetrics.Compare(clip, oursOut!);
        var mBase = QualityMetrics.Compare(clip, baseOut!);
        yield return new BenchRow("mel → audio, 3 min, default (PGHI + FGLA32)", tOurs, "baseline: pinv + griffinlim 32 random (ours)", tBase, FullTargetSeconds,
            $"librosa mel_to_audio ≈ 37 s CPU (quoted); mel-SC {mOurs.MelSc:F3} vs {mBase.MelSc:F3}, SC {mOurs.Sc:F3} vs {mBase.Sc:F3}; {frames}", tOursMin);

        var mag = new Stft().Forward(clip).ToMagnitude();
        double Fgla(int n) => BenchTimer.Median(() => new GriffinLim(new GriffinLimOptions { Iterations = n }).Reconstruct(mag), heavy);
        double t1 = Fgla(1), t33 = Fgla(33);
        double perIteration = (t33 - t1) / 32;
        yield return new BenchRow("one FGLA iteration, 3 min", perIteration, "librosa griffinlim ≈ 0.42 s / iteration (quoted)", 0.42, IterationTargetSeconds,
            $"(33 iterations {BenchTimer.Format(t33)} − 1 iteration {BenchTimer.Format(t1)}) / 32");

        // A 640-column makeMels JPEG of the 3-minute clip (one frame in twelve), inverted at k = 4 and written as WAV.
        var dir = Directory.CreateTempSubdirectory("speclora-bench-");
        try
        {
            var jpg = Path.Combine(dir.FullName, "mel.jpg");
            MelImage.Save(jpg, Decibels.PowerToDb(mel, DbOptions.MakeMels));
            var wav = Path.Combine(dir.FullName, "out.wav");
            // Timed: decode + invert (the picture policy, as `speclora invert` runs it) + write. The quality metric is
            // computed afterwards, outside the timing.
            AudioClip ImageToWav(InversionOptions o)
            {
                var decoded = SpectrogramImageDecoder.Decode(jpg);
                var audio = ImageInversion.FromImage(decoded, o);
                WavFile.Write(wav, audio);
                return audio;
            }
            var (tImage, tImageMin) = BenchTimer.Measure(() => ImageToWav(new InversionOptions { FramesPerColumn = 4 }), heavy);
            double tK4 = BenchTimer.Median(() => ImageToWav(Baseline(4)), heavy);
            var decodedOnce = SpectrogramImageDecoder.Decode(jpg);
            double consistency = QualityMetrics.ImageConsistency(decodedOnce.Db, ImageToWav(new InversionOptions { FramesPerColumn = 4 }));
            double baseConsistency = QualityMetrics.ImageConsistency(decodedOnce.Db, ImageToWav(Baseline(4)));
            yield return new BenchRow("640-column JPEG → WAV at k = 4 (59 s of audio)", tImage, "baseline: pinv + griffinlim 32 random (ours)", tK4, ImageTargetSeconds,
                $"librosa at k = 1 (15 s of audio) ≈ 2.6 s (quoted); image consistency {consistency:F2} dB vs {baseConsistency:F2} dB", tImageMin);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>librosa's <c>mel_to_audio</c> in our code: pinv + clip, Griffin-Lim 32 from random phase.</summary>
    internal static InversionOptions Baseline(int framesPerColumn) => InversionOptions.LibrosaBaseline with { FramesPerColumn = framesPerColumn };

    /// <summary>The embedded Für Elise opening rendered by <see cref="PianoSynth"/>, tiled to <paramref name="seconds"/>.</summary>
    internal static AudioClip Piano(double seconds)
    {
        var theme = PianoSynth.RenderFurEliseOpening();
        var y = new float[(int)(seconds * theme.SampleRate)];
        for (int i = 0; i < y.Length; i += theme.Length) Array.Copy(theme.Samples, 0, y, i, Math.Min(theme.Length, y.Length - i));
        return new AudioClip(y, theme.SampleRate);
    }
}
