using System.Runtime.InteropServices;

namespace SymmetryLab.Serialization;

/// <summary>What a path names, symbolic links followed: what .NET's File and Directory cannot tell apart (a device, a pipe and a regular file all "exist" as files).</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    Pipe,
    CharacterDevice,
    BlockDevice,
    Socket,
    /// <summary>A loop of symbolic links, or a path that cannot be examined.</summary>
    Unreadable,
}

/// <summary>The kind of a file, from the operating system (Linux's statx; elsewhere what .NET can tell).</summary>
internal static partial class FileKinds
{
    private const int AtCurrentDirectory = -100, StatxType = 1, ModeOffset = 28;

    /// <summary>What <paramref name="path"/> names, following symbolic links (a dangling link is <see cref="FileKind.Missing"/>).</summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return Statx(path);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                // An old C library: fall back to what .NET sees.
            }
        }
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    private static unsafe FileKind Statx(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (statx(AtCurrentDirectory, path, 0, StatxType, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? FileKind.Missing : FileKind.Unreadable; // ENOENT, ENOTDIR; ELOOP, EACCES, ENAMETOOLONG...
        }
        return (*(ushort*)(buffer + ModeOffset) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Pipe,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unreadable,
        };
    }

    /// <summary>
    /// Whether the open file <paramref name="file"/> is still the one at <paramref name="path"/> (same device
    /// and inode), on Linux; elsewhere assumed. A lock taken on a file that was then unlinked is no lock.
    /// </summary>
    public static unsafe bool SameFile(FileStream file, string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        byte* open = stackalloc byte[256], named = stackalloc byte[256];
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        try
        {
            if (statx(fd, "", EmptyPath, StatxIno, open) != 0) return true;
            if (statx(AtCurrentDirectory, path, 0, StatxIno, named) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return true;
        }
        // stx_ino at 32; stx_dev_major and stx_dev_minor at 136 and 140.
        return *(ulong*)(open + 32) == *(ulong*)(named + 32) && *(ulong*)(open + 136) == *(ulong*)(named + 136);
    }

    private const int EmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    /// <summary>Words for a kind in messages: "is a named pipe".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "does not exist",
        FileKind.Regular => "is a regular file",
        FileKind.Directory => "is a folder",
        FileKind.Pipe => "is a named pipe",
        FileKind.CharacterDevice => "is a character device",
        FileKind.BlockDevice => "is a block device",
        FileKind.Socket => "is a socket",
        _ => "cannot be examined (a loop of symbolic links, or no permission)",
    };

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
