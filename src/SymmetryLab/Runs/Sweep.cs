using System.Globalization;
using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// One finished run of a sweep: its seed, final metrics and model file text, or, when training
/// diverged, the message that says where (then the loss is NaN and there is no model).
/// </summary>
public sealed record SweepRun(ulong Seed, double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy, string Model, string? Diverged = null)
{
    public static SweepRun Divergence(ulong seed, string message) => new(seed, double.NaN, null, null, null, "", message);
}

/// <summary>What a sweep (or one shard of it) ran: the setup, all the seeds asked for, this part's runs.</summary>
public sealed record SweepShard(string Settings, IReadOnlyList<ulong> Seeds, int Index, int Count, IReadOnlyList<SweepRun> Runs);

/// <summary>
/// The same training setup from many seeds. Runs are spread over cores, each single-threaded: the
/// engine makes a model's bytes independent of the thread count, so every run is bit-identical to the
/// same seed trained alone. <c>--shard I/N</c> takes the seeds at positions p with p % N == I - 1, so
/// N machines share a sweep without talking to each other, and <see cref="Merge"/> joins their folders.
/// </summary>
/// <remarks>
/// Folder layout (<c>--out DIR</c>): <c>runs/seed-N/</c> is each run's train folder (model.json etc.);
/// <c>shard.json</c> records the setup, the seeds and each run's metrics; <c>summary.json</c> and
/// <c>summary.csv</c> are written when the folder holds the whole sweep (unsharded, or merged).
/// </remarks>
public static class Sweep
{
    public const string ShardFile = "shard.json", SummaryJson = "summary.json", SummaryCsv = "summary.csv";

    /// <summary>"1..100", "1,2,5" or a mix ("1..5,9"); duplicates are an error, the order is kept.</summary>
    public static ulong[] ParseSeeds(string text)
    {
        var seeds = new List<ulong>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            int dots = part.IndexOf("..", StringComparison.Ordinal);
            if (dots >= 0)
            {
                if (!ulong.TryParse(part[..dots], NumberStyles.None, CultureInfo.InvariantCulture, out ulong from)
                    || !ulong.TryParse(part[(dots + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out ulong to) || to < from)
                    throw new TrainingRun.SettingsException($"--seeds {text}: '{part}' is not a range FROM..TO of whole numbers with FROM <= TO");
                if (to - from >= 1_000_000) throw new TrainingRun.SettingsException($"--seeds {text}: '{part}' is more than a million runs");
                for (ulong s = from; ; s++) { seeds.Add(s); if (s == to) break; }
            }
            else if (ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)) seeds.Add(seed);
            else throw new TrainingRun.SettingsException($"--seeds {text}: '{part}' is not a seed (a whole number) or a range FROM..TO");
        }
        var repeated = seeds.GroupBy(s => s).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new TrainingRun.SettingsException($"--seeds {text}: seed {repeated.Key} is listed twice");
        if (seeds.Count < 1) throw new TrainingRun.SettingsException($"--seeds {text}: no seeds");
        return [.. seeds];
    }

