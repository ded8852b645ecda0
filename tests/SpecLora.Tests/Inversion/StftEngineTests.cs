using SpecLora.Inversion;
using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Inversion;

public class StftEngineTests
{
    [Fact]
    public void Forward_is_bit_identical_to_Stft_Forward()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var (re, im, frames) = new StftEngine().Forward(y);
        var c = new Stft().Forward(y);
        Assert.Equal(c.Frames, frames);
        Assert.Equal(c.Real, re);
        Assert.Equal(c.Imag, im);
    }

    [Fact]
    public void Inverse_matches_Stft_Inverse_atol_1e6_and_zeroes_the_padding()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var engine = new StftEngine();
        var (re, im, frames) = engine.Forward(y);
        var padded = new float[engine.PaddedLength(frames)];
        Array.Fill(padded, 7f); // must be overwritten
        engine.Inverse(re, im, frames, padded);
        var expected = new Stft().Inverse(new Stft().Forward(y));
        Assert.Equal(engine.OutputLength(frames), expected.Length);
        double err = Golden.MaxAbsDiff(padded.AsSpan(engine.Pad, expected.Length), expected);
        Assert.True(err < 1e-6, $"max abs diff {err:E3} ≥ 1e-6");
        Assert.All(padded[..engine.Pad], v => Assert.Equal(0f, v));
        Assert.All(padded[(engine.Pad + expected.Length)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Small_hop_uses_longer_blocks_and_still_matches_atol_1e5()
    {
        var o = new StftOptions { NFft = 256, HopLength = 2 };
        var engine = new StftEngine(o);
        Assert.True(engine.BlockFrames * 2 >= 256);
        var y = Golden.Fixture("synth2s_y.f32")[..3000];
        var (re, im, frames) = engine.Forward(y);
        var padded = new float[engine.PaddedLength(frames)];
        engine.Inverse(re, im, frames, padded);
        var expected = new Stft(o).Inverse(new Stft(o).Forward(y));
        double err = Golden.MaxAbsDiff(padded.AsSpan(engine.Pad, expected.Length), expected);
        Assert.True(err < 1e-5, $"max abs diff {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Rejects_non_librosa_framing()
    {
        Assert.Throws<ArgumentException>(() => new StftEngine(new StftOptions { Center = false }));
    }
}
