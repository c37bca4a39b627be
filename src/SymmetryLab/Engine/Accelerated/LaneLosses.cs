using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Engine.Accelerated;

/// <summary>
/// <see cref="LossFunctions"/> for the outputs of <c>lanes</c> networks interleaved on shared targets
/// (the layout of <see cref="SeedBatchTrainer{T}"/>): element i of network s at <c>[i * lanes + s]</c>,
/// target i at <c>t[i]</c>. Lane by lane every number is the one LossFunctions gives for that network
/// alone: the same operations, summed in the same order (eight running sums by position).
/// </summary>
internal static class LaneLosses
{
    /// <summary><c>costs[s]</c> = <see cref="LossFunctions.Cost"/> of network s, bit for bit.</summary>
    public static void Costs<T>(Loss loss, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> t, int rows, int outputs, int lanes, Span<double> costs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lanes == 1)
        {
            costs[0] = LossFunctions.Cost(loss, z, a, t, rows, outputs);
            return;
        }
        int n = rows * outputs;
        Span<double> sums = stackalloc double[8];
        switch (loss)
        {
            case Loss.Bce:
                {
                    // max(z, 0) - z t + log(1 + e^-|z|): the transcendental part a vector at a time.
                    var d = CostScratch.Get(n * lanes);
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
                    var d = CostScratch.Get(n * lanes);
                    var maxima = CostScratch.Get(rows * lanes, 1);
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

    /// <summary><see cref="LossFunctions.OutputGradient"/> (mse: 2 (a - t) / (m K)) of every lane.</summary>
    public static void OutputGradient<T>(Loss loss, ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> dA, int rows, int outputs, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        if (loss != Loss.Mse) throw new InvalidOperationException("bce and ce are fused with their activation");
        T scale = T.CreateChecked(2.0) / T.CreateChecked(n);
        for (int i = 0; i < n; i++)
            for (int s = i * lanes; s < (i + 1) * lanes; s++) dA[s] = scale * (a[s] - t[i]);
    }

    /// <summary><see cref="LossFunctions.FusedDelta"/> ((a - t) / m) of every lane.</summary>
    public static void FusedDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> delta, int rows, int outputs, Loss loss, int lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        T scale = LossFunctions.FusedScale<T>(loss, rows, outputs);
        for (int i = 0; i < n; i++)
            for (int s = i * lanes; s < (i + 1) * lanes; s++) delta[s] = (a[s] - t[i]) * scale;
    }
}
