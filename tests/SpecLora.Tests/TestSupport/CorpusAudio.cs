namespace SpecLora.Tests.TestSupport;

/// <summary>Corpus clips for inversion tests, loaded as librosa.load does (our <see cref="SpecLora.Audio.AudioLoader"/>:
/// mono mean, soxr-HQ-like resampling to 22050 Hz).</summary>
public static class CorpusAudio
{
    /// <summary>The corpus clip <paramref name="name"/> at 22050 Hz mono, or skips when ../shared is absent.</summary>
    public static float[] Load22050(string name) => SpecLora.Audio.AudioLoader.Load(Golden.RequireShared("corpus", name)).Samples;
}
