using System.Diagnostics;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// A sweep killed at any moment (a child process, SIGKILL: no chance to clean up) and run again with the
/// same command goes on from the parts it finished and ends with the same bytes as a sweep never stopped.
/// </summary>
public class SweepResumeTests
{
    private static readonly string[] Args = ["sweep", "--data", "xor:n=4,noise=0", "--layers", "2,1", "--activation", "tanh", "--optimizer", "gd", "--lr", "0.5",
        "--epochs", "1000", "--seeds", "1..2400", "--part-size", "100", "--keep", "diverged"];

    private static bool Part(string dir, int k) => File.Exists(Path.Combine(dir, "parts", $"part-{k:D6}.jsonl"));

    [Fact]
    public void Killed_at_any_moment_and_run_again_it_ends_with_the_bytes_of_an_uninterrupted_run()
    {
        string root = TestNets.TempDir(), reference = Path.Combine(root, "reference");
        var (code, _, err) = CliTests.Run([.. Args, "--out", reference]);
        Assert.True(code == 0, err);

        var moments = new (string Name, Func<string, bool> When)[]
        {
            ("at once", _ => true),
            ("after the first part", dir => Part(dir, 1)),
            ("half way", dir => Part(dir, 12)),
            ("while summarizing", dir => Part(dir, 24)),
            ("twice: after part 3, then after part 20", dir => Part(dir, 3)),
        };
        foreach (var (name, when) in moments)
        {
            string dir = Path.Combine(root, name.Replace(' ', '-').Replace(":", "").Replace(",", ""));
            Kill(dir, when);
            if (name.StartsWith("twice", StringComparison.Ordinal)) Kill(dir, d => Part(d, 20));
            var finished = Enumerable.Range(1, 24).Where(k => Part(dir, k)).ToList();
            var (again, output, message) = CliTests.Run([.. Args, "--out", dir]);
            Assert.True(again == 0, $"{name}: {message}");
            // It went on from where it was: parts already written were not trained again.
            Assert.All(finished, k => Assert.DoesNotContain($"part {k}/24:", output));
            SweepFiles.AssertSameBytes(reference, dir);
        }
    }

    /// <summary>Starts the sweep in a child process and kills it (the whole tree) as soon as <paramref name="when"/> holds.</summary>
    private static void Kill(string dir, Func<string, bool> when)
    {
        using var child = SweepFiles.Start([.. Args, "--out", dir]);
        var clock = Stopwatch.StartNew();
        while (!child.HasExited && !when(dir) && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(1);
        Assert.False(child.HasExited, $"{dir}: the sweep finished before it could be killed");
        child.Kill(entireProcessTree: true);
        child.WaitForExit();
    }
}
