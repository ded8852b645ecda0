using System.Numerics;
using SpecLora.Analysis;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Jobs;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;
using Xunit.Abstractions;

namespace SpecLora.Tests.Analysis;

public class PictureKeyTests(ITestOutputHelper output)
{
    /// <summary>I–IV–V–I in <paramref name="tonic"/> (MIDI note of the tonic near middle C): triads in the middle
    /// register, the root in the bass, 0.6 s per chord, twice.</summary>
    private static Spectrogram CadenceMel(int tonic, bool major) =>
        Decibels.PowerToDb(MelSpectrogram.Compute(Cadence(tonic, major, 22050)), DbOptions.MakeMels);

    private static AudioClip Cadence(int tonic, bool major, int sampleRate)
    {
        int third = major ? 4 : 3, sixth = major ? 9 : 8;
        int[][] chords = [[0, third, 7], [5, sixth, 12], [7, 11, 14], [0, third, 7]];
        var notes = new List<PianoNote>();
        double t = 0;
        for (int rep = 0; rep < 2; rep++)
            foreach (var c in chords)
            {
                notes.Add(new PianoNote(tonic - 24 + c[0], t, 0.6));
                foreach (var i in c) notes.Add(new PianoNote(tonic + i, t, 0.6));
                t += 0.6;
            }
        return PianoSynth.Render(notes, sampleRate);
    }

    [Theory]
    [InlineData(63, true, "E♭ major")]
    [InlineData(57, false, "A minor")]
    [InlineData(61, false, "C♯ minor")]
    [InlineData(66, true, "F♯ major")]
    public void A_cadence_reads_its_key_from_its_mel_and_from_its_picture(int tonic, bool major, string expected)
    {
        var db = CadenceMel(tonic, major);
        var fromMel = PictureKey.Estimate(db);
        var jpeg = SpectrogramImageDecoder.Decode(MelImage.EncodeJpeg(SpectrogramRenderer.Render(db)), null, "cadence.jpg");
        var fromPicture = PictureKey.Estimate(jpeg.Db);
        output.WriteLine($"{expected}: mel {fromMel.Name} {fromMel.Clarity:F3} (margin {fromMel.Margin:F3}); JPEG {fromPicture.Name} {fromPicture.Clarity:F3}");
        Assert.Equal(expected, fromMel.Name);
        Assert.Equal(expected, fromPicture.Name);
        Assert.True(fromPicture.Clarity > 0.6, $"clarity {fromPicture.Clarity:F3}");
    }

