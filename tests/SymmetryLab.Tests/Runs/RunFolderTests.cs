using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// Item 4: a run folder is written whole, by one writer at a time; nothing of an earlier run stays
/// beside a new one; what killed writers left is cleaned; a failed run leaves the folder untouched.
/// </summary>
public sealed class RunFolderTests : IDisposable
{
    private readonly string _root = TestNets.TempDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Coffee = ["train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3"];

    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void ASecondWriterIsRefusedNamingTheFolder()
    {
        string run = Path.Combine(_root, "run");
        using (FolderLock.Acquire(Path.GetFullPath(run)))
        {
            var (code, _, err) = CliTests.Run([.. Coffee, "--out", run]);
            Assert.Equal(2, code);
            Assert.Contains(run, err);
            Assert.Contains("another symlab is writing", err);
            Assert.False(Directory.Exists(run));
        }
        Assert.Equal(0, CliTests.Run([.. Coffee, "--out", run]).Code);
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".*")); // no lock file, no staging folder left
    }

    [Fact]
    public void ARerunKeepsNothingItDidNotWriteAndCleansWhatKilledWritersLeft()
    {
        string run = Path.Combine(_root, "run");
        Assert.Equal(0, CliTests.Run([.. Coffee, "--record", "weights:10", "--out", run]).Code);
        Assert.True(File.Exists(Path.Combine(run, "trajectory.csv")));
        // What a writer killed mid-write left, in the folder and beside it (processes that no longer exist).
        File.WriteAllText(Path.Combine(run, ".initial.json.999999999.tmp"), "half");
        File.WriteAllText(Path.Combine(run, ".trajectory.csv.999999999.tmp"), "half");
        Directory.CreateDirectory(Path.Combine(_root, ".symlab-999999999-0123abcd.tmp"));
        Assert.Equal(0, CliTests.Run([.. Coffee, "--seed", "2", "--out", run]).Code);
        Assert.Equal(RunFolderFiles.WithoutTrajectory, Directory.GetFileSystemEntries(run).Select(Path.GetFileName).Order().ToArray());
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".*"));
        // The folder equals a clean run of the same command, byte for byte.
        string clean = Path.Combine(_root, "clean");
        Assert.Equal(0, CliTests.Run([.. Coffee, "--seed", "2", "--out", clean]).Code);
        Assert.Equal(Snapshot(clean), Snapshot(run));
    }

    [Fact]
    public void AFailedRunLeavesTheFolderAsItWas()
    {
        string run = Path.Combine(_root, "run");
        Assert.Equal(0, CliTests.Run([.. Coffee, "--out", run]).Code);
        var before = Snapshot(run);
        string bad = Path.Combine(_root, "bad.csv");
        File.WriteAllText(bad, "a,b,y\n1,2,0\n3,x,1\n");
        var (code, _, _) = CliTests.Run(["train", "--data", bad, "--epochs", "1", "--out", run]);
        Assert.Equal(2, code);
        Assert.Equal(before, Snapshot(run));
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".*"));
    }
}

internal static class RunFolderFiles
{
    public static readonly string[] WithoutTrajectory = ["history.csv", "initial.json", "model.json", "run.json", "symmetry.json"];
}
