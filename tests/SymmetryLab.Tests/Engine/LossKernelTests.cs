using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;
using static SymmetryLab.Tests.Engine.KernelInputs;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// The cost and the output gradients against plain scalar loops, for every length 1 to 67, float and double.
/// <para>
/// The cost is a sum, and its order is documented (LossFunctions.Cost): term i into running sum i mod 8,
/// the eight added pairwise at the end, in double. A loop written here in that order must give the same
/// bits (the vector path of a lone network and the lane path of a seed batch both promise it). Against
/// the formula summed left to right with the C library's exp and log, which is how a learner would
/// write it, the cost can differ in the last bits: each term by a few units of 2^-52 of max(1, |term|)
/// (exp and log within 2 ulp, and log(1 + x) rounds 1 + x first), the sum by about n 2^-52 sum |term| for
/// adding in another order; the bound asserted covers both, (n + 8) 2^-52 sum max(1, |term|) (before the mean).
/// </para>
/// The gradients are element-wise and promise bits: (a - t) / m fused with sigmoid and softmax, 2 (a - t) / (m K) for mse.
/// </summary>
public class LossKernelTests
{
    private static readonly Loss[] Losses = [Loss.Bce, Loss.Ce, Loss.Mse];

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void CostSumsInTheDocumentedOrder(int n)
    {
        foreach (var loss in Losses)
        {
            // n samples of one or three outputs, and two samples of n outputs.
            foreach (var (rows, outputs) in new[] { (n, loss == Loss.Ce ? 3 : 1), (2, n) })
            {
                Cost<float>(loss, rows, outputs);
                Cost<double>(loss, rows, outputs);
            }
        }
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void OutputGradientsGiveTheScalarBits(int n)
    {
        Gradients<float>(n);
        Gradients<double>(n);
    }

    private static void Cost<T>(Loss loss, int rows, int outputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        var (z, a, t) = Setup<T>(loss, rows, outputs, seed: 41 * n + outputs);
        double[] terms = loss switch
        {
            Loss.Bce => [.. Enumerable.Range(0, n).Select(i => BceTerm(D(z[i]), D(t[i])))],
            Loss.Ce => [.. Enumerable.Range(0, rows).Select(r => CeRow(z.AsSpan(r * outputs, outputs), t.AsSpan(r * outputs, outputs)))],
            _ => [.. Enumerable.Range(0, n).Select(i => (D(a[i]) - D(t[i])) * (D(a[i]) - D(t[i])))],
        };
        double divisor = loss == Loss.Ce ? rows : n;
        double expected = loss == Loss.Bce ? EightSums(terms) / rows / outputs : EightSums(terms) / divisor;
        double cost = LossFunctions.Cost<T>(loss, z, a, t, rows, outputs);
        string what = $"{typeof(T).Name} {loss} cost of {rows} x {outputs}";
        Assert.True(SameBits(expected, cost), $"{what}: {cost:R} from the engine, {expected:R} from the scalar loop");

        // The formula as a learner writes it: left to right, Math.Exp and Math.Log.
        double naive = 0, magnitude = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            double term = loss switch
            {
                Loss.Bce => Math.Max(D(z[i]), 0) - D(z[i]) * D(t[i]) + Math.Log(1 + Math.Exp(-Math.Abs(D(z[i])))),
                Loss.Ce => NaiveCeRow(z.AsSpan(i * outputs, outputs), t.AsSpan(i * outputs, outputs)),
                _ => (D(a[i]) - D(t[i])) * (D(a[i]) - D(t[i])),
            };
            naive += term;
            magnitude += Math.Max(1, Math.Abs(term));
        }
        naive /= divisor;
        double bound = (terms.Length + 8) * Math.Pow(2, -52) * magnitude / divisor;
        Assert.True(Math.Abs(cost - naive) <= bound, $"{what}: {cost:R}, the formula summed left to right {naive:R}, beyond {bound:G3}");

        // Three networks interleaved (a seed batch) on the same targets: each its own cost, bit for bit.
        const int lanes = 3;
        var zs = new T[n * lanes];
        var As = new T[n * lanes];
        var others = Enumerable.Range(0, lanes).Select(s => Setup<T>(loss, rows, outputs, seed: 41 * n + outputs + 1 + s)).ToArray();
        for (int i = 0; i < n; i++)
            for (int s = 0; s < lanes; s++)
            {
                zs[i * lanes + s] = others[s].Z[i];
                As[i * lanes + s] = others[s].A[i];
            }
        var costs = new double[lanes];
        LaneLosses.Costs<T>(loss, zs, As, t, rows, outputs, lanes, costs);
        for (int s = 0; s < lanes; s++)
        {
            double alone = LossFunctions.Cost<T>(loss, others[s].Z, others[s].A, t, rows, outputs);
            Assert.True(SameBits(alone, costs[s]), $"{what}, network {s} of {lanes} interleaved: {costs[s]:R}, alone {alone:R}");
        }
    }

