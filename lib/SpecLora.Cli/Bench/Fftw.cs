using System.Runtime.InteropServices;

namespace SpecLora.Cli.Bench;

/// <summary>Minimal single-precision FFTW 3 binding (libfftw3f.so.3), used only as the bench's reference.
/// <see cref="IsAvailable"/> is false when the library is not installed.</summary>
internal static unsafe partial class Fftw
{
    private const string Lib = "libfftw3f.so.3";
    public const string InstallHint = "FFTW not installed (apt-get install libfftw3-single3)";
    private const uint Measure = 0;

    private static readonly Lazy<bool> Loaded = new(() => NativeLibrary.TryLoad(Lib, out _));

    /// <summary>True when libfftw3f.so.3 can be loaded.</summary>
    public static bool IsAvailable => Loaded.Value;

    [LibraryImport(Lib, EntryPoint = "fftwf_malloc")] private static partial void* Malloc(nuint n);
    [LibraryImport(Lib, EntryPoint = "fftwf_free")] private static partial void Free(void* p);
    [LibraryImport(Lib, EntryPoint = "fftwf_plan_dft_r2c_1d")] private static partial nint PlanR2C(int n, float* input, float* output, uint flags);
    [LibraryImport(Lib, EntryPoint = "fftwf_plan_dft_c2r_1d")] private static partial nint PlanC2R(int n, float* input, float* output, uint flags);
    [LibraryImport(Lib, EntryPoint = "fftwf_execute")] private static partial void Execute(nint plan);
    [LibraryImport(Lib, EntryPoint = "fftwf_destroy_plan")] private static partial void Destroy(nint plan);

    /// <summary>An FFTW_MEASURE plan pair (r2c and c2r) of size n on FFTW-allocated (aligned) buffers.</summary>
    public sealed class RealPlan : IDisposable
    {
        private readonly float* _real, _complex, _complex2;
        private readonly nint _forward, _inverse;
        public int Size { get; }

        public RealPlan(int n)
        {
            Size = n;
            _real = (float*)Malloc((nuint)(n * sizeof(float)));
            _complex = (float*)Malloc((nuint)((n + 2) * sizeof(float)));
            _complex2 = (float*)Malloc((nuint)((n + 2) * sizeof(float)));
            _forward = PlanR2C(n, _real, _complex, Measure);
            _inverse = PlanC2R(n, _complex2, _real, Measure); // c2r destroys its input: a separate buffer
            var rng = new Random(1);
            for (int i = 0; i < n; i++) _real[i] = (float)(rng.NextDouble() * 2 - 1);
            Execute(_forward);
            new Span<float>(_complex, n + 2).CopyTo(new Span<float>(_complex2, n + 2));
        }

        public void Forward() => Execute(_forward);
        public void Inverse() => Execute(_inverse);

        public void Dispose()
        {
            Destroy(_forward); Destroy(_inverse);
            Free(_real); Free(_complex); Free(_complex2);
        }
    }
}
