using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Inversion;

public class ImageInversionTests(ITestOutputHelper output)
{
    private const int Hop = 512;

    /// <summary>The first 100 hops (≈ 2.3 s) of the synthetic Für Elise: a whole number of hops, so hop·(T−1) is its length.</summary>
    private static AudioClip Clip()
    {
        var full = PianoSynth.RenderFurEliseOpening();
        return full with { Samples = full.Samples[..(Hop * 100)] };
    }

    private static (string Path, float RefPower) SavePng(AudioClip clip, string dir, RenderOptions? render = null)
    {
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels, out float refPower);
        var path = System.IO.Path.Combine(dir, "clip.png");
        MelImage.Save(path, db, render, MelImageMetadata.From(db, render, null, refPower, clip.DurationSeconds));
        return (path, refPower);
    }

    private static double PeakDb(float[] y) => 20 * Math.Log10(y.Max(v => Math.Abs(v)));

    /// <summary>The iteration count a picture gets: our PNG with its metadata 32 (exact round trip); the same PNG given a
    /// duration, and a JPEG without metadata, the picture count (12); an explicit count always wins.</summary>
    [Fact]
    public void Pictures_inverted_without_their_metadata_get_the_picture_iterations()
    {
        using var files = new AudioTestFiles();
        var clip = Clip();
        var (png, _) = SavePng(clip, files.Dir);
        var jpg = System.IO.Path.Combine(files.Dir, "clip.jpg");
        MelImage.Save(jpg, Decibels.PowerToDb(MelSpectrogram.Compute(clip), DbOptions.MakeMels));
        int Iterations(string path, InversionOptions o)
        {
            int total = -1;
            ImageInversion.FromImage(SpectrogramImageDecoder.Decode(path), o, true,
                new SpecLora.IO.InlineProgress<InversionProgress>(p => { if (p.Stage == InversionStage.PhaseIterations) total = p.Total; }));
            return total;
        }
        var decodedPng = SpectrogramImageDecoder.Decode(png);
        Assert.True(ImageInversion.Plan(decodedPng).FromMetadata);
        Assert.False(ImageInversion.Plan(decodedPng, new InversionOptions { DurationSeconds = 2 }).FromMetadata);
        Assert.False(ImageInversion.Plan(decodedPng, null, useMetadata: false).FromMetadata);
        Assert.False(ImageInversion.Plan(SpectrogramImageDecoder.Decode(jpg)).FromMetadata);
        // the floor: none for the exact round trip, 10 dB for a picture, as given when given
        Assert.Null(ImageInversion.Plan(decodedPng).Options.ProjectionFloorDb);
        Assert.Equal(ImageInversion.PictureProjectionFloorDb, ImageInversion.Plan(SpectrogramImageDecoder.Decode(jpg)).Options.ProjectionFloorDb);
        Assert.Equal(3, ImageInversion.Plan(SpectrogramImageDecoder.Decode(jpg), new InversionOptions { ProjectionFloorDb = 3 }).Options.ProjectionFloorDb);
        // the axis: assumed (and said so) only when nothing is known
        Assert.Equal(FrameAxisSource.Assumed, ImageInversion.Plan(SpectrogramImageDecoder.Decode(jpg)).Axis.Source);
        Assert.Equal(FrameAxisSource.Metadata, ImageInversion.Plan(decodedPng).Axis.Source);
        Assert.Contains("guess", ImageInversion.Plan(SpectrogramImageDecoder.Decode(jpg)).Describe());
        Assert.Equal(InversionOptions.DefaultIterations, Iterations(png, new InversionOptions()));
        Assert.Equal(ImageInversion.PictureIterations, Iterations(png, new InversionOptions { DurationSeconds = clip.DurationSeconds }));
        Assert.Equal(ImageInversion.PictureIterations, Iterations(jpg, new InversionOptions { FramesPerColumn = 1 }));
        Assert.Equal(5, Iterations(jpg, new InversionOptions { FramesPerColumn = 1, Iterations = 5 }));
        Assert.Equal(InversionOptions.DefaultIterations, Iterations(jpg, new InversionOptions { FramesPerColumn = 1, Method = PhaseMethod.Fgla }));
    }

    [Fact]
    public void Png_with_metadata_inverts_to_the_original_length_and_level_and_beats_the_librosa_style_baseline_by_half()
    {
        using var files = new AudioTestFiles();
        var clip = Clip();
        var (png, refPower) = SavePng(clip, files.Dir);
        var decoded = SpectrogramImageDecoder.Decode(png);
        Assert.NotNull(decoded.Metadata);
        Assert.Equal(101, decoded.Metadata!.Frames);

        // Options say k = 4 and a peak of −1 dBFS; the metadata must win for the frame count, PeakDbfs = null keeps the level.
        var ours = ImageInversion.FromImage(decoded, new InversionOptions { PeakDbfs = null, FramesPerColumn = 4 });
        var baseline = ImageInversion.FromImage(decoded, new InversionOptions
        {
            PeakDbfs = null, PinvBaseline = true, Method = PhaseMethod.GriffinLim, MelConsistent = false,
        });

        Assert.Equal(clip.Samples.Length, ours.Samples.Length);   // hop·(T−1) = 512·100
        Assert.Equal(Hop * 100, baseline.Samples.Length);
        Assert.Equal(22050, ours.SampleRate);
        Assert.All(ours.Samples, v => Assert.True(float.IsFinite(v)));
        double peakDiff = PeakDb(ours.Samples) - PeakDb(clip.Samples);
        var m = QualityMetrics.Compare(clip, ours);
        var b = QualityMetrics.Compare(clip, baseline);
        output.WriteLine($"ref power {refPower:G4}; peak diff {peakDiff:F2} dB; ours mel-SC {m.MelSc:F4} SC {m.Sc:F4} LSD {m.LsdDb:F2} dB; baseline mel-SC {b.MelSc:F4} SC {b.Sc:F4} LSD {b.LsdDb:F2} dB");
        Assert.True(Math.Abs(peakDiff) < 3, $"peak differs by {peakDiff:F2} dB (tolerance ±3 dB)");
        Assert.True(m.MelSc <= 0.5 * b.MelSc, $"ours mel-SC {m.MelSc:F4} must be ≤ half the baseline's {b.MelSc:F4}");
        Assert.True(m.MelSc < 0.08, $"ours mel-SC {m.MelSc:F4} (measured 0.033; tolerance < 0.08)");
        Assert.True(m.Sc < b.Sc, $"ours linear SC {m.Sc:F4} must be below the baseline's {b.Sc:F4}");
    }

    [Fact]
    public void Png_with_metadata_at_fewer_columns_than_frames_still_gets_the_true_length()
    {
        using var files = new AudioTestFiles();
        var clip = Clip();
        var (png, _) = SavePng(clip, files.Dir, new RenderOptions { Width = 40, Height = 128 });   // 40 columns show 40 of 101 frames
        var decoded = SpectrogramImageDecoder.Decode(png);
        var audio = ImageInversion.FromImage(decoded, new InversionOptions { Iterations = 4 });
        Assert.Equal(clip.Samples.Length, audio.Samples.Length);
        Assert.Equal(-1.0, PeakDb(audio.Samples), 1);                // default PeakDbfs = −1
    }

    [Fact]
    public void Duration_overrides_the_metadata_and_useMetadata_false_uses_frames_per_column()
    {
        using var files = new AudioTestFiles();
        var (png, _) = SavePng(Clip(), files.Dir, new RenderOptions { Width = 50, Height = 128 });
        var decoded = SpectrogramImageDecoder.Decode(png);
        var byDuration = ImageInversion.FromImage(decoded, new InversionOptions { DurationSeconds = 1.5, Iterations = 2 });
        Assert.Equal(Hop * (33075 / Hop), byDuration.Samples.Length);   // 33075 samples → 1 + 64 frames, librosa's length
        var byColumns = ImageInversion.FromImage(decoded, new InversionOptions { FramesPerColumn = 3, Iterations = 2 }, useMetadata: false);
        Assert.Equal(Hop * (50 * 3 - 1), byColumns.Samples.Length);
    }

    [Fact]
    public void Jpeg_without_metadata_uses_frames_per_column_or_duration()
    {
        using var files = new AudioTestFiles();
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(Clip()), DbOptions.MakeMels);
        var jpg = System.IO.Path.Combine(files.Dir, "clip.jpg");
        MelImage.Save(jpg, db, new RenderOptions { Width = 64, Height = 128 });
        var decoded = SpectrogramImageDecoder.Decode(jpg);
        Assert.Null(decoded.Metadata);

        var k2 = ImageInversion.FromFile(jpg, new InversionOptions { FramesPerColumn = 2, Iterations = 2 });
        Assert.Equal(Hop * (64 * 2 - 1), k2.Samples.Length);
        var d = ImageInversion.FromImage(decoded, new InversionOptions { DurationSeconds = 2.0, Iterations = 2 });
        Assert.Equal(Hop * (44100 / Hop), d.Samples.Length);          // 1 + ⌊44100/512⌋ frames
        Assert.All(d.Samples, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(-1.0, PeakDb(d.Samples), 1);
    }

    [Fact]
    public void One_frame_png_honours_its_metadata()
    {
        // a 0.01-s clip: 220 samples, one STFT frame. It used to invert to 640·4 frames (59.4 s).
        using var files = new AudioTestFiles();
        var full = PianoSynth.RenderFurEliseOpening();
        var clip = full with { Samples = full.Samples[4000..4220] };
        var (png, _) = SavePng(clip, files.Dir);
        var decoded = SpectrogramImageDecoder.Decode(png);
        Assert.Equal(1, decoded.Metadata!.Frames);
        var audio = ImageInversion.FromImage(decoded, new InversionOptions { Iterations = 4 });
        Assert.Equal(220, audio.Samples.Length);
        Assert.All(audio.Samples, v => Assert.True(float.IsFinite(v)));
        Assert.True(audio.Samples.Any(v => v != 0), "silent output");
    }

    [Fact]
    public void Exact_frame_count_places_column_c_at_the_pixel_rule_frame()
    {
        using var files = new AudioTestFiles();
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(Clip()), DbOptions.MakeMels);
        var jpg = System.IO.Path.Combine(files.Dir, "clip.jpg");
        MelImage.Save(jpg, db, new RenderOptions { Width = 64, Height = 128 });
        var audio = ImageInversion.FromFile(jpg, new InversionOptions { Frames = 101, Iterations = 2 });
        Assert.Equal(Hop * 100, audio.Samples.Length);
        Assert.Throws<InversionException>(() => ImageInversion.FromFile(jpg, new InversionOptions { FramesPerColumn = 10_000 }));
    }

    /// <summary>Issue 8, silence in, silence out: the PNG of all-zero audio (ref_power 0 in its metadata) failed with
    /// "ReferencePower=0 must be finite and > 0", its JPEG and blank pictures became 59 s of loud noise. Now each is
    /// silent audio of the length the picture implies.</summary>
    [Fact]
    public void Pictures_of_silence_invert_to_silence()
    {
        var dir = Directory.CreateTempSubdirectory("speclora-silence-");
        try
        {
            var silence = new AudioClip(new float[Hop * 100], 22050);
            var (png, refPower) = SavePng(silence, dir.FullName);
            Assert.Equal(0f, refPower);
            var fromPng = ImageInversion.FromFile(png);
            Assert.All(fromPng.Samples, v => Assert.Equal(0f, v));
            Assert.Equal(silence.Length, fromPng.Length);          // the metadata's frame count still sets the length

            var db = Decibels.PowerToDb(MelSpectrogram.Compute(silence), DbOptions.MakeMels, out _);
            var jpg = System.IO.Path.Combine(dir.FullName, "clip.jpg");
            MelImage.Save(jpg, db);
            var fromJpg = ImageInversion.FromFile(jpg, new InversionOptions { DurationSeconds = 2 });
            Assert.All(fromJpg.Samples, v => Assert.Equal(0f, v));
            Assert.InRange(fromJpg.DurationSeconds, 1.9, 2.1);

            var loud = ImageInversion.FromFile(SavePng(Clip(), dir.CreateSubdirectory("loud").FullName).Path);
            output.WriteLine($"silent PNG → {fromPng.DurationSeconds:F2} s of silence; a real clip's peak {PeakDb(loud.Samples):F1} dBFS");
            Assert.True(PeakDb(loud.Samples) > -2);
        }
        finally { dir.Delete(true); }
    }
}
