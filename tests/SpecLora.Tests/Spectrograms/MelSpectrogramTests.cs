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
        var mel = MelSpectrogram.Compute(y);
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
        var mel = MelSpectrogram.Compute(y);
        Assert.Equal(216, mel.Frames);
        double err = Golden.RelFrobenius(mel.Data, expected);
        Assert.True(err < 1e-5, $"relative Frobenius error {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Synth_db_matches_librosa_within_0_01_dB()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var expected = Golden.Fixture("synth2s_mel_db.f32");
        var db = Decibels.PowerToDb(MelSpectrogram.Compute(y), DbOptions.MakeMels);
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
}
