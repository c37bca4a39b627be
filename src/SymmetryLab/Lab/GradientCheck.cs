using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Lab;

/// <summary>
/// Backpropagation checked against central finite differences, in float64, with the fourth-order
/// central stencil numeric = (-J(w+2h) + 8 J(w+h) - 8 J(w-h) + J(w-2h)) / 12h: its truncation error
/// (h^4) and rounding error (eps J / h) are both near 1e-12 at h = 1e-4, where the two-point stencil
/// cannot get below about 1e-10. Relative error |a - n| / max(|a|, |n|, 1e-6): gradients smaller than
/// 1e-6 are compared in absolute terms, since no difference quotient resolves them relatively.
/// </summary>
public static class GradientCheck
{
    public sealed record Result(double MaxRelativeError, int Parameters, ParameterRef Worst, double Analytic, double Numeric)
    {
        /// <summary>
        /// Parameters left out of the comparison: a step of the stencil moved some relu or leaky-relu unit's
        /// z across 0 on some row, where the cost has a kink and no difference quotient estimates the
        /// derivative (backpropagation's one-sided value is right; the stencil averages two slopes).
        /// </summary>
        public IReadOnlyList<ParameterRef> AtKinks { get; init; } = [];
    }

    public const double Step = 1e-4;

    /// <summary>The analytic gradient of every (or of the first <paramref name="limit"/> evenly spaced) parameter against its finite-difference estimate.</summary>
    public static Result Run(Network<double> network, Dataset data, Loss loss, double l2 = 0, int limit = 5000)
    {
        var pool = WorkerPool.ForThreads(1);
        var x = Trainer<double>.ToInputs(network, data);
        var t = data.TargetMatrix(network.Outputs);
        int rows = data.Rows;
        foreach (var layer in network.Layers) layer.EnsureCapacity(rows);
        network.ComputeGradients(x, t, rows, loss, pool, l2);
        var all = ParameterRef.All(network).ToList();
        var analytic = all.Select(p => { var (_, g, i) = p.Locate(network); return g[i]; }).ToArray();
        int stride = Math.Max(1, (all.Count + limit - 1) / limit);
        double worst = 0, worstA = 0, worstN = 0;
        ParameterRef worstP = all[0];
        int checkedCount = 0;
        var kinked = network.Layers.Where(l => l.Activation is Engine.Activations.Activation.Relu or Engine.Activations.Activation.LeakyRelu).ToArray();
        network.Cost(x, t, rows, loss, pool, l2);
        var sides = kinked.Select(l => l.Z.AsSpan(0, rows * l.Units).ToArray().Select(z => z > 0).ToArray()).ToArray();
        var atKinks = new List<ParameterRef>();
        for (int k = 0; k < all.Count; k += stride)
        {
            var (values, _, index) = all[k].Locate(network);
            bool crossed = false;
            double numeric = Numeric(values, index, () =>
            {
                double cost = network.Cost(x, t, rows, loss, pool, l2);
                for (int l = 0; l < kinked.Length && !crossed; l++)
                    for (int i = 0; i < sides[l].Length && !crossed; i++) crossed = kinked[l].Z[i] > 0 != sides[l][i];
                return cost;
            });
            if (crossed) { atKinks.Add(all[k]); continue; }
            double error = RelativeError(analytic[k], numeric);
            checkedCount++;
            if (error >= worst) { worst = error; worstP = all[k]; worstA = analytic[k]; worstN = numeric; }
        }
        return new Result(worst, checkedCount, worstP, worstA, worstN) { AtKinks = atKinks };
    }

    /// <summary>dJ/dw by the fourth-order central stencil, moving values[index] and putting it back.</summary>
    public static double Numeric<T>(T[] values, int index, Func<double> cost) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T original = values[index];
        double CostAt(double offset)
        {
            values[index] = original + T.CreateChecked(offset);
            return cost();
        }
        double numeric = (-CostAt(2 * Step) + 8 * CostAt(Step) - 8 * CostAt(-Step) + CostAt(-2 * Step)) / (12 * Step);
        values[index] = original;
        return numeric;
    }

    public static double RelativeError(double a, double n) =>
        Math.Abs(a - n) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(n)), 1e-6);
}
