using System.Diagnostics;
using System.Text.RegularExpressions;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// Runs only where a Slurm cluster answers (SLURM_CONF set, sbatch on PATH, the node up); elsewhere it is
/// skipped and says why, except when SYMLAB_REQUIRE_SLURM=1 (.ci/run sets it after starting a one-node
/// cluster): then a missing cluster fails the test.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SYMLAB_REQUIRE_SLURM") == "1") return;
        if (Slurm.Unavailable() is { } why) Skip = $"slurm is absent here ({why}); .ci/run starts a one-node cluster (.ci/slurm-cluster) and requires this test";
    }
}

/// <summary>The Slurm commands, run as child processes.</summary>
internal static partial class Slurm
{
    public static string? Unavailable()
    {
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is not { } conf || !File.Exists(conf)) return "SLURM_CONF names no slurm.conf";
        try
        {
            var (code, output) = Run("sinfo", "-h", "-o", "%T");
            return code == 0 && output.Trim().Length > 0 ? null : $"sinfo exits {code}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "sinfo is not installed";
        }
    }

    public static (int Code, string Output) Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        // The sweep's tasks run the command line these tests were built with.
        info.Environment["SYMLAB"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "symlab.dll")}";
        using var p = Process.Start(info)!;
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + error.Result);
    }

    public static string State(string job)
    {
        var (_, output) = Run("scontrol", "show", "job", "-o", job);
        return StateField().Match(output) is { Success: true } m ? m.Groups[1].Value : "UNKNOWN";
    }

    public static string Reason(string job) => ReasonField().Match(Run("scontrol", "show", "job", "-o", job).Output) is { Success: true } m ? m.Groups[1].Value : "";

    /// <summary>Waits until the job (or array task) is in one of <paramref name="states"/>; fails after a while, naming the state it is in.</summary>
    public static void WaitFor(string job, params string[] states)
    {
        var clock = Stopwatch.StartNew();
        string state;
        while (!states.Contains(state = State(job)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(8), $"job {job} is {state} ({Reason(job)}), not {string.Join("/", states)}");
            Thread.Sleep(100);
        }
    }

    [GeneratedRegex(@"JobState=(\S+)")]
    private static partial Regex StateField();

    [GeneratedRegex(@"Reason=(\S+)")]
    private static partial Regex ReasonField();
}

/// <summary>
/// deploy/slurm on a real Slurm: the job array of 4 shards and the merge job give the folder one machine
/// writes, byte for byte; and a shard cancelled mid-run (scancel) and requeued still merges to it.
/// </summary>
public partial class SlurmTests
{
    private static readonly string[] Sweep = ["--data", "xor:n=200,noise=0.1", "--layers", "2,1", "--activation", "tanh", "--optimizer", "gd", "--lr", "0.5",
        "--epochs", "300", "--seeds", "1..4000", "--part-size", "50"];

    private static string Deploy(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "deploy", "slurm", file))) return Path.Combine(dir.FullName, "deploy", "slurm", file);
        throw new FileNotFoundException($"deploy/slurm/{file} above {AppContext.BaseDirectory}");
    }

    private static (string Array, string Merge) Submit(string dir)
    {
        var (code, output) = Slurm.Run(Deploy("submit.sh"), ["--shards", "4", "--out", dir, "--", .. Sweep]);
        Assert.True(code == 0, output);
        return (Regex.Match(output, @"array (\d+)").Groups[1].Value, Regex.Match(output, @"merge (\d+)").Groups[1].Value);
    }

    private static string Logs(string dir) => string.Join("\n", Directory.GetFiles(dir, "slurm-*.out").Order(StringComparer.Ordinal).Select(f => $"{f}:\n{File.ReadAllText(f)}"));

    /// <summary>The deploy script's first line in a requeued task: its restart count is above 0.</summary>
    [GeneratedRegex(@"\(start [1-9][0-9]*\)")]
    private static partial Regex Restarted();

    [SlurmFact]
    public void A_job_array_and_its_merge_equal_one_machine_even_with_a_shard_cancelled_and_requeued()
    {
        Assert.True(Slurm.Unavailable() is null, $"SYMLAB_REQUIRE_SLURM=1 but {Slurm.Unavailable()}");
        string root = TestNets.TempDir(), reference = Path.Combine(root, "one-machine");
        var (code, _, err) = CliTests.Run(["sweep", .. Sweep, "--out", reference]);
        Assert.True(code == 0, err);

        // The array of 4 shards, then the merge job once all succeeded (afterok).
        string plain = Path.Combine(root, "plain");
        var (_, merge) = Submit(plain);
        Slurm.WaitFor(merge, "COMPLETED", "FAILED", "CANCELLED");
        Assert.True(Slurm.State(merge) == "COMPLETED", Logs(plain));
        SweepFiles.AssertSameBytes(reference, Path.Combine(plain, "merged"));

        // Shard 2 (task 1) cancelled while it runs, with parts written, then requeued: it goes on from them.
        string cancelled = Path.Combine(root, "cancelled");
        var (array, firstMerge) = Submit(cancelled);
        string task = $"{array}_1", shard = Path.Combine(cancelled, "shard-1");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(shard, "parts", "part-000003.jsonl")))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(8), $"shard 2 wrote no parts: {Logs(cancelled)}");
            Thread.Sleep(10);
        }
        Assert.False(File.Exists(Path.Combine(shard, "shard.json")), "shard 2 finished before it could be cancelled");
        Assert.Equal(0, Slurm.Run("scancel", task).Code);
        Slurm.WaitFor(task, "CANCELLED");
        Assert.False(File.Exists(Path.Combine(shard, "shard.json")));
        // slurmd refuses to launch a job it killed moments ago ("already killed, do not launch batch job"):
        // the task then fails before our script starts, and is requeued again, as a user would.
        string log = Path.Combine(cancelled, $"slurm-{array}_1.out");
        for (int attempt = 1; ; attempt++)
        {
            Assert.Equal(0, Slurm.Run("scontrol", "requeue", task).Code);
            Slurm.Run("scontrol", "update", $"jobid={task}", "StartTime=now");
            Slurm.WaitFor(task, "COMPLETED", "FAILED");
            if (Slurm.State(task) == "COMPLETED" || Restarted().IsMatch(File.ReadAllText(log)) || attempt == 5) break;
            Thread.Sleep(1000);
        }
        Assert.True(Slurm.State(task) == "COMPLETED", Logs(cancelled));
        Assert.Matches(Restarted(), File.ReadAllText(log)); // SLURM_RESTART_COUNT: 1, or more after a refused launch
        // A cancelled task can never satisfy afterok (Slurm's rule, README): the merge is submitted again.
        Slurm.WaitFor(firstMerge, "PENDING");
        Slurm.Run("scancel", firstMerge);
        var (again, output) = Slurm.Run("sbatch", "--parsable", $"--dependency=afterok:{task}", $"--output={cancelled}/slurm-%j.out", Deploy("merge.sbatch"), cancelled);
        Assert.True(again == 0, output);
        string merge2 = output.Trim().Split(';')[0];
        Slurm.WaitFor(merge2, "COMPLETED", "FAILED", "CANCELLED");
        Assert.True(Slurm.State(merge2) == "COMPLETED", Logs(cancelled));
        SweepFiles.AssertSameBytes(reference, Path.Combine(cancelled, "merged"));
    }
}
