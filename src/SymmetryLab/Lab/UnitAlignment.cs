using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>How the units of model B are paired with those of model A.</summary>
public enum MatchMethod
{
    /// <summary>By parameters: incoming weights, bias and outgoing weights (needs no data).</summary>
    Weights,
    /// <summary>By the correlation of the units' activations on a data set.</summary>
    Activations,
}

/// <summary>
/// The pairing of one layer's units. <see cref="Permutation"/>[j] is the unit of B matched to unit j of
/// A (0-based here; the command line and JSON show it 1-based); <see cref="Sign"/>[j] is -1 when B's
/// unit is used negated (tanh and sigmoid units; see <see cref="UnitAlignment.Apply"/>). The output layer is never permuted: its permutation is the
/// identity, and its distances change only through the columns carried from the layer below.
/// </summary>
public sealed record LayerAlignment(
    int Layer,
    int[] Permutation,
    int[] Sign,
    double DistanceBefore,
    double DistanceAfter,
    double[] UnitDistance,
    double[] RelativeUnitDistance,
    int[] Unmatched);

/// <summary>The alignment of B to A: per layer, B permuted (and flipped) so that it computes the same function.</summary>
public sealed record AlignmentResult(
    IReadOnlyList<LayerAlignment> Layers,
    Network<double> AlignedB,
    MatchMethod Method,
    double Threshold,
    int Passes,
    double DistanceBefore,
    double DistanceAfter);

/// <summary>
/// Permutation alignment of two networks of the same shape. Hidden units can be listed in any order
/// without changing the function: if layer l's units are reordered by p, the rows of W_l and b_l are
/// reordered by p and the columns of W_(l+1) by the same p. For tanh units (tanh(-z) = -tanh z) a unit
/// can also be negated: (w, b, outgoing) -> (-w, -b, -outgoing), and so can sigmoid units with a shift of
/// the next layer's biases (see <see cref="Apply"/>). Aligning B to A picks, for every hidden
/// layer, the reordering (and flips) that brings B's parameters closest to A's.
/// </summary>
public static class UnitAlignment
{
    /// <summary>Default for "no good partner": the unit's distance to its partner, relative to the larger of their norms.</summary>
    public const double DefaultThreshold = 0.5;

    private const int MaxPasses = 100;

    /// <summary>
    /// Units that can be negated without changing the function: tanh (odd: negate the outgoing weights
    /// too) and sigmoid (sigmoid(-z) = 1 - sigmoid(z): negate the outgoing weights and add them to the
    /// next layer's biases). The coffee nets of the lessons need the sigmoid case: two runs often learn
    /// the same detector and its complement ("too cold" against "warm enough").
    /// </summary>
    public static bool CanFlip(Activation activation) => activation is Activation.Tanh or Activation.Sigmoid;

