using System.CommandLine;
using System.Text.Json;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// <c>symlab sweep [train flags] --seeds 1..100 [--keep none|solutions|diverged|all] [--shard I/N|auto] [--out DIR]</c>:
/// one setup from many seeds, and <c>symlab sweep merge DIR... --out DIR</c>: shards joined into the
/// folder one machine would write.
/// </summary>
internal static class SweepCommand
{
    private const int MaxTableSolutions = 20;

    public static Command Create(CommandIO io)
    {
        var run = new RunOptions();
        var seeds = new Option<string>("--seeds") { Description = "Seeds: a range 1..100, a list 1,2,5, or both (1..5,9)", DefaultValueFactory = _ => "1..10" };
        var shard = new Option<string?>("--shard") { Description = "Run only part I of N (seeds at positions p with p % N == I-1), or 'auto': the part from a Slurm job array (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shards); join the parts with 'sweep merge'" };
        var shards = new Option<int?>("--shards") { Description = "With --shard auto in a Kubernetes Indexed Job: the number of parts (the Job's completions)" };
        var threads = new Option<int>("--threads") { Description = "Cores used (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var threshold = Threshold();
        var keep = new Option<string>("--keep") { Description = "What is kept besides the summary: none, solutions (each distinct solution's model), diverged (also each diverged seed's initial model), all (also every seed's train folder; seeds then train one by one)", DefaultValueFactory = _ => "solutions" };
        var perturb = new Option<string?>("--perturb") { Description = "EPS[:LAYER]: add EPS to W_LAYER[1,1] of every seed after initialization (as train --perturb)" };
        var partSize = new Option<int?>("--part-size") { Description = "Seeds per part, the unit of work written at once (a stopped sweep restarts from its last finished part); default: a few seconds of work" };
        var output = new Option<string?>("--out") { Description = "The sweep's folder: summary.json, summary.csv, solutions/, runs/ (by --keep); a sweep stopped at any point goes on from where it was when run again with the same command" };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON (a shard: its shard.json) and nothing else" };

        var command = new Command("sweep", "Train one setup from many seeds (together in vector lanes when it trains on the full batch) and count the distinct solutions up to permutation");
        foreach (var option in run.BeforeSeed.Append(seeds).Concat(run.AfterSeed).Append(run.Test).Append(run.SplitSeed).Append(perturb).Append(keep).Append(shard).Append(shards).Append(threads).Append(threshold).Append(partSize).Append(output).Append(json))
            command.Options.Add(option);
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string? outDir = p.GetValue(output);
            var options = new SweepOptions
            {
                Seeds = Sweep.ParseSeeds(p.GetValue(seeds)!),
                Shard = p.GetValue(shard) is { } sh ? SweepShard.Parse(sh, p.GetValue(shards), Environment.GetEnvironmentVariable) : p.GetValue(shards) is { } n ? throw new UsageException($"--shards {n}: only with --shard auto") : SweepShard.Whole,
                Keep = Keep(p.GetValue(keep)!),
                Threshold = p.GetValue(threshold),
                Threads = p.GetValue(threads),
                Out = outDir,
                PartSize = p.GetValue(partSize) is { } ps ? ps >= 1 ? ps : throw new UsageException($"--part-size {ps}: must be at least 1") : null,
            };
            if (options.Keep != SweepKeep.Solutions && outDir is null) throw new UsageException($"--keep {p.GetValue(keep)}: needs --out (where the kept files go)");
            bool asJson = p.GetValue(json);
            var settings = run.Settings(p) with { Perturb = p.GetValue(perturb) is { } pe ? FlagSyntax.Perturb(pe) : null };
            var result = Sweep.Run(settings, options, asJson ? null : line => io.Out.WriteLine(line));
            if (result.SummaryJson is null)
            {
                string done = File.ReadAllText(Path.Combine(outDir!, Sweep.ShardFile));
                if (asJson) io.Out.Write(done);
                else io.Out.WriteLine($"shard {options.Shard}: {(result.WasComplete ? "already finished" : "finished")}, {result.Runs} of {options.Seeds.Count} seeds ({result.Diverged} diverged) in {outDir}; join the shards with: symlab sweep merge DIR1 DIR2 ... --out DIR");
                return result.Diverged > 0 ? ExitCodes.Diverged : ExitCodes.Success;
            }
            if (result.WasComplete && !asJson) io.Out.WriteLine($"{outDir} already holds this sweep, finished; its summary:");
            // Every seed trains on the same rows (the split has its own seed), so one baseline holds for all.
            var (majority, mean) = asJson ? (null, null) : TrainingRun.Baselines(settings);
            if (majority is { } b)
                io.Out.WriteLine($"baseline: always answering class {b.Class} is right on {b.Train:P1} of the training rows" +
                    (b.Test is { } test ? $"; on the test rows, always answering class {b.TestClass}: {test:P1}" : ""));
            if (mean is { } m)
                io.Out.WriteLine($"baseline: always answering the training targets' mean, {m.Mean:G6}, gives an mse of {m.Train:G6} on the training rows" +
                    (m.Test is { } test ? $" and {test:G6} on the test rows" : ""));
            return Report(io, result, outDir, asJson);
        }));
        command.Subcommands.Add(MergeCommand(io));
        return command;
    }

    private static SweepKeep Keep(string text) => text switch
    {
        "none" => SweepKeep.None,
        "solutions" => SweepKeep.Solutions,
        "diverged" => SweepKeep.Diverged,
        "all" => SweepKeep.All,
        _ => throw new UsageException($"--keep {text}: expected none, solutions, diverged or all"),
    };

    private static Option<double> Threshold() => new("--threshold")
    {
        Description = "Two runs are the same solution when, aligned, their parameters differ by at most this fraction of the larger parameter norm",
        DefaultValueFactory = _ => Sweep.DefaultThreshold,
    };

    private static Command MergeCommand(CommandIO io)
    {
        var dirs = new Argument<string[]>("DIR") { Description = "Shard folders written by 'symlab sweep --shard I/N --out DIR'", Arity = ArgumentArity.OneOrMore };
        var threshold = Threshold();
        var threads = new Option<int>("--threads") { Description = "Cores used (results do not depend on it)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Folder for the merged sweep (what one machine would have written)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the summary JSON and nothing else" };
        var command = new Command("merge", "Join shard folders into the sweep one machine would have written") { dirs, threshold, threads, output, json };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            if (p.GetValue(threads) < 1) throw new UsageException($"--threads {p.GetValue(threads)}: must be at least 1");
            var result = Sweep.Merge(p.GetValue(dirs)!, p.GetValue(output)!, p.GetValue(threshold), p.GetValue(threads));
            return Report(io, result, p.GetValue(output), p.GetValue(json));
        }));
        return command;
    }

    /// <summary>The summary printed (or its JSON); exit 3 when any seed diverged.</summary>
    private static int Report(CommandIO io, SweepResult result, string? outDir, bool asJson)
    {
        if (asJson)
        {
            io.Out.Write(result.SummaryJson);
            return result.Diverged > 0 ? ExitCodes.Diverged : ExitCodes.Success;
        }
        using var doc = JsonDocument.Parse(result.SummaryJson!);
        var root = doc.RootElement;
        var console = Terminal.For(io);
        long runs = root.GetProperty("runs").GetInt64(), finished = root.GetProperty("finished").GetInt64();
        io.Out.WriteLine($"{runs} {(runs == 1 ? "run (seed" : "runs (seeds")} {root.GetProperty("seeds").GetString()}) of {root.GetProperty("settings").GetRawText()}{(result.SeedBatch ? ", trained together in vector lanes" : "")}");
        var spread = Terminal.Table("", "runs", "min", "max", "mean", "std");
        foreach (var (name, field) in new[] { ("loss", "loss"), ("accuracy", "accuracy"), ("test loss", "testLoss"), ("test accuracy", "testAccuracy") })
            if (root.GetProperty(field) is { ValueKind: JsonValueKind.Object } s)
                spread.AddCells(name, s.GetProperty("runs").GetInt64(), s.GetProperty("min").GetDouble(), s.GetProperty("max").GetDouble(), s.GetProperty("mean").GetDouble(), s.GetProperty("std").GetDouble());
        if (finished > 0)
        {
            console.Write(spread);
            bool test = root.GetProperty("testLoss").ValueKind == JsonValueKind.Object;
            // The loss the runs trained on (predict may pick another from the output activation), with the
            // penalty training minimised when there is one.
            double l2 = root.GetProperty("settings").GetProperty("l2").GetDouble();
            string penalty = l2 > 0 ? $" plus the L2 penalty ({l2:G} / 2m) sum W^2" : "";
            io.Out.WriteLine($"(loss and accuracy of each final model on the training rows: the loss it was trained with{penalty}{(test ? $"; test loss and accuracy: on the held-out rows{(l2 > 0 ? ", without the penalty" : "")}" : "")})");
        }

        var clusters = root.GetProperty("clusters");
        io.Out.WriteLine($"distinct solutions up to permutation (and sign for tanh and sigmoid units): {clusters.GetArrayLength()} (same solution: aligned parameters differ by at most {root.GetProperty("threshold").GetDouble():G3} of the larger parameter norm)");
        // The model column only when some solution's model was written (--keep and --out).
        bool models = clusters.EnumerateArray().Any(c => c.GetProperty("model").ValueKind == JsonValueKind.String);
        var table = Terminal.Table(["solution", "runs", "share", "representative seed", "mean loss", .. models ? ["model"] : Array.Empty<string>()]);
        foreach (var c in clusters.EnumerateArray().Take(MaxTableSolutions))
        {
            long n = c.GetProperty("runs").GetInt64();
            object[] cells = [c.GetProperty("solution").GetInt32(), n, $"{100.0 * n / finished:F1}%", c.GetProperty("representative").GetUInt64(), c.GetProperty("loss").GetProperty("mean").GetDouble()];
            table.AddCells(models ? [.. cells, c.GetProperty("model").GetString() is { } m ? Path.Combine(outDir ?? "", m) : ""] : cells);
        }
        if (finished > 0) console.Write(table);
        if (clusters.GetArrayLength() > MaxTableSolutions) io.Out.WriteLine($"({clusters.GetArrayLength() - MaxTableSolutions} more solutions in summary.json)");
        if (root.GetProperty("untracked").GetInt64() is var untracked and > 0)
            io.Out.WriteLine($"{untracked} runs matched none of the first {root.GetProperty("maxSolutions").GetInt32()} solutions and are not counted in any");

        foreach (var s in root.GetProperty("symmetry").EnumerateArray())
        {
            long identical = s.GetProperty("identicalAtStart").GetInt64();
            if (identical == 0) continue;
            string when = s.GetProperty("splitStep") is { ValueKind: JsonValueKind.Object } step
                ? $" at step {step.GetProperty("min").GetDouble():G6} to {step.GetProperty("max").GetDouble():G6} (mean {step.GetProperty("mean").GetDouble():G4})" : "";
            io.Out.WriteLine($"layer {s.GetProperty("layer").GetInt32()}: {identical} of {finished} runs started with identical units; {s.GetProperty("split").GetInt64()} split{when}, {s.GetProperty("neverSplit").GetInt64()} never did");
        }
        long diverged = root.GetProperty("diverged").GetInt64();
        foreach (var d in root.GetProperty("divergedRuns").EnumerateArray())
            io.Err.WriteLine($"symlab: seed {d.GetProperty("seed").GetUInt64()}: {d.GetProperty("message").GetString()}");
        if (diverged > 0)
            io.Err.WriteLine(finished == 0 ? $"symlab: all {diverged} runs diverged; nothing to compare"
                : $"symlab: {diverged} of {runs} runs diverged{(diverged > Sweep.DivergedExamples ? $" (the first {Sweep.DivergedExamples} above; all in summary.csv)" : "")}; the summary compares the other {finished}");
        if (outDir is not null) io.Out.WriteLine($"wrote {outDir}/summary.json, summary.csv{(models ? ", solutions/" : "")}");
        return diverged > 0 ? ExitCodes.Diverged : ExitCodes.Success;
    }
}
