using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NfOta.Server;

/// <summary>
/// Opens a file under a directory descriptor one path component at a time with openat(2) and
/// O_NOFOLLOW, so a symbolic link at any component fails the open (ELOOP, ENOTDIR) instead of
/// being followed. Nothing is checked and then opened again: the descriptor returned is the file
/// that is served, whatever replaces its path afterwards.
/// </summary>
internal static class NoFollowOpen
{
    private const int ReadOnly = 0;

    /// <summary>open(2) flag values: asm-generic (x86, x64, RISC-V, ...), arm and powerpc's own, and macOS's.</summary>
    private readonly record struct OpenFlags(int Directory, int NoFollow, int CloseOnExec, int NonBlocking);

    private static readonly OpenFlags Flag = OperatingSystem.IsMacOS() ? new(0x100000, 0x100, 0x1000000, 0x4)
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le ? new(0x4000, 0x8000, 0x80000, 0x800)
        : new(0x10000, 0x20000, 0x80000, 0x800);

    /// <summary>Where openat takes the flags above: Linux and macOS.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    private static int DirectoryFlags => ReadOnly | Flag.Directory | Flag.NoFollow | Flag.CloseOnExec;

    // Non-blocking: a FIFO dropped into the folder must not stall the open (it is refused afterwards).
    private static int FileFlags => ReadOnly | Flag.NoFollow | Flag.CloseOnExec | Flag.NonBlocking;

    /// <summary>The served folder itself, links in its own path followed: the operator chose it.</summary>
    public static SafeFileHandle OpenRoot(string path)
    {
        var fd = Open(path, ReadOnly | Flag.Directory | Flag.CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' (errno {Marshal.GetLastPInvokeError()})");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>The file at <paramref name="components"/> below <paramref name="root"/>; null when any component is a link or missing.</summary>
    public static SafeFileHandle? OpenBelow(SafeFileHandle root, IReadOnlyList<string> components)
    {
        var added = false;
        root.DangerousAddRef(ref added);
        var directory = (int)root.DangerousGetHandle();
        var owned = false;
        try
        {
            for (var i = 0; i < components.Count - 1; i++)
            {
                var next = OpenAt(directory, components[i], DirectoryFlags);
                if (owned) Close(directory);
                owned = next >= 0;
                if (next < 0) return null;
                directory = next;
            }
            var fd = OpenAt(directory, components[^1], FileFlags);
            return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
        }
        finally
        {
            if (owned) Close(directory);
            if (added) root.DangerousRelease();
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static extern int OpenAt(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
