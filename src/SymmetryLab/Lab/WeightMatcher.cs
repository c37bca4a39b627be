using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// Weight matching (<see cref="UnitAlignment.MatchWeights"/>) with its buffers kept: one matcher serves
/// many pairs of networks of one shape (a sweep aligns every run to the solutions found so far) and
/// computes each layer's score matrix with the engine's matrix product.
/// </summary>
/// <remarks>
/// Minimizing ||theta_A - theta_B'||^2 over the reorderings of B is maximizing the inner product
/// &lt;theta_A, theta_B'&gt;, since reordering does not change ||theta_B||. With the other layers held
/// fixed, the terms that depend on layer l's reordering p are
///     S[j, k] = &lt;W_l^A[j, :], W_l^B[k, :] (columns carried)&gt; + b_l^A[j] b_l^B[k] + &lt;W_(l+1)^A[:, j], W_(l+1)^B[:, k] (rows carried)&gt;
/// summed over j with k = p[j]: S = W_l^A (W_l^B')^T + b^A (b^B')^T + (W_(l+1)^A)^T W_(l+1)^B'', two
/// matrix products and a linear assignment problem, solved exactly (<see cref="LinearAssignment"/>).
/// Layers are solved in turn from the input side and the passes repeated until no layer changes
/// (coordinate ascent: each step can only raise the inner product, so it stops). Started twice, from
/// the identity and from an input-side pass that matches incoming weights and biases only, carrying
/// each layer's permutation into the next layer's columns; the closer result wins, and B as it is
/// stays a candidate, so the result is never farther from A than B was. The first layer's incoming
/// scores depend on no other layer: they are computed once per pair.
/// </remarks>
internal sealed class WeightMatcher
{
    private const int MaxPasses = 100;

    private readonly WorkerPool _pool;
    private readonly GemmJob<double> _gemm = new();
    // The two descents of a pair (from the identity, from the input side), each with its own buffers
    // and assignment solver: they depend on nothing of each other, so with two threads they run at
    // once, each on one core (their assignment solves are serial), and give the same bits as in turn.
    private readonly Descent[] _descents;
    private readonly BothDescents _both;
    private double[] _incoming0 = [];

    /// <summary>Whether a layer whose neighbours have not changed is left as it is (tests turn it off to compare with solving every step).</summary>
    internal bool SkipUnchanged { get; init; } = true;

    /// <summary>Whether a layer's solve within a descent starts from its last prices (tests and benchmarks turn it off to compare).</summary>
    internal static bool WarmStart { get; set; } = true;

    private Network<double> _a = null!, _b = null!;

    /// <summary>A matcher whose products run on <paramref name="threads"/> threads (1 inside a parallel sweep).</summary>
    public WeightMatcher(int threads = 0)
    {
        _pool = WorkerPool.ForThreads(threads > 0 ? threads : Environment.ProcessorCount);
        var own = _pool.Threads > 1 ? WorkerPool.ForThreads(1) : _pool;
        _descents = [new Descent(this, own), new Descent(this, own)];
        _both = new BothDescents(this);
    }

