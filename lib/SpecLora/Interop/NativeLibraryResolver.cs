using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpecLora.Interop;

/// <summary>
/// When the library is loaded by path (<c>#r "…/SpecLora.dll"</c> in a notebook, or our runner), nothing probes
/// <c>runtimes/&lt;rid&gt;/native</c>, so SkiaSharp's native library is not found. This resolver looks there.
/// </summary>
internal static class NativeLibraryResolver
{
    private static int _registered;

#pragma warning disable CA2255 // intended: the library is loaded by path (#r) and must register before SkiaSharp is touched
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        TryRegister(typeof(SkiaSharp.SKImage).Assembly);
    }

    private static void TryRegister(Assembly assembly)
    {
        try { NativeLibrary.SetDllImportResolver(assembly, Resolve); }
        catch (InvalidOperationException) { /* a resolver is already set (e.g. by the host): keep it */ }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (NativeLibrary.TryLoad(name, assembly, path, out var handle)) return handle;
        var baseDir = Path.GetDirectoryName(typeof(NativeLibraryResolver).Assembly.Location);
        if (string.IsNullOrEmpty(baseDir)) return IntPtr.Zero;
        foreach (var rid in CandidateRids())
        {
            var dir = Path.Combine(baseDir, "runtimes", rid, "native");
            if (!Directory.Exists(dir)) continue;
            foreach (var file in CandidateFileNames(name))
            {
                var full = Path.Combine(dir, file);
                if (File.Exists(full) && NativeLibrary.TryLoad(full, out handle)) return handle;
            }
        }
        return IntPtr.Zero;
    }

    private static IEnumerable<string> CandidateRids()
    {
        yield return RuntimeInformation.RuntimeIdentifier;
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsLinux()) { yield return $"linux-{arch}"; yield return $"linux-musl-{arch}"; }
        else if (OperatingSystem.IsMacOS()) { yield return $"osx-{arch}"; yield return "osx"; }
        else if (OperatingSystem.IsWindows()) { yield return $"win-{arch}"; }
    }

    private static IEnumerable<string> CandidateFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows()) { yield return name + ".dll"; }
        else if (OperatingSystem.IsMacOS()) { yield return "lib" + name + ".dylib"; yield return name + ".dylib"; }
        else { yield return "lib" + name + ".so"; yield return name + ".so"; }
    }
}
