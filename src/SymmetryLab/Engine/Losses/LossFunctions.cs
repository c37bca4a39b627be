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
    /// operations, summed in the same order.
    /// </summary>
    public static void Costs<T>(Loss loss, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> t, int rows, int outputs, int lanes, Span<double> costs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        switch (loss)
        {
            case Loss.Bce:
                {
                    // max(z, 0) - z t + log(1 + e^-|z|): the transcendental part a vector at a time, then
                    // summed in sample order.
                    var d = Scratch(n * lanes);
                    for (int i = 0; i < n * lanes; i++) d[i] = -Math.Abs(double.CreateChecked(z[i]));
                    ElementwiseMath.Exp<double>(d, d);
                    ElementwiseMath.LogP1<double>(d, d);
                    for (int s = 0; s < lanes; s++)
                    {
                        double total = 0;
                        for (int i = 0; i < n; i++)
                        {
                            double zi = double.CreateChecked(z[i * lanes + s]), ti = double.CreateChecked(t[i]);
                            total += Math.Max(zi, 0) - zi * ti + d[i * lanes + s];
                        }
                        costs[s] = total / rows / outputs;
                    }
                    return;
                }
            case Loss.Ce:
                {
                    // sum_k t_k (logsumexp(z) - z_k), logsumexp shifted by the row's largest logit.
                    var d = Scratch(n * lanes);
                    var maxima = Scratch(rows * lanes, second: true);
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
                        double total = 0;
                        for (int r = 0; r < rows; r++)
                        {
                            double sum = 0;
                            for (int k = 0; k < outputs; k++) sum += d[(r * outputs + k) * lanes + s];
                            double logSumExp = maxima[r * lanes + s] + Math.Log(sum);
                            for (int k = 0; k < outputs; k++)
                                total += double.CreateChecked(t[r * outputs + k]) * (logSumExp - double.CreateChecked(z[(r * outputs + k) * lanes + s]));
                        }
                        costs[s] = total / rows;
                    }
                    return;
                }
            default:
                for (int s = 0; s < lanes; s++)
                {
                    double total = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double d = double.CreateChecked(a[i * lanes + s]) - double.CreateChecked(t[i]);
                        total += d * d;
                    }
                    costs[s] = total / n;
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
        for (int i = 0; i < n; i++)
            for (int s = i * lanes; s < (i + 1) * lanes; s++) delta[s] = (a[s] - t[i]) * scale;
    }

    [ThreadStatic] private static double[]? _scratch, _scratch2;

    /// <summary>A per-thread buffer of at least <paramref name="n"/> doubles, grown once (the step allocates nothing).</summary>
    private static Span<double> Scratch(int n, bool second = false)
    {
        ref double[]? buffer = ref second ? ref _scratch2 : ref _scratch;
        if (buffer is null || buffer.Length < n) buffer = new double[Math.Max(n, 256)];
        return buffer.AsSpan(0, n);
    }

    /// <summary>Whether the loss is fused with its output activation.</summary>
    public static bool IsFused(Loss loss) => loss is Loss.Bce or Loss.Ce;
}