    /// <summary>
    /// The reordering (and flips) of B's hidden units that brings B closest to A, the passes of the
    /// winning descent, and the distance |A - B aligned| over all parameters.
    /// </summary>
    public (int[][] Perms, int[][] Signs, int Passes, double Distance) Match(Network<double> a, Network<double> b, bool flips = true)
    {
        UnitAlignment.CheckSameShape(a, b, "model A", "model B");
        _a = a;
        _b = b;
        int hidden = a.Layers.Count - 1;
        if (hidden > 0)
        {
            // Layer 1's columns are the inputs, never reordered: its incoming scores are fixed for the pair.
            var first = a.Layers[0];
            Ensure(ref _incoming0, first.Units * first.Units);
            Incoming(_gemm, _pool, first.Weights, first.Biases, b.Layers[0].Weights, b.Layers[0].Biases, first.Units, first.Inputs, _incoming0);
        }
        var identity = Start(a);
        var best = (identity.Perms, identity.Signs, Passes: 0, Distance: AlignedDistance(a, b, identity.Perms, identity.Signs));
        // The step's score is exact for permutations and tanh flips; for a sigmoid flip it leaves out the
        // shift of the next layer's biases. So with sigmoid units the descents are also run without
        // flips, and every candidate is judged by the true distance.
        bool anyFlip = flips && a.Layers.Take(hidden).Any(l => UnitAlignment.CanFlip(l.Activation));
        bool sigmoid = anyFlip && a.Layers.Take(hidden).Any(l => l.Activation == Activation.Sigmoid);
        foreach (bool f in anyFlip ? (sigmoid ? new[] { true, false } : [true]) : [false])
        {
            _both.Start(Start(a), Start(a), f);
            try
            {
                _pool.Run(_both, 2);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count == 1)
            {
                // As when the descents ran in turn: the error itself, not the pool's wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException!).Throw();
            }
            Consider(ref best, _both.FromIdentity.Perms, _both.FromIdentity.Signs, _both.Passes[0]);
            Consider(ref best, _both.FromInput.Perms, _both.FromInput.Signs, _both.Passes[1]);
        }
        _a = _b = null!;
        return best;
    }

    private void Consider(ref (int[][] Perms, int[][] Signs, int Passes, double Distance) best, int[][] perms, int[][] signs, int passes)
    {
        double d = AlignedDistance(_a, _b, perms, signs);
        if (d < best.Distance) best = (perms, signs, passes, d);
    }

    /// <summary>Identity permutations, no flips, for every hidden layer.</summary>
    private static (int[][] Perms, int[][] Signs) Start(Network<double> a)
    {
        int hidden = a.Layers.Count - 1;
        return (Enumerable.Range(0, hidden).Select(l => Enumerable.Range(0, a.Layers[l].Units).ToArray()).ToArray(),
                Enumerable.Range(0, hidden).Select(l => Enumerable.Repeat(1, a.Layers[l].Units).ToArray()).ToArray());
    }

    private static void Ensure(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
    }