    private static void Gradients<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var (rows, outputs) in new[] { (n, 1), (1, n) })
        {
            var a = Uniform<T>(n, 3 * n + rows, 0, 1);
            var t = Uniform<T>(n, 5 * n + rows, 0, 1);
            // Mse: dJ/da = 2 (a - t) / n, the scale rounded to T once.
            T two = T.CreateChecked(2.0) / T.CreateChecked(n);
            var dA = new T[n];
            LossFunctions.OutputGradient<T>(Loss.Mse, a, t, dA, rows, outputs);
            AssertSameBits<T>([.. a.Zip(t, (x, y) => two * (x - y))], dA, $"mse gradient, {rows} x {outputs}");
            // Fused: delta = (a - t) / m, with m = n for bce (each output its own problem) and the rows for ce.
            foreach (var loss in new[] { Loss.Bce, Loss.Ce })
            {
                T scale = T.One / T.CreateChecked(loss == Loss.Bce ? n : rows);
                var delta = new T[n];
                LossFunctions.FusedDelta<T>(a, t, delta, rows, outputs, loss);
                AssertSameBits<T>([.. a.Zip(t, (x, y) => (x - y) * scale)], delta, $"{loss} fused delta, {rows} x {outputs}");
            }
        }
    }

    /// <summary>Logits, outputs and targets: bce 0/1 targets, ce one-hot rows (rows of one output are all class 0), mse any.</summary>
    private static (T[] Z, T[] A, T[] T) Setup<T>(Loss loss, int rows, int outputs, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * outputs;
        var z = Values<T>(n, seed, specials: false);
        var a = Values<T>(n, seed + 7, specials: false);
        var rng = new Rng((ulong)seed);
        var t = new T[n];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < outputs; k++)
                t[r * outputs + k] = loss switch
                {
                    Loss.Bce => T.CreateChecked(rng.NextInt(2)),
                    Loss.Ce => k == r % outputs ? T.One : T.Zero,
                    _ => T.CreateChecked(rng.NextNormal()),
                };
        return (z, a, t);
    }

    /// <summary>max(z, 0) - z t + log(1 + e^-|z|): -t log a - (1 - t) log(1 - a) for a = sigmoid(z), without overflow.</summary>
    private static double BceTerm(double z, double t) => Math.Max(z, 0) - z * t + LogPolynomial.Log(ExpPolynomial.Exp(-Math.Abs(z)) + 1.0);

    /// <summary>sum_k t_k (logsumexp(z) - z_k), logsumexp shifted by the row's largest logit, sums in order.</summary>
    private static double CeRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity, sum = 0, row = 0;
        foreach (var v in z) max = Math.Max(max, D(v));
        foreach (var v in z) sum += ExpPolynomial.Exp(D(v) - max);
        double logSumExp = max + LogPolynomial.Log(sum);
        for (int k = 0; k < z.Length; k++) row += D(t[k]) * (logSumExp - D(z[k]));
        return row;
    }

    /// <summary>-sum_k t_k log softmax(z)_k with the C library's exp and log.</summary>
    private static double NaiveCeRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity, sum = 0, row = 0;
        foreach (var v in z) max = Math.Max(max, D(v));
        foreach (var v in z) sum += Math.Exp(D(v) - max);
        for (int k = 0; k < z.Length; k++) row -= D(t[k]) * (D(z[k]) - max - Math.Log(sum));
        return row;
    }

    /// <summary>Term i into sum i mod 8, the eight added pairwise: ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)).</summary>
    private static double EightSums(double[] terms)
    {
        var s = new double[8];
        for (int i = 0; i < terms.Length; i++) s[i % 8] += terms[i];
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    }

    private static double D<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> => double.CreateChecked(v);
}
