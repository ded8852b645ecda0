using System.Text.Json;
using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Tests.TestSupport;

/// <summary>
/// Small synthetic "pieces" drawn by the library itself: a seeded melody over chords played by <see cref="PianoSynth"/>,
/// its mel in dB (<c>power_to_db(ref=max)</c>), and, for the reference builder, a folder laid out like
/// ../shared/corpus/pieces (KEY.jpg drawn as makeMels draws it, index.json).
/// </summary>
public static class SyntheticPieces
{
    private static readonly int[] Scale = [0, 2, 4, 5, 7, 9, 11];

    /// <summary>A piece of <paramref name="seconds"/> seconds: eighth notes of a melody in the upper octaves, a chord of
    /// three notes every two beats below, phrases that return (the first four bars come back at the end).</summary>
    public static AudioClip Clip(int seed, double seconds = 16)
    {
        var rng = new Random(seed);
        int tonic = 57 + rng.Next(7);   // A3 … D#4
        double beat = 0.3 + 0.1 * rng.NextDouble();
        var notes = new List<PianoNote>();
        var phrase = new List<(int Midi, double Start, double Length)>();
        double t = 0;
        int degree = 0;
        while (t < Math.Min(seconds / 3, 4 * 4 * beat))
        {
            degree = Math.Clamp(degree + rng.Next(-2, 3), -3, 9);
            int midi = tonic + 12 + Scale[((degree % 7) + 7) % 7] + 12 * (int)Math.Floor(degree / 7.0);
            double length = beat / 2 * (1 + rng.Next(2));
            phrase.Add((midi, t, length));
            t += length;
        }
        double phraseLength = t;
        for (double start = 0; start + phraseLength <= seconds; start += phraseLength)
        {
            int shift = start == 0 || start + 2 * phraseLength > seconds ? 0 : Scale[rng.Next(1, 5)];
            foreach (var (midi, s, length) in phrase) notes.Add(new PianoNote(Math.Min(100, midi + shift), start + s, length, 0.5 + 0.4 * rng.NextDouble()));
        }
        for (double start = 0; start < seconds - beat; start += 2 * beat)
        {
            int root = tonic - 12 + Scale[rng.Next(7)];
            foreach (var interval in new[] { 0, 4, 7 }) notes.Add(new PianoNote(root + interval, start, 2 * beat, 0.45));
        }
        return PianoSynth.Render(notes, tailSeconds: 0.5);
    }

    /// <summary>The piece's mel in dB as makeMels computes it (librosa defaults, ref = max, top_db 80).</summary>
    public static Spectrogram Mel(int seed, double seconds = 16) =>
        Decibels.PowerToDb(MelSpectrogram.Compute(Clip(seed, seconds)), DbOptions.MakeMels);

    /// <summary>The piece's mel on a 640-column grid (every frame point-sampled as specshow draws it), bins × 640.</summary>
    public static Spectrogram Mel640(int seed, double seconds = 16)
    {
        var db = Mel(seed, seconds);
        var data = new float[db.Bins * 640];
        for (int b = 0; b < db.Bins; b++)
            for (int c = 0; c < 640; c++) data[b * 640 + c] = db.Data[b * db.Frames + Math.Min(db.Frames - 1, (int)((c + 0.5) * db.Frames / 640))];
        return db with { Data = data, Frames = 640 };
    }

    /// <summary>Writes <paramref name="count"/> pieces (KEY.jpg, drawn 640×480 magma JPEG q75) and index.json into
    /// <paramref name="folder"/>; returns the keys.</summary>
    public static IReadOnlyList<string> WriteFolder(string folder, int count = 3, double seconds = 16)
    {
        Directory.CreateDirectory(folder);
        var keys = Enumerable.Range(1, count).Select(i => $"synthetic_{i}").ToList();
        for (int i = 0; i < count; i++) MelImage.Save(Path.Combine(folder, keys[i] + ".jpg"), Mel(100 + i, seconds));
        File.WriteAllText(Path.Combine(folder, "index.json"), JsonSerializer.Serialize(keys.Select(k => new { key = k })));
        return keys;
    }
}
