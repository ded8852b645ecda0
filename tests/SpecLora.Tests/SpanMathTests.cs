using System.Numerics.Tensors;

namespace SpecLora.Tests;

/// <summary>SpanMath against TensorPrimitives (the library it replaces on the hot paths), on lengths with and without a
/// vector tail, in place and not.</summary>
public class SpanMathTests
{
    private static float[] Random(int n, int seed, float lo = -2f, float hi = 2f)
    {
        var r = new Random(seed); var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * (float)r.NextDouble();
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1025)]
    public void Matches_TensorPrimitives(int n)
    {
        float[] x = Random(n, 1), y = Random(n, 2), z = Random(n, 3), pos = Random(n, 4, 0f, 9f);
        float[] ours = new float[n], theirs = new float[n];
        void Same() { for (int i = 0; i < n; i++) Assert.Equal(theirs[i], ours[i], 5); }
        SpanMath.Multiply(x, y, ours); TensorPrimitives.Multiply(x, y, theirs); Same();
        SpanMath.Multiply(x, 1.5f, ours); TensorPrimitives.Multiply(x, 1.5f, theirs); Same();
        SpanMath.MultiplyAdd(x, y, z, ours); TensorPrimitives.MultiplyAdd(x, y, z, theirs); Same();
        SpanMath.MultiplyAdd(x, -0.5f, z, ours); TensorPrimitives.MultiplyAdd(x, -0.5f, z, theirs); Same();
        SpanMath.Sqrt(pos, ours); TensorPrimitives.Sqrt(pos, theirs); Same();
        SpanMath.Max(x, y, ours); TensorPrimitives.Max(x, y, theirs); Same();
        SpanMath.Min(x, 0.25f, ours); TensorPrimitives.Min(x, 0.25f, theirs); Same();
        Assert.Equal(TensorPrimitives.Dot(x, y), SpanMath.Dot(x, y), 3);
    }

    [Fact]
    public void Works_in_place_and_refuses_mismatched_lengths()
    {
        var a = new float[] { 1, 4, 9, 16, 25, 36, 49, 64, 81, 100 };
        SpanMath.Sqrt(a, a);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (float)i), a);
        SpanMath.MultiplyAdd(a, a, a, a);   // a·a + a
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (float)(i * i + i)), a);
        Assert.Throws<ArgumentException>(() => SpanMath.Multiply(new float[3], new float[4], new float[4]));
        Assert.Throws<ArgumentException>(() => SpanMath.Multiply(new float[4], 2f, new float[3]));
    }
}
