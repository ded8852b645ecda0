namespace SpecLora.Audio;

/// <summary>One key press for <see cref="PianoSynth"/>.</summary>
/// <param name="MidiNote">MIDI key number (60 = C4 = middle C, 69 = A4 = 440 Hz), 21..108.</param>
/// <param name="StartSeconds">Onset time in seconds, ≥ 0.</param>
/// <param name="DurationSeconds">How long the key (or pedal) is held, in seconds, &gt; 0; the string then damps in ~0.1 s.</param>
/// <param name="Velocity">Loudness and brightness in (0, 1]. Default 0.7.</param>
public sealed record PianoNote(int MidiNote, double StartSeconds, double DurationSeconds, double Velocity = 0.7)
{
    /// <summary>A note given by name ("A4", "D#5", "Bb3", "G#2").</summary>
    public static PianoNote Named(string name, double startSeconds, double durationSeconds, double velocity = 0.7) =>
        new(PianoSynth.NoteNameToMidi(name), startSeconds, durationSeconds, velocity);

    /// <summary>Fundamental frequency in Hz (equal temperament, A4 = 440 Hz).</summary>
    public double FrequencyHz => 440.0 * Math.Pow(2, (MidiNote - 69) / 12.0);
}

/// <summary>
/// A small, deterministic additive-synthesis piano: enough to give the notebooks and tests a real-sounding,
/// pitched, decaying signal with no recordings at all. It made <c>data/audio/fur-elise-theme.wav</c>.
/// </summary>
/// <remarks>
/// Each note is a sum of partials n = 1, 2, … below 0.45·sr (at most 40):
/// <list type="bullet">
/// <item>frequency <c>f_n = n·f₀·√(1 + B·n²)</c>, stiff-string inharmonicity B = 4·10⁻⁴ (stretched partials);</item>
/// <item>amplitude <c>v·n^−(1.6 − 0.6v)</c>: louder notes are brighter;</item>
/// <item>a two-stage ("prompt" then "aftersound") exponential decay <c>0.75·e^(−t/τₙ/5) + 0.25·e^(−t/τₙ)</c>, with
/// <c>τₙ = τ₁/(1 + 0.4(n − 1))</c> and τ₁ = 3·(220/f₀)^0.6 s clamped to [0.4, 6] (low notes ring longer,
/// high partials die first);</item>
/// <item>a 4 ms raised-cosine attack (soft hammer) and, after the key is released, a 0.1 s damper decay.</item>
/// </list>
/// All arithmetic is in double precision with phasor recurrences, no randomness, so renders are identical
/// run to run (and across machines to far below one 16-bit LSB). The mix is scaled to a peak of 0.5.
/// </remarks>
public static class PianoSynth
{
    private const double Inharmonicity = 4e-4;
    private const double PeakLevel = 0.5;

