using System.Numerics.Tensors;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Losses;

/// <summary>
/// Cost and its gradient at the output layer. Bce with sigmoid and ce with softmax are fused: the
/// gradient with respect to the logits is simply (a - t) / m, and the cost is computed from the logits
/// so that it never overflows. Mse goes through the output activation's own derivative.
/// </summary>
public static class LossFunctions
{
    /// <summary>Whether <paramref name="loss"/> can sit on an output layer with activation <paramref name="output"/>.</summary>
    public static bool Fits(Loss loss, Activation output) => loss switch
    {
        Loss.Bce => output == Activation.Sigmoid,
        Loss.Ce => output == Activation.Softmax,
        _ => true,
    };

    /// <summary>The loss an output layer is made for (gradcheck, explain, predict and compare assume it): one sigmoid unit: bce; softmax: ce; otherwise mse.</summary>
    public static Loss ForOutput(Activation output, int outputs) => output switch
    {
        Activation.Sigmoid when outputs == 1 => Loss.Bce,
        Activation.Softmax => Loss.Ce,
        _ => Loss.Mse,
    };

    /// <summary>The mean cost over <paramref name="rows"/> samples (computed in double).</summary>
    public static double Cost<T>(Loss loss, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> t, int rows, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> cost = stackalloc double[1];
        Costs(loss, z, a, t, rows, outputs, 1, cost);
        return cost[0];
    }

    /// <summary>
    /// The costs of <paramref name="lanes"/> networks whose outputs are interleaved, element i of network s
    /// at <c>z[i * lanes + s]</c> (the layout of <see cref="SeedBatchTrainer{T}"/>), on shared targets.
    /// <c>costs[s]</c> is bit for bit what <see cref="Cost"/> gives for network s alone: the same
    /// operations, summed in the same order (eight running sums by position, see <see cref="PartialSums"/>).
    /// </summary>
    public static void Costs<T>(Loss loss, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> t, int rows, int outputs, int lanes, Span<double> costs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        Span<double> sums = stackalloc double[8];
        switch (loss)
        {
            case Loss.Bce:
                {
                    // max(z, 0) - z t + log(1 + e^-|z|): the transcendental part a vector at a time, then
                    // summed in eight running sums by position.
                    if (lanes == 1 && Vector<double>.Count == 4)
                    {
                        costs[0] = BceAlone(z[..n], t[..n], sums) / rows / outputs;
                        return;
                    }
                    var d = Scratch(n * lanes);
                    for (int i = 0; i < n * lanes; i++) d[i] = -Math.Abs(double.CreateChecked(z[i]));
                    ElementwiseMath.Exp<double>(d, d);
                    ElementwiseMath.LogP1<double>(d, d);
                    for (int s = 0; s < lanes; s++)
                    {
                        var partial = new PartialSums(sums);
                        for (int i = 0; i < n; i++)
                        {
                            double zi = double.CreateChecked(z[i * lanes + s]), ti = double.CreateChecked(t[i]);
                            partial.Add(i, Math.Max(zi, 0) - zi * ti + d[i * lanes + s]);
                        }
                        costs[s] = partial.Total / rows / outputs;
                    }
                    return;
                }
            case Loss.Ce:
                {
                    // sum_k t_k (logsumexp(z) - z_k), logsumexp shifted by the row's largest logit.
                    if (lanes == 1)
                    {
                        costs[0] = CeAlone(z[..n], t[..n], rows, outputs, sums) / rows;
                        return;
                    }
                    var d = Scratch(n * lanes);
                    var maxima = Scratch(rows * lanes, 1);
                    for (int r = 0; r < rows; r++)
                        for (int s = 0; s < lanes; s++)
                        {
                            double max = double.NegativeInfinity;
                            for (int k = 0; k < outputs; k++) max = Math.Max(max, double.CreateChecked(z[(r * outputs + k) * lanes + s]));
                            maxima[r * lanes + s] = max;
                            for (int k = 0; k < outputs; k++)
                                d[(r * outputs + k) * lanes + s] = double.CreateChecked(z[(r * outputs + k) * lanes + s]) - max;
                        }
                    ElementwiseMath.Exp<double>(d, d);
                    for (int s = 0; s < lanes; s++)
                    {
                        var partial = new PartialSums(sums);
                        for (int r = 0; r < rows; r++)
                        {
                            double sum = 0;
                            for (int k = 0; k < outputs; k++) sum += d[(r * outputs + k) * lanes + s];
                            double logSumExp = maxima[r * lanes + s] + LogPolynomial.Log(sum), row = 0;
                            for (int k = 0; k < outputs; k++)
                                row += double.CreateChecked(t[r * outputs + k]) * (logSumExp - double.CreateChecked(z[(r * outputs + k) * lanes + s]));
                            partial.Add(r, row);
                        }
                        costs[s] = partial.Total / rows;
                    }
                    return;
                }
            default:
                for (int s = 0; s < lanes; s++)
                {
                    var partial = new PartialSums(sums);
                    for (int i = 0; i < n; i++)
                    {
                        double d = double.CreateChecked(a[i * lanes + s]) - double.CreateChecked(t[i]);
                        partial.Add(i, d * d);
                    }
                    costs[s] = partial.Total / n;
                }
                return;
        }
    }

    /// <summary>
    /// dJ/da at the output for the general path (mse): 2 (a - t) / (m K). Fused losses do not use it.
    /// With <paramref name="lanes"/> &gt; 1, a and dA are interleaved networks on shared targets, as in <see cref="Costs"/>.
    /// </summary>
    public static void OutputGradient<T>(Loss loss, ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> dA, int rows, int outputs, int lanes = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        if (loss != Loss.Mse) throw new InvalidOperationException("bce and ce are fused with their activation");
        T scale = T.CreateChecked(2.0) / T.CreateChecked(n);
        for (int i = 0; i < n; i++)
            for (int s = i * lanes; s < (i + 1) * lanes; s++) dA[s] = scale * (a[s] - t[i]);
    }

