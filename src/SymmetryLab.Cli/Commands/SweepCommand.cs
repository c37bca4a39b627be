using System.CommandLine;
using SymmetryLab.Runs;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab sweep [train flags] --seeds 1..100 [--shard I/N] [--out DIR]</c>: one setup from many seeds,
/// and <c>symlab sweep merge DIR... --out DIR</c>: shards joined into the summary one machine would write.
/// </summary>
internal static class SweepCommand
{
    private const int MaxTableUnits = 16, MaxTableRuns = 50;

    public static Command Create(CommandIO io)
    {
        var run = new RunOptions();
        var seeds = new Option<string>("--seeds") { Description = "Seeds: a range 1..100, a list 1,2,5, or both (1..5,9)", DefaultValueFactory = _ => "1..10" };
        var shard = new Option<string?>("--shard") { Description = "Run only part I of N (seeds at positions p with p % N == I-1); join the parts with 'sweep merge'" };
        var threads = new Option<int>("--threads") { Description = "Runs at once (each single-threaded; results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var threshold = Threshold();
        var output = new Option<string?>("--out") { Description = "Folder for runs/seed-N/ (each run's train folder), shard.json, summary.json, summary.csv" };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON (a shard: its shard.json) and nothing else" };

        var command = new Command("sweep", "Train one setup from many seeds, in parallel, and count the distinct solutions up to permutation");
        foreach (var option in run.BeforeSeed.Append(seeds).Concat(run.AfterSeed).Append(run.Test).Append(shard).Append(threads).Append(threshold).Append(output).Append(json))
            command.Options.Add(option);
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            var settings = run.Settings(p);
            var list = Sweep.ParseSeeds(p.GetValue(seeds)!);
            var (index, count) = p.GetValue(shard) is { } sh ? Sweep.ParseShard(sh) : (1, 1);
            string? outDir = p.GetValue(output);
            if (count > 1 && outDir is null) throw new UsageException("--shard needs --out: a shard's runs are only useful written down for 'sweep merge'");
            if (p.GetValue(threads) < 1) throw new UsageException($"--threads {p.GetValue(threads)}: must be at least 1");
            double limit = CheckThreshold(p.GetValue(threshold));
            bool asJson = p.GetValue(json);
            var result = Sweep.Execute(settings, list, index, count, p.GetValue(threads), outDir, asJson ? null : (r, done, total) =>
            {
                lock (io) io.Out.WriteLine(r.Diverged is { } why ? $"run {done}/{total}: seed {r.Seed}  {why}"
                    : $"run {done}/{total}: seed {r.Seed}  loss {r.Loss:G6}{(r.Accuracy is { } a ? $"  accuracy {a:F4}" : "")}");
            });
            if (count > 1)
            {
                if (asJson) io.Out.Write(Sweep.ShardJson(result));
                else io.Out.WriteLine($"shard {index}/{count}: ran {result.Runs.Count} of {list.Length} seeds into {outDir}; join the shards with: symlab sweep merge DIR1 DIR2 ... --out DIR");
                return result.Runs.Any(r => r.Diverged is not null) ? ExitCodes.Diverged : ExitCodes.Success;
            }
            if (!asJson && TrainingRun.Baseline(settings with { Seed = list[0] }) is { } b)
                io.Out.WriteLine($"baseline: always answering class {b.Class} is right on {b.Train:P1} of the training rows{(settings.Test is null ? "" : $" (seed {list[0]}'s split; each seed splits its own)")}");
            return Summarize(io, result, limit, outDir, asJson);
        }));
        command.Subcommands.Add(MergeCommand(io));
        return command;
    }

    private static Option<double> Threshold() => new("--threshold")
    {
        Description = "Two runs are the same solution when, aligned, their parameters differ by at most this fraction of the larger parameter norm",
        DefaultValueFactory = _ => SweepSummary.DefaultThreshold,
    };

    private static double CheckThreshold(double t) =>
        t >= 0 && double.IsFinite(t) ? t : throw new UsageException($"--threshold {t}: must be a number >= 0");

