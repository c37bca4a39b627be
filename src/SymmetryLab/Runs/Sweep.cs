using System.Globalization;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;
using SymmetryLab.Runs.Documents;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>What a sweep keeps per seed besides its summary.</summary>
public enum SweepKeep
{
    /// <summary>The summary alone.</summary>
    None,
    /// <summary>The summary and the model of each distinct solution's representative (the default).</summary>
    Solutions,
    /// <summary>That, and for each seed that diverged its initial model and where it diverged.</summary>
    Diverged,
    /// <summary>That, and every seed's train folder (each seed trained on its own: the folder needs its full record).</summary>
    All,
}

/// <summary>How a sweep runs: which seeds, which part of them, what it keeps, where.</summary>
public sealed record SweepOptions
{
    /// <summary>The seeds of the whole sweep, in order.</summary>
    public required IReadOnlyList<ulong> Seeds { get; init; }
    /// <summary>The part of them this machine trains.</summary>
    public SweepShard Shard { get; init; } = SweepShard.Whole;
    /// <summary>What is kept per seed besides the summary.</summary>
    public SweepKeep Keep { get; init; } = SweepKeep.Solutions;
    /// <summary>The solution threshold (see <see cref="Sweep.DefaultThreshold"/>).</summary>
    public double Threshold { get; init; } = SweepSummary.DefaultThreshold;
    /// <summary>Cores used (results do not depend on it).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>The sweep's folder; null: nothing is written (and nothing can be resumed).</summary>
    public string? Out { get; init; }
    /// <summary>Seeds per part (the unit of work written at once); null: from the size of the setup.</summary>
    public int? PartSize { get; init; }
}

/// <summary>
/// What a sweep did: runs and divergences, summary.json's text (null for a shard, which has no
/// summary), whether the folder already held the finished sweep, and whether seeds trained in lanes.
/// </summary>
/// <param name="Runs">Seeds trained (this shard's, or all for a merge).</param>
/// <param name="Diverged">Of those, the ones that diverged.</param>
/// <param name="SummaryJson">summary.json's text; null for a shard.</param>
/// <param name="WasComplete">Whether the folder already held the finished sweep (nothing was trained).</param>
/// <param name="SeedBatch">Whether the seeds trained together in vector lanes.</param>
public sealed record SweepResult(long Runs, long Diverged, string? SummaryJson, bool WasComplete, bool SeedBatch);

/// <summary>
/// One training setup from many seeds. When the setup trains on the full batch without dropout, the
/// seeds train together in the lanes of <see cref="SeedBatchTrainer{T}"/>; otherwise each trains alone,
/// one per core. Either way each seed ends bit for bit where <c>train --seed N</c> ends (same model,
/// same figures). Seeds go in parts (a few seconds of work each); with a folder, each finished part is
/// written at once, so a sweep killed at any moment and started again with the same command goes on
/// from the parts it finished and ends with the same bytes. <see cref="SweepShard"/> splits the seeds
/// over machines; <see cref="Merge"/> joins their folders into the folder one machine would write.
/// </summary>
public static class Sweep
{
    /// <summary>Two aligned runs whose parameters differ by at most this share of the larger parameter norm count as one solution.</summary>
    public const double DefaultThreshold = SweepSummary.DefaultThreshold;

    /// <summary>Diverged seeds summary.json names, at most (summary.csv has them all).</summary>
    public const int DivergedExamples = SweepSummary.DivergedExamples;

    /// <summary>The file names of a sweep folder: the summary, its per-seed table, and a shard's record.</summary>
    public const string SummaryJson = "summary.json", SummaryCsv = "summary.csv", ShardFile = "shard.json";

