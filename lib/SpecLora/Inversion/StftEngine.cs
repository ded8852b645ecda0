using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using SpecLora.Spectrograms;

namespace SpecLora.Inversion;

/// <summary>
/// Frames-in-parallel librosa STFT / iSTFT over caller-owned, frame-major buffers (element (bin k, frame t) at
/// <c>t * Bins + k</c>, as <see cref="ComplexSpectrogram"/>). Work is split into blocks of at least
/// <see cref="BlockFrames"/> frames, one <see cref="IRealFft"/> per worker; the overlap-add is race-free by
/// colouring blocks even/odd. Results do not depend on the thread schedule (every frame and every sample is computed
/// by exactly one worker in a fixed order). Swap point for a batched FFT: only <see cref="Worker"/> touches the FFT.
/// </summary>
internal sealed class StftEngine
{
    /// <summary>Minimum frames per parallel block (smaller blocks lose to scheduling overhead).</summary>
    public const int MinBlockFrames = 64;

    /// <summary>Frames per parallel block: ≥ 64 and long enough (block·hop ≥ NFft) for race-free even/odd overlap-add.</summary>
    public int BlockFrames { get; }

    private readonly ConcurrentBag<Worker> _workers = new();
    private readonly float[] _window;
    private float[]? _invWss;       // 1/Σw² over the padded signal, per frame count
    private int _invWssFrames = -1;
    private readonly object _lock = new();

    public int NFft { get; }
    public int Hop { get; }
    public int Bins => NFft / 2 + 1;
    public StftOptions Options { get; }

    public StftEngine(StftOptions? options = null)
    {
        Options = (options ?? new StftOptions()).Validate();
        if (!Options.Center || Options.PadMode != PadMode.Constant)
            throw new ArgumentException("the inversion engine supports librosa's default framing only (Center=true, PadMode=Constant)", nameof(options));
        NFft = Options.NFft;
        Hop = Options.EffectiveHopLength;
        if (Hop > NFft) throw new ArgumentException($"HopLength={Hop} must be ≤ NFft={NFft} for inversion", nameof(options));
        _window = Window.HannPadded(Options.EffectiveWinLength, NFft);
        BlockFrames = Math.Max(MinBlockFrames, (NFft + Hop - 1) / Hop);
    }

    /// <summary>Samples of the padded signal for <paramref name="frames"/> frames: NFft + hop·(T−1).</summary>
    public int PaddedLength(int frames) => NFft + Hop * (frames - 1);

    /// <summary>Unpadded output length librosa's istft gives with length=None: hop·(T−1).</summary>
    public int OutputLength(int frames) => Hop * (frames - 1);

    /// <summary>Offset of output sample 0 in the padded signal (NFft/2).</summary>
    public int Pad => NFft / 2;

    private Worker Rent() => _workers.TryTake(out var w) ? w : new Worker(NFft);
    private void Return(Worker w) => _workers.Add(w);

    private float[] InvWss(int frames)
    {
        lock (_lock)
        {
            if (_invWssFrames == frames && _invWss != null) return _invWss;
            int len = PaddedLength(frames);
            var wss = new double[len];
            for (int t = 0; t < frames; t++)
            {
                int o = t * Hop;
                for (int i = 0; i < NFft; i++) wss[o + i] += (double)_window[i] * _window[i];
            }
            var inv = new float[len];
            const double tiny = 1.1754943508222875e-38;
            for (int j = 0; j < len; j++) inv[j] = wss[j] > tiny ? (float)(1.0 / wss[j]) : 1f;
            _invWss = inv; _invWssFrames = frames;
            return inv;
        }
    }

    private int BlockCount(int frames) => (frames + BlockFrames - 1) / BlockFrames;

    /// <summary>librosa's centred, zero-padded signal for <paramref name="frames"/> frames: y[i] at i + Pad,
    /// truncated or zero-filled to <see cref="PaddedLength"/>.</summary>
    public float[] PadSignal(ReadOnlySpan<float> y, int frames)
    {
        var padded = new float[PaddedLength(frames)];
        int count = Math.Min(y.Length, padded.Length - Pad);
        if (count > 0) y.Slice(0, count).CopyTo(padded.AsSpan(Pad));
        return padded;
    }