    /// <summary>Throws <see cref="DataException"/> naming the file and layer when A and B differ in shape or activation.</summary>
    public static void CheckSameShape<T>(Network<T> a, Network<T> b, string nameA, string nameB) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Inputs != b.Inputs)
            throw new DataException($"{nameB}: takes {b.Inputs} inputs but {nameA} takes {a.Inputs}; only models of the same shape can be compared");
        if (a.Layers.Count != b.Layers.Count)
            throw new DataException($"{nameB}: has {b.Layers.Count} layers but {nameA} has {a.Layers.Count}; only models of the same shape can be compared");
        for (int l = 0; l < a.Layers.Count; l++)
        {
            if (a.Layers[l].Units != b.Layers[l].Units)
                throw new DataException($"{nameB}: layer {l + 1} has {b.Layers[l].Units} units but layer {l + 1} of {nameA} has {a.Layers[l].Units}");
            if (a.Layers[l].Activation != b.Layers[l].Activation)
                throw new DataException($"{nameB}: layer {l + 1} is {b.Layers[l].Activation.Name()} but layer {l + 1} of {nameA} is {a.Layers[l].Activation.Name()}");
        }
    }

    /// <summary>Aligns <paramref name="b"/> to <paramref name="a"/>; activation matching needs <paramref name="data"/>.</summary>
    public static AlignmentResult Align(Network<double> a, Network<double> b, MatchMethod method = MatchMethod.Weights, Dataset? data = null, double threshold = DefaultThreshold, bool flips = true)
    {
        CheckSameShape(a, b, "model A", "model B");
        int passes;
        int[][] perms, signs;
        if (method == MatchMethod.Weights)
        {
            (perms, signs, passes) = MatchWeights(a, b, flips);
        }
        else
        {
            (perms, signs) = MatchActivations(a, b, data ?? throw new ArgumentException("activation matching needs data", nameof(data)), flips);
            passes = 1;
        }
        var aligned = Apply(b, perms, signs);

        var layers = new List<LayerAlignment>();
        int last = a.Layers.Count - 1;
        for (int l = 0; l <= last; l++)
        {
            int n = a.Layers[l].Units;
            var unitDistance = new double[n];
            var relative = new double[n];
            var unmatched = new List<int>();
            for (int j = 0; j < n; j++)
            {
                var (d, normA, normB) = UnitDistance(a, aligned, l, j);
                unitDistance[j] = d;
                double scale = Math.Max(normA, normB);
                relative[j] = scale > 0 ? d / scale : 0;
                // The output layer's units are fixed by the task, so they always "have" their partner.
                if (l < last && relative[j] > threshold) unmatched.Add(j);
            }
            layers.Add(new LayerAlignment(
                l + 1,
                l < last ? perms[l] : Identity(n),
                l < last ? signs[l] : Ones(n),
                LayerDistance(a, b, l),
                LayerDistance(a, aligned, l),
                unitDistance,
                relative,
                [.. unmatched]));
        }
        return new AlignmentResult(layers, aligned, method, threshold, passes, Distance(a, b), Distance(a, aligned));
    }

    /// <summary>
    /// Weight matching. Minimizing ||theta_A - theta_B'||^2 over the reorderings of B is maximizing the
    /// inner product &lt;theta_A, theta_B'&gt;, since reordering does not change ||theta_B||. With the
    /// other layers held fixed, the terms that depend on layer l's reordering p are
    ///     S[j, k] = &lt;W_l^A[j, :], W_l^B[k, :] (columns carried)&gt; + b_l^A[j] b_l^B[k] + &lt;W_(l+1)^A[:, j], W_(l+1)^B[:, k] (rows carried)&gt;
    /// summed over j with k = p[j]: a linear assignment problem, solved exactly. Layers are solved in turn
    /// from the input side and the passes repeated until no layer changes (coordinate ascent: each step
    /// can only raise the inner product, so it stops). Started twice, from the identity and from an
    /// input-side pass that matches incoming weights and biases only, carrying each layer's permutation
    /// into the next layer's columns; the closer result wins. The identity start guarantees the result is
    /// never farther from A than B was.
    /// </summary>
    public static (int[][] Perms, int[][] Signs, int Passes) MatchWeights(Network<double> a, Network<double> b, bool flips = true)
    {
        // The step's score is exact for permutations and tanh flips; for a sigmoid flip it leaves out the
        // shift of the next layer's biases. So the descents are also run without flips, every candidate
        // is judged by the true distance, and B as it is stays a candidate: the result is never farther
        // from A than B was, nor than the best permutation-only alignment found.
        var candidates = new List<(int[][] Perms, int[][] Signs, int Passes)> { Start(a) with { Passes = 0 } };
        foreach (bool f in flips ? new[] { true, false } : [false])
        {
            var fromIdentity = Start(a);
            int passes = Descend(a, b, fromIdentity.Perms, fromIdentity.Signs, f);
            candidates.Add(fromIdentity with { Passes = passes });

            var fromInput = Start(a);
            for (int l = 0; l < fromInput.Perms.Length; l++) Step(a, b, fromInput.Perms, fromInput.Signs, l, f, incomingOnly: true, force: true);
            passes = 1 + Descend(a, b, fromInput.Perms, fromInput.Signs, f);
            candidates.Add(fromInput with { Passes = passes });
        }
        return candidates.MinBy(c => Distance(a, Apply(b, c.Perms, c.Signs)));
    }

    /// <summary>Identity permutations, no flips, for every hidden layer.</summary>
    private static (int[][] Perms, int[][] Signs, int Passes) Start(Network<double> a)
    {
        int hidden = a.Layers.Count - 1;
        return (Enumerable.Range(0, hidden).Select(l => Identity(a.Layers[l].Units)).ToArray(),
                Enumerable.Range(0, hidden).Select(l => Ones(a.Layers[l].Units)).ToArray(), 0);
    }

    private static int Descend(Network<double> a, Network<double> b, int[][] perms, int[][] signs, bool flips)
    {
        for (int pass = 1; pass <= MaxPasses; pass++)
        {
            bool changed = false;
            for (int l = 0; l < perms.Length; l++)
                changed |= Step(a, b, perms, signs, l, flips, incomingOnly: false, force: false);
            if (!changed) return pass;
        }
        return MaxPasses;
    }

    /// <summary>Re-solves layer l's reordering with the others fixed; true if it changed.</summary>
    private static bool Step(Network<double> a, Network<double> b, int[][] perms, int[][] signs, int l, bool allowFlips, bool incomingOnly, bool force)
    {
        var la = a.Layers[l];
        var lb = b.Layers[l];
        int n = la.Units, m = la.Inputs;
        int[]? prev = l > 0 ? perms[l - 1] : null;
        int[]? prevSign = l > 0 ? signs[l - 1] : null;
        bool flips = allowFlips && CanFlip(la.Activation);

        // B's biases as the aligned network has them: a flipped sigmoid unit below shifts them (see Apply).
        var biasB = new double[n];
        for (int k = 0; k < n; k++)
        {
            biasB[k] = lb.Biases[k];
            if (l > 0 && b.Layers[l - 1].Activation == Activation.Sigmoid)
                for (int i = 0; i < m; i++)
                    if (prevSign![i] < 0) biasB[k] += lb.Weights[k * m + prev![i]];
        }

        var s = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
            {
                double sum = la.Biases[j] * biasB[k];
                for (int i = 0; i < m; i++)
                {
                    // Column i of the aligned B is B's column prev[i], times that unit's sign.
                    int bi = prev?[i] ?? i;
                    sum += la.Weights[j * m + i] * lb.Weights[k * m + bi] * (prevSign?[i] ?? 1);
                }
                s[j, k] = sum;
            }
        if (!incomingOnly)
        {
            var na = a.Layers[l + 1];
            var nb = b.Layers[l + 1];
            int[]? next = l + 1 < perms.Length ? perms[l + 1] : null;
            int[]? nextSign = l + 1 < perms.Length ? signs[l + 1] : null;
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                {
                    double sum = 0;
                    for (int r = 0; r < na.Units; r++)
                    {
                        int br = next?[r] ?? r;
                        sum += na.Weights[r * n + j] * nb.Weights[br * n + k] * (nextSign?[r] ?? 1);
                    }
                    s[j, k] += sum;
                }
        }

        // With flips, pairing j with k is worth |S[j, k]|, taken with the sign of S.
        var score = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++) score[j, k] = flips ? Math.Abs(s[j, k]) : s[j, k];
        var p = LinearAssignment.Maximize(score);
        double current = 0, proposed = LinearAssignment.Total(score, p);
        for (int j = 0; j < n; j++) current += signs[l][j] * s[j, perms[l][j]];
        // Accept only a strict improvement, so that ties cannot make the passes cycle.
        if (!force && !(proposed > current + 1e-12 * (1 + Math.Abs(current)))) return false;
        bool changed = false;
        for (int j = 0; j < n; j++)
        {
            int sign = flips && s[j, p[j]] < 0 ? -1 : 1;
            changed |= perms[l][j] != p[j] || signs[l][j] != sign;
            perms[l][j] = p[j];
            signs[l][j] = sign;
        }
        return changed;
    }

    /// <summary>
    /// Activation matching: unit j of A is paired with the unit k of B whose activations over the data
    /// correlate best with its own (Pearson correlation; with flips, the largest |correlation|, taken
    /// with its sign). A unit's activations do not depend on how the layers below are ordered, so each
    /// layer is solved on its own.
    /// </summary>
    public static (int[][] Perms, int[][] Signs) MatchActivations(Network<double> a, Network<double> b, Dataset data, bool allowFlips = true)
    {
        int hidden = a.Layers.Count - 1, rows = data.Rows;
        if (data.Features != a.Inputs) throw new DataException($"{data.Name} has {data.Features} features but the models take {a.Inputs} inputs");
        var pool = WorkerPool.ForThreads(1);
        a.Forward(Trainer<double>.ToInputs(a, data), rows, pool);
        b.Forward(Trainer<double>.ToInputs(b, data), rows, pool);
        var perms = new int[hidden][];
        var signs = new int[hidden][];
        for (int l = 0; l < hidden; l++)
        {
            int n = a.Layers[l].Units;
            var c = Correlation(a.Layers[l].A, b.Layers[l].A, rows, n);
            bool flips = allowFlips && CanFlip(a.Layers[l].Activation);
            var score = new double[n, n];
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) score[j, k] = flips ? Math.Abs(c[j, k]) : c[j, k];
            perms[l] = LinearAssignment.Maximize(score);
            signs[l] = new int[n];
            for (int j = 0; j < n; j++) signs[l][j] = flips && c[j, perms[l][j]] < 0 ? -1 : 1;
        }
        return (perms, signs);
    }

    /// <summary>corr(x[:, j], y[:, k]) over the rows; 0 when either unit is constant on the data.</summary>
    private static double[,] Correlation(double[] x, double[] y, int rows, int n)
    {
        static double[] Standardize(double[] v, int rows, int n)
        {
            var z = new double[rows * n];
            for (int j = 0; j < n; j++)
            {
                double mean = 0, ss = 0;
                for (int r = 0; r < rows; r++) mean += v[r * n + j];
                mean /= rows;
                for (int r = 0; r < rows; r++) ss += (v[r * n + j] - mean) * (v[r * n + j] - mean);
                double norm = Math.Sqrt(ss);
                for (int r = 0; r < rows; r++) z[r * n + j] = norm > 1e-12 ? (v[r * n + j] - mean) / norm : 0;
            }
            return z;
        }
        var zx = Standardize(x, rows, n);
        var zy = Standardize(y, rows, n);
        var c = new double[n, n];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                double xj = zx[r * n + j];
                if (xj == 0) continue;
                for (int k = 0; k < n; k++) c[j, k] += xj * zy[r * n + k];
            }
        return c;
    }

    /// <summary>
    /// B reordered: new unit j of hidden layer l is B's unit perms[l][j], negated when signs[l][j] = -1.
    /// Its activation relates to the old one by a_old = s a_new + shift, with shift 0 for tanh
    /// (tanh(-z) = -tanh z) and 1 for a flipped sigmoid (sigmoid(-z) = 1 - sigmoid z). Substituting into
    /// the next layer, z_q = sum_k W[q, k] a_k + b_q, gives the same function with
    ///     W'_l[j, i] = s_l[j] s_(l-1)[i] W_l[perms_l[j], perms_(l-1)[i]]
    ///     b'_l[j]    = s_l[j] (b_l[perms_l[j]] + sum_i shift_(l-1)[i] W_l[perms_l[j], perms_(l-1)[i]])
    /// (the output layer keeps its rows, and the input columns of layer 1 stay).
    /// </summary>
    public static Network<double> Apply(Network<double> b, int[][] perms, int[][] signs)
    {
        var result = b.Clone();
        int last = b.Layers.Count - 1;
        if (perms.Length != last || signs.Length != last) throw new ArgumentException($"expected a permutation for each of the {last} hidden layers");
        for (int l = 0; l <= last; l++)
        {
            var src = b.Layers[l];
            var dst = result.Layers[l];
            int n = src.Units, m = src.Inputs;
            for (int j = 0; j < n; j++)
            {
                int row = l < last ? perms[l][j] : j;
                int rowSign = l < last ? signs[l][j] : 1;
                double bias = src.Biases[row];
                for (int i = 0; i < m; i++)
                {
                    int col = l > 0 ? perms[l - 1][i] : i;
                    int colSign = l > 0 ? signs[l - 1][i] : 1;
                    double w = src.Weights[row * m + col];
                    if (l > 0 && colSign < 0 && b.Layers[l - 1].Activation == Activation.Sigmoid) bias += w;
                    dst.Weights[j * m + i] = rowSign * colSign * w;
                }
                dst.Biases[j] = rowSign * bias;
            }
        }
        return result;
    }

    /// <summary>Euclidean distance between layer l's weights and biases in A and B.</summary>
    public static double LayerDistance(Network<double> a, Network<double> b, int l)
    {
        double ss = 0;
        var la = a.Layers[l];
        var lb = b.Layers[l];
        for (int i = 0; i < la.Weights.Length; i++) ss += Square(la.Weights[i] - lb.Weights[i]);
        for (int i = 0; i < la.Biases.Length; i++) ss += Square(la.Biases[i] - lb.Biases[i]);
        return Math.Sqrt(ss);
    }

    /// <summary>Euclidean distance over all parameters.</summary>
    public static double Distance(Network<double> a, Network<double> b) =>
        Math.Sqrt(Enumerable.Range(0, a.Layers.Count).Sum(l => Square(LayerDistance(a, b, l))));

    /// <summary>Euclidean norm of all parameters.</summary>
    public static double Norm(Network<double> a) =>
        Math.Sqrt(a.Layers.Sum(l => l.Weights.Sum(Square) + l.Biases.Sum(Square)));

    /// <summary>Distance between unit j of layer l in A and in B over (incoming weights, bias, outgoing weights), and the two norms.</summary>
    private static (double Distance, double NormA, double NormB) UnitDistance(Network<double> a, Network<double> b, int l, int j)
    {
        double d = 0, na = 0, nb = 0;
        void Add(double x, double y) { d += Square(x - y); na += x * x; nb += y * y; }
        var la = a.Layers[l];
        var lb = b.Layers[l];
        int m = la.Inputs;
        for (int i = 0; i < m; i++) Add(la.Weights[j * m + i], lb.Weights[j * m + i]);
        Add(la.Biases[j], lb.Biases[j]);
        if (l + 1 < a.Layers.Count)
        {
            var ua = a.Layers[l + 1];
            var ub = b.Layers[l + 1];
            for (int r = 0; r < ua.Units; r++) Add(ua.Weights[r * la.Units + j], ub.Weights[r * la.Units + j]);
        }
        return (Math.Sqrt(d), Math.Sqrt(na), Math.Sqrt(nb));
    }

    private static double Square(double x) => x * x;

    private static int[] Identity(int n) => Enumerable.Range(0, n).ToArray();

    private static int[] Ones(int n) => Enumerable.Repeat(1, n).ToArray();
}