    /// <summary>Renders <paramref name="notes"/> to a mono clip.</summary>
    /// <param name="notes">The notes, in any order.</param>
    /// <param name="sampleRate">Output rate in Hz. Default 22050.</param>
    /// <param name="tailSeconds">Silence-bound ringing kept after the last release, in seconds. Default 1.</param>
    /// <returns>Samples scaled to a peak of 0.5, length ceil((last release + tail)·sr).</returns>
    /// <example>
    /// <code>
    /// var higher = PianoSynth.FurEliseOpening.Select(n =&gt; n with { MidiNote = n.MidiNote + 5 }).ToList();   // a fourth up
    /// AudioClip clip = PianoSynth.Render(higher);
    /// </code>
    /// Notebook: <c>notebooks/07-is-it-music.ipynb</c>.
    /// </example>
    public static AudioClip Render(IReadOnlyList<PianoNote> notes, int sampleRate = LibrosaDefaults.SampleRate, double tailSeconds = 1.0)
    {
        ArgumentNullException.ThrowIfNull(notes);
        if (notes.Count == 0) throw new ArgumentException("no notes to render", nameof(notes));
        if (sampleRate < 4000) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate={sampleRate} must be ≥ 4000 Hz");
        if (!(tailSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(tailSeconds), tailSeconds, $"tailSeconds={tailSeconds} must be ≥ 0");
        double end = 0;
        foreach (var n in notes)
        {
            if (n.MidiNote is < 21 or > 108) throw new ArgumentOutOfRangeException(nameof(notes), n.MidiNote, $"MidiNote={n.MidiNote} must be a piano key, 21..108");
            if (!(n.StartSeconds >= 0) || double.IsInfinity(n.StartSeconds)) throw new ArgumentOutOfRangeException(nameof(notes), n.StartSeconds, $"StartSeconds={n.StartSeconds} must be ≥ 0");
            if (!(n.DurationSeconds > 0) || double.IsInfinity(n.DurationSeconds)) throw new ArgumentOutOfRangeException(nameof(notes), n.DurationSeconds, $"DurationSeconds={n.DurationSeconds} must be > 0");
            if (!(n.Velocity > 0 && n.Velocity <= 1)) throw new ArgumentOutOfRangeException(nameof(notes), n.Velocity, $"Velocity={n.Velocity} must be in (0, 1]");
            end = Math.Max(end, n.StartSeconds + n.DurationSeconds);
        }
        int length = (int)Math.Ceiling((end + tailSeconds) * sampleRate);
        var mix = new double[length];
        foreach (var n in notes) AddNote(mix, n, sampleRate);
        double peak = 0;
        foreach (var v in mix) peak = Math.Max(peak, Math.Abs(v));
        double gain = peak > 0 ? PeakLevel / peak : 0;
        var y = new float[length];
        for (int i = 0; i < length; i++) y[i] = (float)(mix[i] * gain);
        return new AudioClip(y, sampleRate);
    }

    private static void AddNote(double[] mix, PianoNote note, int sr)
    {
        double f0 = note.FrequencyHz, v = note.Velocity;
        int start = (int)Math.Round(note.StartSeconds * sr);
        int release = (int)Math.Round(note.DurationSeconds * sr);
        int stop = Math.Min(mix.Length - start, release + (int)(0.8 * sr));
        int attack = Math.Max(1, (int)(0.004 * sr));
        double tau1 = Math.Clamp(3.0 * Math.Pow(220.0 / f0, 0.6), 0.4, 6.0);
        double slope = 1.6 - 0.6 * v;
        double damp = Math.Exp(-1.0 / (0.1 * sr));
        for (int h = 1; h <= 40; h++)
        {
            double fh = h * f0 * Math.Sqrt(1 + Inharmonicity * h * h);
            if (fh >= 0.45 * sr) break;
            double amp = v * Math.Pow(h, -slope);
            double tau = tau1 / (1 + 0.4 * (h - 1));
            double dSlow = Math.Exp(-1.0 / (tau * sr)), dFast = Math.Exp(-5.0 / (tau * sr));
            double w = 2 * Math.PI * fh / sr, wr = Math.Cos(w), wi = Math.Sin(w);
            double cr = 1, ci = 0, eSlow = 0.25 * amp, eFast = 0.75 * amp, eRel = 1;
            for (int i = 0; i < stop; i++)
            {
                double env = (eSlow + eFast) * eRel;
                if (i < attack) env *= 0.5 - 0.5 * Math.Cos(Math.PI * i / attack);
                mix[start + i] += env * ci;
                double nr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = nr;
                eSlow *= dSlow;
                eFast *= dFast;
                if (i >= release) eRel *= damp;
                // Stop once this partial is below −160 dB of a full-scale note (far below one 16-bit LSB).
                if ((i & 255) == 255 && (eSlow + eFast) * eRel < 1e-8) break;
            }
        }
    }

    /// <summary>MIDI key number of a note name: letter A–G, optional '#' or 'b', octave (C4 = 60, A4 = 69).</summary>
    public static int NoteNameToMidi(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int semitone = char.ToUpperInvariant(name[0]) switch
        {
            'C' => 0, 'D' => 2, 'E' => 4, 'F' => 5, 'G' => 7, 'A' => 9, 'B' => 11,
            _ => throw new ArgumentException($"note name \"{name}\" must start with A–G", nameof(name)),
        };
        int i = 1;
        if (i < name.Length && name[i] == '#') { semitone++; i++; }
        else if (i < name.Length && name[i] == 'b') { semitone--; i++; }
        if (!int.TryParse(name.AsSpan(i), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int octave))
            throw new ArgumentException($"note name \"{name}\" must end with an octave number, e.g. \"A4\"", nameof(name));
        return 12 * (octave + 1) + semitone;
    }

    /// <summary>Seconds per sixteenth note in <see cref="FurEliseOpening"/> (dotted quarter ≈ 62.5 per minute).</summary>
    public const double FurEliseSixteenthSeconds = 0.16;

    /// <summary>
    /// The opening of Beethoven's "Für Elise" (WoO 59, bars 0–8: the pick-up and the A section's first phrase),
    /// both hands; public-domain notes. Right-hand sixteenths are slightly legato, left-hand arpeggios are held
    /// (as with the pedal) to the end of their bar, and the final A minor chord rings for 1.2 s.
    /// </summary>
    public static IReadOnlyList<PianoNote> FurEliseOpening { get; } = BuildFurElise();

    /// <summary>Renders <see cref="FurEliseOpening"/> (≈ 9.7 s). This made <c>data/audio/fur-elise-theme.wav</c>
    /// (22050 Hz, 16-bit).</summary>
    public static AudioClip RenderFurEliseOpening(int sampleRate = LibrosaDefaults.SampleRate) => Render(FurEliseOpening, sampleRate);

    private static IReadOnlyList<PianoNote> BuildFurElise()
    {
        const double s = FurEliseSixteenthSeconds;
        var notes = new List<PianoNote>();
        int t = 0; // in sixteenths
        void Rh(string name, int at, int len = 1, double vel = 0.62) => notes.Add(PianoNote.Named(name, at * s, len * s * 1.15, vel));
        void Lh(string[] names, int bar, int holdTo = 6)
        {
            for (int k = 0; k < names.Length; k++) notes.Add(PianoNote.Named(names[k], (bar + k) * s, (holdTo - k) * s, 0.45));
        }
        void Motif(int at) { string[] m = ["E5", "D#5", "E5", "B4", "D5", "C5"]; for (int k = 0; k < 6; k++) Rh(m[k], at + k, 1, k == 0 ? 0.68 : 0.6); }
        void Arrival(string top, string[] lh, string[] rhUp, int at, int hold = 2)
        {
            Rh(top, at, hold, 0.66);
            Lh(lh, at);
            for (int k = 0; k < rhUp.Length; k++) Rh(rhUp[k], at + 3 + k);
        }
        string[] am = ["A2", "E3", "A3"], e = ["E2", "E3", "G#3"];
        Rh("E5", t++); Rh("D#5", t++);                                   // pick-up
        Motif(t); t += 6;                                                // bar 1
        Arrival("A4", am, ["C4", "E4", "A4"], t); t += 6;                // bar 2
        Arrival("B4", e, ["E4", "G#4", "B4"], t); t += 6;                // bar 3
        Arrival("C5", am, ["E4", "E5", "D#5"], t); t += 6;               // bar 4
        Motif(t); t += 6;                                                // bar 5
        Arrival("A4", am, ["C4", "E4", "A4"], t); t += 6;                // bar 6
        Arrival("B4", e, ["E4", "C5", "B4"], t); t += 6;                 // bar 7
        // bar 8: the phrase ends on A, held over an A minor arpeggio.
        notes.Add(PianoNote.Named("A4", t * s, 1.2 + 3 * s, 0.64));
        for (int k = 0; k < am.Length; k++) notes.Add(PianoNote.Named(am[k], (t + k) * s, 1.2 + (3 - k) * s, 0.45));
        return notes;
    }
}
