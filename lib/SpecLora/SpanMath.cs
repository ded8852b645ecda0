using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecLora;

/// <summary>
/// The element-wise float kernels of the STFT and inversion hot loops (x·y, x·y + z, Σ x·y, √x, max, min), on
/// <see cref="Vector{T}"/> with a scalar tail. <c>System.Numerics.Tensors.TensorPrimitives</c> does the same, but its
/// generic instantiations for float live outside this assembly's ReadyToRun image: each is JIT-compiled on first use,
/// 7–23 ms apiece (measured on the 2-core box, nine of them on the picture → audio path ≈ 0.13 s of a 1-s process).
/// These compile into the image, and the JIT inlines them into the loops that call them. The destination may be one of
/// the inputs (in place); other overlaps are not supported. In the root namespace because every stage uses them.
/// </summary>
internal static class SpanMath
{
    /// <summary>d = x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        int n = Check(x.Length, y.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y), rd = ref MemoryMarshal.GetReference(d);
        for (; i <= n - w; i += w)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref rx, (nuint)i) * Vector.LoadUnsafe(ref ry, (nuint)i), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
    }

    /// <summary>d = x·s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(ReadOnlySpan<float> x, float s, Span<float> d)
    {
        int n = Check(x.Length, x.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), rd = ref MemoryMarshal.GetReference(d);
        var vs = new Vector<float>(s);
        for (; i <= n - w; i += w) Vector.StoreUnsafe(Vector.LoadUnsafe(ref rx, (nuint)i) * vs, ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * s;
    }

    /// <summary>d = x·y + z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> z, Span<float> d)
    {
        int n = Check(x.Length, y.Length, d.Length), i = 0, w = Vector<float>.Count;
        if (z.Length != n) throw new ArgumentException($"spans of {n} and {z.Length} elements", nameof(z));
        ref float rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y), rz = ref MemoryMarshal.GetReference(z), rd = ref MemoryMarshal.GetReference(d);
        for (; i <= n - w; i += w)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref rx, (nuint)i) * Vector.LoadUnsafe(ref ry, (nuint)i) + Vector.LoadUnsafe(ref rz, (nuint)i), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i) + Unsafe.Add(ref rz, i);
    }

    /// <summary>d = x·s + z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> z, Span<float> d)
    {
        int n = Check(x.Length, z.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), rz = ref MemoryMarshal.GetReference(z), rd = ref MemoryMarshal.GetReference(d);
        var vs = new Vector<float>(s);
        for (; i <= n - w; i += w)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref rx, (nuint)i) * vs + Vector.LoadUnsafe(ref rz, (nuint)i), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Unsafe.Add(ref rx, i) * s + Unsafe.Add(ref rz, i);
    }

    /// <summary>Σ x·y (lane-wise partial sums, then the lanes and the tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = Check(x.Length, y.Length, x.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y);
        float sum = 0;
        if (n >= w)
        {
            var acc = Vector<float>.Zero;
            for (; i <= n - w; i += w) acc += Vector.LoadUnsafe(ref rx, (nuint)i) * Vector.LoadUnsafe(ref ry, (nuint)i);
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        return sum;
    }

    /// <summary>d = √x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sqrt(ReadOnlySpan<float> x, Span<float> d)
    {
        int n = Check(x.Length, x.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), rd = ref MemoryMarshal.GetReference(d);
        for (; i <= n - w; i += w) Vector.StoreUnsafe(Vector.SquareRoot(Vector.LoadUnsafe(ref rx, (nuint)i)), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = MathF.Sqrt(Unsafe.Add(ref rx, i));
    }

    /// <summary>d = max(x, y) (NaN-free inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Max(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        int n = Check(x.Length, y.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), ry = ref MemoryMarshal.GetReference(y), rd = ref MemoryMarshal.GetReference(d);
        for (; i <= n - w; i += w)
            Vector.StoreUnsafe(Vector.Max(Vector.LoadUnsafe(ref rx, (nuint)i), Vector.LoadUnsafe(ref ry, (nuint)i)), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Math.Max(Unsafe.Add(ref rx, i), Unsafe.Add(ref ry, i));
    }

    /// <summary>d = min(x, s) (NaN-free inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Min(ReadOnlySpan<float> x, float s, Span<float> d)
    {
        int n = Check(x.Length, x.Length, d.Length), i = 0, w = Vector<float>.Count;
        ref float rx = ref MemoryMarshal.GetReference(x), rd = ref MemoryMarshal.GetReference(d);
        var vs = new Vector<float>(s);
        for (; i <= n - w; i += w) Vector.StoreUnsafe(Vector.Min(Vector.LoadUnsafe(ref rx, (nuint)i), vs), ref rd, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref rd, i) = Math.Min(Unsafe.Add(ref rx, i), s);
    }

    private static int Check(int a, int b, int d)
    {
        if (a != b || d < a) throw new ArgumentException($"spans of {a}, {b} and {d} elements: the inputs must have one length and the destination at least that");
        return a;
    }

    /// <summary>Transposes a row-major [rows × cols] matrix into a new [cols × rows] one, in 32×32 cache blocks, row
    /// blocks in parallel: the one transposer of the library (bin-major ↔ frame-major spectrograms).</summary>
    public static float[] Transpose(float[] a, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(a);
        if ((long)rows * cols != a.Length) throw new ArgumentException($"{a.Length} values are not {rows} × {cols}", nameof(a));
        var r = new float[a.Length];
        const int B = 32;
        int rowBlocks = (rows + B - 1) / B;
        Parallel.For(0, rowBlocks, rb =>
        {
            int i0 = rb * B, i1 = Math.Min(rows, i0 + B);
            for (int j0 = 0; j0 < cols; j0 += B)
            {
                int j1 = Math.Min(cols, j0 + B);
                for (int i = i0; i < i1; i++)
                    for (int j = j0; j < j1; j++) r[j * rows + i] = a[i * cols + j];
            }
        });
        return r;
    }
}
