using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SpecLora.Spectrograms;

/// <summary>
/// librosa 0.10-compatible STFT and inverse STFT (periodic Hann, centred, zero padding, 1 + len/hop frames,
/// Σw² normalisation in the inverse). A plan object: the window and a pool of per-thread FFT workers are allocated
/// once per instance and reused; frames run in blocks of at least <see cref="BlockFrames"/> spread over the cores.
/// Calls may run concurrently on one plan (they rent pooled workers; the cached Σw² is swapped atomically); each call
/// uses every core. The one STFT implementation of the library: mel spectrograms use its blocks and workers, and the
/// phase-iteration loops of <c>SpecLora.Inversion</c> its internal padded-buffer API (<c>ForwardPadded</c>,
/// <c>InversePadded</c>).
/// </summary>
/// <example>
/// <code>
/// var stft = new Stft(new StftOptions()).Forward(clip);   // librosa.stft(y): n_fft 2048, hop 512
/// var magnitude = stft.ToMagnitude();                     // |X|, 1025 bins × frames
/// var linearDb = Decibels.PowerToDb(stft.ToMagnitude(2.0), DbOptions.MakeMels);
/// </code>
/// Notebook: <c>notebooks/01-how-mel-spectrograms-work.ipynb</c>.
/// </example>
public sealed class Stft
{
    /// <summary>Frames per parallel work item (spec §6: single-frame parallelism is slower than serial).</summary>
    internal const int BlockFrames = 64;

    private readonly float[] _window;
    private readonly ConcurrentBag<StftWorker> _workers = new();
    private WssCache? _wss;            // 1/Σw² (or 1 where Σw² ≤ tiny) for the last (frames, length); swapped atomically

    private sealed record WssCache(int Frames, int Length, float[] Inverse);

    /// <summary>The options of this plan.</summary>
    public StftOptions Options { get; }

    /// <summary>Creates a plan for <paramref name="options"/> (librosa defaults when null).</summary>
    public Stft(StftOptions? options = null)
    {
        Options = (options ?? new StftOptions()).Validate();
        _window = Window.HannPadded(Options.EffectiveWinLength, Options.NFft);
        _workers.Add(new StftWorker(Options.NFft));
    }

    /// <summary>The analysis window (length NFft). Do not modify.</summary>
    internal float[] WindowValues => _window;
    /// <summary>An FFT of this plan's size for single-threaded use by the caller (not one of the pooled workers'
    /// so it may be used while no batched call runs on another thread).</summary>
    internal IRealFft Fft => _fft ??= RealFft.Create(Options.NFft);
    private IRealFft? _fft;

    /// <summary>Number of frequency bins, 1 + NFft/2.</summary>
    public int Bins => Options.NFft / 2 + 1;

    /// <summary>Complex STFT of <paramref name="clip"/> (librosa <c>stft</c>); the result carries the clip's rate. The
    /// samples are not modified.</summary>
    /// <exception cref="ArgumentException">The clip is empty, or too short when not centred.</exception>
    public ComplexSpectrogram Forward(SpecLora.Audio.AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Forward(clip.Samples, clip.SampleRate);
    }

    /// <summary>Complex STFT of samples <paramref name="y"/> taken at <paramref name="sampleRate"/> Hz (librosa
    /// <c>stft</c>; the rate only labels the result). Prefer <see cref="Forward(SpecLora.Audio.AudioClip)"/>. The input is
    /// not modified.</summary>
    /// <exception cref="ArgumentException">The signal is empty, or too short when not centred.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleRate"/> ≤ 0.</exception>
    public ComplexSpectrogram Forward(ReadOnlySpan<float> y, int sampleRate)
    {
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate={sampleRate} must be > 0 Hz (librosa sr)");
        int frames = CheckSignal(y);
        var real = new float[frames * Bins];
        var imag = new float[frames * Bins];
        ForwardInto(y, real, imag);
        return new ComplexSpectrogram { Real = real, Imag = imag, Bins = Bins, Frames = frames, Options = Options, SampleRate = sampleRate };
    }

    /// <summary>Checks that <paramref name="y"/> can be analysed and returns its frame count.</summary>
    internal int CheckSignal(ReadOnlySpan<float> y)
    {
        int n = Options.NFft;
        if (y.Length == 0) throw new ArgumentException("the signal has 0 samples; an STFT needs at least one", nameof(y));
        int frames = Options.FrameCount(y.Length);
        if (frames <= 0) throw new ArgumentException($"signal of {y.Length} samples is shorter than NFft={n} with Center=false", nameof(y));
        if (Options.Center && Options.PadMode == PadMode.Reflect && y.Length <= n / 2)
            throw new ArgumentException($"reflect padding needs more than NFft/2={n / 2} samples, got {y.Length}", nameof(y));
        return frames;
    }