    /// <summary>Forward STFT of <paramref name="y"/> as librosa (T = 1 + len/hop frames) into new frame-major arrays.</summary>
    public (float[] Re, float[] Im, int Frames) Forward(ReadOnlySpan<float> y)
    {
        if (y.Length == 0) throw new ArgumentException("the signal has 0 samples; an STFT needs at least one", nameof(y));
        int frames = Options.FrameCount(y.Length);
        var re = new float[frames * Bins];
        var im = new float[frames * Bins];
        ForwardThen(PadSignal(y, frames), frames, re, im, null);
        return (re, im, frames);
    }

    /// <summary>Forward STFT of <paramref name="padded"/>, then for each frame block calls <paramref name="perBlock"/>
    /// (first frame, frame count) on the worker that produced it, so projections can be fused with the FFT.</summary>
    public void ForwardThen(float[] padded, int frames, float[] re, float[] im, Action<int, int>? perBlock)
    {
        int n = NFft, hop = Hop, bins = Bins;
        if (padded.Length < PaddedLength(frames)) throw new ArgumentException("padded signal too short", nameof(padded));
        Parallel.For(0, BlockCount(frames), b =>
        {
            var w = Rent();
            try
            {
                int t0 = b * BlockFrames, t1 = Math.Min(frames, t0 + BlockFrames);
                ForwardBlock(w, padded, t0, t1, re, im);
                perBlock?.Invoke(t0, t1 - t0);
            }
            finally { Return(w); }
        });
    }

    /// <summary>Inverse STFT into the padded signal (length ≥ <see cref="PaddedLength"/>): inverse FFT × window,
    /// overlap-add, divide by Σw² (librosa), and zero the padding so that the buffer is exactly what librosa's next
    /// <c>stft(istft(·))</c> would see. Output sample i is at <c>padded[i + Pad]</c>.</summary>
    public void Inverse(float[] re, float[] im, int frames, float[] padded)
    {
        int n = NFft, hop = Hop, bins = Bins;
        int len = PaddedLength(frames);
        if (padded.Length < len) throw new ArgumentException("padded buffer too short", nameof(padded));
        Array.Clear(padded, 0, len);
        int blocks = BlockCount(frames);
        for (int colour = 0; colour < 2; colour++)
        {
            int count = (blocks - colour + 1) / 2;
            int c = colour;
            Parallel.For(0, count, j =>
            {
                int b = 2 * j + c;
                var w = Rent();
                try { InverseBlock(w, re, im, b * BlockFrames, Math.Min(frames, b * BlockFrames + BlockFrames), padded); }
                finally { Return(w); }
            });
        }
        var inv = InvWss(frames);
        int pad = Pad, outLen = OutputLength(frames);
        const int chunk = 1 << 15;
        Parallel.For(0, (len + chunk - 1) / chunk, ci =>
        {
            int s = ci * chunk, e = Math.Min(len, s + chunk);
            int a = Math.Clamp(pad, s, e), b = Math.Clamp(pad + outLen, s, e);
            padded.AsSpan(s, a - s).Clear();
            TensorPrimitives.Multiply(padded.AsSpan(a, b - a), inv.AsSpan(a, b - a), padded.AsSpan(a, b - a));
            padded.AsSpan(b, e - b).Clear();
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForwardBlock(Worker w, float[] padded, int t0, int t1, float[] re, float[] im)
    {
        int n = NFft, hop = Hop, bins = Bins;
        var frame = w.Frame; var win = _window;
        for (int t = t0; t < t1; t++)
        {
            TensorPrimitives.Multiply(padded.AsSpan(t * hop, n), win, frame);
            w.Fft.Forward(frame, re.AsSpan(t * bins, bins), im.AsSpan(t * bins, bins));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void InverseBlock(Worker w, float[] re, float[] im, int t0, int t1, float[] padded)
    {
        int n = NFft, hop = Hop, bins = Bins;
        var frame = w.Frame; var win = _window;
        for (int t = t0; t < t1; t++)
        {
            w.Fft.Inverse(re.AsSpan(t * bins, bins), im.AsSpan(t * bins, bins), frame);
            var dst = padded.AsSpan(t * hop, n);
            TensorPrimitives.MultiplyAdd(frame, win, dst, dst);
        }
    }

    /// <summary>One worker's FFT and frame buffer.</summary>
    private sealed class Worker
    {
        public readonly IRealFft Fft;
        public readonly float[] Frame;
        public Worker(int n) { Fft = RealFft.Create(n); Frame = new float[n]; }
    }
}
