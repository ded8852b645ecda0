using System.Globalization;

namespace SpecLora.Audio;

/// <summary>
/// The hard limits every audio file is checked against, in one place: by <see cref="WavFile"/> from the header before any
/// sample is allocated, and by <see cref="AudioLoader"/> after every decoder (WAV, Ogg Vorbis, MP3, ffmpeg). A file
/// outside them is refused with one sentence that names it and says what to do, never with an allocation failure.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Sample rate</b> <see cref="MinSampleRate"/>…<see cref="MaxSampleRate"/> Hz (1 kHz … 768 kHz): 768 kHz is the
/// highest rate audio interfaces record (DXD and "768k" DACs); below 1 kHz there is no audible band left for a mel
/// spectrogram, and a header that says 1 Hz would make resampling to 22,050 Hz multiply the length by 22,050.</item>
/// <item><b>Channels</b> 1…<see cref="MaxChannels"/> (1024, libsndfile's own limit, which <c>librosa.load</c> reads through).</item>
/// <item><b>Samples held at once</b>: at most <see cref="MaxSamples"/> = 2²⁸ (268,435,456 float32 values over all
/// channels, 1 GiB; 3 h 22 min of mono audio at 22,050 Hz, 46 min of stereo at 48 kHz), for the decoded part and again
/// for the resampled output. Longer audio is read in parts with <see cref="AudioLoadOptions.OffsetSeconds"/> and
/// <see cref="AudioLoadOptions.DurationSeconds"/>. Nothing is allocated from a size a header merely declares: buffers grow
/// with the samples actually decoded.</item>
/// <item><b>Sample values</b> finite and within ±<see cref="MaxSampleMagnitude"/> (±1,000,000; full scale is 1.0, so this
/// is 120 dB above it and still admits float files written in int16 units, ±32768). Beyond it a spectrogram's power
/// overflows float32 (1e30² is infinite), so such samples mean a corrupt file.</item>
/// </list>
/// </remarks>
internal static class AudioLimits
{
    /// <summary>Lowest sample rate read, in Hz (1 kHz).</summary>
    public const int MinSampleRate = 1_000;

    /// <summary>Highest sample rate read, in Hz (768 kHz).</summary>
    public const int MaxSampleRate = 768_000;

    /// <summary>Most channels read (libsndfile's limit).</summary>
    public const int MaxChannels = 1024;

    /// <summary>Most float32 samples (over all channels) one load holds, decoded or resampled: 2²⁸, 1 GiB.</summary>
    public const long MaxSamples = 1L << 28;

    /// <summary>Largest accepted |sample| (full scale is 1.0).</summary>
    public const float MaxSampleMagnitude = 1e6f;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The stated rate range, for messages: "1,000…768,000 Hz".</summary>
    internal static string SampleRateRange => string.Create(Inv, $"{MinSampleRate:N0}…{MaxSampleRate:N0} Hz");

    /// <summary>True when <paramref name="rate"/> is within <see cref="MinSampleRate"/>…<see cref="MaxSampleRate"/>.</summary>
    internal static bool IsSampleRateInRange(long rate) => rate is >= MinSampleRate and <= MaxSampleRate;

    /// <summary>Refuses a file whose rate is outside the range, before anything is allocated from it.</summary>
    /// <exception cref="AudioFormatException">The rate is outside 1 kHz … 768 kHz.</exception>
    internal static void CheckSampleRate(long rate, string name)
    {
        if (IsSampleRateInRange(rate)) return;
        throw new AudioFormatException(name,
            string.Create(Inv, $"its header says {rate:N0} Hz, outside the {SampleRateRange} this library reads (1 kHz is the least that leaves an audible band for a mel spectrogram; 768 kHz is the most audio interfaces record)"),
            "Re-export the file at a standard rate such as 44,100 or 48,000 Hz; if it was not made that way, the header is corrupt");
    }

    /// <summary>Refuses a channel count outside 1…<see cref="MaxChannels"/>.</summary>
    internal static void CheckChannels(long channels, string name)
    {
        if (channels is >= 1 and <= MaxChannels) return;
        throw new AudioFormatException(name,
            string.Create(Inv, $"its header says {channels:N0} channels, outside the 1…{MaxChannels:N0} this library reads"),
            channels == 0 ? "Re-export the file; a header with 0 channels holds no audio" : "Re-export the file with fewer channels (e.g. a stereo or mono mix); if it was not made that way, the header is corrupt");
    }

    /// <summary>Refuses holding <paramref name="samples"/> float32 values (over all channels) at once.</summary>
    /// <param name="samples">The count that would be allocated.</param>
    /// <param name="name">The file.</param>
    /// <param name="what">What they are, e.g. "the part to read holds" or "resampling to 22,050 Hz gives".</param>
    internal static void CheckSampleCount(long samples, string name, string what)
    {
        if (samples <= MaxSamples) return;
        throw TooManySamples(samples, name, what);
    }

    internal static AudioFormatException TooManySamples(long samples, string name, string what) =>
        new(name, string.Create(Inv, $"{what} {samples:N0} samples; one load holds at most {MaxSamples:N0} (1 GiB of float32)"),
            "Read it in parts with OffsetSeconds/DurationSeconds (speclora: --offset/--duration)");

    /// <summary>
    /// The rule for sample values, applied by <see cref="AudioLoader"/> after every decoder and by
    /// <see cref="WavFile.Read(string)"/>: every sample finite and within ±<see cref="MaxSampleMagnitude"/>.
    /// </summary>
    /// <exception cref="AudioFormatException">NaN, infinite or larger samples; the message gives how many, the first,
    /// and the largest magnitude.</exception>
    internal static void CheckSamples(RawAudio audio, string name)
    {
        for (int c = 0; c < audio.ChannelCount; c++)
        {
            var x = audio.Channels[c];
            int i = 0;
            // A plain loop (TensorPrimitives would be JIT-compiled in every process); !(|v| ≤ max) also catches NaN.
            while (i < x.Length && MathF.Abs(x[i]) <= MaxSampleMagnitude) i++;
            if (i < x.Length) throw BadSamples(audio, name, c, i);
        }
    }

    private static AudioFormatException BadSamples(RawAudio audio, string name, int firstChannel, int firstIndex)
    {
        long nan = 0, inf = 0, large = 0;
        float peak = 0;
        foreach (var x in audio.Channels)
            foreach (var v in x)
            {
                if (float.IsNaN(v)) nan++;
                else if (float.IsInfinity(v)) inf++;
                else if (MathF.Abs(v) > MaxSampleMagnitude) { large++; peak = MathF.Max(peak, MathF.Abs(v)); }
            }
        var first = audio.Channels[firstChannel][firstIndex];
        string where = string.Create(Inv, $"the first is sample {firstIndex:N0} of channel {firstChannel}, {first:G3}");
        static string Samples(long n) => string.Create(Inv, $"{n:N0} sample{(n == 1 ? " is" : "s are")}");
        string problem = nan + inf > 0 && large == 0
            ? string.Create(Inv, $"{Samples(nan + inf)} not finite ({nan:N0} NaN, {inf:N0} infinite; {where})")
            : string.Create(Inv, $"float samples reach {(inf > 0 ? "infinity" : peak.ToString("G3", Inv))} (full scale is 1.0; at most ±{MaxSampleMagnitude:N0} is read): {Samples(large + inf)} beyond it{(nan > 0 ? string.Create(Inv, $" and {nan:N0} NaN") : "")}, {where}");
        return new AudioFormatException(name, problem, "The file is probably corrupt: re-export it");
    }
}
