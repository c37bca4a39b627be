using System.Globalization;
using System.Text.Json;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>min, max, mean and (population) standard deviation of a metric, accumulated one value at a time (Welford).</summary>
internal sealed class Spread
{
    private double _mean, _m2;

    public long Count { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Mean => _mean;
    public double Std => Count > 0 ? Math.Sqrt(_m2 / Count) : double.NaN;

    public void Add(double x)
    {
        Count++;
        double delta = x - _mean;
        _mean += delta / Count;
        _m2 += delta * (x - _mean);
        Min = Math.Min(Min, x);
        Max = Math.Max(Max, x);
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteNumber("min", Min);
        w.WriteNumber("max", Max);
        w.WriteNumber("mean", Mean);
        w.WriteNumber("std", Std);
    }
}

/// <summary>
/// Counts of values in bins fixed in advance, so that its size never depends on how many values it saw:
/// tenths of a decade for losses (bin k holds [10^(k/10), 10^((k+1)/10)), zero apart), twentieths of
/// [0, 1] for accuracies (the last bin includes 1), powers of two for steps (bin k holds [2^k, 2^(k+1))).
/// </summary>
internal sealed class Histogram(Histogram.Scale scale)
{
    public enum Scale { Log10Tenths, Twentieths, PowersOfTwo }

    private readonly SortedDictionary<int, long> _bins = new();
    private long _zero;

    public void Add(double x)
    {
        if (scale == Scale.Log10Tenths && x == 0) { _zero++; return; }
        int bin = scale switch
        {
            Scale.Log10Tenths => (int)Math.Floor(10 * Math.Log10(x)),
            Scale.Twentieths => Math.Min(19, (int)Math.Floor(20 * x)),
            _ => (int)Math.Floor(Math.Log2(x)),
        };
        _bins[bin] = _bins.GetValueOrDefault(bin) + 1;
    }

    /// <summary>The bins that hold values, as [from, to) with their counts.</summary>
    public IEnumerable<(double From, double To, long Count)> Bins()
    {
        if (_zero > 0) yield return (0, 0, _zero);
        foreach (var (k, n) in _bins)
            yield return scale switch
            {
                Scale.Log10Tenths => (Math.Pow(10, k / 10.0), Math.Pow(10, (k + 1) / 10.0), n),
                Scale.Twentieths => (k / 20.0, (k + 1) / 20.0, n),
                _ => (Math.Pow(2, k), Math.Pow(2, k + 1), n),
            };
    }