    /// <summary>"1..100", "1,2,5" or a mix ("1..5,9"); duplicates are an error, the order is kept.</summary>
    internal static ulong[] ParseSeeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int dots = part.IndexOf("..", StringComparison.Ordinal);
            if (dots >= 0)
            {
                if (!ulong.TryParse(part[..dots], NumberStyles.None, CultureInfo.InvariantCulture, out ulong from)
                    || !ulong.TryParse(part[(dots + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out ulong to) || to < from)
                    throw new SettingsException($"--seeds {text}: '{part}' is not a range FROM..TO of whole numbers with FROM <= TO");
                if (to - from >= MaxSeeds || seeds.Count + (long)(to - from) >= MaxSeeds)
                    throw new SettingsException($"--seeds {text}: more than {MaxSeeds:N0} runs");
                for (ulong s = from; ; s++) { seeds.Add(s); if (s == to) break; }
            }
            else if (ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)) seeds.Add(seed);
            else throw new SettingsException($"--seeds {text}: '{part}' is not a seed (a whole number) or a range FROM..TO");
        }
        var seen = new HashSet<ulong>();
        foreach (var s in seeds)
            if (!seen.Add(s)) throw new SettingsException($"--seeds {text}: seed {s} is listed twice");
        if (seeds.Count < 1) throw new SettingsException($"--seeds {text}: no seeds");
        return [.. seeds];
    }

    /// <summary>The most seeds one sweep takes.</summary>
    public const int MaxSeeds = 10_000_000;

    /// <summary>The seed list in its shortest form: runs of consecutive seeds as FROM..TO (the inverse of <see cref="ParseSeeds"/>).</summary>
    internal static string SeedsText(IReadOnlyList<ulong> seeds)
    {
        var s = new System.Text.StringBuilder();
        for (int i = 0; i < seeds.Count;)
        {
            int j = i;
            while (j + 1 < seeds.Count && seeds[j] != ulong.MaxValue && seeds[j + 1] == seeds[j] + 1) j++;
            if (s.Length > 0) s.Append(',');
            s.Append(seeds[i]);
            if (j > i) s.Append("..").Append(seeds[j]);
            i = j + 1;
        }
        return s.ToString();
    }

    /// <summary>Where seed <paramref name="seed"/>'s train folder goes in the sweep folder <paramref name="outDir"/> (with <see cref="SweepKeep.All"/>).</summary>
    public static string RunDir(string outDir, ulong seed) => Path.Combine(outDir, SweepFolder.RunsDir, $"seed-{seed}");

    /// <summary>Trains the seeds of <paramref name="options"/> (its shard of them) and summarizes a whole sweep; <paramref name="progress"/> hears of each part.</summary>
    /// <exception cref="SettingsException">Settings it cannot take; the message names the property of <see cref="RunSettings"/> or <see cref="SweepOptions"/> (<see cref="SettingsException.Parameter"/>).</exception>
    /// <exception cref="Data.DataException">Bad data; names the file, line and field.</exception>
    public static SweepResult Run(RunSettings settings, SweepOptions options, Action<string>? progress = null)
    {
        if (settings.Out is not null) throw new ArgumentException("a sweep's runs get their folders from the sweep's own out folder", nameof(settings));
        // Seeds trained in lanes record no weights, and seeds trained one by one have no folder of their own to
        // write trajectory.csv in unless every run is kept: refused alike, not ignored on one path.
        if (settings.RecordEvery is >= 1)
            throw SettingsException.Of($"{Setting.Run(nameof(settings.RecordEvery), settings.RecordEvery, $"weights:{settings.RecordEvery}")}: a sweep records no trajectories; train the seed alone to record its weights");
        // The seed list the command line reads is checked as it is read (ParseSeeds); a caller's list is checked here alike.
        if (options.Seeds.Count == 0) throw SettingsException.Of($"{Setting.Sweep(nameof(options.Seeds), "[]")}: no seeds");
        if (options.Seeds.CountBy(s => s).FirstOrDefault(c => c.Value > 1) is { Value: > 1 } twice)
            throw SettingsException.Of($"{Setting.Sweep(nameof(options.Seeds))}: seed {twice.Key} is listed twice");
        if (options.Threads < 1) throw SettingsException.Of($"{Setting.Sweep(nameof(options.Threads), options.Threads)}: must be at least 1");
        if (!(options.Threshold >= 0 && double.IsFinite(options.Threshold))) throw SettingsException.Of($"{Setting.Sweep(nameof(options.Threshold), options.Threshold)}: must be a number >= 0");
        if (options.PartSize is < 1) throw new ArgumentException("a part holds at least one seed", nameof(options));
        if (!options.Shard.IsWhole && options.Out is null)
            throw SettingsException.Of($"{Setting.Sweep(nameof(options.Shard))} needs {Setting.Sweep(nameof(options.Out))}: a shard's runs are only useful written down for {new Wording("Sweep.Merge", "'sweep merge'")}");
        return settings.Precision == Precision.Float64 ? Run<double>(settings, options, progress) : Run<float>(settings, options, progress);
    }

    private static SweepResult Run<T>(RunSettings settings, SweepOptions o, Action<string>? progress) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var raw = DataSource.Load(settings.Data, settings.Target);
        // The first seed's setup settles (and checks) everything the seeds share, before the folder is touched:
        // the rows (the held-out split has its own seed), the z-score, the loss and the options.
        var data = TrainingRun.Prepare<T>(settings with { Seed = o.Seeds[0] }, raw);
        var trainingOptions = data.Options;
        var layout = SweepLayout.Of(data.Network, data.Train.TargetName);
        bool lanes = SeedBatchTrainer<T>.Supports(trainingOptions, data.Train.Rows) && o.Keep != SweepKeep.All;
        int partSize = o.PartSize ?? PartSize(layout.ParameterCount, data.Train.Rows, settings.Epochs);
        var mine = o.Shard.SeedsOf(o.Seeds);
        int parts = (mine.Length + partSize - 1) / partSize;

        using var folder = o.Out is null ? null : SweepFolder.Open(o.Out, Identity(settings, o.Seeds, o.Shard, o.Keep, o.Shard.IsWhole ? o.Threshold : null, partSize, layout));
        if (folder is not null && Finished(folder, o.Shard) is { } done) return done with { SeedBatch = lanes };

        var held = folder is null ? new List<SweepRecord>(mine.Length) : null;
        long diverged = 0;
        for (int part = 0; part < parts; part++)
        {
            var seeds = mine.AsSpan(part * partSize, Math.Min(partSize, mine.Length - part * partSize)).ToArray();
            if (folder?.HasPart(part) == true) continue;
            var records = lanes ? TrainInLanes<T>(settings, raw, data, seeds, o.Threads) : TrainAlone<T>(settings, data, seeds, o, folder);
            if (folder is not null)
            {
                if (o.Keep >= SweepKeep.Diverged)
                    foreach (var r in records.Where(r => !r.Finished)) KeepDiverged<T>(settings, raw, r, RunDir(folder.Dir, r.Seed));
                folder.WritePart(part, records, layout.Precision);
            }
            else held!.AddRange(records);
            diverged += records.Count(r => !r.Finished);
            progress?.Invoke($"part {part + 1}/{parts}: {(seeds.Length == 1 ? $"seed {seeds[0]}" : seeds.Select((x, i) => x - seeds[0] == (ulong)i).All(b => b) ? $"{seeds.Length} seeds ({seeds[0]} to {seeds[^1]})" : $"{seeds.Length} seeds (first {seeds[0]}, last {seeds[^1]})")} trained {(lanes ? "together in vector lanes" : "one by one")}; {records.Count(r => !r.Finished)} diverged");
        }

        if (!o.Shard.IsWhole)
        {
            var records = Enumerable.Range(0, parts).SelectMany(p => SweepFolder.ReadPart(folder!.PartPath(p), mine.AsSpan(p * partSize, Math.Min(partSize, mine.Length - p * partSize)).ToArray(), layout));
            long runs = 0, bad = 0;
            foreach (var r in records) { runs++; if (!r.Finished) bad++; }
            AtomicFile.WriteAllText(folder!.Under(SweepFolder.ShardFile), ShardJson(o.Shard, runs, bad));
            return new SweepResult(runs, bad, null, false, lanes);
        }
        var all = held ?? Enumerable.Range(0, parts).SelectMany(p => SweepFolder.ReadPart(folder!.PartPath(p), mine.AsSpan(p * partSize, Math.Min(partSize, mine.Length - p * partSize)).ToArray(), layout));
        var (json, count, bad2) = Summarize(folder, layout, Describe(settings), SeedsText(o.Seeds), o.Keep, o.Threshold, o.Threads, all);
        return new SweepResult(count, bad2, json, false, lanes);
    }

    /// <summary>Seeds per part: about 2^34 multiply-adds of training (a few seconds), between 8 and 4096; a function of the setup alone, so a rerun cuts the same parts.</summary>
    internal static int PartSize(int parameters, int rows, int epochs)
    {
        double work = Math.Max(1.0, (double)parameters * rows * epochs);
        return (int)Math.Clamp(Math.Floor((1L << 34) / work), 8, 4096);
    }

    /// <summary>
    /// A folder that already holds the finished sweep (or shard): what it found, read back from summary.json
    /// (shard.json) through its record; a file that is not one is refused naming it, before anything is removed.
    /// </summary>
    private static SweepResult? Finished(SweepFolder folder, SweepShard shard)
    {
        string marker = folder.Under(shard.IsWhole ? SummaryJson : SweepFolder.ShardFile);
        if (!File.Exists(marker)) return null;
        string text = File.ReadAllText(marker);
        (long Runs, long Diverged) found;
        try
        {
            found = shard.IsWhole
                ? JsonSerializer.Deserialize(text, RunJsonContext.Default.SweepSummaryDocument) is { } summary ? (summary.Runs, summary.Diverged) : throw new JsonException("null instead of an object")
                : JsonSerializer.Deserialize(text, RunJsonContext.Default.ShardDocument) is { } done ? (done.Runs, done.Diverged) : throw new JsonException("null instead of an object");
        }
        catch (JsonException e)
        {
            throw new DataException($"{marker}: not a valid {Path.GetFileName(marker)} ({e.Message})");
        }
        // A whole sweep killed after its summary but before dropping its parts: drop them now.
        if (shard.IsWhole && Directory.Exists(folder.Under(SweepFolder.PartsDir))) Directory.Delete(folder.Under(SweepFolder.PartsDir), recursive: true);
        return new SweepResult(found.Runs, found.Diverged, shard.IsWhole ? text : null, true, false);
    }

    /// <summary>
    /// The seeds trained together in vector lanes (<see cref="SeedBatchTrainer{T}"/>), each from exactly
    /// the network <c>train</c> would start from, then each final model evaluated as <c>train</c>'s is.
    /// </summary>
    private static List<SweepRecord> TrainInLanes<T>(RunSettings settings, (Dataset Train, Dataset? Test) raw, PreparedRun<T> data, ulong[] seeds, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var networks = new Network<T>[seeds.Length];
        var distinct = new int[seeds.Length][];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
        {
            var seed = TrainingRun.Prepare<T>(settings with { Seed = seeds[k] }, raw);
            networks[k] = seed.Network;
            distinct[k] = DistinctUnits(seed.Initialized);
        });
        var outcomes = new SeedBatchTrainer<T>(networks, data.Train, data.Options with { Threads = threads }, distinct).Train();
        var records = new SweepRecord[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, k =>
            records[k] = outcomes[k].Diverged is { } e ? SweepRecord.Divergence(seeds[k], FlagMessages.Of(e)) : Record(seeds[k], networks[k], data, distinct[k], outcomes[k].BrokeAtStep));
        return [.. records];
    }

    /// <summary>Each layer's distinct units, as <see cref="SymmetryRecorder{T}"/> counts them at step 0.</summary>
    private static int[] DistinctUnits<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. Enumerable.Range(0, network.Layers.Count).Select(l => UnitGroups.Find(network, l).Distinct)];

    /// <summary>Each seed trained alone, as <c>train</c> does it (with its folder under runs/ for --keep all), one per core.</summary>
    private static List<SweepRecord> TrainAlone<T>(RunSettings settings, PreparedRun<T> data, ulong[] seeds, SweepOptions o, SweepFolder? folder)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var records = new SweepRecord[seeds.Length];
        try
        {
            Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = o.Threads }, k =>
            {
                var s = settings with { Seed = seeds[k], Threads = 1, Out = o.Keep == SweepKeep.All && folder is not null ? RunDir(folder.Dir, seeds[k]) : null };
                try
                {
                    var run = TrainingRun.Execute<T>(s, null, default);
                    var network = ModelFile.Parse<T>(run.FinalModel, $"seed {seeds[k]}");
                    records[k] = Record(seeds[k], network, data, [.. run.DistinctAtStart], [.. run.BrokeAtStep]);
                }
                catch (TrainingDivergedException e)
                {
                    // One seed blowing up is a finding of the sweep, not the end of it.
                    records[k] = SweepRecord.Divergence(seeds[k], FlagMessages.Of(e));
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // The first failure, as train would report it (its type decides the exit code).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return [.. records];
    }

    /// <summary>A finished seed's record: the final model's figures as <c>train</c> reports them (on the training rows, with the L2 penalty; on the held-out rows).</summary>
    private static SweepRecord Record<T>(ulong seed, Network<T> network, PreparedRun<T> data, int[] distinct, long?[] broke)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var options = data.Options;
        var alone = WorkerPool.ForThreads(1);
        var (loss, accuracy) = new Evaluator<T>(network, data.Train, options.Loss, alone).Evaluate();
        if (options.L2 > 0) loss += network.L2Penalty(options.L2, data.Train.Rows);
        double? testLoss = null, testAccuracy = null;
        if (data.Test is not null) (testLoss, testAccuracy) = new Evaluator<T>(network, data.Test, options.Loss, alone).Evaluate();
        return new SweepRecord(seed, loss, accuracy, testLoss, testAccuracy, distinct, broke, SweepLayout.Parameters(network));
    }

    /// <summary>--keep diverged: runs/seed-N/ with the initial model (to replay it) and where it diverged (written last).</summary>
    private static void KeepDiverged<T>(RunSettings settings, (Dataset Train, Dataset? Test) raw, SweepRecord record, string dir) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = TrainingRun.Prepare<T>(settings with { Seed = record.Seed }, raw);
        AtomicFile.WriteAllText(Path.Combine(dir, "initial.json"), ModelFile.Write(start.Network, start.Train.TargetName));
        AtomicFile.WriteAllText(Path.Combine(dir, "diverged.json"), JsonText.Indented(new DivergedDocument(record.Seed, record.Diverged!), RunJsonContext.Default.DivergedDocument));
    }

    /// <summary>
    /// The summary of a whole sweep from its runs in seed-list order: summary.csv as it goes, then the
    /// solutions' models and summary.json (last), then the parts are dropped. Without a folder, only the JSON.
    /// </summary>
    private static (string Json, long Runs, long Diverged) Summarize(SweepFolder? folder, SweepLayout layout, string settings, string seeds, SweepKeep keep, double threshold, int threads, IEnumerable<SweepRecord> runs)
    {
        string? csvTemp = folder is null ? null : folder.Under($".{SummaryCsv}.{Environment.ProcessId}.tmp");
        SweepSummary summary;
        using (var csv = csvTemp is null ? null : new StreamWriter(csvTemp))
        {
            summary = new SweepSummary(layout, threshold, csv, threads);
            foreach (var r in runs) summary.Add(r);
            summary.Complete();
        }
        string? ModelPath(SweepSolution s) => keep >= SweepKeep.Solutions && folder is not null ? $"{SweepFolder.SolutionsDir}/solution-{s.Number}.json" : null;
        string json = summary.Json(settings, seeds, ModelPath);
        if (folder is not null)
        {
            File.Move(csvTemp!, folder.Under(SummaryCsv), overwrite: true);
            foreach (var s in summary.Solutions)
                if (ModelPath(s) is { } path) AtomicFile.WriteAllText(folder.Under(path), layout.ModelText(s.Representative.Parameters));
            AtomicFile.WriteAllText(folder.Under(SummaryJson), json);
            if (Directory.Exists(folder.Under(SweepFolder.PartsDir))) Directory.Delete(folder.Under(SweepFolder.PartsDir), recursive: true);
        }
        return (json, summary.Runs, summary.Diverged);
    }

    /// <summary>
    /// Joins shard folders (<c>--shard I/N --out DIR</c>, finished) into <paramref name="outDir"/>: the
    /// folder one machine writes for the whole sweep, byte for byte. Refuses folders of different
    /// setups, unfinished shards, and a set that is not every part exactly once.
    /// </summary>
    /// <exception cref="SettingsException">No folder, or a bad <paramref name="threshold"/>; the message names the argument.</exception>
    /// <exception cref="Data.DataException">A folder that is not a finished shard of the same sweep; names the folder.</exception>
    public static SweepResult Merge(IReadOnlyList<string> dirs, string outDir, double threshold = SweepSummary.DefaultThreshold, int threads = 0, Action<string>? progress = null)
    {
        if (dirs.Count == 0) throw SettingsException.Of($"{new Setting(nameof(dirs))}: name at least one shard folder");
        if (!(threshold >= 0 && double.IsFinite(threshold))) throw SettingsException.Of($"{new Setting(nameof(threshold), threshold)}: must be a number >= 0");
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        var shards = dirs.Select(ReadShard).ToList();
        var first = shards[0];
        for (int k = 0; k < shards.Count; k++)
        {
            var s = shards[k];
            foreach (var ((field, text), (_, firstText)) in s.Shared().Zip(first.Shared()))
                if (text != firstText)
                    throw new DataException($"{dirs[k]}: ran a different sweep than {dirs[0]} ('{field}' differs); merge the shards of one sweep");
            if (s.Shard.Count != first.Shard.Count)
                throw new DataException($"{dirs[k]}: is shard {s.Shard} but {dirs[0]} is shard {first.Shard}; merge the shards of one sweep");
            int twin = shards.FindIndex(x => x.Shard.Index == s.Shard.Index);
            if (twin != k) throw new DataException($"{dirs[k]}: is shard {s.Shard}, as is {dirs[twin]}");
            if (Path.GetFullPath(dirs[k]).TrimEnd('/') == Path.GetFullPath(outDir).TrimEnd('/')) throw new DataException($"{outDir}: is one of the shard folders; merge into another folder");
        }
        var missing = Enumerable.Range(1, first.Shard.Count).Where(i => !shards.Any(s => s.Shard.Index == i)).ToList();
        if (missing.Count > 0)
            throw new DataException($"sweep merge: no folder holds shard{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")} of {first.Shard.Count}; merge all {first.Shard.Count} shards");

        var seeds = ParseSeeds(first.Identity.Seeds);
        var keep = Enum.Parse<SweepKeep>(first.Identity.Keep, ignoreCase: true);
        int partSize = first.Identity.PartSize;
        var layout = first.Layout;
        string identity = Identity(first.Identity.Settings.Text, seeds, SweepShard.Whole, keep, threshold, partSize, layout);
        using var folder = SweepFolder.Open(outDir, identity);
        var ordered = shards.OrderBy(s => s.Shard.Index).ToList();
        if (keep >= SweepKeep.Diverged)
            foreach (var s in ordered)
                if (Directory.Exists(Path.Combine(s.Dir, SweepFolder.RunsDir)))
                    foreach (var run in Directory.GetDirectories(Path.Combine(s.Dir, SweepFolder.RunsDir)).Order(StringComparer.Ordinal))
                        SweepFolder.CopyRun(run, Path.Combine(folder.Dir, SweepFolder.RunsDir, Path.GetFileName(run)));
        progress?.Invoke($"merging {shards.Count} shards of {seeds.Length} seeds");
        var (json, runs, diverged) = Summarize(folder, layout, first.Identity.Settings.Text, SeedsText(seeds), keep, threshold, threads, Interleave(ordered, seeds, partSize, layout));
        return new SweepResult(runs, diverged, json, false, false);
    }

    /// <summary>The shards' records in seed-list order: position p is the next record of shard p % N.</summary>
    private static IEnumerable<SweepRecord> Interleave(IReadOnlyList<ShardFolder> shards, ulong[] seeds, int partSize, SweepLayout layout)
    {
        var readers = shards.Select(s =>
        {
            var mine = s.Shard.SeedsOf(seeds);
            int parts = (mine.Length + partSize - 1) / partSize;
            return Enumerable.Range(0, parts).SelectMany(p => SweepFolder.ReadPart(Path.Combine(s.Dir, SweepFolder.PartsDir, $"part-{p + 1:D6}.jsonl"), mine.AsSpan(p * partSize, Math.Min(partSize, mine.Length - p * partSize)).ToArray(), layout)).GetEnumerator();
        }).ToList();
        try
        {
            for (int p = 0; p < seeds.Length; p++)
            {
                var reader = readers[p % readers.Count];
                if (!reader.MoveNext()) throw new DataException($"{shards[p % readers.Count].Dir}: ends before seed {seeds[p]}");
                yield return reader.Current;
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    /// <summary>A finished shard's folder: its sweep.json and layout.</summary>
    private sealed record ShardFolder(string Dir, SweepIdentityDocument Identity, SweepLayout Layout)
    {
        public SweepShard Shard => new(Identity.Shard.Index, Identity.Shard.Count);

        /// <summary>The fields of sweep.json every shard of one sweep has alike, by name, as text.</summary>
        public IEnumerable<(string Field, string Text)> Shared() =>
        [
            ("settings", Identity.Settings.Text), ("seeds", Identity.Seeds), ("keep", Identity.Keep), ("partSize", Identity.PartSize.ToString(CultureInfo.InvariantCulture)),
            ("layout", JsonText.Line(Identity.Layout, RunJsonContext.Default.SweepLayoutDocument)),
        ];
    }

    private static ShardFolder ReadShard(string dir)
    {
        string identity = Path.Combine(dir, SweepFolder.IdentityFile);
        if (!File.Exists(identity)) throw new DataException($"{dir}: no {SweepFolder.IdentityFile}: not a sweep folder");
        if (!File.Exists(Path.Combine(dir, SweepFolder.ShardFile)))
            throw new DataException($"{dir}: the shard has not finished (no {SweepFolder.ShardFile}); run its command again to finish it, then merge");
        SweepIdentityDocument read;
        try
        {
            read = JsonSerializer.Deserialize(File.ReadAllText(identity), RunJsonContext.Default.SweepIdentityDocument) ?? throw new JsonException("null instead of an object");
        }
        catch (JsonException e)
        {
            throw new DataException($"{identity}: not a valid {SweepFolder.IdentityFile} ({e.Message})");
        }
        if (read.Format != SweepIdentityDocument.FormatName) throw new DataException($"{identity}: not a symlab sweep");
        return new ShardFolder(dir, read, SweepLayout.Of(read.Layout, identity));
    }

    /// <summary>sweep.json: everything that decides what the folder will hold (not the thread count).</summary>
    private static string Identity(RunSettings settings, IReadOnlyList<ulong> seeds, SweepShard shard, SweepKeep keep, double? threshold, int partSize, SweepLayout layout) =>
        Identity(Describe(settings), seeds, shard, keep, threshold, partSize, layout);

    private static string Identity(string settings, IReadOnlyList<ulong> seeds, SweepShard shard, SweepKeep keep, double? threshold, int partSize, SweepLayout layout) => JsonText.Indented(
        new SweepIdentityDocument(SweepIdentityDocument.FormatName, 1, new RawJson(settings), SeedsText(seeds), seeds.Count, new ShardIndexDocument(shard.Index, shard.Count),
            keep.ToString().ToLowerInvariant(), threshold, partSize, layout.Document()),
        RunJsonContext.Default.SweepIdentityDocument);

    private static string ShardJson(SweepShard shard, long runs, long diverged) =>
        JsonText.Indented(new ShardDocument(ShardDocument.FormatName, shard.Index, shard.Count, runs, diverged), RunJsonContext.Default.ShardDocument);

    /// <summary>
    /// The setup as canonical JSON text (everything but the seed, the threads and the folder), so that
    /// shards can be checked to have run the same thing and the summary says what was run. One line: it
    /// is compared as text and embedded in other files.
    /// </summary>
    public static string Describe(RunSettings s) => JsonText.Line(
        new SweepSettingsDocument(s.Data, s.Target, s.Layers is null ? null : string.Join(",", s.Layers), s.Activation.Name(), s.OutputActivation?.Name(), s.Loss?.Name(),
            s.Init.WeightName, s.Init.Biases.Name, s.Model, s.Optimizer.Name, s.GivenLearningRate, s.Epochs, s.Batch, s.L2, s.Dropout, s.Normalize.Name, s.Precision.Name, s.Test,
            TrainingRun.IsFraction(s.Test) ? s.SplitSeed : null, s.Perturb?.ToString()),
        RunJsonContext.Default.SweepSettingsDocument);
}
