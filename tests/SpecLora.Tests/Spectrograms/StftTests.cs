using SpecLora.Spectrograms;
using SpecLora.Tests.TestSupport;

namespace SpecLora.Tests.Spectrograms;

public class StftTests
{
    private static float[] Noise(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    [Fact]
    public void Synth_stft_magnitude_matches_librosa_atol_2e4_rtol_1e5()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var expected = Golden.Fixture("synth2s_stft_mag.f32"); // [1025 × 87]
        var mag = new Stft().Forward(y, LibrosaDefaults.SampleRate).ToMagnitude();
        Assert.Equal(1025, mag.Bins);
        Assert.Equal(87, mag.Frames);
        double rel = Golden.RelFrobenius(mag.Data, expected);
        Assert.True(rel < 1e-5, $"relative Frobenius error {rel:E3} ≥ 1e-5");
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 2e-4 + 1e-5 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(mag.Data[i] - expected[i]) <= tol,
                $"bin {i / 87}, frame {i % 87}: {mag.Data[i]} vs librosa {expected[i]} (atol 2e-4, rtol 1e-5)");
        }
    }

    [Fact]
    public void Inverse_of_forward_gives_back_the_signal_atol_1e5()
    {
        // 20 s of noise: several parallel blocks in both directions (64 frames per block)
        var y = Noise(20 * 22050, 5);
        var copy = (float[])y.Clone();
        var plan = new Stft();
        var stft = plan.Forward(y, LibrosaDefaults.SampleRate);
        Assert.Equal(copy, y);
        var back = plan.Inverse(stft, y.Length);
        Assert.Equal(y.Length, back.Length);
        double err = 0;
        for (int i = 2048; i < y.Length - 2048; i++) err = Math.Max(err, Math.Abs(back[i] - y[i]));
        Assert.True(err < 1e-5, $"max |istft(stft(y)) − y| in the centre region = {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Inverse_default_length_is_hop_times_frames_minus_one()
    {
        var plan = new Stft();
        var stft = plan.Forward(Noise(10000, 1), LibrosaDefaults.SampleRate);
        Assert.Equal(1 + 10000 / 512, stft.Frames);
        Assert.Equal(512 * (stft.Frames - 1), plan.Inverse(stft).Length);
        var longer = plan.Inverse(stft, 20000);
        Assert.Equal(20000, longer.Length);
        Assert.All(longer.AsSpan(10000 + 1024).ToArray(), v => Assert.Equal(0f, v)); // past the last frame: nothing
    }

    /// <summary>The parallel blocked paths against a plain serial loop on the radix-2 reference FFT.</summary>
    [Fact]
    public void Batched_forward_and_inverse_match_a_serial_reference_rtol_1e5()
    {
        var y = Noise(300 * 512 + 77, 9);
        var o = new StftOptions();
        var plan = new Stft(o);
        int frames = plan.CheckSignal(y), bins = plan.Bins, n = o.NFft, hop = 512;
        Assert.True(frames > 4 * Stft.BlockFrames);
        var real = new float[frames * bins];
        var imag = new float[frames * bins];
        plan.ForwardInto(y, real, imag);

        var fft = new Radix2RealFft(n);
        var w = Window.Hann(n);
        var frame = new float[n];
        float[] re = new float[bins], im = new float[bins];
        var acc = new double[n + hop * (frames - 1)];
        var wss = new double[acc.Length];
        double maxErr = 0, maxVal = 0;
        for (int t = 0; t < frames; t++)
        {
            for (int i = 0; i < n; i++) { int j = t * hop - n / 2 + i; frame[i] = (uint)j < (uint)y.Length ? y[j] * w[i] : 0f; }
            fft.Forward(frame, re, im);
            for (int k = 0; k < bins; k++)
            {
                maxErr = Math.Max(maxErr, Math.Max(Math.Abs(re[k] - real[t * bins + k]), Math.Abs(im[k] - imag[t * bins + k])));
                maxVal = Math.Max(maxVal, Math.Abs(re[k]));
            }
            fft.Inverse(real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins), frame);
            for (int i = 0; i < n; i++) { acc[t * hop + i] += frame[i] * w[i]; wss[t * hop + i] += (double)w[i] * w[i]; }
        }
        Assert.True(maxErr / maxVal < 1e-5, $"forward: max diff {maxErr / maxVal:E3} (relative to the largest bin) ≥ 1e-5");

        var output = new float[y.Length];
        plan.InverseInto(real, imag, frames, output);
        double ie = 0;
        for (int i = 0; i < output.Length; i++)
        {
            int j = i + n / 2;
            double expected = wss[j] > 1.1754943508222875e-38 ? acc[j] / wss[j] : acc[j];
            ie = Math.Max(ie, Math.Abs(output[i] - expected));
        }
        Assert.True(ie < 1e-5, $"inverse: max diff {ie:E3} ≥ 1e-5");

        // a second call on the same plan (cached Σw², pooled workers) gives the same samples
        var again = new float[y.Length];
        plan.InverseInto(real, imag, frames, again);
        Assert.Equal(output, again);
    }

    [Fact]
    public void Reflect_padding_mirrors_without_repeating_the_edge()
    {
        var o = new StftOptions { NFft = 16, HopLength = 4, PadMode = PadMode.Reflect };
        var y = new float[40];
        for (int i = 0; i < y.Length; i++) y[i] = i + 1;
        var plan = new Stft(o);
        var frame = new float[16];
        plan.FillFrame(y, 0, frame); // frame 0 covers y[-8..8): reflect → y[8], y[7], …, y[1], y[0], y[1], …
        var w = Window.Hann(16);
        for (int i = 0; i < 16; i++)
        {
            int j = Math.Abs(i - 8);
            Assert.Equal(y[j] * w[i], frame[i]);
        }
        plan.FillFrame(y, 10, frame); // frame 10 covers y[32..48): y[39] is the last, then y[38], y[37], …
        for (int i = 0; i < 16; i++)
        {
            int j = 32 + i; if (j > 39) j = 2 * 39 - j;
            Assert.Equal(y[j] * w[i], frame[i]);
        }
        var constant = new Stft(o with { PadMode = PadMode.Constant });
        constant.FillFrame(y, 0, frame);
        for (int i = 0; i < 8; i++) Assert.Equal(0f, frame[i]);
    }

    [Fact]
    public void Reflect_padding_needs_more_than_half_a_window()
    {
        var plan = new Stft(new StftOptions { PadMode = PadMode.Reflect });
        var ex = Assert.Throws<ArgumentException>(() => plan.Forward(new float[1024], LibrosaDefaults.SampleRate));
        Assert.Contains("NFft/2=1024", ex.Message);
    }

    [Fact]
    public void Empty_or_too_short_signals_are_rejected_with_the_length()
    {
        Assert.Contains("0 samples", Assert.Throws<ArgumentException>(() => new Stft().Forward(ReadOnlySpan<float>.Empty, LibrosaDefaults.SampleRate)).Message);
        var ex = Assert.Throws<ArgumentException>(() => new Stft(new StftOptions { Center = false }).Forward(new float[100], LibrosaDefaults.SampleRate));
        Assert.Contains("100 samples", ex.Message);
    }

    [Fact]
    public void Inverse_rejects_mismatched_bins_and_buffers()
    {
        var plan = new Stft();
        var other = new Stft(new StftOptions { NFft = 1024 }).Forward(Noise(4096, 2), LibrosaDefaults.SampleRate);
        Assert.Contains("513 bins", Assert.Throws<ArgumentException>(() => plan.Inverse(other)).Message);
        Assert.Contains("are needed", Assert.Throws<ArgumentException>(() => plan.InverseInto(new float[10], new float[10], 3, new float[100])).Message);
        Assert.Contains("are needed", Assert.Throws<ArgumentException>(() => plan.ForwardInto(new float[5000], new float[10], new float[10])).Message);
    }

    [Theory]
    [InlineData(1024, 256)]
    [InlineData(512, 100)]
    [InlineData(64, 16)]
    public void Round_trip_holds_for_other_sizes_and_hops_atol_1e5(int nFft, int hop)
    {
        var y = Noise(40 * nFft + 3, nFft);
        var plan = new Stft(new StftOptions { NFft = nFft, HopLength = hop });
        var back = plan.Inverse(plan.Forward(y, LibrosaDefaults.SampleRate), y.Length);
        double err = 0;
        for (int i = nFft; i < y.Length - nFft; i++) err = Math.Max(err, Math.Abs(back[i] - y[i]));
        Assert.True(err < 1e-5, $"n_fft={nFft} hop={hop}: max error {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Concurrent_calls_on_one_plan_give_the_serial_results()
    {
        var plan = new Stft();
        var signals = Enumerable.Range(0, 4).Select(i => Noise(100 * 512 + 37 * i, 20 + i)).ToArray();
        var serial = signals.Select(y => plan.Inverse(plan.Forward(y, LibrosaDefaults.SampleRate), y.Length)).ToArray();
        var parallel = new float[signals.Length][];
        Parallel.For(0, signals.Length, i => parallel[i] = plan.Inverse(plan.Forward(signals[i], LibrosaDefaults.SampleRate), signals[i].Length));
        for (int i = 0; i < signals.Length; i++) Assert.Equal(serial[i], parallel[i]);
    }

    /// <summary>librosa's centred zero padding of <paramref name="y"/> into a buffer of <see cref="Stft.PaddedLength"/>.</summary>
    private static float[] ZeroPadded(Stft plan, float[] y, int frames)
    {
        var padded = new float[plan.PaddedLength(frames)];
        int count = Math.Min(y.Length, padded.Length - plan.Pad);
        y.AsSpan(0, count).CopyTo(padded.AsSpan(plan.Pad));
        return padded;
    }

    [Fact]
    public void ForwardPadded_is_bit_identical_to_Forward_and_visits_every_frame_once()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var plan = new Stft();
        var c = plan.Forward(y, LibrosaDefaults.SampleRate);
        var re = new float[c.Real.Length]; var im = new float[c.Imag.Length];
        var visits = new int[c.Frames];
        plan.ForwardPadded(ZeroPadded(plan, y, c.Frames), c.Frames, re, im, (t0, count, w) =>
        {
            Assert.Equal(plan.Options.NFft, w.Frame.Length);
            for (int t = t0; t < t0 + count; t++) Interlocked.Increment(ref visits[t]);
        });
        Assert.Equal(c.Real, re);
        Assert.Equal(c.Imag, im);
        Assert.All(visits, v => Assert.Equal(1, v));
    }

    [Fact]
    public void InversePadded_matches_Inverse_atol_1e6_and_zeroes_the_padding()
    {
        var y = Golden.Fixture("synth2s_y.f32");
        var plan = new Stft();
        var c = plan.Forward(y, LibrosaDefaults.SampleRate);
        var padded = new float[plan.PaddedLength(c.Frames)];
        Array.Fill(padded, 7f); // must be overwritten
        plan.InversePadded(c.Real, c.Imag, c.Frames, padded);
        var expected = new Stft().Inverse(new Stft().Forward(y, LibrosaDefaults.SampleRate));
        Assert.Equal(plan.OutputLength(c.Frames), expected.Length);
        double err = Golden.MaxAbsDiff(padded.AsSpan(plan.Pad, expected.Length), expected);
        Assert.True(err < 1e-6, $"max abs diff {err:E3} ≥ 1e-6");
        Assert.All(padded[..plan.Pad], v => Assert.Equal(0f, v));
        Assert.All(padded[(plan.Pad + expected.Length)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Small_hop_uses_longer_overlap_add_blocks_and_InversePadded_still_matches_atol_1e5()
    {
        var o = new StftOptions { NFft = 256, HopLength = 2 };
        var plan = new Stft(o);
        Assert.True(plan.InverseBlockFrames * 2 >= 256);
        var y = Golden.Fixture("synth2s_y.f32")[..3000];
        var c = plan.Forward(y, LibrosaDefaults.SampleRate);
        var padded = new float[plan.PaddedLength(c.Frames)];
        plan.InversePadded(c.Real, c.Imag, c.Frames, padded);
        var expected = new Stft(o).Inverse(new Stft(o).Forward(y, LibrosaDefaults.SampleRate));
        double err = Golden.MaxAbsDiff(padded.AsSpan(plan.Pad, expected.Length), expected);
        Assert.True(err < 1e-5, $"max abs diff {err:E3} ≥ 1e-5");
    }

    [Fact]
    public void Forward_of_a_clip_carries_its_rate_and_a_bare_span_needs_a_positive_rate()
    {
        var y = Noise(4096, 3);
        var plan = new Stft();
        var c = plan.Forward(new SpecLora.Audio.AudioClip(y, 48000));
        Assert.Equal(48000, c.SampleRate);
        Assert.Equal(48000, c.ToMagnitude().SampleRate);
        Assert.Equal(plan.Forward(y, 48000).Real, c.Real);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => plan.Forward(y, 0));
        Assert.Contains("sampleRate=0", ex.Message);
    }
}