    public void Write(Utf8JsonWriter w, string name)
    {
        w.WriteStartArray(name);
        foreach (var (from, to, count) in Bins())
        {
            w.WriteStartObject();
            w.WriteNumber("from", from);
            w.WriteNumber("to", to);
            w.WriteNumber("runs", count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

/// <summary>A solution found by the sweep: its representative (the first seed that found it) and the runs that found it too.</summary>
internal sealed class SweepSolution(int number, SweepRecord representative, Network<double> network)
{
    public int Number { get; } = number;
    public SweepRecord Representative { get; } = representative;
    internal Network<double> Network { get; } = network;
    internal double Norm { get; } = UnitAlignment.Norm(network);
    internal double[] Signature { get; } = SweepSummary.Signature(network);
    public long Runs { get; internal set; }
    public Spread Loss { get; } = new();
    public Spread Accuracy { get; } = new();
    /// <summary>The first seeds that found it, in seed-list order (at most <see cref="SweepSummary.SeedsPerSolution"/>).</summary>
    public List<ulong> Seeds { get; } = [];
}

/// <summary>Per layer: how the runs' groups of identical units started, and when they split.</summary>
internal sealed class SweepSymmetry(int layer, int units)
{
    public int Layer { get; } = layer;
    public int Units { get; } = units;
    public long AllDistinctAtStart { get; internal set; }
    public long IdenticalAtStart { get; internal set; }
    public long Split { get; internal set; }
    public Spread SplitStep { get; } = new();
    public Histogram SplitSteps { get; } = new(Histogram.Scale.PowersOfTwo);
}

/// <summary>
/// What a whole sweep found, computed in one pass over its runs in seed-list order with memory that
/// does not grow with their number: the distribution of the final loss and accuracy (training and
/// held-out), the distinct solutions up to a reordering of hidden units (and the sign of tanh and
/// sigmoid units) with how many runs found each and the seed that found it first, and when each
/// layer's identical units split. Each run also gets a row of summary.csv (written as it comes).
/// </summary>
/// <remarks>
/// Two runs are the same solution when, after aligning the second to the first (weight matching,
/// <see cref="WeightMatcher"/>), their parameters differ by at most <see cref="Threshold"/> of the
/// larger parameter norm. Each run joins the first solution (in order of discovery) whose
/// representative it is the same as, else starts one. A reordering (or a tanh flip) moves whole rows
/// [incoming weights, bias] and keeps each row's norm, so the distance after any alignment is at least
/// that between the two networks' row norms, each hidden layer's sorted: a representative whose bound
/// is already past the threshold cannot match and is skipped without aligning (thousands of
/// solutions cost a comparison of a few numbers each, not an alignment). Runs are compared on all cores a batch at a time against the
/// solutions known before the batch, then, in order, against those the batch itself added: the
/// outcome is that of the one-at-a-time rule, whatever the thread count. At most
/// <see cref="MaxSolutions"/> solutions are kept (a bound on memory and time); runs that match none of
/// them are counted as untracked. The summary depends only on the runs and their order, so shards
/// merged give the same bytes as one machine.
/// </remarks>
internal sealed class SweepSummary
{
    public const double DefaultThreshold = 0.35;
    public const int SeedsPerSolution = 10, DivergedExamples = 20;
    private const int Batch = 512;

    private readonly SweepLayout _layout;
    private readonly TextWriter? _csv;
    private readonly int _threads;
    private readonly bool _prescreen;
    private readonly int[] _hidden;
    private readonly List<SweepRecord> _pending = [];
    private readonly List<SweepSolution> _solutions = [];
    private readonly WeightMatcher[] _matchers;
    private readonly Network<double>[] _scratch;
    private readonly LinearAssignment[] _assignments;
    private readonly double[][] _costs;
    private readonly int[][] _assigned;

    /// <param name="layout">The networks' layout.</param>
    /// <param name="threshold">Relative distance at or below which two runs are the same solution.</param>
    /// <param name="csv">Where summary.csv's rows go (null: nowhere).</param>
    /// <param name="threads">Cores for the alignments (the result does not depend on it).</param>
    public SweepSummary(SweepLayout layout, double threshold, TextWriter? csv = null, int threads = 0)
    {
        _layout = layout;
        Threshold = threshold;
        _csv = csv;
        _threads = threads > 0 ? threads : Environment.ProcessorCount;
        _hidden = [.. Enumerable.Range(0, layout.Layers.Count - 1)];
        // A flipped sigmoid unit shifts the next layer's biases, which changes the norm: no shortcut then.
        _prescreen = !layout.Layers.SkipLast(1).Any(l => l.Activation == Activation.Sigmoid);
        MaxSolutions = (int)Math.Clamp((1L << 25) / Math.Max(1, layout.ParameterCount), 16, 64);
        _matchers = [.. Enumerable.Range(0, _threads).Select(_ => new WeightMatcher(1))];
        _scratch = [.. Enumerable.Range(0, _threads).Select(_ => layout.Network<double>(new double[layout.ParameterCount]))];
        _assignments = [.. Enumerable.Range(0, _threads).Select(_ => new LinearAssignment())];
        _costs = [.. Enumerable.Range(0, _threads).Select(_ => Array.Empty<double>())];
        _assigned = [.. Enumerable.Range(0, _threads).Select(_ => Array.Empty<int>())];
        Symmetry = [.. layout.Layers.Select((l, i) => new SweepSymmetry(i + 1, l.Units)).Where(s => s.Units > 1)];
        csv?.Write(CsvHeader());
    }

    public double Threshold { get; }
    /// <summary>How many solutions are kept (and compared with); set by the parameter count, so it is the same for every run of a setup.</summary>
    public int MaxSolutions { get; }
    public long Runs { get; private set; }
    public long Finished => Loss.Count;
    public long Diverged => Runs - Finished;
    public List<SweepRecord> DivergedFirst { get; } = [];
    public Spread Loss { get; } = new();
    public Spread Accuracy { get; } = new();
    public Spread TestLoss { get; } = new();
    public Spread TestAccuracy { get; } = new();
    public Histogram LossHistogram { get; } = new(Histogram.Scale.Log10Tenths);
    public Histogram AccuracyHistogram { get; } = new(Histogram.Scale.Twentieths);
    public Histogram TestAccuracyHistogram { get; } = new(Histogram.Scale.Twentieths);
    public IReadOnlyList<SweepSolution> Solutions => _solutions;
    /// <summary>Runs that matched none of the <see cref="MaxSolutions"/> kept solutions when there was no room for another.</summary>
    public long Untracked { get; private set; }
    public IReadOnlyList<SweepSymmetry> Symmetry { get; }

    /// <summary>Adds the next run in seed-list order.</summary>
    public void Add(SweepRecord run)
    {
        _pending.Add(run);
        if (_pending.Count == Batch) Flush();
    }

    /// <summary>Takes in every run added so far; call once all are added.</summary>
    public void Complete() => Flush();

    /// <summary>The solution a run joined (null: untracked), its relative distance to the representative, and the match of its units to the representative's.</summary>
    private readonly record struct Match(int Solution, double Relative, int[][] Perms, int[][] Signs);

    private void Flush()
    {
        if (_pending.Count == 0) return;
        var runs = _pending.ToArray();
        _pending.Clear();
        // Against the solutions known before this batch, in parallel (each run on its own).
        int known = _solutions.Count;
        var found = new Match?[runs.Length];
        Parallel.For(0, _threads, new ParallelOptions { MaxDegreeOfParallelism = _threads }, t =>
        {
            for (int k = t; k < runs.Length; k += _threads)
                if (runs[k].Finished) found[k] = FirstMatch(runs[k], 0, known, t);
        });
        // In order: what the batch added, and the statistics.
        for (int k = 0; k < runs.Length; k++)
        {
            var run = runs[k];
            Runs++;
            if (!run.Finished)
            {
                if (DivergedExamples > DivergedFirst.Count) DivergedFirst.Add(run);
                WriteRow(run, null);
                continue;
            }
            var match = found[k] ?? FirstMatch(run, known, _solutions.Count, 0);
            if (match is null && _solutions.Count < MaxSolutions)
            {
                var solution = new SweepSolution(_solutions.Count + 1, run, _layout.Network<double>(run.Parameters));
                _solutions.Add(solution);
                match = new Match(solution.Number, 0, [.. _hidden.Select(l => Enumerable.Range(0, _layout.Layers[l].Units).ToArray())], [.. _hidden.Select(l => Enumerable.Repeat(1, _layout.Layers[l].Units).ToArray())]);
            }
            Count(run, match);
            WriteRow(run, match);
        }
    }

    /// <summary>The first of solutions [from, to) that <paramref name="run"/> is the same as, aligned on thread <paramref name="t"/>'s matcher.</summary>
    private Match? FirstMatch(SweepRecord run, int from, int to, int t)
    {
        if (from >= to) return null;
        var network = _scratch[t];
        SweepLayout.Fill(network, run.Parameters);
        double norm = UnitAlignment.Norm(network);
        var signature = _prescreen ? Signature(network) : null;
        for (int c = from; c < to; c++)
        {
            var solution = _solutions[c];
            double scale = Math.Max(solution.Norm, norm);
            if (signature is not null && scale > 0 && Bound(solution.Signature, signature) / scale > Threshold) continue;
            if (scale > 0 && FirstLayerBound(solution.Network, network, t) / scale > Threshold) continue;
            var (perms, signs, _, distance) = _matchers[t].Match(solution.Network, network);
            double relative = scale > 0 ? distance / scale : 0;
            if (relative <= Threshold) return new Match(solution.Number, relative, perms, signs);
        }
        return null;
    }

    /// <summary>The norms of every layer's rows [weights, bias]: sorted within each hidden layer (whose rows an alignment reorders), in order for the output layer.</summary>
    internal static double[] Signature(Network<double> network)
    {
        var result = new double[network.Layers.Sum(l => l.Units)];
        int k = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            int start = k;
            for (int j = 0; j < layer.Units; j++)
            {
                double ss = layer.Biases[j] * layer.Biases[j];
                for (int i = 0; i < layer.Inputs; i++) ss += layer.Weights[j * layer.Inputs + i] * layer.Weights[j * layer.Inputs + i];
                result[k++] = Math.Sqrt(ss);
            }
            if (l < network.Layers.Count - 1) Array.Sort(result, start, layer.Units);
        }
        return result;
    }

    /// <summary>
    /// Another lower bound, for small first layers: layer 1's columns are the inputs, which no alignment
    /// reorders, so its part of the distance is at least the best assignment of B's rows (or, where units
    /// can flip, their negations) to A's; the other layers only add to it. 0 when the layer is too large for
    /// this to be cheap.
    /// </summary>
    private double FirstLayerBound(Network<double> a, Network<double> b, int t)
    {
        if (a.Layers.Count < 2) return 0;
        var la = a.Layers[0];
        var lb = b.Layers[0];
        int n = la.Units, m = la.Inputs;
        if ((long)n * n * (m + 1) > 1 << 16) return 0;
        bool flips = UnitAlignment.CanFlip(la.Activation);
        var cost = _costs[t].Length >= n * n ? _costs[t] : _costs[t] = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
            {
                double same = (la.Biases[j] - lb.Biases[k]) * (la.Biases[j] - lb.Biases[k]), negated = (la.Biases[j] + lb.Biases[k]) * (la.Biases[j] + lb.Biases[k]);
                for (int i = 0; i < m; i++)
                {
                    double x = la.Weights[j * m + i], y = lb.Weights[k * m + i];
                    same += (x - y) * (x - y);
                    negated += (x + y) * (x + y);
                }
                cost[j * n + k] = flips ? Math.Min(same, negated) : same;
            }
        var p = _assigned[t].Length >= n ? _assigned[t] : _assigned[t] = new int[n];
        _assignments[t].Solve(cost.AsSpan(0, n * n), n, p.AsSpan(0, n));
        double total = 0;
        for (int j = 0; j < n; j++) total += cost[j * n + p[j]];
        return Math.Sqrt(total);
    }

    /// <summary>A lower bound on the aligned distance: |a - b| over the signatures (row norms matched in sorted order, the best any reordering can do).</summary>
    private static double Bound(double[] a, double[] b)
    {
        double ss = 0;
        for (int i = 0; i < a.Length; i++) ss += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(ss);
    }

    private void Count(SweepRecord run, Match? match)
    {
        Loss.Add(run.Loss);
        LossHistogram.Add(run.Loss);
        if (run.Accuracy is { } a) { Accuracy.Add(a); AccuracyHistogram.Add(a); }
        if (run.TestLoss is { } tl) TestLoss.Add(tl);
        if (run.TestAccuracy is { } ta) { TestAccuracy.Add(ta); TestAccuracyHistogram.Add(ta); }
        foreach (var s in Symmetry)
        {
            int l = s.Layer - 1;
            if (run.DistinctAtStart[l] == s.Units) { s.AllDistinctAtStart++; continue; }
            s.IdenticalAtStart++;
            if (run.BrokeAtStep[l] is { } step)
            {
                s.Split++;
                s.SplitStep.Add(step);
                s.SplitSteps.Add(step);
            }
        }
        if (match is not { } m)
        {
            Untracked++;
            return;
        }
        var solution = _solutions[m.Solution - 1];
        solution.Runs++;
        solution.Loss.Add(run.Loss);
        if (run.Accuracy is { } acc) solution.Accuracy.Add(acc);
        if (solution.Seeds.Count < SeedsPerSolution) solution.Seeds.Add(run.Seed);
    }

    private static string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private string CsvHeader()
    {
        var s = new System.Text.StringBuilder("seed,loss,accuracy,test_loss,test_accuracy,solution,relative_distance");
        foreach (var sym in Symmetry) s.Append($",layer{sym.Layer}_split_step");
        foreach (int l in _hidden) s.Append($",layer{l + 1}_match");
        return s.Append(",diverged\n").ToString();
    }

    /// <summary>
    /// One row per run, in seed-list order. layerL_match lists, for unit 1, 2, ... of the solution's
    /// representative, the unit of this run that does its job (-k: unit k negated).
    /// </summary>
    private void WriteRow(SweepRecord r, Match? m)
    {
        if (_csv is null) return;
        var s = new System.Text.StringBuilder();
        s.Append(r.Seed);
        if (!r.Finished)
        {
            s.Append(',', 6 + Symmetry.Count + _hidden.Length);
            s.Append(",\"").Append(r.Diverged!.Replace("\"", "\"\"")).Append("\"\n");
            _csv.Write(s.ToString());
            return;
        }
        s.Append($",{F(r.Loss)},{F(r.Accuracy)},{F(r.TestLoss)},{F(r.TestAccuracy)}");
        s.Append(m is { } found ? $",{found.Solution},{F(found.Relative)}" : ",,");
        foreach (var sym in Symmetry) s.Append(',').Append(r.BrokeAtStep[sym.Layer - 1]?.ToString(CultureInfo.InvariantCulture));
        foreach (int l in _hidden)
        {
            s.Append(',');
            if (m is { } x) s.Append(string.Join(' ', x.Perms[l].Select((u, j) => (x.Signs[l][j] * (u + 1)).ToString(CultureInfo.InvariantCulture))));
        }
        s.Append(",\n");
        _csv.Write(s.ToString());
    }

    /// <summary>
    /// summary.json: what was run, the distributions, the solutions (each with the path of its
    /// representative's model when <paramref name="modelPath"/> gives one), the symmetry record and the
    /// first runs that diverged.
    /// </summary>
    public string Json(string settings, string seeds, Func<SweepSolution, string?> modelPath) => RunFolder.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("format", "symlab-sweep-summary");
        w.WriteNumber("version", 2);
        w.WritePropertyName("settings");
        w.WriteRawValue(settings);
        w.WriteString("seeds", seeds);
        w.WriteNumber("runs", Runs);
        w.WriteNumber("finished", Finished);
        w.WriteNumber("diverged", Diverged);
        WriteSpread(w, "loss", Loss, LossHistogram);
        WriteSpread(w, "accuracy", Accuracy, AccuracyHistogram);
        WriteSpread(w, "testLoss", TestLoss, null);
        WriteSpread(w, "testAccuracy", TestAccuracy, TestAccuracyHistogram);
        w.WriteNumber("threshold", Threshold);
        w.WriteNumber("solutions", _solutions.Count);
        w.WriteNumber("maxSolutions", MaxSolutions);
        w.WriteNumber("untracked", Untracked);
        w.WriteStartArray("clusters");
        foreach (var c in _solutions)
        {
            w.WriteStartObject();
            w.WriteNumber("solution", c.Number);
            w.WriteNumber("runs", c.Runs);
            w.WriteNumber("representative", c.Representative.Seed);
            if (modelPath(c) is { } path) w.WriteString("model", path); else w.WriteNull("model");
            WriteSpread(w, "loss", c.Loss, null);
            WriteSpread(w, "accuracy", c.Accuracy, null);
            w.WriteStartArray("seeds");
            foreach (var s in c.Seeds) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("symmetry");
        foreach (var s in Symmetry)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", s.Layer);
            w.WriteNumber("units", s.Units);
            w.WriteNumber("allDistinctAtStart", s.AllDistinctAtStart);
            w.WriteNumber("identicalAtStart", s.IdenticalAtStart);
            w.WriteNumber("split", s.Split);
            w.WriteNumber("neverSplit", s.IdenticalAtStart - s.Split);
            WriteSpread(w, "splitStep", s.SplitStep, s.SplitSteps);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("divergedRuns");
        foreach (var r in DivergedFirst)
        {
            w.WriteStartObject();
            w.WriteNumber("seed", r.Seed);
            w.WriteString("message", r.Diverged);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteSpread(Utf8JsonWriter w, string name, Spread s, Histogram? histogram)
    {
        if (s.Count == 0) { w.WriteNull(name); return; }
        w.WriteStartObject(name);
        w.WriteNumber("runs", s.Count);
        s.Write(w);
        histogram?.Write(w, "histogram");
        w.WriteEndObject();
    }
}