    private static Command MergeCommand(CommandIO io)
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Shard folders written by 'symlab sweep --shard I/N --out DIR'", Arity = ArgumentArity.OneOrMore };
        var threshold = Threshold();
        var output = new Option<string?>("--out") { Description = "Folder for the merged sweep (runs/, shard.json, summary.json, summary.csv)" };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON and nothing else" };
        var command = new Command("merge", "Join shard folders into the summary one machine would have written") { dirs, threshold, output, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            double limit = CheckThreshold(p.GetValue(threshold));
            var merged = Sweep.Merge(p.GetValue(dirs)!, p.GetValue(output));
            return Summarize(io, merged, limit, p.GetValue(output), p.GetValue(json));
        }));
        return command;
    }

    /// <summary>
    /// The summary of the runs that finished, written and printed, and the runs that diverged listed;
    /// exit 3 when any diverged (with every run diverged there is nothing to summarize).
    /// </summary>
    private static int Summarize(CommandIO io, SweepShard sweep, double threshold, string? outDir, bool asJson)
    {
        var diverged = sweep.Runs.Where(r => r.Diverged is not null).ToList();
        if (diverged.Count == sweep.Runs.Count)
        {
            foreach (var r in diverged) io.Err.WriteLine($"symlab: seed {r.Seed}: {r.Diverged}");
            io.Err.WriteLine($"symlab: all {diverged.Count} runs diverged; nothing to summarize");
            return ExitCodes.Diverged;
        }
        Report(io, SweepSummary.Of(sweep, threshold), outDir, asJson);
        foreach (var r in diverged) io.Err.WriteLine($"symlab: seed {r.Seed}: {r.Diverged}");
        if (diverged.Count > 0) io.Err.WriteLine($"symlab: {diverged.Count} of {sweep.Runs.Count} runs diverged; the summary compares the other {sweep.Runs.Count - diverged.Count}");
        return diverged.Count > 0 ? ExitCodes.Diverged : ExitCodes.Success;
    }

    private static void Report(CommandIO io, SweepSummary summary, string? outDir, bool asJson)
    {
        if (outDir is not null) summary.Write(outDir);
        if (asJson)
        {
            io.Out.Write(summary.Json());
            return;
        }
        var console = Terminal.For(io);
        io.Out.WriteLine($"{summary.Runs.Count} runs of {summary.Settings}");
        var spread = Terminal.Table("", "min", "max", "mean", "std");
        foreach (var (name, s) in new[] { ("loss", summary.Loss), ("accuracy", summary.Accuracy), ("test loss", summary.TestLoss), ("test accuracy", summary.TestAccuracy) })
            if (s is not null) spread.AddCells(name, s.Min, s.Max, s.Mean, s.Std);
        console.Write(spread);
        io.Out.WriteLine($"distinct solutions up to permutation: {summary.Clusters.Count} (same solution: aligned parameters differ by at most {summary.Threshold:G3} of the larger parameter norm)");
        var clusters = Terminal.Table("solution", "runs", "first run", "seeds");
        foreach (var c in summary.Clusters)
            clusters.AddCells(c.Solution, c.Seeds.Count, c.Leader, string.Join(",", c.Seeds.Take(20)) + (c.Seeds.Count > 20 ? ",..." : ""));
        console.Write(clusters);

        var reference = summary.Runs[0];
        for (int l = 0; l < reference.MatchToFirst.Count; l++)
        {
            int units = reference.MatchToFirst[l].Length;
            if (units > MaxTableUnits)
            {
                io.Out.WriteLine($"layer {l + 1}: {units} units, too wide to show; the matches are in summary.csv");
                continue;
            }
            io.Out.WriteLine($"layer {l + 1}: the unit of each run that does the job of unit j of the first run (seed {reference.Run.Seed}); -k: unit k negated");
            var table = Terminal.Table(["seed", "solution", "distance", .. Enumerable.Range(1, units).Select(j => $"unit {j}")]);
            foreach (var r in summary.Runs.Take(MaxTableRuns))
                table.AddCells([r.Run.Seed, r.Solution, r.RelativeDistanceToFirst, .. r.MatchToFirst[l].Select(SweepSummary.Unit)]);
            console.Write(table);
            if (summary.Runs.Count > MaxTableRuns) io.Out.WriteLine($"({summary.Runs.Count - MaxTableRuns} more runs in summary.csv)");
        }
        if (outDir is not null) io.Out.WriteLine($"wrote {outDir}/summary.json, summary.csv, shard.json and runs/seed-N/");
    }
}
