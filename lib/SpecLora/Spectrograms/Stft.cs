namespace SpecLora.Spectrograms;

/// <summary>
/// librosa 0.10-compatible STFT and inverse STFT (periodic Hann, centred, zero padding, 1 + len/hop frames,
/// Σw² normalisation in the inverse). A plan object: window and FFT buffers are allocated once per instance;
/// instances are not thread-safe.
/// </summary>
public sealed class Stft
{
    private readonly IRealFft _fft;
    private readonly float[] _window;
    private readonly float[] _frame, _re, _im;

    /// <summary>The options of this plan.</summary>
    public StftOptions Options { get; }

    /// <summary>Creates a plan for <paramref name="options"/> (librosa defaults when null).</summary>
    public Stft(StftOptions? options = null)
    {
        Options = (options ?? new StftOptions()).Validate();
        _fft = RealFft.Create(Options.NFft);
        _window = Window.HannPadded(Options.EffectiveWinLength, Options.NFft);
        _frame = new float[Options.NFft];
        _re = new float[Options.NFft / 2 + 1];
        _im = new float[Options.NFft / 2 + 1];
    }

    /// <summary>The analysis window (length NFft). Do not modify.</summary>
    internal float[] WindowValues => _window;
    internal IRealFft Fft => _fft;

    /// <summary>Number of frequency bins, 1 + NFft/2.</summary>
    public int Bins => Options.NFft / 2 + 1;

    /// <summary>Complex STFT of <paramref name="y"/> (librosa <c>stft</c>). The input is not modified.</summary>
    /// <exception cref="ArgumentException">The signal is empty, or too short when not centred.</exception>
    public ComplexSpectrogram Forward(ReadOnlySpan<float> y, int sampleRate = 22050)
    {
        if (y.Length == 0) throw new ArgumentException("the signal has 0 samples; an STFT needs at least one", nameof(y));
        int n = Options.NFft, hop = Options.EffectiveHopLength, bins = Bins;
        int frames = Options.FrameCount(y.Length);
        if (frames <= 0) throw new ArgumentException($"signal of {y.Length} samples is shorter than NFft={n} with Center=false", nameof(y));
        if (Options.Center && Options.PadMode == PadMode.Reflect && y.Length <= n / 2)
            throw new ArgumentException($"reflect padding needs more than NFft/2={n / 2} samples, got {y.Length}", nameof(y));
        var real = new float[frames * bins];
        var imag = new float[frames * bins];
        int pad = Options.Center ? n / 2 : 0;
        for (int t = 0; t < frames; t++)
        {
            int start = t * hop - pad;
            for (int i = 0; i < n; i++) _frame[i] = Sample(y, start + i) * _window[i];
            _fft.Forward(_frame, _re, _im);
            _re.AsSpan(0, bins).CopyTo(real.AsSpan(t * bins, bins));
            _im.AsSpan(0, bins).CopyTo(imag.AsSpan(t * bins, bins));
        }
        return new ComplexSpectrogram { Real = real, Imag = imag, Bins = bins, Frames = frames, Options = Options, SampleRate = sampleRate };
    }

    private float Sample(ReadOnlySpan<float> y, int index)
    {
        if ((uint)index < (uint)y.Length) return y[index];
        if (Options.PadMode == PadMode.Constant || !Options.Center) return 0f;
        // reflect (no edge repeat)
        int len = y.Length;
        while ((uint)index >= (uint)len) index = index < 0 ? -index : 2 * (len - 1) - index;
        return y[index];
    }

    /// <summary>Inverse STFT (librosa <c>istft</c>): inverse FFT × window, overlap-add, divide by Σw² where it is
    /// above float tiny, drop the centre padding. Output length = <paramref name="length"/> if given, else hop·(T−1).</summary>
    public float[] Inverse(ComplexSpectrogram stft, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(stft);
        if (stft.Bins != Bins) throw new ArgumentException($"spectrogram has {stft.Bins} bins, this plan expects {Bins}", nameof(stft));
        int n = Options.NFft, hop = Options.EffectiveHopLength, frames = stft.Frames, bins = Bins;
        int pad = Options.Center ? n / 2 : 0;
        int outLen = length ?? hop * (frames - 1);
        if (outLen < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length={length} must be ≥ 0");
        int fullLen = n + hop * (frames - 1);
        var y = new double[Math.Max(fullLen, outLen + pad)];
        var wss = new double[y.Length];
        for (int t = 0; t < frames; t++)
        {
            _fft.Inverse(stft.Real.AsSpan(t * bins, bins), stft.Imag.AsSpan(t * bins, bins), _frame);
            int o = t * hop;
            for (int i = 0; i < n; i++) { y[o + i] += _frame[i] * _window[i]; wss[o + i] += _window[i] * _window[i]; }
        }
        var result = new float[outLen];
        const double tiny = 1.1754943508222875e-38; // float32 tiny, as librosa
        for (int i = 0; i < outLen; i++)
        {
            int j = i + pad;
            if (j >= y.Length) break;
            result[i] = (float)(wss[j] > tiny ? y[j] / wss[j] : y[j]);
        }
        return result;
    }
}
