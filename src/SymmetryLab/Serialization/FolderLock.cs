namespace SymmetryLab.Serialization;

/// <summary>
/// One writer at a time for an output folder: an exclusive lock on <c>DIR/.lock</c>, held while the
/// folder is written and released by the operating system when the process ends, however it ends (a
/// killed writer leaves no stale lock). The file itself stays (an empty file): deleting it would let a
/// second writer lock a file a third cannot see. While the lock is held, temporary files left in the
/// folder by a writer that was killed are stale, and <see cref="RemoveStaleTemporaries"/> removes them.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private FolderLock(FileStream stream) => _stream = stream;

    /// <summary>Locks <paramref name="dir"/> (creating it); throws <see cref="IOException"/> naming the folder when another writer holds it.</summary>
    public static FolderLock Acquire(string dir)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, FileName);
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix and a sharing lock on Windows.
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new LockedException(dir);
        }
    }

    /// <summary>Another process (or another writer in this one) is writing the folder.</summary>
    public sealed class LockedException(string dir)
        : IOException($"{dir}: another symlab process is writing this folder (it holds {Path.Combine(dir, FileName)}); wait for it to finish, or use another folder");

    /// <summary>
    /// Deletes the temporary files of <see cref="AtomicFile"/> (<c>.NAME.PID.tmp</c>) under
    /// <paramref name="dir"/>: with the lock held, any that exist were left by a writer that died.
    /// </summary>
    public static void RemoveStaleTemporaries(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp", SearchOption.AllDirectories))
            File.Delete(file);
    }

    public void Dispose() => _stream.Dispose();
}