    /// <summary>s = W_A W_B^T + b_A b_B^T (n x n) for two layers of n units over m inputs.</summary>
    private static void Incoming(GemmJob<double> gemm, WorkerPool pool, double[] wA, double[] bA, double[] wB, double[] bB, int n, int m, double[] s)
    {
        gemm.Run(pool, MatrixRef<double>.RowMajor(wA, m), MatrixRef<double>.TransposeOf(wB, m), s, n, n, m);
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++) s[j * n + k] += bA[j] * bB[k];
    }

    /// <summary>The pair's two descents as one job of two items: item 0 from the identity, item 1 from the input side.</summary>
    private sealed class BothDescents(WeightMatcher matcher) : IRangeJob
    {
        public (int[][] Perms, int[][] Signs) FromIdentity, FromInput;
        public readonly int[] Passes = new int[2];
        private bool _flips;

        public void Start((int[][], int[][]) fromIdentity, (int[][], int[][]) fromInput, bool flips) =>
            (FromIdentity, FromInput, _flips) = (fromIdentity, fromInput, flips);

        public void Execute(int start, int end)
        {
            for (int item = start; item < end; item++)
            {
                var descent = matcher._descents[item];
                if (item == 0)
                {
                    Passes[0] = descent.Descend(FromIdentity.Perms, FromIdentity.Signs, _flips);
                    continue;
                }
                for (int l = 0; l < FromInput.Perms.Length; l++) descent.Step(FromInput.Perms, FromInput.Signs, l, _flips, incomingOnly: true, force: true);
                Passes[1] = 1 + descent.Descend(FromInput.Perms, FromInput.Signs, _flips);
            }
        }
    }

    /// <summary>One coordinate descent over the layers' reorderings, with its own buffers.</summary>
    private sealed class Descent(WeightMatcher matcher, WorkerPool pool)
    {
        private readonly GemmJob<double> _gemm = new();
        private readonly LinearAssignment _assignment = new();
        private double[] _s = [], _outgoing = [], _cost = [], _columns = [], _rows = [], _biasB = [];
        private int[] _p = [];
        // Each layer's column prices from its last solve in this descent: the next solve of that layer
        // (its neighbours moved a little) starts from them.
        private double[][] _prices = [];
        // How often each layer's reordering has changed in the current descent, and, per layer, those counts
        // (its neighbours' and its own) when it was last solved: a layer whose neighbours have not changed
        // since would get the same scores and the same answer, so it is not solved again.
        private int[] _changes = [];
        private (int Below, int Own, int Above)[] _solvedAt = [];

        public int Descend(int[][] perms, int[][] signs, bool flips)
        {
            _changes = new int[perms.Length];
            // Prices from this descent only: an answer must not depend on what the matcher solved before.
            if (_prices.Length != perms.Length) _prices = new double[perms.Length][];
            else Array.Clear(_prices);
            _solvedAt = new (int, int, int)[perms.Length];
            Array.Fill(_solvedAt, (-1, -1, -1));
            for (int pass = 1; pass <= MaxPasses; pass++)
            {
                bool changed = false;
                for (int l = 0; l < perms.Length; l++)
                    changed |= Step(perms, signs, l, flips, incomingOnly: false, force: false);
                if (!changed) return pass;
            }
            return MaxPasses;
        }

        /// <summary>Layer l's reordering with the others fixed, solved again unless that cannot change it; true if it changed.</summary>
        public bool Step(int[][] perms, int[][] signs, int l, bool allowFlips, bool incomingOnly, bool force)
        {
            // Within a descent (full scores, never forced), a layer solved again with the same neighbours
            // would find the same reordering, which is no strict improvement: nothing to do.
            if (incomingOnly || force || !matcher.SkipUnchanged) return Solve(perms, signs, l, allowFlips, incomingOnly, force);
            var inputs = (Below: l > 0 ? _changes[l - 1] : 0, Own: _changes[l], Above: l + 1 < perms.Length ? _changes[l + 1] : 0);
            if (_solvedAt[l] == inputs) return false;
            bool changed = Solve(perms, signs, l, allowFlips, incomingOnly, force);
            if (changed) inputs.Own = ++_changes[l];
            _solvedAt[l] = inputs;
            return changed;
        }

        /// <summary>Re-solves layer l's reordering with the others fixed; true if it changed.</summary>
        private bool Solve(int[][] perms, int[][] signs, int l, bool allowFlips, bool incomingOnly, bool force)
        {
            var la = matcher._a.Layers[l];
            var lb = matcher._b.Layers[l];
            int n = la.Units, m = la.Inputs;
            bool flips = allowFlips && UnitAlignment.CanFlip(la.Activation);
            Ensure(ref _s, n * n);
            var s = _s;
            if (l == 0)
                Array.Copy(matcher._incoming0, s, n * n);
            else
            {
                // Column i of the aligned B is B's column prev[i], times that unit's sign; a flipped sigmoid
                // unit below also shifts the biases (see UnitAlignment.Apply).
                int[] prev = perms[l - 1], prevSign = signs[l - 1];
                bool shift = matcher._b.Layers[l - 1].Activation == Activation.Sigmoid;
                Ensure(ref _columns, n * m);
                Ensure(ref _biasB, n);
                for (int k = 0; k < n; k++)
                {
                    double bias = lb.Biases[k];
                    for (int i = 0; i < m; i++)
                    {
                        double w = lb.Weights[k * m + prev[i]];
                        _columns[k * m + i] = prevSign[i] * w;
                        if (shift && prevSign[i] < 0) bias += w;
                    }
                    _biasB[k] = bias;
                }
                Incoming(_gemm, pool, la.Weights, la.Biases, _columns, _biasB, n, m, s);
            }
            if (!incomingOnly)
            {
                // (W_(l+1)^A)^T W_(l+1)^B'': row r of the aligned next layer is B's row next[r], times its sign.
                var na = matcher._a.Layers[l + 1];
                var nb = matcher._b.Layers[l + 1];
                int u = na.Units;
                int[]? next = l + 1 < perms.Length ? perms[l + 1] : null;
                int[]? nextSign = l + 1 < perms.Length ? signs[l + 1] : null;
                Ensure(ref _rows, u * n);
                Ensure(ref _outgoing, n * n);
                for (int r = 0; r < u; r++)
                {
                    int br = next?[r] ?? r, sign = nextSign?[r] ?? 1;
                    for (int k = 0; k < n; k++) _rows[r * n + k] = sign * nb.Weights[br * n + k];
                }
                _gemm.Run(pool, MatrixRef<double>.TransposeOf(na.Weights, n), MatrixRef<double>.RowMajor(_rows, n), _outgoing, n, n, u);
                for (int i = 0; i < n * n; i++) s[i] += _outgoing[i];
            }

            // With flips, pairing j with k is worth |S[j, k]|, taken with the sign of S.
            Ensure(ref _cost, n * n);
            for (int i = 0; i < n * n; i++) _cost[i] = -(flips ? Math.Abs(s[i]) : s[i]);
            if (_p.Length < n) _p = new int[n];
            var p = _p.AsSpan(0, n);
            // Within a descent (never forced), from the layer's last prices.
            bool warm = WarmStart && !force && !incomingOnly && _prices.Length == perms.Length;
            if (warm && _prices[l] is { } prices && prices.Length == n) _assignment.Solve(_cost.AsSpan(0, n * n), n, p, prices);
            else _assignment.Solve(_cost.AsSpan(0, n * n), n, p);
            if (warm)
            {
                if (_prices[l]?.Length != n) _prices[l] = new double[n];
                _assignment.Prices[..n].CopyTo(_prices[l]);
            }
            double current = 0, proposed = 0;
            for (int j = 0; j < n; j++)
            {
                proposed -= _cost[j * n + p[j]];
                current += signs[l][j] * s[j * n + perms[l][j]];
            }
            // Accept only a strict improvement, so that ties cannot make the passes cycle.
            if (!force && !(proposed > current + 1e-12 * (1 + Math.Abs(current)))) return false;
            bool changed = false;
            for (int j = 0; j < n; j++)
            {
                int sign = flips && s[j * n + p[j]] < 0 ? -1 : 1;
                changed |= perms[l][j] != p[j] || signs[l][j] != sign;
                perms[l][j] = p[j];
                signs[l][j] = sign;
            }
            return changed;
        }
    }

    /// <summary>
    /// |A - B aligned| over all parameters without building the aligned network: the same arithmetic as
    /// <see cref="UnitAlignment.Apply"/> followed by <see cref="UnitAlignment.Distance"/>.
    /// </summary>
    public static double AlignedDistance(Network<double> a, Network<double> b, int[][] perms, int[][] signs)
    {
        int last = b.Layers.Count - 1;
        double ss = 0;
        for (int l = 0; l <= last; l++)
        {
            var src = b.Layers[l];
            var dst = a.Layers[l];
            int n = src.Units, m = src.Inputs;
            bool shift = l > 0 && b.Layers[l - 1].Activation == Activation.Sigmoid;
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
                    if (shift && colSign < 0) bias += w;
                    double diff = dst.Weights[j * m + i] - rowSign * colSign * w;
                    ss += diff * diff;
                }
                double db = dst.Biases[j] - rowSign * bias;
                ss += db * db;
            }
        }
        return Math.Sqrt(ss);
    }
}
