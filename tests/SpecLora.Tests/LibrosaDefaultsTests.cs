using SpecLora.Audio;
using SpecLora.Imaging;
using SpecLora.Spectrograms;

namespace SpecLora.Tests;

public class LibrosaDefaultsTests
{
    [Fact]
    public void The_constants_are_librosas_defaults()
    {
        // librosa 0.10: load(sr=22050), stft(n_fft=2048, hop_length=win_length // 4), melspectrogram(n_mels=128).
        Assert.Equal(22050, LibrosaDefaults.SampleRate);
        Assert.Equal(2048, LibrosaDefaults.NFft);
        Assert.Equal(512, LibrosaDefaults.HopLength);
        Assert.Equal(128, LibrosaDefaults.NMels);
    }

    [Fact]
    public void Every_default_of_the_pipeline_reads_them()
    {
        Assert.Equal(LibrosaDefaults.SampleRate, new AudioLoadOptions().SampleRate);
        var mel = new MelOptions();
        Assert.Equal(LibrosaDefaults.SampleRate, mel.SampleRate);
        Assert.Equal(LibrosaDefaults.NMels, mel.NMels);
        Assert.Equal(LibrosaDefaults.NFft, mel.Stft.NFft);
        Assert.Equal(LibrosaDefaults.HopLength, mel.Stft.EffectiveHopLength);
        var s = Spectrogram.Create(new float[4], 2, 2, SpectrogramScale.Power, FrequencyAxis.Mel);
        Assert.Equal((LibrosaDefaults.SampleRate, LibrosaDefaults.HopLength, LibrosaDefaults.NFft), (s.SampleRate, s.HopLength, s.NFft));
        var meta = new MelImageMetadata();
        Assert.Equal((LibrosaDefaults.SampleRate, LibrosaDefaults.NFft, LibrosaDefaults.HopLength, LibrosaDefaults.NMels),
            (meta.SampleRate, meta.NFft, meta.HopLength, meta.NMels));
        Assert.Equal(LibrosaDefaults.SampleRate / 2.0, meta.FMaxHz);
        Assert.Equal(LibrosaDefaults.SampleRate, PianoSynth.RenderFurEliseOpening().SampleRate);
    }
}