    /// <summary>"I/N" with 1 &lt;= I &lt;= N.</summary>
    public static (int Index, int Count) ParseShard(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i >= 1 && i <= n)
            return (i, n);
        throw new TrainingRun.SettingsException($"--shard {text}: expected I/N with 1 <= I <= N, e.g. 2/3");
    }

    /// <summary>The seeds of shard <paramref name="index"/> (1-based) of <paramref name="count"/>: positions p with p % count == index - 1.</summary>
    public static ulong[] SeedsOfShard(IReadOnlyList<ulong> seeds, int index, int count) =>
        [.. seeds.Where((_, p) => p % count == index - 1)];

    /// <summary>
    /// Trains <paramref name="settings"/> from each seed of shard <paramref name="index"/>/<paramref name="count"/>,
    /// <paramref name="parallel"/> runs at a time, each with one thread. With <paramref name="outDir"/>, each
    /// run writes its train folder under runs/ and the shard record is written last.
    /// </summary>
    public static SweepShard Execute(RunSettings settings, IReadOnlyList<ulong> seeds, int index = 1, int count = 1, int parallel = 0,
        string? outDir = null, Action<SweepRun, int, int>? finished = null, CancellationToken cancel = default)
    {
        if (settings.Out is not null) throw new ArgumentException("a sweep's runs get their folders from the sweep's own out folder", nameof(settings));
        var mine = SeedsOfShard(seeds, index, count);
        var runs = new SweepRun[mine.Length];
        int done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallel > 0 ? parallel : Environment.ProcessorCount, CancellationToken = cancel };
        try
        {
            Parallel.For(0, mine.Length, options, k =>
            {
                var s = settings with { Seed = mine[k], Threads = 1, Out = outDir is null ? null : RunDir(outDir, mine[k]) };
                try
                {
                    var r = TrainingRun.Execute(s, cancel: cancel);
                    runs[k] = new SweepRun(mine[k], r.Loss, r.Accuracy, r.TestLoss, r.TestAccuracy, r.FinalModel);
                }
                catch (TrainingDivergedException e)
                {
                    // One seed blowing up is a finding of the sweep, not the end of it.
                    runs[k] = SweepRun.Divergence(mine[k], e.Message);
                }
                finished?.Invoke(runs[k], Interlocked.Increment(ref done), mine.Length);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // The first failure, as train would report it (its type decides the exit code).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        var shard = new SweepShard(Describe(settings), seeds, index, count, runs);
        if (outDir is not null) AtomicFile.WriteAllText(Path.Combine(outDir, ShardFile), ShardJson(shard));
        return shard;
    }

    public static string RunDir(string outDir, ulong seed) => Path.Combine(outDir, "runs", $"seed-{seed}");

    /// <summary>
    /// Joins shard folders into one sweep: checks that they ran the same setup over the same seed list and
    /// that together they hold every seed once, copies the run folders into <paramref name="outDir"/>, and
    /// returns the whole sweep (a shard 1/1), runs in the order of the seed list, as one machine has them.
    /// </summary>
    public static SweepShard Merge(IReadOnlyList<string> dirs, string? outDir)
    {
        if (dirs.Count == 0) throw new TrainingRun.SettingsException("sweep merge: name at least one shard folder");
        var shards = dirs.Select(ReadShard).ToList();
        for (int k = 1; k < shards.Count; k++)
        {
            if (shards[k].Settings != shards[0].Settings)
                throw new DataException($"{dirs[k]}: ran a different setup than {dirs[0]}:\n  {shards[k].Settings}\n  {shards[0].Settings}");
            if (!shards[k].Seeds.SequenceEqual(shards[0].Seeds))
                throw new DataException($"{dirs[k]}: ran from a different seed list than {dirs[0]}");
        }
        var bySeed = new Dictionary<ulong, (SweepRun Run, string Dir)>();
        for (int k = 0; k < shards.Count; k++)
            foreach (var run in shards[k].Runs)
                if (!bySeed.TryAdd(run.Seed, (run, dirs[k])))
                    throw new DataException($"{dirs[k]}: seed {run.Seed} is also in {bySeed[run.Seed].Dir}");
        var missing = shards[0].Seeds.Where(s => !bySeed.ContainsKey(s)).ToList();
        if (missing.Count > 0)
            throw new DataException($"sweep merge: no shard holds seed{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : "")}; merge all {shards[0].Count} shards");

        var runs = shards[0].Seeds.Select(s => bySeed[s].Run).ToList();
        var merged = new SweepShard(shards[0].Settings, shards[0].Seeds, 1, 1, runs);
        if (outDir is not null)
        {
            foreach (var s in shards[0].Seeds)
            {
                if (bySeed[s].Run.Diverged is not null) continue; // no run folder to copy
                string from = RunDir(bySeed[s].Dir, s), to = RunDir(outDir, s);
                if (Path.GetFullPath(from) == Path.GetFullPath(to)) continue;
                Directory.CreateDirectory(to);
                foreach (var file in Directory.GetFiles(from).Order(StringComparer.Ordinal))
                    if (Path.GetFileName(file) != "model.json") File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
                AtomicFile.WriteAllText(Path.Combine(to, "model.json"), bySeed[s].Run.Model); // last: the folder is complete
            }
            AtomicFile.WriteAllText(Path.Combine(outDir, ShardFile), ShardJson(merged));
        }
        return merged;
    }

    /// <summary>Reads a shard folder: shard.json and each run's model.json.</summary>
    public static SweepShard ReadShard(string dir)
    {
        string file = Path.Combine(dir, ShardFile);
        if (!File.Exists(file)) throw new DataException($"{dir}: no {ShardFile} (not a sweep folder, or its sweep did not finish)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            if (root.GetProperty("format").GetString() != "symlab-sweep-shard") throw new DataException($"{file}: not a symlab sweep shard");
            string settings = root.GetProperty("settings").GetRawText();
            var seeds = root.GetProperty("seeds").EnumerateArray().Select(e => e.GetUInt64()).ToArray();
            var runs = new List<SweepRun>();
            foreach (var r in root.GetProperty("runs").EnumerateArray())
            {
                ulong seed = r.GetProperty("seed").GetUInt64();
                if (r.TryGetProperty("diverged", out var diverged) && diverged.ValueKind == JsonValueKind.String)
                {
                    runs.Add(SweepRun.Divergence(seed, diverged.GetString()!));
                    continue;
                }
                string model = Path.Combine(RunDir(dir, seed), "model.json");
                if (!File.Exists(model)) throw new DataException($"{dir}: run {seed} has no {Path.Combine("runs", $"seed-{seed}", "model.json")}");
                runs.Add(new SweepRun(seed, r.GetProperty("loss").GetDouble(), Number(r, "accuracy"), Number(r, "testLoss"), Number(r, "testAccuracy"), File.ReadAllText(model)));
            }
            return new SweepShard(settings, seeds, root.GetProperty("index").GetInt32(), root.GetProperty("count").GetInt32(), runs);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DataException($"{file}: not a valid sweep shard ({e.Message})");
        }
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    public static string ShardJson(SweepShard shard) => RunFolder.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("format", "symlab-sweep-shard");
        w.WritePropertyName("settings");
        w.WriteRawValue(shard.Settings);
        w.WriteNumber("index", shard.Index);
        w.WriteNumber("count", shard.Count);
        w.WriteStartArray("seeds");
        foreach (var s in shard.Seeds) w.WriteNumberValue(s);
        w.WriteEndArray();
        w.WriteStartArray("runs");
        foreach (var r in shard.Runs)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", r.Seed);
            w.WriteNumberOrNull("loss", r.Loss);
            w.WriteNumberOrNull("accuracy", r.Accuracy);
            w.WriteNumberOrNull("testLoss", r.TestLoss);
            w.WriteNumberOrNull("testAccuracy", r.TestAccuracy);
            if (r.Diverged is not null) w.WriteString("diverged", r.Diverged);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// The setup as canonical JSON text (everything but the seed, the threads and the folder), so that
    /// shards can be checked to have run the same thing and the summary says what was run.
    /// </summary>
    public static string Describe(RunSettings s)
    {
        string json = RunFolder.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("data", s.Data);
            w.WriteString("target", s.Target);
            if (s.Layers is null) w.WriteNull("layers"); else w.WriteString("layers", string.Join(",", s.Layers));
            w.WriteString("activation", s.Activation.Name());
            w.WriteString("outputActivation", s.OutputActivation?.Name());
            w.WriteString("loss", s.Loss?.Name());
            w.WriteString("init", s.Init);
            w.WriteString("biasInit", s.BiasInit);
            w.WriteString("model", s.Model);
            w.WriteString("optimizer", s.Optimizer);
            w.WriteNumberOrNull("learningRate", s.LearningRate);
            w.WriteNumber("epochs", s.Epochs);
            if (s.Batch is { } b) w.WriteNumber("batch", b); else w.WriteNull("batch");
            w.WriteNumber("l2", s.L2);
            w.WriteNumber("dropout", s.Dropout);
            w.WriteString("normalize", s.Normalize);
            w.WriteString("precision", s.Precision);
            w.WriteString("test", s.Test);
            w.WriteEndObject();
        });
        // One line: it is compared as text and embedded in other files.
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }
}
