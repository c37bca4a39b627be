using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>The audit of a whole network and the smaller network that computes the same function.</summary>
/// <param name="Layers">Per layer, what was found.</param>
/// <param name="Merged">The network with every hidden layer's dead, duplicate and mirror units removed (<see cref="UnitMerge"/>).</param>
/// <param name="MaxOutputDifference">The largest |output of Merged - output of the original| over <see cref="CheckedOn"/>, both run in the model's precision.</param>
/// <param name="CheckedOn">The rows that difference was measured on: the data's name and size, or the random inputs used without data.</param>
/// <param name="Tolerance">The relative tolerance the units were compared with (0: exactly equal).</param>
/// <param name="OnData">True when the units' outputs were measured on data (dead means dead on those rows).</param>
public sealed record AuditResult(IReadOnlyList<LayerAudit> Layers, Network<double> Merged, double MaxOutputDifference, string CheckedOn, double Tolerance, bool OnData)
{
    /// <summary>
    /// True when <see cref="Merged"/> computes the original's function for every input, up to rounding: only
    /// exactly identical and mirror units were merged, and dead units were removed only where that is certain
    /// from the weights. False with a tolerance, or when hidden units found dead on the data were removed
    /// (they may be active on other inputs).
    /// </summary>
    public bool SameForAnyInput => Tolerance == 0 && !DeadOnDataOnly;

    /// <summary>
    /// True when some hidden unit removed as dead was found dead on the data's rows only: its weights alone
    /// do not make it constant for every input (a unit whose incoming weights are all 0 is constant anywhere).
    /// </summary>
    public bool DeadOnDataOnly { get; init; }

    /// <summary>The merged network's widths, hidden layers then output.</summary>
    public int[] MergedUnits => Merged.Layers.Select(l => l.Units).ToArray();
}

/// <summary>
/// Finds the units of a trained network that are not really units of their own, and removes them:
/// units that are exactly (or, with a tolerance, nearly) identical, mirror images of each other (tanh and
/// linear, where g(-z) = -g(z)), and dead units whose output never changes.
/// </summary>
/// <remarks>
/// Two units are identical when their incoming weights and bias v = (w, b) agree, |v_a - v_b| &lt;= tol max(|v_a|, |v_b|)
/// (Euclidean norms; tol 0 asks for equal numbers); mirrors when |v_a + v_b| &lt;= tol max(|v_a|, |v_b|).
/// A unit is dead when its output is the same on every row of the data (a relu unit never active gives
/// 0); without data, when that is certain for any input: all its incoming weights are 0, or it is a
/// relu unit whose z cannot be positive given the ranges of its inputs (sigmoid in [0, 1], tanh in
/// [-1, 1], relu at least 0, each bounded further by its own z's range; raw inputs unbounded). A
/// softmax output depends on the whole layer's z: it is constant when all units have the same incoming weights.
/// Layers are audited in order, each after the layers before it are reduced: two units that differ only
/// in their weights from two merged units compute the same function and are found identical.
/// </remarks>
public static class UnitAudit
{
    /// <summary>Random inputs used to measure the merged network's outputs when no data is given.</summary>
    public const int RandomRows = 1000;

