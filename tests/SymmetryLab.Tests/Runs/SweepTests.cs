using System.Text.Json;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>The sweep folder: shards merged equal one machine, what --keep keeps, divergences, one writer, no mixing.</summary>
public class SweepTests
{
    private static readonly string[] Setup = ["--data", "coffee", "--normalize", "zscore", "--layers", "3,1", "--epochs", "60", "--lr", "0.05", "--seeds", "1..7"];

    // At this learning rate some seeds of the XOR net blow up and the others learn it (full batch: in lanes).
    private static readonly string[] Diverging = ["--data", "xor", "--layers", "4,1", "--activation", "tanh", "--loss", "mse", "--output-activation", "linear",
        "--optimizer", "gd", "--lr", "0.5", "--epochs", "300", "--seeds", "1..12"];

    [Theory]
    [InlineData("solutions")]
    [InlineData("all")]
    public void Three_shards_merged_equal_one_machine_byte_for_byte(string keep)
    {
        string root = TestNets.TempDir(), single = Path.Combine(root, "single"), merged = Path.Combine(root, "merged");
        var (code, _, err) = CliTests.Run(["sweep", .. Setup, "--keep", keep, "--out", single]);
        Assert.True(code == 0, err);
        var shards = new List<string>();
        // Shards in an unusual order and with different thread counts: neither may matter.
        foreach (var (i, threads) in new[] { (3, "1"), (1, "2"), (2, "1") })
        {
            string dir = Path.Combine(root, $"shard{i}");
            (code, _, err) = CliTests.Run(["sweep", .. Setup, "--keep", keep, "--shard", $"{i}/3", "--threads", threads, "--out", dir]);
            Assert.True(code == 0, err);
            Assert.False(File.Exists(Path.Combine(dir, Sweep.SummaryJson)));
            Assert.True(File.Exists(Path.Combine(dir, Sweep.ShardFile)));
            shards.Add(dir);
        }
        (code, _, err) = CliTests.Run(["sweep", "merge", .. shards, "--out", merged]);
        Assert.True(code == 0, err);
        SweepFiles.AssertSameBytes(single, merged);
        Assert.Contains(Sweep.SummaryJson, SweepFiles.Files(single));
        Assert.DoesNotContain(SweepFiles.Files(single), f => f.StartsWith("parts", StringComparison.Ordinal));
        if (keep == "all")
        {
            // Each kept folder is the seed's train folder.
            string alone = Path.Combine(root, "alone");
            Assert.Equal(0, CliTests.Run(["train", .. Setup[..^2], "--seed", "5", "--out", alone]).Item1);
            SweepFiles.AssertSameBytes(alone, Sweep.RunDir(single, 5));
        }
        else
        {
            Assert.Contains(Path.Combine("solutions", "solution-1.json"), SweepFiles.Files(single));
            Assert.DoesNotContain(SweepFiles.Files(single), f => f.StartsWith("runs", StringComparison.Ordinal));
        }

        // Missing a shard, or a shard of another sweep, is refused naming what is wrong.
        var (missing, _, message) = CliTests.Run(["sweep", "merge", shards[0], shards[1], "--out", Path.Combine(root, "m2")]);
        Assert.Equal(2, missing);
        Assert.Contains("shard 2 of 3", message);
        string other = Path.Combine(root, "other");
        string[] otherSetup = [.. Setup];
        otherSetup[Array.IndexOf(otherSetup, "--lr") + 1] = "0.04";
        Assert.Equal(0, CliTests.Run(["sweep", .. otherSetup, "--keep", keep, "--shard", "2/3", "--out", other]).Item1);
        var (wrong, _, why) = CliTests.Run(["sweep", "merge", shards[0], other, shards[1], "--out", Path.Combine(root, "m3")]);
        Assert.Equal(2, wrong);
        Assert.Contains($"{other}: ran a different sweep", why);
        // A shard folder rerun with other settings is refused too, and left as it was.
        var before = SweepFiles.Files(shards[0]);
        var (again, _, said) = CliTests.Run(["sweep", .. otherSetup, "--keep", keep, "--shard", "3/3", "--out", shards[0]]);
        Assert.Equal(2, again);
        Assert.Contains($"{shards[0]}: holds another sweep", said);
        Assert.Equal(before, SweepFiles.Files(shards[0]));
    }

