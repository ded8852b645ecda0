using SpecLora.Audio;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Audio;

public class PianoSynthTests
{
    private static readonly Lazy<AudioClip> FurElise = new(() => PianoSynth.RenderFurEliseOpening());

    private static string CommittedClip => Path.Combine(Golden.RepoRoot, "data", "audio", "fur-elise-theme.wav");

    /// <summary>Regenerates the committed clip and compares within 1 LSB of 16-bit PCM.
    /// Set SPECLORA_WRITE_DATA=1 to (re)write data/audio/fur-elise-theme.wav from the synthesiser.</summary>
    [Fact]
    public void Committed_fur_elise_clip_equals_a_fresh_render_within_1_LSB()
    {
        var clip = FurElise.Value;
        if (Environment.GetEnvironmentVariable("SPECLORA_WRITE_DATA") == "1") WavFile.Write(CommittedClip, clip, WavSampleFormat.Pcm16);
        var committed = WavFile.Read(CommittedClip);
        Assert.Equal(22050, committed.SampleRate);
        Assert.Equal(1, committed.ChannelCount);
        Assert.Equal(clip.Length, committed.Frames);
        double maxDiff = Golden.MaxAbsDiff(committed.Channels[0], clip.Samples);
        Assert.True(maxDiff <= 1.0 / 32768 + 1e-7, $"max diff {maxDiff * 32768:F2} LSB > 1 LSB");
        Assert.True(new FileInfo(CommittedClip).Length <= 500_000);
    }

    [Fact]
    public void Fur_elise_opening_is_8_to_10_seconds_and_peaks_at_half_scale()
    {
        var clip = FurElise.Value;
        Assert.InRange(clip.DurationSeconds, 8, 10.5);
        Assert.Equal(0.5f, clip.Samples.Max(Math.Abs), 1e-6f);
        Assert.Equal(PianoSynth.NoteNameToMidi("E5"), PianoSynth.FurEliseOpening[0].MidiNote);
    }

    [Theory]
    [InlineData("A4", 69)]
    [InlineData("C4", 60)]
    [InlineData("D#5", 75)]
    [InlineData("Eb5", 75)]
    [InlineData("A0", 21)]
    [InlineData("C8", 108)]
    public void Note_names_map_to_midi(string name, int midi) => Assert.Equal(midi, PianoSynth.NoteNameToMidi(name));

    [Fact]
    public void A4_has_its_energy_at_440Hz_and_decays()
    {
        var clip = PianoSynth.Render([PianoNote.Named("A4", 0, 1.0)], 22050, 0.5);
        var y = clip.Samples;
        double At(double hz, int from, int len)
        {
            double re = 0, im = 0;
            for (int i = 0; i < len; i++) { double w = 2 * Math.PI * hz * i / 22050; re += y[from + i] * Math.Cos(w); im += y[from + i] * Math.Sin(w); }
            return Math.Sqrt(re * re + im * im);
        }
        Assert.True(At(440, 0, 4410) > 20 * At(415, 0, 4410), "440 Hz should dominate 415 Hz");
        Assert.True(At(440, 0, 4410) > 3 * At(440, 17640, 4410), "the note should decay");
        // Stretched partials: the 10th harmonic lies above 4400 Hz (inharmonicity).
        Assert.True(At(4400 * Math.Sqrt(1 + 4e-4 * 100), 0, 4410) > At(4400, 0, 4410));
    }

    [Fact]
    public void Renders_are_deterministic_and_bad_notes_are_rejected()
    {
        PianoNote[] notes = [PianoNote.Named("C4", 0, 0.3), PianoNote.Named("G4", 0.1, 0.3, 1.0)];
        Assert.Equal(PianoSynth.Render(notes).Samples, PianoSynth.Render(notes).Samples);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PianoSynth.Render([new PianoNote(120, 0, 1)]));
        Assert.Contains("MidiNote=120", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PianoSynth.Render([new PianoNote(60, 0, 0)]));
    }
}
