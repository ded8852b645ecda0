namespace SpecLora.Audio;

/// <summary>
/// Decoded audio at its native rate and channel count, planar: <c>Channels[c][n]</c> is frame n of channel c, as
/// float32 in [-1, 1] (integer PCM is scaled as libsndfile/soundfile do: int16/32768 and so on).
/// </summary>
/// <param name="Channels">One array per channel, all of the same length. Never mutated by this library.</param>
/// <param name="SampleRate">Sampling rate in Hz.</param>
public sealed record RawAudio(float[][] Channels, int SampleRate)
{
    /// <summary>Number of channels.</summary>
    public int ChannelCount => Channels.Length;

    /// <summary>Number of frames (samples per channel).</summary>
    public int Frames => Channels.Length == 0 ? 0 : Channels[0].Length;

    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)Frames / SampleRate;

    /// <summary>Wraps a mono clip (no copy).</summary>
    public static RawAudio FromClip(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return new RawAudio([clip.Samples], clip.SampleRate);
    }

    /// <summary>
    /// The mean of the channels, in float32, summed in channel order then divided by the channel count
    /// (librosa <c>to_mono</c>, i.e. <c>np.mean(y, axis=0)</c>). A mono input is returned without copying.
    /// </summary>
    public AudioClip ToMono()
    {
        if (Channels.Length == 1) return new AudioClip(Channels[0], SampleRate);
        if (Channels.Length == 0) return new AudioClip([], SampleRate);
        int n = Frames;
        var mono = new float[n];
        Channels[0].AsSpan(0, n).CopyTo(mono);
        for (int c = 1; c < Channels.Length; c++)
            System.Numerics.Tensors.TensorPrimitives.Add(mono, Channels[c].AsSpan(0, n), mono);
        System.Numerics.Tensors.TensorPrimitives.Divide(mono, (float)Channels.Length, mono);
        return new AudioClip(mono, SampleRate);
    }

    /// <summary>Frames [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of every channel (copies).</summary>
    public RawAudio Slice(int start, int count)
    {
        if (start < 0 || start > Frames) throw new ArgumentOutOfRangeException(nameof(start), start, $"start={start} must be in 0..{Frames}");
        if (count < 0 || start + count > Frames) throw new ArgumentOutOfRangeException(nameof(count), count, $"count={count} must be in 0..{Frames - start}");
        if (start == 0 && count == Frames) return this;
        var ch = new float[Channels.Length][];
        for (int c = 0; c < ch.Length; c++) ch[c] = Channels[c].AsSpan(start, count).ToArray();
        return new RawAudio(ch, SampleRate);
    }
}
