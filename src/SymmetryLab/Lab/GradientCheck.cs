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
    public sealed record Result(double MaxRelativeError, int Parameters, ParameterRef Worst, double Analytic, double Numeric);

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
        for (int k = 0; k < all.Count; k += stride)
        {
            var (values, _, index) = all[k].Locate(network);
            double numeric = Numeric(values, index, () => network.Cost(x, t, rows, loss, pool, l2));
            double error = RelativeError(analytic[k], numeric);
            checkedCount++;
            if (error >= worst) { worst = error; worstP = all[k]; worstA = analytic[k]; worstN = numeric; }
        }
        return new Result(worst, checkedCount, worstP, worstA, worstN);
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
