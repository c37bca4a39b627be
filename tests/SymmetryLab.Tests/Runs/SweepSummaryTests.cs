using System.Text.Json;
using SymmetryLab.Lab;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// The streaming summary (one pass, batches aligned in parallel, memory bounded) against the same
/// definitions computed here from all the runs held in memory: the greedy clustering with
/// UnitAlignment.Align on every pair it needs, and plain LINQ statistics.
/// </summary>
public class SweepSummaryTests
{
    private static (List<SweepRecord> Runs, SweepLayout Layout) XorRuns(int seeds)
    {
        string root = TestNets.TempDir();
        var settings = new RunSettings { Data = "xor:n=4,noise=0", Layers = [2, 1], Activation = SymmetryLab.Engine.Activations.Activation.Tanh, Optimizer = "gd", LearningRate = 0.5, Epochs = 300 };
        var all = Sweep.ParseSeeds($"1..{seeds}");
        var shards = new List<List<SweepRecord>>();
        SweepLayout? layout = null;
        for (int i = 1; i <= 2; i++)
        {
            string dir = Path.Combine(root, $"shard{i}");
            Sweep.Run(settings, new SweepOptions { Seeds = all, Shard = new SweepShard(i, 2), Out = dir, PartSize = 300 });
            shards.Add(SweepFiles.Records(dir));
            layout = SweepFiles.Layout(dir);
        }
        // Seed-list order: position p is shard p % 2.
        return ([.. Enumerable.Range(0, seeds).Select(p => shards[p % 2][p / 2])], layout!);
    }

    [Fact]
    public void The_streaming_summary_equals_the_one_computed_from_all_runs_in_memory()
    {
        var (runs, layout) = XorRuns(1300);
        var csv = new StringWriter();
        var summary = new SweepSummary(layout, SweepSummary.DefaultThreshold, csv, threads: 2);
        foreach (var r in runs) summary.Add(r);
        summary.Complete();

        // The reference: every run held, clustered greedily in seed order with the public alignment.
        var finished = runs.Where(r => r.Finished).ToList();
        var nets = finished.Select(r => layout.Network<double>(r.Parameters)).ToList();
        var norms = nets.Select(UnitAlignment.Norm).ToList();
        var leaders = new List<int>();
        var members = new List<List<int>>();
        var solutionOf = new int[finished.Count];
        for (int k = 0; k < finished.Count; k++)
        {
            int found = -1;
            for (int c = 0; c < leaders.Count && found < 0; c++)
            {
                double scale = Math.Max(norms[leaders[c]], norms[k]);
                double rel = scale > 0 ? UnitAlignment.Align(nets[leaders[c]], nets[k]).DistanceAfter / scale : 0;
                if (rel <= SweepSummary.DefaultThreshold) found = c;
            }
            if (found < 0) { leaders.Add(k); members.Add([]); found = leaders.Count - 1; }
            members[found].Add(k);
            solutionOf[k] = found + 1;
        }
        Assert.True(leaders.Count >= 3, $"only {leaders.Count} solutions: the test needs several");
        Assert.True(leaders[^1] > 512, "a solution first found after the first batch");

        Assert.Equal(runs.Count, summary.Runs);
        Assert.Equal(finished.Count, summary.Finished);
        Assert.Equal(leaders.Count, summary.Solutions.Count);
        for (int c = 0; c < leaders.Count; c++)
        {
            var s = summary.Solutions[c];
            Assert.Equal(finished[leaders[c]].Seed, s.Representative.Seed);
            Assert.Equal(members[c].Count, s.Runs);
            Assert.Equal(members[c].Take(SweepSummary.SeedsPerSolution).Select(k => finished[k].Seed), s.Seeds);
            Assert.Equal(members[c].Average(k => finished[k].Loss), s.Loss.Mean, 1e-12);
        }
        // summary.csv: one row per run in seed order, with its solution.
        var rows = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(runs.Select(r => $"{r.Seed}"), rows.Select(r => r[0]));
        Assert.Equal(solutionOf.Select(s => $"{s}"), rows.Where(r => r[5] != "").Select(r => r[5]));

        var losses = finished.Select(r => r.Loss).ToList();
        Assert.Equal(losses.Min(), summary.Loss.Min);
        Assert.Equal(losses.Max(), summary.Loss.Max);
        Assert.Equal(losses.Average(), summary.Loss.Mean, 1e-12);
        double mean = losses.Average();
        Assert.Equal(Math.Sqrt(losses.Average(x => (x - mean) * (x - mean))), summary.Loss.Std, 1e-12);
        // Histograms: tenths of a decade for the loss, twentieths of [0, 1] for the accuracy.
        var lossBins = losses.GroupBy(x => x == 0 ? int.MinValue : (int)Math.Floor(10 * Math.Log10(x))).OrderBy(g => g.Key).Select(g => (long)g.Count());
        Assert.Equal(lossBins, summary.LossHistogram.Bins().Select(b => b.Count));
        var accuracyBins = finished.GroupBy(r => Math.Min(19, (int)Math.Floor(20 * r.Accuracy!.Value))).OrderBy(g => g.Key).Select(g => (g.Key / 20.0, (long)g.Count()));
        Assert.Equal(accuracyBins, summary.AccuracyHistogram.Bins().Select(b => (b.From, b.Count)));

        // The thread count changes nothing.
        var one = new SweepSummary(layout, SweepSummary.DefaultThreshold, new StringWriter(), threads: 1);
        foreach (var r in runs) one.Add(r);
        one.Complete();
        Assert.Equal(summary.Json("{}", "1..1300", _ => null), one.Json("{}", "1..1300", _ => null));
        using var doc = JsonDocument.Parse(summary.Json("{}", "1..1300", _ => null));
        Assert.Equal(leaders.Count, doc.RootElement.GetProperty("solutions").GetInt32());
    }
}