    /// <summary>Audits <paramref name="network"/> (exact weights in float64) that computes in <paramref name="precision"/> ("float32" or "float64").</summary>
    public static AuditResult Run(Network<double> network, string precision, Dataset? data = null, double tolerance = 0)
    {
        if (!(tolerance >= 0) || !double.IsFinite(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), "the tolerance must be a finite number >= 0");
        if (data is not null && data.Features != network.Inputs)
            throw new DataException($"{data.Name} has {data.Features} features but the network takes {network.Inputs} inputs");
        var work = network.Clone();
        var layers = new List<LayerAudit>();
        bool deadOnDataOnly = false;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            bool output = l == network.Layers.Count - 1;
            var profile = data is null ? null : ActivationProfile.Of(work, data);
            var (audit, removals) = AuditLayer(work, l, profile, tolerance, output);
            if (profile is not null && !output)
            {
                var anyInput = ConstantForAnyInput(work, l);
                deadOnDataOnly |= audit.Dead.Any(u => anyInput[u - 1] is null);
            }
            layers.Add(audit);
            if (!output && removals.Count > 0) work = UnitMerge.Apply(work, l, removals);
        }
        var rows = data ?? RandomInputs(network);
        double difference = precision switch
        {
            "float32" => MaxDifference(network.Convert<float>(), work.Convert<float>(), rows),
            "float64" => MaxDifference(network, work, rows),
            _ => throw new ArgumentException($"precision '{precision}' is not float32 or float64", nameof(precision)),
        };
        string checkedOn = data is null
            ? $"{RandomRows} random inputs (normal, around the model's normalization)"
            : $"{data.Name} ({data.Rows} rows)";
        return new AuditResult(layers, work, difference, checkedOn, tolerance, data is not null) { DeadOnDataOnly = deadOnDataOnly };
    }

    private static (LayerAudit Audit, List<UnitMerge.Removal> Removals) AuditLayer(Network<double> net, int l, ActivationProfile? profile, double tol, bool output)
    {
        var layer = net.Layers[l];
        var next = output ? null : net.Layers[l + 1];
        int n = layer.Units;
        var constants = profile is null ? ConstantForAnyInput(net, l) : ConstantOnData(profile, l, n);
        var dead = Enumerable.Range(0, n).Where(j => constants[j] is not null).ToArray();

        var incoming = Enumerable.Range(0, n).Select(j => (double[])[.. layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs), layer.Biases[j]]).ToArray();
        var outgoing = next is null ? null : Enumerable.Range(0, n).Select(j => Enumerable.Range(0, next.Units).Select(k => next.Weight(k, j)).ToArray()).ToArray();

        var identical = Partition(Enumerable.Range(0, n).ToList(), (a, b) => Close(incoming[a], incoming[b], tol, +1));
        var interchangeable = outgoing is null ? identical
            : identical.SelectMany(g => Partition(g, (a, b) => Close(outgoing[a], outgoing[b], tol, +1))).OrderBy(g => g[0]).ToList();

        // Mirrors among the live groups' first units, for odd activations only (g(-z) = -g(z)).
        var live = identical.Select(g => g.Where(j => constants[j] is null).ToList()).Where(g => g.Count > 0).ToList();
        var mirrors = new List<(int Unit, int Of)>();
        if (layer.Activation is Activation.Tanh or Activation.Linear)
        {
            var taken = new HashSet<int>();
            foreach (var a in live)
            {
                if (taken.Contains(a[0])) continue;
                var b = live.FirstOrDefault(g => g[0] > a[0] && !taken.Contains(g[0]) && Close(incoming[a[0]], incoming[g[0]], tol, -1));
                if (b is null) continue;
                taken.Add(a[0]);
                taken.Add(b[0]);
                mirrors.Add((b[0], a[0]));
            }
        }

        var removals = new List<UnitMerge.Removal>();
        if (!output)
        {
            // A layer cannot be empty: when every unit is dead, the first stays (unchanged) in the merged network.
            removals.AddRange(dead.Skip(dead.Length == n ? 1 : 0).Select(j => UnitMerge.Removal.Dead(j, constants[j]!.Value)));
            foreach (var g in live)
            {
                // Everything merges into the first unit of its class: its own group's first unit, or, for
                // a mirror group, the first unit of the group it mirrors (with the sign flipped).
                var mirror = mirrors.FirstOrDefault(m => m.Unit == g[0]);
                bool mirrored = mirrors.Any(m => m.Unit == g[0]);
                int into = mirrored ? mirror.Of : g[0];
                int sign = mirrored ? -1 : 1;
                foreach (int j in g)
                    if (j != into) removals.Add(UnitMerge.Removal.Merged(j, into, sign));
            }
        }

        static int[] OneBased(IEnumerable<int> units) => units.Select(j => j + 1).ToArray();
        var audit = new LayerAudit(l + 1, n, layer.Activation.Name(), output,
            identical.Where(g => g.Count > 1).Select(OneBased).ToList(),
            interchangeable.Where(g => g.Count > 1).Select(OneBased).ToList(),
            mirrors.Select(m => new[] { m.Of + 1, m.Unit + 1 }).OrderBy(p => p[0]).ToList(),
            OneBased(dead),
            profile?.SaturatedUnits(l));
        return (audit, removals);
    }

    /// <summary>Per unit, its output when that is the same on every row of the data; else null.</summary>
    private static double?[] ConstantOnData(ActivationProfile profile, int l, int n)
    {
        var a = profile.A[l];
        var result = new double?[n];
        if (profile.Rows == 0) return result;
        for (int j = 0; j < n; j++)
        {
            double first = a[j];
            bool same = true;
            for (int s = 1; s < profile.Rows && same; s++) same = a[s * n + j] == first;
            if (same) result[j] = first;
        }
        return result;
    }

    /// <summary>Per unit, its output when it is the same for every input (certain from the weights); else null.</summary>
    private static double?[] ConstantForAnyInput(Network<double> net, int l)
    {
        var layer = net.Layers[l];
        var (lo, hi) = InputRanges(net, l);
        // The output of a unit with no path from the inputs, as the engine computes it (on any row: zeros).
        var probe = net.Clone();
        probe.Forward(new double[net.Inputs], 1, WorkerPool.ForThreads(1));
        var result = new double?[layer.Units];
        if (layer.Activation == Activation.Softmax)
        {
            // A softmax output depends on every z of the layer: it is constant only when the z's differ by
            // constants, that is when all units have the same incoming weights (zero weights alone are not enough).
            var first = layer.Weights.AsSpan(0, layer.Inputs);
            for (int j = 1; j < layer.Units; j++)
                if (!layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs).SequenceEqual(first)) return result;
            for (int j = 0; j < layer.Units; j++) result[j] = probe.Layers[l].A[j];
            return result;
        }
        for (int j = 0; j < layer.Units; j++)
        {
            var w = layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs);
            if (!w.ContainsAnyExcept(0.0)) { result[j] = probe.Layers[l].A[j]; continue; }
            if (layer.Activation != Activation.Relu) continue;
            // z's largest value over the input ranges; a relu with it below 0 (by more than rounding) outputs 0.
            double top = layer.Biases[j], size = Math.Abs(layer.Biases[j]);
            for (int i = 0; i < w.Length; i++)
            {
                if (w[i] == 0) continue;
                double bound = w[i] > 0 ? hi[i] : lo[i];
                top += w[i] * bound;
                size += Math.Abs(w[i] * bound);
            }
            if (double.IsFinite(top) && top + 1e-12 * size <= 0) result[j] = 0;
        }
        return result;
    }

    /// <summary>Ranges [lo, hi] of layer l's inputs over every possible input of the network (interval arithmetic).</summary>
    private static (double[] Lo, double[] Hi) InputRanges(Network<double> net, int l)
    {
        var lo = Enumerable.Repeat(double.NegativeInfinity, net.Inputs).ToArray();
        var hi = Enumerable.Repeat(double.PositiveInfinity, net.Inputs).ToArray();
        for (int k = 0; k < l; k++)
        {
            var layer = net.Layers[k];
            var nlo = new double[layer.Units];
            var nhi = new double[layer.Units];
            for (int j = 0; j < layer.Units; j++)
            {
                double zlo = layer.Biases[j], zhi = layer.Biases[j];
                for (int i = 0; i < layer.Inputs; i++)
                {
                    double w = layer.Weight(j, i);
                    if (w == 0) continue;
                    zlo += Math.Min(w * lo[i], w * hi[i]);
                    zhi += Math.Max(w * lo[i], w * hi[i]);
                }
                if (double.IsNaN(zlo)) zlo = double.NegativeInfinity; // -inf + inf: unbounded
                if (double.IsNaN(zhi)) zhi = double.PositiveInfinity;
                (nlo[j], nhi[j]) = layer.Activation switch
                {
                    Activation.Sigmoid => (1 / (1 + Math.Exp(-zlo)), 1 / (1 + Math.Exp(-zhi))),
                    Activation.Tanh => (Math.Tanh(zlo), Math.Tanh(zhi)),
                    Activation.Relu => (Math.Max(0, zlo), Math.Max(0, zhi)),
                    Activation.LeakyRelu => (zlo < 0 ? ActivationFunctions.LeakySlope * zlo : zlo, zhi < 0 ? ActivationFunctions.LeakySlope * zhi : zhi),
                    _ => (zlo, zhi),
                };
            }
            (lo, hi) = (nlo, nhi);
        }
        return (lo, hi);
    }

    /// <summary>Greedy partition: a unit joins the first group whose first member it matches (exact equality is transitive; a tolerance is not).</summary>
    private static List<List<int>> Partition(List<int> units, Func<int, int, bool> same)
    {
        var groups = new List<List<int>>();
        foreach (int u in units)
        {
            var home = groups.FirstOrDefault(g => same(g[0], u));
            if (home is null) groups.Add([u]); else home.Add(u);
        }
        return groups;
    }

    /// <summary>a = sign b within the relative tolerance (tol 0: the same numbers, 0 and -0 alike).</summary>
    private static bool Close(double[] a, double[] b, double tol, int sign)
    {
        if (tol == 0)
        {
            for (int i = 0; i < a.Length; i++)
                if (a[i] != sign * b[i]) return false;
            return true;
        }
        // In units of the largest magnitude, so that no square overflows (inf <= inf) or underflows (0 <= 0).
        double scale = 0;
        for (int i = 0; i < a.Length; i++) scale = Math.Max(scale, Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
        if (scale == 0) return true;
        double diff = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i] / scale, y = sign * b[i] / scale;
            diff += (x - y) * (x - y);
            na += x * x;
            nb += y * y;
        }
        return Math.Sqrt(diff) <= tol * Math.Sqrt(Math.Max(na, nb));
    }

    /// <summary>Normal rows around the model's normalization (mean, std per feature), or N(0, 1) without one; seeded, so the same every time.</summary>
    private static Dataset RandomInputs(Network<double> network)
    {
        var rng = new Rng(1);
        var x = new double[RandomRows * network.Inputs];
        for (int r = 0; r < RandomRows; r++)
            for (int f = 0; f < network.Inputs; f++)
            {
                double z = rng.NextNormal();
                x[r * network.Inputs + f] = network.Normalization is { } norm ? norm.Mean[f] + norm.Std[f] * z : z;
            }
        return new Dataset("random inputs", x, new double[RandomRows], network.Inputs);
    }

    /// <summary>The largest |a - b| between the two networks' outputs on the rows, run in T as predict runs them.</summary>
    public static double MaxDifference<T>(Network<T> a, Network<T> b, Dataset rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Trainer<T>.ToInputs(a, rows);
        var pool = WorkerPool.ForThreads(1);
        double worst = 0;
        const int chunk = 1024;
        for (int start = 0; start < rows.Rows; start += chunk)
        {
            int count = Math.Min(chunk, rows.Rows - start);
            var xb = x.AsSpan(start * a.Inputs, count * a.Inputs).ToArray();
            var ya = a.Forward(xb, count, pool);
            var yb = b.Forward(xb, count, pool);
            for (int i = 0; i < count * a.Outputs; i++)
                worst = Math.Max(worst, Math.Abs(double.CreateChecked(ya[i]) - double.CreateChecked(yb[i])));
        }
        return worst;
    }
}
