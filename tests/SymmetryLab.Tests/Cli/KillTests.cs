using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// train killed at random moments (SIGKILL, a fixed seed for the moments): afterwards its folder is the
/// earlier run, untouched, or the complete new run, byte for byte what a clean run writes; never a mix.
/// The next run cleans what the killed ones left beside it.
/// </summary>
public sealed class KillTests : IDisposable
{
    private readonly string _root = TestNets.TempDir();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void AKilledTrainLeavesTheOldRunOrTheWholeNewOne()
    {
        string[] setup = ["train", "--data", "digits01", "--layers", "8,1", "--epochs", "2", "--threads", "1", "--record", "weights:50"];
        string run = Path.Combine(_root, "run"), clean = Path.Combine(_root, "clean");
        Assert.Equal(0, SymlabProcess.Run([.. setup, "--seed", "2", "--out", run]).Code);
        var old = Snapshot(run);
        var whole = SymlabProcess.Run([.. setup, "--out", clean]);
        Assert.Equal(0, whole.Code);
        var complete = Snapshot(clean);
        var rng = new Rng(16);
        int untouched = 0, replaced = 0;
        for (int k = 0; k < 5; k++)
        {
            using var child = SymlabProcess.Start([.. setup, "--out", run]);
            // Anywhere from start-up to past the end of a run.
            Thread.Sleep(TimeSpan.FromMilliseconds(rng.NextDouble() * whole.Elapsed.TotalMilliseconds * 1.2));
            try { child.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } // already done
            child.WaitForExit();
            var now = Snapshot(run);
            if (now.Count == old.Count && now.All(f => old.TryGetValue(f.Key, out var h) && h == f.Value)) untouched++;
            else
            {
                Assert.Equal(complete, now);
                replaced++;
                Assert.Equal(0, SymlabProcess.Run([.. setup, "--seed", "2", "--out", run]).Code); // back to the old run
            }
        }
        Assert.Equal(5, untouched + replaced);
        Assert.Equal(0, SymlabProcess.Run([.. setup, "--seed", "2", "--out", run]).Code);
        Assert.Empty(Directory.GetFileSystemEntries(_root, ".*")); // the kills' staging folders and lock files are gone
    }
}
