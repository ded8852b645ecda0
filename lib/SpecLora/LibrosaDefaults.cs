namespace SpecLora;

/// <summary>
/// librosa 0.10's defaults, in one place: every option record and metadata default of the pipeline reads them here
/// (<c>AudioLoadOptions</c>, <c>MelOptions</c>, <c>StftOptions</c>, <c>Spectrogram</c>, <c>MelImageMetadata</c>, …).
/// In the root namespace because the lowest stage (Audio) needs the sample rate too.
/// </summary>
internal static class LibrosaDefaults
{
    /// <summary>Sample rate in Hz that <c>librosa.load</c> resamples to (<c>sr=22050</c>).</summary>
    public const int SampleRate = 22050;

    /// <summary>FFT length in samples (<c>librosa.stft</c> / <c>feature.melspectrogram</c> <c>n_fft=2048</c>).</summary>
    public const int NFft = 2048;

    /// <summary>Hop in samples: librosa's <c>hop_length=None</c> is <c>win_length // 4</c>, with
    /// <c>win_length = n_fft</c> by default, so 512.</summary>
    public const int HopLength = NFft / 4;

    /// <summary>Number of mel bands (<c>feature.melspectrogram</c> / <c>filters.mel</c> <c>n_mels=128</c>).</summary>
    public const int NMels = 128;
}
