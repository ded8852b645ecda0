using SpecLora.Audio;
using SpecLora.Tests.TestSupport;
using F = SpecLora.Tests.TestSupport.AudioTestFiles;

namespace SpecLora.Tests.Audio;

public class ResamplerTests
{
    [Theory]
    [InlineData(44100, 22050, 1000.0)]
    [InlineData(48000, 22050, 3000.0)]   // 147/320
    [InlineData(22050, 44100, 5000.0)]
    [InlineData(16000, 22050, 7000.0)]   // 441/320 up
    [InlineData(44101, 22050, 2000.0)]   // awkward ratio: interpolated filter bank
    public void Sine_in_the_passband_comes_out_at_more_than_90dB_SNR(int from, int to, double hz)
    {
        int n = from / 2;
        var x = F.Sine(n, hz, from, 0.5, 0.7);
        var y = Resampler.Resample(x, from, to);
        // Compare away from the edges, where the filter sees zeros beyond the signal.
        int edge = Resampler.Get(from, to).HalfWidth * to / from + 8;
        var expected = new float[y.Length];
        for (int k = 0; k < y.Length; k++) expected[k] = (float)(0.5 * Math.Sin(2 * Math.PI * hz * k / to + 0.7));
        double snr = F.SnrDb(y.AsSpan(edge, y.Length - 2 * edge), expected.AsSpan(edge, y.Length - 2 * edge));
        Assert.True(snr > 90, $"{from}→{to} Hz, {hz} Hz sine: SNR {snr:F1} dB ≤ 90 dB");
    }

    [Fact]
    public void Tone_above_the_new_Nyquist_is_removed_by_at_least_100dB()
    {
        var x = F.Sine(44100, 13000, 44100, 0.5);
        var y = Resampler.Resample(x, 44100, 22050);
        double rms = 0;
        for (int i = 500; i < y.Length - 500; i++) rms += y[i] * y[i];
        rms = Math.Sqrt(rms / (y.Length - 1000));
        double db = 20 * Math.Log10(rms / (0.5 / Math.Sqrt(2)));
        Assert.True(db < -100, $"13 kHz tone after 44.1→22.05 kHz: {db:F1} dB, expected < −100 dB");
    }

    [Theory]
    [InlineData(220500, 44100, 22050, 110250)]
    [InlineData(220501, 44100, 22050, 110251)]
    [InlineData(1000, 48000, 22050, 460)]          // ceil(459.375)
    [InlineData(3, 44100, 22050, 2)]
    [InlineData(0, 44100, 22050, 0)]
    [InlineData(100, 22050, 22050, 100)]
    public void Output_length_is_ceil_n_times_ratio_like_librosa(int n, int from, int to, int expected)
    {
        Assert.Equal(expected, Resampler.Get(from, to).OutputLength(n));
        Assert.Equal(expected, Resampler.Resample(new float[n], from, to).Length);
    }

    [Fact]
    public void Same_rate_copies_and_input_is_not_mutated()
    {
        var x = F.Sine(1000, 100, 8000);
        var before = (float[])x.Clone();
        var y = Resampler.Resample(x, 8000, 8000);
        Assert.Equal(x, y);
        Assert.NotSame(x, y);
        Resampler.Resample(x, 8000, 22050);
        Assert.Equal(before, x);
    }

    [Fact]
    public void Filter_is_documented_and_soxr_hq_like()
    {
        var r = Resampler.Get(44100, 22050);
        Assert.InRange(r.Beta, 12.2, 12.3);
        Assert.InRange(r.Taps, 350, 370);
        Assert.InRange(r.CutoffHz, 0.956 * 11025 - 1, 0.957 * 11025 + 1);
    }

    [Fact]
    public void Long_input_in_parallel_blocks_equals_the_serial_result()
    {
        var x = F.Sine(200_000, 1234, 48000, 0.3);
        var full = Resampler.Resample(x, 48000, 22050);           // parallel path (work > threshold)
        var head = new float[1000];
        Resampler.Get(48000, 22050).Process(x, head);                  // serial path, first 1000 outputs
        Assert.Equal(head, full.AsSpan(0, 1000).ToArray());
    }

    [Fact]
    public void Invalid_rates_are_rejected_quoting_the_value()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(0, 22050));
        Assert.Contains("sourceRate=0", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(44100, -5));
        Assert.Contains("targetRate=-5", ex.Message);
    }

    [Fact]
    public void A_downsampling_ratio_above_1024_is_refused_saying_what_to_do()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Resampler(768_000, 700));
        Assert.Contains("targetRate=700 is more than 1024× below sourceRate=768000", ex.Message);
        Assert.Contains("resample in two steps", ex.Message);
        Assert.Equal(1000, new Resampler(768_000, 1000).TargetRate);   // the loader's whole range stays below it
    }

    [Fact]
    public void A_bank_too_large_for_exact_rows_is_interpolated_at_120dB()
    {
        // 96,001 → 1,000 Hz shares no factor: 1000 exact rows of ≈ 17,000 taps would be 69 MB; the default plan interpolates.
        var big = Resampler.Get(96_001, 1000);
        Assert.InRange((long)big.Taps, 16_000, 18_000);
        Assert.True(big.BankFloats <= Resampler.MaxBankFloats, $"{big.BankFloats:N0} floats");
        // Against the exact bank on a pair small enough for both: a bound of 10^5 floats forces 48,000 → 1,009 Hz
        // (1009 rows of ≈ 8,600 taps exact) to interpolate.
        var exact = new Resampler(48_000, 1009);
        var interpolated = new Resampler(48_000, 1009, 100_000);
        Assert.True(interpolated.BankFloats * 20 < exact.BankFloats, $"{interpolated.BankFloats:N0} vs {exact.BankFloats:N0} floats");
        var x = F.Sine(48_000, 300, 48_000, 0.5, 0.3);
        var a = exact.Process(x);
        var b = interpolated.Process(x);
        double snr = F.SnrDb(b, a);
        Assert.True(snr > 110, $"interpolated vs exact bank: {snr:F1} dB");
    }

    [Fact]
    public void An_output_longer_than_an_array_is_refused_before_allocation()
    {
        var r = Resampler.Get(1000, 768_000);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => r.OutputLength(3_000_000));
        Assert.Contains("inputLength=3,000,000 at 1,000 Hz gives 2,304,000,000 samples at 768,000 Hz", ex.Message);
        Assert.Contains("resample the signal in parts", ex.Message);
        Assert.Equal(2_304_000_000L, r.OutputLengthLong(3_000_000));
    }
}
