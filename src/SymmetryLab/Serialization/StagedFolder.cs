using System.Runtime.InteropServices;
using SymmetryLab.Data;

namespace SymmetryLab.Serialization;

/// <summary>
/// A folder written whole or not at all: its files go into a fresh hidden sibling
/// (<c>.symlab-PID-RANDOM.tmp</c> beside it), and <see cref="Commit"/> swaps that into place in one
/// step, so a reader (or a process killed at any moment) sees the old folder or the complete new one,
/// never a mix. Holding the folder's <see cref="FolderLock"/> for its whole life, it is the only writer;
/// what killed writers left beside it is removed when it starts.
/// </summary>
/// <remarks>
/// The swap is Linux's renameat2(RENAME_EXCHANGE) (or a plain rename when nothing is there yet); the
/// old contents then sit in the staging name and are deleted. Elsewhere, or on a file system without
/// the exchange, the old folder is first renamed aside, leaving a moment in which neither exists.
/// Replacing a folder replaces all of it: <c>mayReplace</c> decides whether an existing,
/// non-empty folder is ours to replace (a train run folder is; a user's own folder is not).
/// </remarks>
internal sealed partial class StagedFolder : IDisposable
{
    private readonly FolderLock _lock;
    private bool _committed;

    private StagedFolder(FolderLock folderLock, string staging)
    {
        _lock = folderLock;
        Staging = staging;
    }

    /// <summary>The folder that will hold the files (absolute, links followed).</summary>
    public string Target => _lock.Folder;

    /// <summary>Where the files are written until <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>
    /// Locks <paramref name="path"/> (see <see cref="OutputPath.Folder"/>), checks that an existing folder
    /// there may be replaced (<paramref name="mayReplace"/> sees its entries' names; an empty one always
    /// may), cleans what killed writers left, and opens a fresh staging folder.
    /// </summary>
    public static StagedFolder Begin(string path, Func<IReadOnlyList<string>, string?> mayReplace, string? flag = null)
    {
        string target = OutputPath.Folder(path, flag);
        var folderLock = FolderLock.Acquire(target);
        try
        {
            string parent = Path.GetDirectoryName(target)!;
            AtomicFile.CleanStale(parent);
            if (Directory.Exists(target))
            {
                AtomicFile.CleanStale(target, olderNames: true);
                var names = Directory.EnumerateFileSystemEntries(target).Select(e => Path.GetFileName(e)!).Order(StringComparer.Ordinal).ToList();
                if (names.Count > 0 && mayReplace(names) is { } why)
                    throw new DataException($"{(flag is null ? "" : flag + " ")}{path}: {why}");
            }
            string staging = AtomicFile.TempName(parent);
            Directory.CreateDirectory(staging);
            return new StagedFolder(folderLock, staging);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Puts the staging folder in the target's place (whole), and removes what was there.</summary>
    public void Commit()
    {
        if (_committed) throw new InvalidOperationException("already committed");
        if (!Directory.Exists(Target))
        {
            Directory.Move(Staging, Target);
        }
        else if (OperatingSystem.IsLinux() && Exchange(Staging, Target))
        {
            Directory.Delete(Staging, recursive: true); // the old contents, now under the staging name
        }
        else
        {
            string aside = AtomicFile.TempName(Path.GetDirectoryName(Target)!);
            Directory.Move(Target, aside);
            Directory.Move(Staging, Target);
            Directory.Delete(aside, recursive: true);
        }
        _committed = true;
    }

    /// <summary>Removes the staging folder unless committed, and releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            if (!_committed && Directory.Exists(Staging)) Directory.Delete(Staging, recursive: true);
        }
        finally
        {
            _lock.Dispose();
        }
    }

    private const int AtCurrentDirectory = -100, RenameExchange = 2;

    private static bool Exchange(string a, string b)
    {
        try
        {
            return renameat2(AtCurrentDirectory, a, AtCurrentDirectory, b, RenameExchange) == 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);
}
