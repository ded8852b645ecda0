using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Spectrograms;

public class MelSpectrogramTests
{
    [Fact]
    public void Synth_mel_power_matches_librosa_rtol_1e5()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var expected = Golden.Fixture("synth2s_mel_power.f32");
        var mel = MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate);
        Assert.Equal(128, mel.Bins);
        Assert.Equal(87, mel.Frames);
        double err = Golden.RelFrobenius(mel.Data, expected);
        Assert.True(err < 1e-5, $"relative Frobenius error {err:E3} ≥ 1e-5");
    }

    [SkippableFact]
    public void Elise_mel_power_matches_librosa_rtol_1e5()
    {
        var y = Golden.ReadF32(Golden.RequireShared("golden", "elise5s_y_soxr_hq.f32"));
        var expected = Golden.ReadF32(Golden.RequireShared("golden", "elise5s_mel_power.f32"));
        var mel = MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate);
        Assert.Equal(216, mel.Frames);
        double err = Golden.RelFrobenius(mel.Data, expected);
        Assert.True(err < 1e-5, $"relative Frobenius error {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Synth_db_matches_librosa_within_0_01_dB()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var expected = Golden.Fixture("synth2s_mel_db.f32");
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate), DbOptions.MakeMels);
        double err = Golden.MaxAbsDiff(db.Data, expected);
        Assert.True(err < 0.01, $"max abs dB diff {err:E3} ≥ 0.01");
    }

    [Fact]
    public void Filterbank_matches_librosa_atol_1e6()
    {
        var expected = Golden.Fixture("mel_fb_sr22050_nfft2048_nmels128.f32");
        var fb = MelFilterBank.Get().ToDense();
        double err = Golden.MaxAbsDiff(fb, expected);
        Assert.True(err < 1e-6, $"max abs diff {err:E3} ≥ 1e-6");
    }

    [SkippableFact]
    public void Elise_db_matches_librosa_within_0_01_dB()
    {
        var y = Golden.ReadF32(Golden.RequireShared("golden", "elise5s_y_soxr_hq.f32"));
        var expected = Golden.ReadF32(Golden.RequireShared("golden", "elise5s_mel_db.f32"));
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate), DbOptions.MakeMels);
        Assert.Equal(expected.Length, db.Data.Length);
        double err = Golden.MaxAbsDiff(db.Data, expected);
        Assert.True(err < 0.01, $"max abs dB diff {err:E3} ≥ 0.01");
    }

    /// <summary>The fused parallel path (window → FFT → power → mel per block) against STFT then filterbank.</summary>
    [Theory]
    [InlineData(2.0)]
    [InlineData(1.0)]
    [InlineData(1.5)]
    public void Fused_compute_equals_stft_then_filterbank_rtol_1e6(double power)
    {
        var rng = new Random(11);
        var y = new float[200 * 512];
        for (int i = 0; i < y.Length; i++) y[i] = (float)Math.Sin(i * 0.03) * 0.5f + (float)(rng.NextDouble() - 0.5) * 0.1f;
        var o = new MelOptions { Power = power, NMels = 64, FMinHz = 50 };
        var fused = MelSpectrogram.Compute(y, o.SampleRate, o);
        var twoStep = MelSpectrogram.FromStft(new Stft(o.Stft).Forward(y, LibrosaDefaults.SampleRate), o);
        Assert.Equal(twoStep.Frames, fused.Frames);
        Assert.Equal(64, fused.Bins);
        double err = Golden.RelFrobenius(fused.Data, twoStep.Data);
        Assert.True(err < 1e-6, $"power={power}: relative Frobenius difference {err:E3} ≥ 1e-6");
    }

    [Fact]
    public void Compute_does_not_modify_its_input()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var copy = (float[])y.Clone();
        MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate);
        Assert.Equal(copy, y);
    }

    [Fact]
    public void A_clip_brings_its_rate_and_a_mismatched_MelOptions_rate_is_an_error_quoting_both()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var clip44 = new SpecLora.Audio.AudioClip(y, 44100);
        // No options: librosa's defaults at the clip's rate (melspectrogram(y=y, sr=44100)).
        var mel = MelSpectrogram.Compute(clip44);
        Assert.Equal(44100, mel.SampleRate);
        Assert.Equal(MelSpectrogram.Compute(y, 44100, new MelOptions { SampleRate = 44100 }).Data, mel.Data);
        Assert.NotEqual(MelSpectrogram.Compute(y, LibrosaDefaults.SampleRate).Data, mel.Data);   // the filterbank moved
        // Options laid out for 22050 Hz applied to a 44.1 kHz clip: refused, both rates quoted.
        var ex = Assert.Throws<ArgumentException>(() => MelSpectrogram.Compute(clip44, new MelOptions { NMels = 64 }));
        Assert.Contains("44100 Hz", ex.Message);
        Assert.Contains("22050 Hz", ex.Message);
        Assert.Contains("AudioLoadOptions.SampleRate", ex.Message);
        Assert.Throws<ArgumentException>(() => MelSpectrogram.Compute(y, 16000, new MelOptions()));
        // The two-step path checks the STFT's rate the same way.
        var stft44 = new Stft().Forward(clip44);
        var ex2 = Assert.Throws<ArgumentException>(() => MelSpectrogram.FromStft(stft44, new MelOptions()));
        Assert.Contains("44100 Hz", ex2.Message);
        Assert.Contains("22050 Hz", ex2.Message);
        Assert.Equal(44100, MelSpectrogram.FromStft(stft44).SampleRate);
    }

    [Fact]
    public void A_bad_explicit_rate_is_quoted()
    {
        var ex = Assert.Throws<ArgumentException>(() => MelSpectrogram.Compute(new float[4096], 0));
        Assert.Contains("SampleRate=0", ex.Message);
    }
}
