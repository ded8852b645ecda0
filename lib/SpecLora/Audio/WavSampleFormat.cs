namespace SpecLora.Audio;

/// <summary>Sample encodings of a RIFF/WAVE file (soundfile <c>subtype</c>).</summary>
public enum WavSampleFormat
{
    /// <summary>8-bit unsigned PCM (soundfile <c>PCM_U8</c>).</summary>
    Pcm8,
    /// <summary>16-bit signed PCM (soundfile <c>PCM_16</c>); the default for writing.</summary>
    Pcm16,
    /// <summary>24-bit signed PCM (soundfile <c>PCM_24</c>).</summary>
    Pcm24,
    /// <summary>32-bit signed PCM (soundfile <c>PCM_32</c>).</summary>
    Pcm32,
    /// <summary>32-bit IEEE float (soundfile <c>FLOAT</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (soundfile <c>DOUBLE</c>).</summary>
    Float64,
}
