using System.Globalization;
using System.Text;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>min, max, mean and (population) standard deviation of one metric over the runs.</summary>
public sealed record Spread(double Min, double Max, double Mean, double Std)
{
    public static Spread? Of(IEnumerable<double?> values)
    {
        var v = values.Where(x => x is { } d && double.IsFinite(d)).Select(x => x!.Value).ToArray();
        if (v.Length == 0) return null;
        double mean = v.Average();
        return new Spread(v.Min(), v.Max(), mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Length));
    }
}

/// <summary>
/// One run against the first run of the sweep: which of its units does the job of each unit of run 1
/// (per hidden layer; negative: the unit negated, for tanh and sigmoid), the aligned distance, and the
/// solution (cluster) it belongs to.
/// </summary>
public sealed record SweepRunSummary(SweepRun Run, int Solution, double DistanceToFirst, double RelativeDistanceToFirst, IReadOnlyList<int[]> MatchToFirst);

/// <summary>A group of runs that found the same solution up to a reordering of units.</summary>
public sealed record SweepCluster(int Solution, ulong Leader, IReadOnlyList<ulong> Seeds);

/// <summary>
/// What a whole sweep found: the spread of final loss and accuracy, and how many distinct solutions up
/// to permutation. Two runs are the same solution when, after aligning the second to the first, their
/// parameters differ by at most <see cref="Threshold"/> of the larger parameter norm. Runs are grouped in
/// seed-list order: each joins the first group whose first run (its leader) it is the same as, else
/// starts a group. The summary depends only on the runs and their order, never on how they were spread
/// over cores or machines, so a merged sweep writes the same bytes as one machine.
/// </summary>
public sealed record SweepSummary(
    string Settings,
    double Threshold,
    IReadOnlyList<SweepRunSummary> Runs,
    IReadOnlyList<SweepCluster> Clusters,
    Spread Loss,
    Spread? Accuracy,
    Spread? TestLoss,
    Spread? TestAccuracy,
    IReadOnlyList<SweepRun> Diverged)
{
    public const double DefaultThreshold = 0.35;

    /// <summary>The runs that finished are compared; those that diverged are only listed (at least one must have finished).</summary>
    public static SweepSummary Of(SweepShard sweep, double threshold = DefaultThreshold)
    {
        var done = sweep.Runs.Where(r => r.Diverged is null).ToList();
        if (done.Count == 0) throw new ArgumentException("a sweep summary needs at least one run that did not diverge", nameof(sweep));
        var models = done.Select(r => ModelFile.Parse<double>(r.Model, $"seed {r.Seed}")).ToArray();
        var norms = models.Select(UnitAlignment.Norm).ToArray();
        double Relative(int i, int k, double distance)
        {
            double scale = Math.Max(norms[i], norms[k]);
            return scale > 0 ? distance / scale : 0;
        }

        var toFirst = models.Select(m => UnitAlignment.Align(models[0], m)).ToArray();
        var leaders = new List<int>();
        var members = new List<List<ulong>>();
        var solution = new int[models.Length];
        for (int k = 0; k < models.Length; k++)
        {
            int found = -1;
            for (int c = 0; c < leaders.Count && found < 0; c++)
            {
                int leader = leaders[c];
                double d = leader == 0 ? toFirst[k].DistanceAfter : UnitAlignment.Align(models[leader], models[k]).DistanceAfter;
                if (Relative(leader, k, d) <= threshold) found = c;
            }
            if (found < 0)
            {
                leaders.Add(k);
                members.Add([]);
                found = leaders.Count - 1;
            }
            members[found].Add(done[k].Seed);
            solution[k] = found + 1;
        }

        var runs = done.Select((r, k) => new SweepRunSummary(r, solution[k], toFirst[k].DistanceAfter, Relative(0, k, toFirst[k].DistanceAfter),
            toFirst[k].Layers.SkipLast(1).Select(l => l.Permutation.Select((u, j) => l.Sign[j] * (u + 1)).ToArray()).ToArray())).ToArray();
        var clusters = leaders.Select((l, c) => new SweepCluster(c + 1, done[l].Seed, members[c])).ToArray();
        return new SweepSummary(sweep.Settings, threshold, runs, clusters,
            Spread.Of(done.Select(r => (double?)r.Loss))!, Spread.Of(done.Select(r => r.Accuracy)),
            Spread.Of(done.Select(r => r.TestLoss)), Spread.Of(done.Select(r => r.TestAccuracy)),
            [.. sweep.Runs.Where(r => r.Diverged is not null)]);
    }

    /// <summary>A unit of a run as in the correspondence table: "3", or "-3" for unit 3 negated.</summary>
    public static string Unit(int signed) => signed.ToString(CultureInfo.InvariantCulture);

    public string Json() => RunFolder.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("format", "symlab-sweep-summary");
        w.WritePropertyName("settings");
        w.WriteRawValue(Settings);
        w.WriteNumber("runs", Runs.Count);
        w.WriteNumber("reference", Runs[0].Run.Seed);
        void WriteSpread(string name, Spread? s)
        {
            if (s is null) { w.WriteNull(name); return; }
            w.WriteStartObject(name);
            w.WriteNumber("min", s.Min);
            w.WriteNumber("max", s.Max);
            w.WriteNumber("mean", s.Mean);
            w.WriteNumber("std", s.Std);
            w.WriteEndObject();
        }
        WriteSpread("loss", Loss);
        WriteSpread("accuracy", Accuracy);
        WriteSpread("testLoss", TestLoss);
        WriteSpread("testAccuracy", TestAccuracy);
        w.WriteNumber("threshold", Threshold);
        w.WriteNumber("solutions", Clusters.Count);
        w.WriteStartArray("clusters");
        foreach (var c in Clusters)
        {
            w.WriteStartObject();
            w.WriteNumber("solution", c.Solution);
            w.WriteNumber("leader", c.Leader);
            w.WriteStartArray("seeds");
            foreach (var s in c.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("seeds");
        foreach (var r in Runs)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", r.Run.Seed);
            w.WriteNumber("loss", r.Run.Loss);
            w.WriteNumberOrNull("accuracy", r.Run.Accuracy);
            w.WriteNumberOrNull("testLoss", r.Run.TestLoss);
            w.WriteNumberOrNull("testAccuracy", r.Run.TestAccuracy);
            w.WriteNumber("solution", r.Solution);
            w.WriteNumber("distanceToFirst", r.DistanceToFirst);
            w.WriteNumber("relativeDistanceToFirst", r.RelativeDistanceToFirst);
            w.WriteStartArray("matchToFirst");
            foreach (var layer in r.MatchToFirst)
            {
                w.WriteStartArray();
                foreach (var u in layer) w.WriteNumberValue(u);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("diverged");
        foreach (var r in Diverged)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", r.Seed);
            w.WriteString("message", r.Diverged);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>
    /// One row per run; layerL_match lists, for unit 1, 2, ... of run 1, the matching unit of this run.
    /// Runs that diverged come last, with only their seed and, in the last column, where they diverged.
    /// </summary>
    public string Csv()
    {
        static string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
        int layers = Runs[0].MatchToFirst.Count;
        var s = new StringBuilder("seed,loss,accuracy,test_loss,test_accuracy,solution,distance_to_first,relative_distance_to_first");
        for (int l = 0; l < layers; l++) s.Append($",layer{l + 1}_match");
        s.Append(",diverged\n");
        foreach (var r in Runs)
        {
            s.Append($"{r.Run.Seed},{F(r.Run.Loss)},{F(r.Run.Accuracy)},{F(r.Run.TestLoss)},{F(r.Run.TestAccuracy)},{r.Solution},{F(r.DistanceToFirst)},{F(r.RelativeDistanceToFirst)}");
            foreach (var layer in r.MatchToFirst) s.Append(',').Append(string.Join(' ', layer.Select(Unit)));
            s.Append(",\n");
        }
        foreach (var r in Diverged)
            s.Append($"{r.Seed},,,,,,,{new string(',', layers)},\"{r.Diverged!.Replace("\"", "\"\"")}\"\n");
        return s.ToString();
    }

    /// <summary>Writes summary.json and summary.csv into <paramref name="dir"/>.</summary>
    public void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, Sweep.SummaryCsv), Csv());
        AtomicFile.WriteAllText(Path.Combine(dir, Sweep.SummaryJson), Json());
    }
}
