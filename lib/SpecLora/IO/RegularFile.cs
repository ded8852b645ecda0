using System.Runtime.InteropServices;

namespace SpecLora.IO;

/// <summary>
/// Refuses paths that are not regular files before they are opened: opening a FIFO (named pipe) for reading blocks
/// until some other process writes to it, so <c>speclora mels pipe.wav</c> would hang forever; a character device such
/// as <c>/dev/zero</c> never ends. .NET has no public API for the file type (<see cref="FileSystemInfo.Attributes"/>
/// says <c>Normal</c> for a FIFO), so on Linux and macOS this asks the runtime's own <c>stat</c> shim
/// (<c>SystemNative_Stat</c> in libSystem.Native, the one <see cref="FileInfo"/> uses underneath).
/// </summary>
internal static unsafe class RegularFile
{
    // PAL file-type bits of FileStatus.Mode (src/native/libs/System.Native/pal_io.h), the same values as POSIX.
    private const int TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
        Regular = 0x8000, Socket = 0xC000;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte* status);

    private static bool _unavailable;

    /// <summary>What <paramref name="path"/> is when it exists and is not a regular file ("a FIFO (named pipe)", "a
    /// folder", …); null for a regular file, a missing path, or where the type cannot be asked (Windows).</summary>
    internal static string? NonRegularKind(string path)
    {
        if (OperatingSystem.IsWindows() || _unavailable) return null;
        byte* status = stackalloc byte[512];   // FileStatus is ~140 bytes; Mode is the int32 at offset 4
        try
        {
            if (Stat(path, status) != 0) return null;   // missing: the caller's open reports it
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }
        return (*(int*)(status + 4) & TypeMask) switch
        {
            Regular => null,
            Fifo => "a FIFO (named pipe), which would block until another program writes to it",
            CharDevice => "a character device",
            BlockDevice => "a block device",
            Directory => "a folder",
            Socket => "a socket",
            _ => "not a regular file",
        };
    }
}