    /// <summary>delta = dJ/dz = (a - t) / m, the fused gradient of bce-on-sigmoid and ce-on-softmax (lanes as in <see cref="Costs"/>).</summary>
    public static void FusedDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> delta, int rows, int outputs, Loss loss, int lanes = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        // bce averages over samples and outputs (each output is its own binary problem); ce over samples.
        T scale = T.One / T.CreateChecked(loss == Loss.Bce ? n : rows);
        if (lanes == 1)
        {
            int w = Vector<T>.Count, i = 0;
            for (; i + w <= n; i += w)
                ((new Vector<T>(a[i..]) - new Vector<T>(t[i..])) * new Vector<T>(scale)).CopyTo(delta[i..]);
            for (; i < n; i++) delta[i] = (a[i] - t[i]) * scale;
            return;
        }
        for (int i = 0; i < n; i++)
            for (int s = i * lanes; s < (i + 1) * lanes; s++) delta[s] = (a[s] - t[i]) * scale;
    }

    /// <summary>
    /// The bce sum of one network, a vector at a time: the same terms, rounded the same way, and the same
    /// eight running sums (two vectors of four, term i in lane i mod 8) as the lane-by-lane loop.
    /// </summary>
    private static double BceAlone<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Length;
        var zd = Scratch(n, 1);
        var td = Scratch(n, 2);
        var d = Scratch(n);
        TensorPrimitives.ConvertChecked<T, double>(z, zd);
        TensorPrimitives.ConvertChecked<T, double>(t, td);
        TensorPrimitives.Abs<double>(zd, d);
        TensorPrimitives.Negate<double>(d, d);
        ElementwiseMath.Exp<double>(d, d);
        ElementwiseMath.LogP1<double>(d, d);
        Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
        int k = 0;
        for (; k + 8 <= n; k += 8)
        {
            low += Term(zd, td, d, k);
            high += Term(zd, td, d, k + 4);
        }
        low.CopyTo(sums);
        high.CopyTo(sums[4..]);
        var partial = new PartialSums(sums, clear: false);
        for (; k < n; k++) partial.Add(k, Math.Max(zd[k], 0) - zd[k] * td[k] + d[k]);
        return partial.Total;

        // max(z, 0) as a select: equal to Math.Max for every z but NaN, whose term is NaN either way.
        static Vector<double> Term(Span<double> z, Span<double> t, Span<double> d, int i)
        {
            var zi = new Vector<double>(z[i..]);
            var positive = Vector.ConditionalSelect(Vector.GreaterThan(zi, Vector<double>.Zero), zi, Vector<double>.Zero);
            return positive - zi * new Vector<double>(t[i..]) + new Vector<double>(d[i..]);
        }
    }

    /// <summary>The ce sum of one network: the lane-by-lane loop's operations in its order, without the lane arithmetic.</summary>
    private static double CeAlone<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, int rows, int outputs, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        var zd = Scratch(n, 1);
        var d = Scratch(n);
        var maxima = Scratch(rows, 2);
        for (int i = 0; i < n; i++) zd[i] = double.CreateChecked(z[i]);
        for (int r = 0; r < rows; r++)
        {
            var row = zd.Slice(r * outputs, outputs);
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            maxima[r] = max;
            var shifted = d.Slice(r * outputs, outputs);
            for (int k = 0; k < outputs; k++) shifted[k] = row[k] - max;
        }
        ElementwiseMath.Exp<double>(d, d);
        var partial = new PartialSums(sums);
        for (int r = 0; r < rows; r++)
        {
            var e = d.Slice(r * outputs, outputs);
            double sum = 0;
            foreach (double v in e) sum += v;
            double logSumExp = maxima[r] + LogPolynomial.Log(sum), rowCost = 0;
            for (int k = 0; k < outputs; k++)
                rowCost += double.CreateChecked(t[r * outputs + k]) * (logSumExp - zd[r * outputs + k]);
            partial.Add(r, rowCost);
        }
        return partial.Total;
    }

    /// <summary>
    /// A sum of many terms in eight running sums (term i into sum i mod 8), added pairwise at the end:
    /// eight independent chains instead of one long one, in an order fixed by the terms' positions alone.
    /// </summary>
    private readonly ref struct PartialSums
    {
        private readonly Span<double> _sums;

        /// <summary>Keeps the eight sums in <paramref name="sums"/>, from zero unless told to go on from what it holds.</summary>
        public PartialSums(Span<double> sums, bool clear = true)
        {
            _sums = sums[..8];
            if (clear) _sums.Clear();
        }

        public void Add(int i, double term) => _sums[i & 7] += term;

        public double Total => ((_sums[0] + _sums[1]) + (_sums[2] + _sums[3])) + ((_sums[4] + _sums[5]) + (_sums[6] + _sums[7]));
    }

    [ThreadStatic] private static double[][]? _scratch;

    /// <summary>Per-thread buffer number <paramref name="which"/> (0..2) of at least <paramref name="n"/> doubles, grown once (the step allocates nothing).</summary>
    private static Span<double> Scratch(int n, int which = 0)
    {
        var buffers = _scratch ??= [[], [], []];
        if (buffers[which].Length < n) buffers[which] = new double[Math.Max(n, 256)];
        return buffers[which].AsSpan(0, n);
    }

    /// <summary>Whether the loss is fused with its output activation.</summary>
    public static bool IsFused(Loss loss) => loss is Loss.Bce or Loss.Ce;
}