    /// <summary>
    /// Batched forward STFT into caller-owned frame-major buffers (<c>real[t·Bins + k]</c>), every frame, in parallel
    /// blocks. Allocation-free after the first calls (workers are pooled in the plan). For inversion loops.
    /// </summary>
    internal unsafe void ForwardInto(ReadOnlySpan<float> y, float[] real, float[] imag)
    {
        int frames = CheckSignal(y), bins = Bins;
        if (real.Length < frames * bins || imag.Length < frames * bins)
            throw new ArgumentException($"output buffers hold {Math.Min(real.Length, imag.Length)} values; {frames} frames × {bins} bins are needed");
        fixed (float* py = y)
        {
            nint address = (nint)py; int length = y.Length;
            RunBlocks(frames, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, count, w) =>
            {
                var ys = new ReadOnlySpan<float>((float*)address, length);
                for (int t = t0; t < t0 + count; t++)
                {
                    FillFrame(ys, t, w.Frame);
                    w.Fft.Forward(w.Frame, real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins));
                }
            });
        }
    }

    /// <summary>Writes frame <paramref name="t"/> of <paramref name="y"/>, windowed, into <paramref name="frame"/>
    /// (NFft values), applying the centre padding at the edges.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void FillFrame(ReadOnlySpan<float> y, int t, Span<float> frame)
    {
        int n = Options.NFft;
        int start = t * Options.EffectiveHopLength - (Options.Center ? n / 2 : 0);
        if (start >= 0 && start + n <= y.Length)
        {
            SpanMath.Multiply(y.Slice(start, n), _window, frame);
            return;
        }
        for (int i = 0; i < n; i++) frame[i] = Sample(y, start + i) * _window[i];
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
        int outLen = length ?? Options.EffectiveHopLength * (stft.Frames - 1);
        if (outLen < 0) throw new ArgumentOutOfRangeException(nameof(length), length, $"length={length} must be ≥ 0");
        var result = new float[outLen];
        InverseInto(stft.Real, stft.Imag, stft.Frames, result);
        return result;
    }

    /// <summary>
    /// Batched inverse STFT from frame-major buffers (<c>real[t·Bins + k]</c>, <paramref name="frames"/> frames) into
    /// the caller-owned <paramref name="output"/> (its length is the signal length, as librosa's <c>length</c>).
    /// 1/Σw² is cached per (frames, length). Allocation-free after the first call.
    /// </summary>
    internal unsafe void InverseInto(float[] real, float[] imag, int frames, Span<float> output)
    {
        int outLen = output.Length;
        CheckFrames(real, imag, frames);
        var invWss = InverseWindowSumSquare(frames, outLen);
        output.Clear();
        fixed (float* po = output)
        {
            nint address = (nint)po;
            OverlapAdd(real, imag, frames, address, outLen, Pad);
            RunItems((outLen + NormaliseChunk - 1) / NormaliseChunk, (c, _) =>
            {
                int s0 = c * NormaliseChunk, len = Math.Min(NormaliseChunk, outLen - s0);
                var o = new Span<float>((float*)address + s0, len);
                SpanMath.Multiply(o, invWss.AsSpan(s0, len), o);
            });
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // padded-buffer API for phase-iteration loops (stft(istft(c)) without re-padding the signal)
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Offset of signal sample 0 in the padded buffer: NFft/2 when centred, else 0.</summary>
    internal int Pad => Options.Center ? Options.NFft / 2 : 0;

    /// <summary>Samples of the padded buffer that <paramref name="frames"/> frames cover: NFft + hop·(T−1).</summary>
    internal int PaddedLength(int frames) => Options.NFft + Options.EffectiveHopLength * (frames - 1);

    /// <summary>Signal length librosa's istft gives with length=None for centred frames: hop·(T−1).</summary>
    internal int OutputLength(int frames) => Options.EffectiveHopLength * (frames - 1);

    /// <summary>Frames per overlap-add block: ≥ <see cref="BlockFrames"/> and long enough (block·hop ≥ NFft − hop) that
    /// a block never overlaps the block after next, so even blocks and then odd blocks can run in parallel.</summary>
    internal int InverseBlockFrames
    {
        get { int n = Options.NFft, hop = Options.EffectiveHopLength; return Math.Max(BlockFrames, (n - hop + hop - 1) / hop + 1); }
    }

    /// <summary>
    /// Forward STFT of an already padded signal (frame t = <c>padded[t·hop .. t·hop + NFft)</c>, no padding logic)
    /// into frame-major buffers; then, for each block of <see cref="BlockFrames"/> frames, calls
    /// <paramref name="perBlock"/>(firstFrame, frameCount, worker) on the worker that produced it, so a projection can
    /// be fused with the FFT while the block is in cache. Allocation-free after the first calls.
    /// </summary>
    internal void ForwardPadded(float[] padded, int frames, float[] real, float[] imag, Action<int, int, StftWorker>? perBlock = null)
    {
        int n = Options.NFft, hop = Options.EffectiveHopLength, bins = Bins;
        if (padded.Length < PaddedLength(frames))
            throw new ArgumentException($"padded signal holds {padded.Length} samples; {frames} frames need {PaddedLength(frames)}", nameof(padded));
        CheckFrames(real, imag, frames);
        var win = _window;
        RunBlocks(frames, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, count, w) =>
        {
            for (int t = t0; t < t0 + count; t++)
            {
                SpanMath.Multiply(padded.AsSpan(t * hop, n), win, w.Frame);
                w.Fft.Forward(w.Frame, real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins));
            }
            perBlock?.Invoke(t0, count, w);
        });
    }

    /// <summary>
    /// Inverse STFT into a padded buffer (length ≥ <see cref="PaddedLength"/>): inverse FFT × window, overlap-add,
    /// divide by Σw² (librosa) over the hop·(T−1) output samples at <see cref="Pad"/>, and zero the rest, so the buffer
    /// is exactly the zero-padded signal librosa's next <c>stft(istft(·))</c> would frame (PadMode.Constant).
    /// </summary>
    internal unsafe void InversePadded(float[] real, float[] imag, int frames, float[] padded)
    {
        int len = PaddedLength(frames);
        if (padded.Length < len)
            throw new ArgumentException($"padded buffer holds {padded.Length} samples; {frames} frames need {len}", nameof(padded));
        CheckFrames(real, imag, frames);
        int pad = Pad, outLen = Math.Min(OutputLength(frames), len - pad);
        var invWss = InverseWindowSumSquare(frames, outLen);
        Array.Clear(padded, 0, len);
        fixed (float* pp = padded)
        {
            nint address = (nint)pp;
            OverlapAdd(real, imag, frames, address, len, 0);
            RunItems((len + NormaliseChunk - 1) / NormaliseChunk, (c, _) =>
            {
                int s = c * NormaliseChunk, e = Math.Min(len, s + NormaliseChunk);
                int a = Math.Clamp(pad, s, e), b = Math.Clamp(pad + outLen, s, e);
                var p = new Span<float>((float*)address, len);
                p[s..a].Clear();
                SpanMath.Multiply(p[a..b], invWss.AsSpan(a - pad, b - a), p[a..b]);
                p[b..e].Clear();
            });
        }
    }

    private const int NormaliseChunk = 1 << 16;

    private void CheckFrames(float[] real, float[] imag, int frames)
    {
        if (frames <= 0) throw new ArgumentOutOfRangeException(nameof(frames), frames, $"frames={frames} must be > 0");
        if (real.Length < frames * Bins || imag.Length < frames * Bins)
            throw new ArgumentException($"spectrum buffers hold {Math.Min(real.Length, imag.Length)} values; {frames} frames × {Bins} bins are needed");
    }

    /// <summary>Overlap-adds window × inverse FFT of every frame into <c>dst[t·hop − offset + i]</c> (dst = the
    /// <paramref name="dstLength"/> floats at <paramref name="dst"/>, cleared by the caller), clipped to dst. Blocks of
    /// <see cref="InverseBlockFrames"/> run in parallel, even blocks then odd ones: no two running blocks touch the same
    /// samples, and the result does not depend on the schedule.</summary>
    private unsafe void OverlapAdd(float[] real, float[] imag, int frames, nint dst, int dstLength, int offset)
    {
        int n = Options.NFft, hop = Options.EffectiveHopLength, bins = Bins;
        int block = InverseBlockFrames;
        int blocks = (frames + block - 1) / block;
        var win = _window;
        for (int parity = 0; parity < 2; parity++)
        {
            int count = (blocks - parity + 1) / 2;
            if (count <= 0) continue;
            RunItems(count, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (item, w) =>
            {
                int b = 2 * item + parity;
                int t0 = b * block, t1 = Math.Min(frames, t0 + block);
                var o = new Span<float>((float*)dst, dstLength);
                for (int t = t0; t < t1; t++)
                {
                    int j0 = t * hop - offset;                   // dst index of frame sample 0
                    int i0 = Math.Max(0, -j0), i1 = Math.Min(n, dstLength - j0);
                    if (i1 <= i0) continue;
                    w.Fft.Inverse(real.AsSpan(t * bins, bins), imag.AsSpan(t * bins, bins), w.Frame);
                    var d = o.Slice(j0 + i0, i1 - i0);
                    SpanMath.MultiplyAdd(w.Frame.AsSpan(i0, i1 - i0), win.AsSpan(i0, i1 - i0), d, d);
                }
            });
        }
    }

    /// <summary>1/Σ_t w²[j − t·hop] (librosa <c>window_sumsquare</c>) over the output samples, or 1 where the sum is
    /// not above float32 tiny (librosa leaves those samples undivided). Cached for the last (frames, length).</summary>
    private float[] InverseWindowSumSquare(int frames, int outLen)
    {
        var cached = _wss;
        if (cached != null && cached.Frames == frames && cached.Length == outLen) return cached.Inverse;
        int n = Options.NFft, hop = Options.EffectiveHopLength, pad = Pad;
        var w2 = new double[n];
        for (int i = 0; i < n; i++) w2[i] = (double)_window[i] * _window[i];
        var inv = new float[outLen];
        const double tiny = 1.1754943508222875e-38; // float32 tiny, as librosa
        RunItems((outLen + NormaliseChunk - 1) / NormaliseChunk, (c, _) =>
        {
            int s0 = c * NormaliseChunk, s1 = Math.Min(outLen, s0 + NormaliseChunk);
            for (int i = s0; i < s1; i++)
            {
                int j = i + pad;
                int tLo = Math.Max(0, (j - n + hop) / hop), tHi = Math.Min(frames - 1, j / hop);
                double sum = 0;
                for (int t = tLo; t <= tHi; t++)
                {
                    int k = j - t * hop;
                    if ((uint)k < (uint)n) sum += w2[k];
                }
                inv[i] = sum > tiny ? (float)(1.0 / sum) : 1f;
            }
        });
        _wss = new WssCache(frames, outLen, inv);
        return inv;
    }

    // ---------------------------------------------------------------------------------------------------------
    // parallel block machinery (shared with MelSpectrogram and the padded-buffer API above)
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="body"/>(firstFrame, frameCount, worker) over blocks of <see cref="BlockFrames"/>
    /// frames, in parallel when there is more than one block. Each call gets a pooled worker of its own.</summary>
    internal void RunBlocks(int frames, Action<int, int, StftWorker> body)
    {
        int blocks = (frames + BlockFrames - 1) / BlockFrames;
        RunItems(blocks, (b, w) => body(b * BlockFrames, Math.Min(BlockFrames, frames - b * BlockFrames), w));
    }

    /// <summary>Runs <paramref name="body"/>(item, worker) for items 0..count−1, in parallel when count &gt; 1.</summary>
    internal void RunItems(int count, Action<int, StftWorker> body)
    {
        if (count <= 0) return;
        if (count == 1 || Environment.ProcessorCount == 1)
        {
            var w = RentWorker();
            try { for (int i = 0; i < count; i++) body(i, w); }
            finally { _workers.Add(w); }
            return;
        }
        Parallel.For(0, count, () => RentWorker(), (i, _, w) => { body(i, w); return w; }, w => _workers.Add(w));
    }

    private StftWorker RentWorker() => _workers.TryTake(out var w) ? w : new StftWorker(Options.NFft);
}

/// <summary>Per-thread state of an <see cref="Stft"/> plan: an FFT, a frame buffer, one spectrum and a scratch area.</summary>
internal sealed class StftWorker
{
    /// <summary>FFT of the plan's size (not thread-safe: this worker's only).</summary>
    public IRealFft Fft { get; }
    /// <summary>NFft samples.</summary>
    public float[] Frame { get; }
    /// <summary>Real and imaginary parts of one spectrum, NFft/2 + 1 each.</summary>
    public float[] Re { get; }
    /// <inheritdoc cref="Re"/>
    public float[] Im { get; }
    private float[] _scratch = [];

    public StftWorker(int nFft)
    {
        Fft = RealFft.Create(nFft);
        Frame = new float[nFft];
        Re = new float[nFft / 2 + 1];
        Im = new float[nFft / 2 + 1];
    }

    /// <summary>A scratch buffer of at least <paramref name="length"/> floats, kept between calls (contents undefined).</summary>
    public float[] Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new float[length];
        return _scratch;
    }
}
