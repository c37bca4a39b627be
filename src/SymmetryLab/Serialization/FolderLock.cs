using SymmetryLab.Data;

namespace SymmetryLab.Serialization;

/// <summary>
/// One writer at a time for an output folder: an exclusive lock (flock on Linux and macOS, a sharing
/// lock on Windows) on the hidden file <c>.NAME.symlab-lock</c> beside the folder, held until disposed,
/// when the file is removed. The operating system releases the lock when the process ends, however it
/// ends, so a killed writer never leaves a folder locked (only an unlocked file, which the next writer
/// takes over). A lock whose file was removed meanwhile by the writer before is not taken: the file at
/// the path must be the one locked.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;

    private FolderLock(FileStream file, string path, string folder)
    {
        _file = file;
        _path = path;
        Folder = folder;
    }

    /// <summary>The folder this lock guards (absolute).</summary>
    public string Folder { get; }

    /// <summary>The lock file that guards <paramref name="folder"/> (an absolute path without trailing separator).</summary>
    public static string PathFor(string folder) =>
        Path.Combine(Path.GetDirectoryName(folder) ?? folder, $".{Path.GetFileName(folder)}.symlab-lock");

    /// <summary>
    /// Takes the lock of <paramref name="folder"/> (its parent is created when missing), or throws a
    /// <see cref="DataException"/> naming the folder when another writer holds it (no waiting) or when nothing
    /// can be written where it would be (no permission, /proc). Any other failure to open the lock file (a link
    /// loop, a full disk, ...) is the <see cref="IOException"/> that says what happened,
    /// with the lock file's path.
    /// </summary>
    public static FolderLock Acquire(string folder)
    {
        // PathFor wants an absolute path without a trailing separator: a bare name ("sweep --out mine") has no
        // parent to create, and "mine/" would put the lock inside the folder it guards.
        string lockFile = PathFor(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        for (int attempt = 0; attempt < 3; attempt++)
        {
            FileStream file;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
                file = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException e) when (IsLockConflict(e))
            {
                throw Busy(folder, lockFile);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException)
            {
                // A place no folder can be written (no permission, /proc, a missing parent that cannot be made):
                // the path given is at fault, so it is named; a full disk or an I/O error stays an IOException.
                throw new DataException($"{folder}: no folder can be written here ({e.Message})");
            }
            if (FileKinds.SameFile(file, lockFile)) return new FolderLock(file, lockFile, folder);
            file.Dispose(); // the writer before removed it between our open and our lock: take the new one
        }
        throw Busy(folder, lockFile);
    }

    /// <summary>
    /// Whether opening failed only because another handle holds the lock: flock's EWOULDBLOCK on Unix
    /// (11 on Linux, 35 on macOS and the BSDs), which .NET reports as the IOException's HResult; a sharing
    /// or lock violation (32, 33) on Windows.
    /// </summary>
    private static bool IsLockConflict(IOException e) =>
        e.GetType() == typeof(IOException) && (OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35));

    private static DataException Busy(string folder, string lockFile) =>
        new($"{folder}: another symlab is writing this folder now ({Path.GetFileName(lockFile)} is locked); wait for it to finish or choose another folder");

    public void Dispose()
    {
        try
        {
            File.Delete(_path); // while still holding the lock: a writer that opened it meanwhile sees it gone
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next writer, which takes it over.
        }
        _file.Dispose();
    }
}
