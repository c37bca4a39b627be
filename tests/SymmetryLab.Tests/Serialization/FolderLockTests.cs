using SymmetryLab.Data;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Serialization;

/// <summary>Only a lock held by another writer says "another symlab is writing"; any other failure says what happened, with the path.</summary>
public class FolderLockTests
{
    [Fact]
    public void ALockHeldByAnotherWriterIsRefusedNamingTheFolder()
    {
        string folder = Path.Combine(TestNets.TempDir(), "run");
        using (FolderLock.Acquire(folder))
        {
            var e = Assert.Throws<DataException>(() => FolderLock.Acquire(folder));
            Assert.StartsWith($"{folder}: another symlab is writing this folder now", e.Message);
        }
        using (FolderLock.Acquire(folder)) { } // released: taken again
    }

    [Fact]
    public void AnotherFailureToOpenTheLockSaysWhatHappenedNotThatSomeoneIsWriting()
    {
        if (OperatingSystem.IsWindows()) return; // a symbolic link needs a privilege there
        string folder = Path.Combine(TestNets.TempDir(), "run");
        string lockFile = FolderLock.PathFor(folder);
        File.CreateSymbolicLink(lockFile, lockFile); // a link to itself: opening it fails with "too many levels of symbolic links"
        var e = Assert.ThrowsAny<IOException>(() => FolderLock.Acquire(folder));
        Assert.DoesNotContain("another symlab", e.Message);
        Assert.Contains(lockFile, e.Message);
    }

    [Theory]
    [InlineData("/proc/symlab-run")] // no file can be made in /proc, whoever runs the tests (root too)
    [InlineData("/proc/no-such/symlab-run")] // nor a folder
    public void A_place_where_nothing_can_be_written_is_bad_input_naming_the_folder(string folder)
    {
        if (!OperatingSystem.IsLinux()) return;
        var e = Assert.Throws<DataException>(() => FolderLock.Acquire(folder));
        Assert.StartsWith($"{folder}: no folder can be written here (", e.Message);
        var (code, _, err) = SymmetryLab.Tests.Cli.CliTests.Run("train", "--data", "xor", "--epochs", "1", "--out", folder);
        Assert.Equal((2, $"symlab: {e.Message}"), (code, err.Trim()));
    }
}
