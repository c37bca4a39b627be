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

    /// <summary>
    /// The mean cost J over <paramref name="rows"/> samples of <paramref name="outputs"/> outputs each
    /// (rows x outputs, row-major; computed in double): bce, the mean over every output of
    /// max(z, 0) - z t + log(1 + e^-|z|) (the logits' form of -t log a - (1 - t) log(1 - a)); ce, the mean
    /// over rows of sum_k t_k (logsumexp(z) - z_k); mse, the mean of (a - t)^2. The terms are summed in
    /// eight running sums by position (term i into sum i mod 8), added pairwise at the end.
    /// </summary>
    public static double Cost<T>(Loss loss, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> t, int rows, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        Span<double> sums = stackalloc double[8];
        switch (loss)
        {
            case Loss.Bce:
                return (Vector<double>.Count == 4 ? BceSumByVectors(z[..n], t[..n], sums) : BceSum(z[..n], t[..n], sums)) / rows / outputs;
            case Loss.Ce:
                return CeSum(z[..n], t[..n], rows, outputs, sums) / rows;
            default:
                {
                    var partial = new PartialSums(sums);
                    for (int i = 0; i < n; i++)
                    {
                        double d = double.CreateChecked(a[i]) - double.CreateChecked(t[i]);
                        partial.Add(i, d * d);
                    }
                    return partial.Total / n;
                }
        }
    }

    /// <summary>The bce sum term by term: max(z, 0) - z t + log(1 + e^-|z|), the transcendental part a vector at a time.</summary>
    private static double BceSum<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Length;
        var d = CostScratch.Get(n);
        for (int i = 0; i < n; i++) d[i] = -Math.Abs(double.CreateChecked(z[i]));
        ElementwiseMath.Exp<double>(d, d);
        ElementwiseMath.LogP1<double>(d, d);
        var partial = new PartialSums(sums);
        for (int i = 0; i < n; i++)
        {
            double zi = double.CreateChecked(z[i]), ti = double.CreateChecked(t[i]);
            partial.Add(i, Math.Max(zi, 0) - zi * ti + d[i]);
        }
        return partial.Total;
    }

    /// <summary>dJ/da at the output for the general path (mse): 2 (a - t) / (m K). Fused losses do not use it.</summary>
    internal static void OutputGradient<T>(Loss loss, ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> dA, int rows, int outputs)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        if (loss != Loss.Mse) throw new InvalidOperationException("bce and ce are fused with their activation");
        T scale = T.CreateChecked(2.0) / T.CreateChecked(n);
        for (int i = 0; i < n; i++) dA[i] = scale * (a[i] - t[i]);
    }

    /// <summary>delta = dJ/dz = (a - t) / m, the fused gradient of bce-on-sigmoid and ce-on-softmax.</summary>
    internal static void FusedDelta<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> t, Span<T> delta, int rows, int outputs, Loss loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        T scale = FusedScale<T>(loss, rows, outputs);
        int w = Vector<T>.Count, i = 0;
        for (; i + w <= n; i += w)
            ((new Vector<T>(a[i..]) - new Vector<T>(t[i..])) * new Vector<T>(scale)).CopyTo(delta[i..]);
        for (; i < n; i++) delta[i] = (a[i] - t[i]) * scale;
    }

    /// <summary>1/m of the fused delta: bce averages over samples and outputs (each output is its own binary problem); ce over samples.</summary>
    internal static T FusedScale<T>(Loss loss, int rows, int outputs) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.One / T.CreateChecked(loss == Loss.Bce ? rows * outputs : rows);

    /// <summary>
    /// The bce sum a vector at a time: the same terms as <see cref="BceSum"/>, rounded the same way, and the
    /// same eight running sums (two vectors of four, term i in lane i mod 8).
    /// </summary>
    private static double BceSumByVectors<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = z.Length;
        var zd = CostScratch.Get(n, 1);
        var td = CostScratch.Get(n, 2);
        var d = CostScratch.Get(n);
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

    /// <summary>The ce sum: per row, logsumexp shifted by the row's largest logit, then sum_k t_k (logsumexp - z_k).</summary>
    private static double CeSum<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, int rows, int outputs, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        var zd = CostScratch.Get(n, 1);
        var d = CostScratch.Get(n);
        var maxima = CostScratch.Get(rows, 2);
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

    /// <summary>Whether the loss is fused with its output activation.</summary>
    internal static bool IsFused(Loss loss) => loss is Loss.Bce or Loss.Ce;
}
