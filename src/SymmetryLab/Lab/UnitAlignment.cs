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
/// <param name="Layer">The layer (1-based).</param>
/// <param name="Permutation">Permutation[j]: the unit of B (0-based) matched to unit j of A.</param>
/// <param name="Sign">Sign[j]: -1 when B's unit is used negated, else +1.</param>
/// <param name="DistanceBefore">The Euclidean distance between the layer's weights and biases in A and B.</param>
/// <param name="DistanceAfter">The same between A and B aligned.</param>
/// <param name="UnitDistance">Per unit j of A: its distance to its partner over incoming weights, bias and outgoing weights.</param>
/// <param name="RelativeUnitDistance">The same divided by the larger of the two units' norms (0 when both are 0).</param>
/// <param name="Unmatched">Hidden units of A (0-based) whose relative distance is beyond the threshold: no good partner in B.</param>
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
/// <param name="Layers">Each layer's pairing.</param>
/// <param name="AlignedB">B with its units reordered (and flipped) to match A; it computes what B computes.</param>
/// <param name="Method">How the units were paired.</param>
/// <param name="Threshold">The relative unit distance beyond which a unit counts as unmatched.</param>
/// <param name="Passes">Passes of coordinate ascent weight matching took (1 for activation matching).</param>
/// <param name="DistanceBefore">The Euclidean distance over all parameters between A and B.</param>
/// <param name="DistanceAfter">The same between A and B aligned.</param>
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
    /// Weight matching: the reordering (and flips) of B's hidden units that brings its parameters
    /// closest to A's, found by coordinate ascent over exact assignments (see <see cref="WeightMatcher"/>).
    /// </summary>
    public static (int[][] Perms, int[][] Signs, int Passes) MatchWeights(Network<double> a, Network<double> b, bool flips = true)
    {
        var (perms, signs, passes, _) = new WeightMatcher().Match(a, b, flips);
        return (perms, signs, passes);
    }

    /// <summary>
    /// Activation matching: unit j of A is paired with the unit k of B whose activations over the data
    /// correlate best with its own (Pearson correlation; with flips, the largest |correlation|, taken
    /// with its sign). A unit's activations do not depend on how the layers below are ordered, so each
    /// layer is solved on its own.
    /// </summary>
    public static (int[][] Perms, int[][] Signs) MatchActivations(Network<double> a, Network<double> b, Dataset data, bool allowFlips = true)
    {
        if (data.Features != a.Inputs) throw new DataException($"{data.Name} has {data.Features} features but the models take {a.Inputs} inputs");
        CheckSameShape(a, b, "model A", "model B");
        int hidden = a.Layers.Count - 1, chunk = Math.Min(LossBarrier.ChunkRows, data.Rows);
        var correlation = new ActivationCorrelation([.. a.Layers.Take(hidden).Select(l => l.Units)]);
        var pool = WorkerPool.ForThreads(Environment.ProcessorCount);
        // Each model sees the rows through its own normalization; copies keep the callers' buffers small.
        Network<double> netA = a.Clone(), netB = b.Clone();
        var scratch = new double[chunk * a.Inputs];
        double[] xa = new double[chunk * a.Inputs], xb = new double[chunk * a.Inputs];
        for (int start = 0; start < data.Rows; start += chunk)
        {
            int count = Math.Min(chunk, data.Rows - start);
            DataChunks.Inputs(data, a.Normalization, start, count, scratch, xa);
            DataChunks.Inputs(data, b.Normalization, start, count, scratch, xb);
            netA.Forward(xa, count, pool);
            netB.Forward(xb, count, pool);
            correlation.Add([.. netA.Layers.Take(hidden).Select(l => l.A)], [.. netB.Layers.Take(hidden).Select(l => l.A)], count);
        }
        return FromCorrelations(a, correlation.Result(), allowFlips);
    }

    /// <summary>
    /// Per hidden layer, the assignment that maximizes the total correlation of paired units (with
    /// flips, |correlation|, taken with its sign) from correlations[l][j, k] between A's unit j and B's unit k.
    /// </summary>
    public static (int[][] Perms, int[][] Signs) FromCorrelations(Network<double> a, double[][,] correlations, bool allowFlips = true)
    {
        int hidden = a.Layers.Count - 1;
        var perms = new int[hidden][];
        var signs = new int[hidden][];
        // Each layer's assignment on its own (20-30 ms at 512 units): side by side, each layer's answer its
        // own; a failure is the lowest layer's, as when they ran in turn.
        SideBySide.For(hidden, Assign);
        return (perms, signs);

        void Assign(int l)
        {
            int n = a.Layers[l].Units;
            var c = correlations[l];
            bool flips = allowFlips && CanFlip(a.Layers[l].Activation);
            var score = new double[n, n];
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++) score[j, k] = flips ? Math.Abs(c[j, k]) : c[j, k];
            perms[l] = LinearAssignment.Maximize(score);
            signs[l] = new int[n];
            for (int j = 0; j < n; j++) signs[l][j] = flips && c[j, perms[l][j]] < 0 ? -1 : 1;
        }
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