    [Fact]
    public void The_hann_response_is_the_windows_own_spectrum()
    {
        const int n = 2048;
        foreach (double delta in new[] { 0.0, 0.3, 1.0, 1.5, 2.0, 3.7, 8.0 })
        {
            Complex s = 0; double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / n);
                s += w * Complex.FromPolarCoordinates(1, 2 * Math.PI * delta * i / n);
                sum += w;
            }
            double direct = s.Magnitude * s.Magnitude / (sum * sum);
            Assert.Equal(direct, PictureKey.HannPower(delta, n), 9);
        }
    }

    [Fact]
    public void Semitones_are_resolved_from_c5_and_whole_tones_from_c4()
    {
        var fb = MelFilterBank.Get(new MelOptions());
        double W(int m) => PictureKey.BandWidthSemitones(fb, m, 22050, 2048);
        Assert.InRange(fb.CentersHz[19], 515, 517);
        Assert.True(W(19) <= 1.0 && W(18) > 1.0, $"band 18 {W(18):F3}, band 19 {W(19):F3} semitones");
        Assert.True(W(9) <= 2.0 && W(8) > 2.0, $"band 8 {W(8):F3}, band 9 {W(9):F3} semitones");
        Assert.InRange(W(80), 0.44, 0.5);   // above 1 kHz about half a semitone
    }

    [Fact]
    public void A_silent_picture_has_no_key_and_a_wrong_band_count_is_one_sentence()
    {
        var silent = new Spectrogram { Data = Enumerable.Repeat(-80f, 128 * 50).ToArray(), Bins = 128, Frames = 50, Scale = SpectrogramScale.Db };
        var r = PictureKey.Estimate(silent);
        Assert.Equal(0, r.ColumnsUsed);
        Assert.Equal(0, r.Clarity);
        Assert.All(r.PitchClasses, v => Assert.Equal(0, v));
        var e = Assert.Throws<ArgumentException>(() => PictureKey.Estimate(silent with { Bins = 64, Data = new float[64 * 50] }));
        Assert.Contains("64 bands", e.Message);
        Assert.Contains("128", e.Message);
    }

    [Fact]
    public void Invalid_options_are_all_reported_with_their_values()
    {
        var e = Assert.Throws<ArgumentException>(() => new PictureKeyOptions { ReferenceHz = 10, Partials = 0, Iterations = -1, MaxColumns = 0 }.Validate());
        foreach (var part in new[] { "ReferenceHz=10", "Partials=0", "Iterations=-1", "MaxColumns=0" }) Assert.Contains(part, e.Message);
        var low = Assert.Throws<ArgumentException>(() => new PictureKeyOptions { Mel = new MelOptions { SampleRate = 100, NMels = 8 } }.Validate());
        Assert.Contains("Nyquist", low.Message);
        // audio sampled at 4 kHz: the octave that reaches 2 kHz is left out, the rest is read
        Assert.Equal(6, new PictureKeyOptions { Mel = new MelOptions { SampleRate = 4000 } }.FittingOctaves());
    }

    [Fact]
    public void The_analyser_reads_the_key_of_audio_at_8_khz_from_the_octaves_below_nyquist()
    {
        var a = MusicAnalyzer.Analyze(Cadence(63, true, 8000), name: "cadence-8k");
        output.WriteLine($"{a.Key} {a.KeyClarity:F3} ({a.Sources["key"]})");
        Assert.Equal("E♭ major", a.Key);
        Assert.StartsWith("audio (dB mel", a.Sources["key"]);
    }

    [Fact]
    public void At_most_max_columns_are_read()
    {
        var db = CadenceMel(60, true);
        var few = PictureKey.Estimate(db, new PictureKeyOptions { MaxColumns = 20 });
        Assert.InRange(few.ColumnsUsed, 1, 20);
        Assert.Equal("C major", few.Name);
    }

    [SkippableFact]
    public void Fur_elise_reads_a_minor_from_its_audio_and_from_its_pictures()
    {
        var clipPath = Golden.RequireShared("corpus", "beethoven_elise_15s.wav");
        foreach (var ext in new[] { "jpg", "png" })
        {
            var whole = PictureKey.Estimate(SpectrogramImageDecoder.Decode(Golden.RequireShared("corpus", "pieces", $"beethoven_elise.{ext}")).Db);
            output.WriteLine($"whole piece {ext}: {whole.Name} {whole.Clarity:F3}");
            Assert.Equal("A minor", whole.Name);
        }
        var audio = AnalysisBatch.AnalyzeFile(clipPath);
        output.WriteLine($"15-s clip audio: {audio.Key} {audio.KeyClarity:F3}");
        Assert.Equal("A minor", audio.Key);
        var dir = Directory.CreateTempSubdirectory("speclora-key-");
        try
        {
            var clip = AudioLoader.Load(clipPath, new AudioLoadOptions { SampleRate = 22050 });
            foreach (var ext in new[] { "jpg", "png" })
            {
                var pic = MelBatch.Draw(clip, Path.Combine(dir.FullName, $"elise.{ext}"));
                var k = PictureKey.Estimate(SpectrogramImageDecoder.Decode(pic.Path).Db);
                output.WriteLine($"15-s clip picture {ext}: {k.Name} {k.Clarity:F3}");
                Assert.Equal("A minor", k.Name);
                Assert.Equal(audio.KeyClarity, k.Clarity, 1);   // one measure: the clip and its picture read alike
            }
        }
        finally { dir.Delete(true); }
    }

    /// <summary>The hit-rate table of lib/SpecLora/Analysis/README.md ("Key: measured on the reference pieces"), rebuilt
    /// from ../shared/corpus/pieces: each movement's picture (JPEG and PNG) read by <see cref="PictureKey"/> against the key
    /// its README lists; exact, dominant (a fifth above, same mode), relative, parallel, other, and the MIREX weighted
    /// score (1, 0.5, 0.3, 0.2). Run with <c>--logger "console;verbosity=detailed"</c> to see the table.</summary>
    [SkippableFact]
    public void The_reference_pieces_read_their_keys()
    {
        var dir = Golden.RequireShared("corpus", "pieces");
        var keys = File.ReadLines(Path.Combine(dir, "README.md"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| (beethoven_\w+) \|[^|]*\| ([A-G][♭♯]?) (major|minor) \|"))
            .Where(m => m.Success).ToDictionary(m => m.Groups[1].Value, m => (Tonic: PitchClass(m.Groups[2].Value), Major: m.Groups[3].Value == "major"));
        Assert.Equal(22, keys.Count);
        foreach (var ext in new[] { "jpg", "png" })
        {
            var counts = new Dictionary<string, int> { ["exact"] = 0, ["dominant"] = 0, ["relative"] = 0, ["parallel"] = 0, ["other"] = 0 };
            foreach (var (piece, truth) in keys)
            {
                var k = PictureKey.Estimate(SpectrogramImageDecoder.Decode(Path.Combine(dir, $"{piece}.{ext}")).Db).Key;
                int rel = truth.Major ? 9 : 3;   // relative minor a minor third below, relative major a minor third above
                string what = k.Tonic == truth.Tonic && k.IsMajor == truth.Major ? "exact"
                    : k.IsMajor == truth.Major && k.Tonic == (truth.Tonic + 7) % 12 ? "dominant"
                    : k.IsMajor != truth.Major && k.Tonic == (truth.Tonic + rel) % 12 ? "relative"
                    : k.IsMajor != truth.Major && k.Tonic == truth.Tonic ? "parallel" : "other";
                counts[what]++;
                if (what != "exact") output.WriteLine($"{piece}.{ext}: {KeyFinder.Spell(truth.Tonic, truth.Major)} read as {k.Name} ({what}, margin {k.Margin:F3})");
            }
            double mirex = (counts["exact"] + 0.5 * counts["dominant"] + 0.3 * counts["relative"] + 0.2 * counts["parallel"]) / keys.Count;
            output.WriteLine($"{ext}: exact {counts["exact"]}, dominant {counts["dominant"]}, relative {counts["relative"]}, parallel {counts["parallel"]}, other {counts["other"]}; MIREX {mirex:F3}");
            Assert.True(counts["exact"] >= 18, $"{ext}: only {counts["exact"]} of 22 exact");
        }
    }

    private static int PitchClass(string name)
    {
        int pc = "C D EF G A B".IndexOf(name[0]);
        if (name.Length > 1) pc += name[1] == '♯' ? 1 : -1;
        return (pc + 12) % 12;
    }
}