    [Fact]
    public void Seeds_that_diverge_are_listed_and_the_others_summarized()
    {
        string root = TestNets.TempDir(), single = Path.Combine(root, "single");
        var (code, _, err) = CliTests.Run(["sweep", .. Diverging, "--keep", "diverged", "--out", single]);
        Assert.Equal(3, code);

        // Which seeds diverge, independently: each trained alone by 'train'.
        var alone = new List<ulong>();
        for (ulong seed = 1; seed <= 12; seed++)
        {
            var (trainCode, _, _) = CliTests.Run(["train", .. Diverging[..^2], "--seed", $"{seed}"]);
            if (trainCode == 3) alone.Add(seed);
            else Assert.Equal(0, trainCode);
        }
        Assert.NotEmpty(alone);
        Assert.True(alone.Count < 12);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(single, Sweep.SummaryJson)));
        var listed = doc.RootElement.GetProperty("divergedRuns").EnumerateArray().Select(d => d.GetProperty("seed").GetUInt64()).ToList();
        Assert.Equal(alone, listed);
        Assert.Equal(alone.Count, doc.RootElement.GetProperty("diverged").GetInt32());
        Assert.Equal(12 - alone.Count, doc.RootElement.GetProperty("finished").GetInt32());
        Assert.All(alone, s => Assert.Contains($"seed {s}: training diverged at epoch", err));
        // --keep diverged: each diverged seed's starting model (train --model replays it) and where it diverged.
        foreach (var s in alone)
        {
            Assert.Equal(["diverged.json", "initial.json"], SweepFiles.Files(Sweep.RunDir(single, s)));
            using var d = JsonDocument.Parse(File.ReadAllText(Path.Combine(Sweep.RunDir(single, s), "diverged.json")));
            Assert.StartsWith("training diverged at epoch", d.RootElement.GetProperty("diverged").GetString());
        }
        // summary.csv has a row per seed in seed order, the diverged ones with their message.
        var rows = File.ReadAllLines(Path.Combine(single, Sweep.SummaryCsv)).Skip(1).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => $"{i}"), rows.Select(r => r.Split(',')[0]));
        Assert.All(alone, s => Assert.EndsWith("\"", rows[(int)s - 1]));

        // Shards with diverged seeds merge into the same bytes.
        var shards = new[] { 1, 2 }.Select(i => Path.Combine(root, $"shard{i}")).ToArray();
        for (int i = 0; i < 2; i++)
        {
            // Shard i + 1 holds seeds i + 1, i + 3, ...: it exits 3 only if one of them diverged.
            bool anyDiverged = alone.Any(seed => (int)(seed - 1) % 2 == i);
            Assert.Equal(anyDiverged ? 3 : 0, CliTests.Run(["sweep", .. Diverging, "--keep", "diverged", "--shard", $"{i + 1}/2", "--out", shards[i]]).Item1);
        }
        string merged = Path.Combine(root, "merged");
        Assert.Equal(3, CliTests.Run(["sweep", "merge", .. shards, "--out", merged]).Item1);
        SweepFiles.AssertSameBytes(single, merged);
    }

    [Fact]
    public void A_sweep_with_a_test_split_prints_the_test_rows_baseline_beside_the_training_rows()
    {
        string[] args = ["--data", "coffee", "--layers", "2,1", "--epochs", "1", "--test", "0.25", "--split-seed", "3"];
        var (code, output, err) = CliTests.Run(["sweep", .. args, "--seeds", "1..2"]);
        Assert.True(code == 0, err);
        // The same split's baselines as train reports them for one seed.
        var (trainCode, trainJson, trainErr) = CliTests.Run(["train", .. args, "--json"]);
        Assert.True(trainCode == 0, trainErr);
        var run = JsonDocument.Parse(trainJson).RootElement;
        string P(string field) => run.GetProperty(field).GetDouble().ToString("P1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"of the training rows; on the test rows, always answering class", output);
        Assert.Contains($"is right on {P("baselineAccuracy")} of the training rows", output);
        Assert.Contains($": {P("testBaselineAccuracy")}", output);
    }

    [Fact]
    public void A_sweep_where_every_seed_diverges_exits_3_with_a_summary_that_says_so()
    {
        string dir = Path.Combine(TestNets.TempDir(), "all");
        string[] args = [.. Diverging[..^1], "1..2"];
        args[Array.IndexOf(args, "--lr") + 1] = "50";
        var (code, _, err) = CliTests.Run(["sweep", .. args, "--out", dir]);
        Assert.Equal(3, code);
        Assert.Contains("all 2 runs diverged", err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, Sweep.SummaryJson)));
        Assert.Equal(0, doc.RootElement.GetProperty("finished").GetInt32());
        Assert.Equal(0, doc.RootElement.GetProperty("solutions").GetInt32());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("loss").ValueKind);
    }

    [Fact]
    public void Keep_none_writes_the_summary_alone_and_a_finished_sweep_run_again_changes_nothing()
    {
        string dir = Path.Combine(TestNets.TempDir(), "none");
        string[] args = ["sweep", .. Setup, "--keep", "none", "--out", dir];
        Assert.Equal(0, CliTests.Run(args).Code);
        Assert.Equal([Sweep.SummaryCsv, Sweep.SummaryJson, "sweep.json"], SweepFiles.Files(dir));
        var bytes = SweepFiles.Files(dir).Select(f => File.ReadAllBytes(Path.Combine(dir, f))).ToList();
        var (code, output, _) = CliTests.Run(args);
        Assert.Equal(0, code);
        Assert.Contains("already holds this sweep", output);
        Assert.Equal(bytes, SweepFiles.Files(dir).Select(f => File.ReadAllBytes(Path.Combine(dir, f))));
    }

    [Fact]
    public void One_writer_at_a_time_the_second_gets_exit_2_naming_the_folder()
    {
        string dir = Path.Combine(TestNets.TempDir(), "busy");
        using (FolderLock.Acquire(dir))
        {
            var (code, _, err) = CliTests.Run(["sweep", .. Setup, "--out", dir]);
            Assert.Equal(2, code);
            Assert.Contains($"{dir}: another symlab is writing this folder now", err);
            Assert.False(File.Exists(Path.Combine(dir, "sweep.json")));
        }
        // Released: the sweep runs.
        Assert.Equal(0, CliTests.Run(["sweep", .. Setup, "--out", dir]).Code);
    }

    [Fact]
    public void A_folder_that_is_not_a_sweep_is_refused_and_left_alone()
    {
        string dir = TestNets.TempDir();
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        var (code, _, err) = CliTests.Run(["sweep", .. Setup, "--out", dir]);
        Assert.Equal(2, code);
        Assert.Contains($"{dir}: is not empty (notes.txt)", err);
        Assert.Equal(["notes.txt"], SweepFiles.Files(dir));
    }

    [Theory]
    [InlineData("0/3", "--shard 0/3")]
    [InlineData("4/3", "--shard 4/3")]
    [InlineData("a/b", "--shard a/b")]
    [InlineData("1/0", "--shard 1/0")]
    [InlineData("auto", "--shard auto")]
    public void Bad_shards_exit_2_naming_the_flag(string shard, string expected)
    {
        string dir = Path.Combine(TestNets.TempDir(), "s");
        // The test process is not a Slurm or Kubernetes task (CI runs it outside one), so auto has nothing to read.
        if (shard == "auto" && (Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID") ?? Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX")) is not null) return;
        var (code, _, err) = CliTests.Run(["sweep", .. Setup, "--shard", shard, "--out", dir]);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void A_shard_needs_a_folder_and_merge_needs_finished_shards()
    {
        var (code, _, err) = CliTests.Run(["sweep", .. Setup, "--shard", "1/2"]);
        Assert.Equal(2, code);
        Assert.Contains("--shard needs --out", err);
        string dir = TestNets.TempDir();
        File.WriteAllText(Path.Combine(dir, "sweep.json"), "{}");
        (code, _, err) = CliTests.Run(["sweep", "merge", dir, "--out", Path.Combine(dir, "m")]);
        Assert.Equal(2, code);
        Assert.Contains($"{dir}: the shard has not finished", err);
    }

    [Fact]
    public void Seeds_are_parsed_and_written_back_in_their_shortest_form()
    {
        Assert.Equal([7ul, 1, 2, 3], Sweep.ParseSeeds("7, 1..3"));
        Assert.Equal("7,1..3,9", Sweep.SeedsText(Sweep.ParseSeeds("7,1,2,3,9")));
        foreach (var bad in new[] { "3..1", "1,1", "x", "1..", "1..20000000" })
            Assert.Throws<SettingsException>(() => Sweep.ParseSeeds(bad));
        var seeds = Sweep.ParseSeeds("1..10");
        var parts = Enumerable.Range(1, 3).Select(i => new SweepShard(i, 3).SeedsOf(seeds)).ToArray();
        Assert.Equal([1ul, 4, 7, 10], parts[0]);
        Assert.Equal(seeds, parts.SelectMany(p => p).Order());
        Assert.Empty(new SweepShard(4, 4).SeedsOf([1ul, 2, 3]));
    }

    [Fact]
    public void The_terminal_summary_names_only_what_it_shows()
    {
        // No folder: no model column, and no words for test rows the table does not have.
        var (code, output, err) = CliTests.Run(["sweep", .. Setup]);
        Assert.True(code == 0, err);
        Assert.Contains("representative seed │ mean loss │\n", output);
        Assert.DoesNotContain("held-out", output);
        // Held-out rows and kept solutions: both named.
        string dir = Path.Combine(TestNets.TempDir(), "sweep");
        (code, output, err) = CliTests.Run(["sweep", .. Setup, "--test", "0.25", "--out", dir]);
        Assert.True(code == 0, err);
        Assert.Contains("test loss and accuracy: on the held-out rows", output);
        Assert.Contains("│ model", output);
        Assert.Contains("solution-1.json", output);                     // in the model column (the folder may wrap)
    }

    [Fact]
    public void The_loss_is_named_with_its_penalty_and_one_seed_is_one_run()
    {
        // With --l2 the table's loss is the penalized cost training minimised, which predict does not report.
        var (code, output, err) = CliTests.Run(["sweep", "--data", "xor", "--layers", "3,1", "--seeds", "1", "--epochs", "3", "--l2", "5"]);
        Assert.True(code == 0, err);
        Assert.Contains("the loss it was trained with plus the L2 penalty (5 / 2m) sum W^2)", output);
        Assert.DoesNotContain("predict", output);
        Assert.Contains("1 run (seed 1) of", output);
        // The progress names a range only when the seeds are one: 1, 5, 3 spans 1 to 5 but is not 1..3.
        var settings = new RunSettings { Data = "xor", Layers = [3, 1], Epochs = 2 };
        foreach (var (seeds, said) in new (ulong[], string)[] { ([1], "seed 1 trained"), ([4, 5, 6], "3 seeds (4 to 6) trained"), ([1, 5, 3], "3 seeds (first 1, last 3) trained") })
        {
            var lines = new List<string>();
            Sweep.Run(settings, new SweepOptions { Seeds = seeds }, lines.Add);
            Assert.Contains(lines, l => l.Contains($"part 1/1: {said}", StringComparison.Ordinal));
        }
    }
}
