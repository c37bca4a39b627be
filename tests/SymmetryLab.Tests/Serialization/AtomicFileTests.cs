using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>A write that fails leaves nothing behind: no file, no temporary, and none of the folders it created for the file.</summary>
public class AtomicFileTests
{
    [Fact]
    public void AFailedWriteRemovesTheFoldersItCreated()
    {
        string root = TestNets.TempDir();
        string path = Path.Combine(root, "a", "b", "c", "out.txt");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, null, _ => throw new IOException("disk full")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public void AFailedWriteKeepsTheFoldersThatWereThereAndWhatOthersPutInThem()
    {
        string root = TestNets.TempDir();
        string kept = Path.Combine(root, "kept");
        Directory.CreateDirectory(kept);
        Assert.Throws<IOException>(() => AtomicFile.Write(Path.Combine(kept, "new", "out.txt"), null, _ => throw new IOException("disk full")));
        Assert.True(Directory.Exists(kept));
        Assert.Empty(Directory.EnumerateFileSystemEntries(kept));

        // A folder that another file now holds stays, with that file.
        string shared = Path.Combine(root, "shared");
        Assert.Throws<IOException>(() => AtomicFile.Write(Path.Combine(shared, "inner", "out.txt"), null, _ =>
        {
            File.WriteAllText(Path.Combine(shared, "other.txt"), "someone else's");
            throw new IOException("disk full");
        }));
        Assert.Equal([Path.Combine(shared, "other.txt")], Directory.EnumerateFileSystemEntries(shared));
    }

    [Fact]
    public void ASuccessfulWriteKeepsItsFolders()
    {
        string path = Path.Combine(TestNets.TempDir(), "x", "y", "out.txt");
        AtomicFile.WriteAllText(path, "whole");
        Assert.Equal("whole", File.ReadAllText(path));
    }
}
