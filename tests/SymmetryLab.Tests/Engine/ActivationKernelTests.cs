using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;
using static SymmetryLab.Tests.Engine.KernelInputs;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// The activation kernels (forward, the bias added before it, the backward chain rule, the bias gradient's
/// row sums, softmax row-major and in lanes) against plain scalar loops written here from the formulas in
/// their documentation, for every length 1 to 67, float and double, bit for bit: each kernel promises that
/// an element's bits depend on its value alone, whether it falls in a vector body or a tail (that is what
/// keeps identical units identical). The scalar exponential and tanh are the engine's own one-number
/// functions (ExpPolynomial.Exp, ElementwiseMath.Tanh), whose accuracy against the C library
/// ElementwiseMathTests checks. Re-run on every CPU path by <see cref="Numerics.EveryCpuPathTests"/>.
/// </summary>
public class ActivationKernelTests
{
    private static readonly Activation[] ElementWise = [Activation.Linear, Activation.Sigmoid, Activation.Tanh, Activation.Relu, Activation.LeakyRelu];

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void ForwardGivesTheScalarBits(int n)
    {
        Forward<float>(n);
        Forward<double>(n);
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void BiasThenForwardGivesTheScalarBits(int units)
    {
        BiasThenForward<float>(units);
        BiasThenForward<double>(units);
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void BackwardGivesTheScalarBits(int n)
    {
        Backward<float>(n);
        Backward<double>(n);
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void RowSumsAddTheRowsInOrder(int units)
    {
        RowSums<float>(units);
        RowSums<double>(units);
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void SoftmaxGivesTheScalarBits(int units)
    {
        Softmax<float>(units);
        Softmax<double>(units);
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Lengths), MemberType = typeof(KernelInputs))]
    public void SoftmaxInLanesGivesEachLaneTheRowMajorBits(int units)
    {
        LaneSoftmax<float>(units);
        LaneSoftmax<double>(units);
    }

    private static void Forward<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var g in ElementWise)
        {
            var z = Values<T>(n, 100 * n + (int)g, nonFinite: true);
            var a = new T[n];
            ActivationFunctions.Forward<T>(g, z, a, 1, n);
            AssertSameBits<T>([.. z.Select(v => ScalarForward(g, v))], a, $"{g.Name()} forward, length {n}");
            // In place, as the lane passes call it.
            ActivationFunctions.Forward<T>(g, z, z, 1, n);
            AssertSameBits<T>(a, z, $"{g.Name()} forward in place, length {n}");
        }
    }

    private static void BiasThenForward<T>(int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        // Fewer rows than a vector, exactly one, a vector and a row more: units narrower than a vector
        // take w rows at a time against a tiled bias.
        foreach (int rows in new[] { 1, 2, 3, w - 1, w, w + 1, 2 * w + 3 }.Where(r => r > 0).Distinct())
            foreach (var g in ElementWise.Append(Activation.Softmax))
            {
                var z = Values<T>(rows * units, 1000 * units + 10 * rows + (int)g, nonFinite: g != Activation.Softmax);
                var bias = Values<T>(units, 7 * units + rows, nonFinite: g != Activation.Softmax);
                var expectedZ = new T[rows * units];
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < units; j++) expectedZ[r * units + j] = z[r * units + j] + bias[j];
                var expectedA = g == Activation.Softmax ? SoftmaxRows(expectedZ, rows, units) : [.. expectedZ.Select(v => ScalarForward(g, v))];
                var a = new T[rows * units];
                ActivationFunctions.AddBiasAndForward<T>(g, z, bias, a, rows, units);
                AssertSameBits<T>(expectedZ, z, $"z + bias, {rows} rows of {units}");
                AssertSameBits<T>(expectedA, a, $"{g.Name()}(z + bias), {rows} rows of {units}");
            }
    }

    private static void Backward<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T slope = T.CreateChecked(0.01);
        foreach (var g in ElementWise)
        {
            var z = Values<T>(n, 300 * n + (int)g, nonFinite: true);
            var a = z.Select(v => ScalarForward(g, v)).ToArray();
            var dA = Values<T>(n, 500 * n + (int)g, nonFinite: true);
            // delta = dJ/da * g'(z), each derivative as Activation's documentation writes it.
            var expected = new T[n];
            for (int i = 0; i < n; i++)
                expected[i] = g switch
                {
                    Activation.Linear => dA[i],
                    Activation.Sigmoid => dA[i] * (a[i] * (T.One - a[i])),
                    Activation.Tanh => dA[i] * (T.One - a[i] * a[i]),
                    Activation.Relu => z[i] > T.Zero ? dA[i] : T.Zero, // +0, not 0 * dA (which is -0 or NaN)
                    _ => z[i] > T.Zero ? dA[i] : slope * dA[i],
                };
            var delta = new T[n];
            ActivationFunctions.Backward<T>(g, z, a, dA, delta, 1, n);
            AssertSameBits<T>(expected, delta, $"{g.Name()} backward, length {n}");
        }
        // Softmax through its full Jacobian, three samples: delta_k = a_k (dA_k - sum_j a_j dA_j), the sum in order.
        const int rows = 3;
        var zs = Values<T>(rows * n, 700 * n);
        var soft = SoftmaxRows(zs, rows, n);
        var dAs = Values<T>(rows * n, 900 * n);
        var expectedSoft = new T[rows * n];
        for (int r = 0; r < rows; r++)
        {
            T dot = T.Zero;
            for (int k = 0; k < n; k++) dot += soft[r * n + k] * dAs[r * n + k];
            for (int k = 0; k < n; k++) expectedSoft[r * n + k] = soft[r * n + k] * (dAs[r * n + k] - dot);
        }
        var deltaSoft = new T[rows * n];
        ActivationFunctions.Backward<T>(Activation.Softmax, zs, soft, dAs, deltaSoft, rows, n);
        AssertSameBits<T>(expectedSoft, deltaSoft, $"softmax backward, {rows} rows of {n}");
    }

    private static void RowSums<T>(int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int rows in new[] { 1, 2, 3, 5, 17 })
        {
            var m = Values<T>(rows * units, 11 * units + rows, nonFinite: true);
            var expected = new T[units];
            for (int j = 0; j < units; j++)
            {
                T sum = T.Zero;
                for (int r = 0; r < rows; r++) sum += m[r * units + j];
                expected[j] = sum;
            }
            // Longer than units and not zero: the kernel clears its own part and leaves the rest.
            var sums = Enumerable.Repeat(T.CreateChecked(7), units + 3).ToArray();
            ActivationFunctions.SumRows<T>(m, sums, rows, units);
            AssertSameBits<T>(expected, sums, $"row sums, {rows} rows of {units}");
            Assert.All(sums[units..], s => Assert.Equal(T.CreateChecked(7), s));
        }
    }

    private static void Softmax<T>(int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int rows in new[] { 1, 3 })
        {
            var z = Values<T>(rows * units, 13 * units + rows);
            var a = new T[rows * units];
            ActivationFunctions.Forward<T>(Activation.Softmax, z, a, rows, units);
            var expected = SoftmaxRows(z, rows, units);
            AssertSameBits<T>(expected, a, $"softmax, {rows} rows of {units}");
            var one = new T[units];
            ActivationFunctions.Softmax<T>(z.AsSpan(0, units), one);
            AssertSameBits<T>(expected.AsSpan(0, units), one, $"softmax of one sample of {units}");
        }
    }

    private static void LaneSoftmax<T>(int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 2;
        int lanes = Vector<T>.Count;
        var flat = Values<T>(rows * units * lanes, 17 * units);
        var z = new Vector<T>[rows * units];
        for (int i = 0; i < z.Length; i++) z[i] = new Vector<T>(flat.AsSpan(i * lanes, lanes));
        var a = new Vector<T>[z.Length];
        var dA = Values<T>(rows * units * lanes, 19 * units);
        var dAv = new Vector<T>[z.Length];
        for (int i = 0; i < z.Length; i++) dAv[i] = new Vector<T>(dA.AsSpan(i * lanes, lanes));
        var delta = new Vector<T>[z.Length];
        LaneActivations.Forward<T>(Activation.Softmax, z, a, rows, units);
        LaneActivations.Backward<T>(Activation.Softmax, z, a, dAv, delta, rows, units);
        for (int s = 0; s < lanes; s++)
        {
            var zs = new T[rows * units];
            var dAs = new T[rows * units];
            for (int i = 0; i < zs.Length; i++)
            {
                zs[i] = z[i][s];
                dAs[i] = dAv[i][s];
            }
            var expectedA = new T[zs.Length];
            var expectedDelta = new T[zs.Length];
            ActivationFunctions.Forward<T>(Activation.Softmax, zs, expectedA, rows, units);
            ActivationFunctions.Backward<T>(Activation.Softmax, zs, expectedA, dAs, expectedDelta, rows, units);
            AssertSameBits<T>(SoftmaxRows(zs, rows, units), expectedA, $"softmax, {rows} rows of {units}");
            AssertSameBits<T>(expectedA, [.. a.Select(v => v[s])], $"softmax in lane {s} of {lanes}, {rows} rows of {units}");
            AssertSameBits<T>(expectedDelta, [.. delta.Select(v => v[s])], $"softmax backward in lane {s} of {lanes}, {rows} rows of {units}");
        }
    }

    /// <summary>g(z) for one number, as Activation's documentation writes it.</summary>
    private static T ScalarForward<T>(Activation g, T z) where T : unmanaged, IFloatingPointIeee754<T> => g switch
    {
        Activation.Linear => z,
        Activation.Sigmoid => T.One / (T.One + Exp(-z)),
        Activation.Tanh => typeof(T) == typeof(float) ? (T)(object)ElementwiseMath.Tanh((float)(object)z) : (T)(object)ElementwiseMath.Tanh((double)(object)z),
        Activation.Relu => T.IsNaN(z) ? z : z > T.Zero ? z : T.Zero, // max(z, 0): NaN stays NaN, -0 gives +0
        Activation.LeakyRelu => z > T.Zero ? z : T.CreateChecked(0.01) * z,
        _ => throw new ArgumentException("softmax is not element-wise", nameof(g)),
    };

    /// <summary>Each row shifted by its largest logit, exponentiated, divided by its sum (added in order).</summary>
    private static T[] SoftmaxRows<T>(T[] z, int rows, int units) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = new T[rows * units];
        for (int r = 0; r < rows; r++)
        {
            T max = z[r * units];
            for (int k = 1; k < units; k++) max = T.Max(max, z[r * units + k]);
            T sum = T.Zero;
            for (int k = 0; k < units; k++) sum += a[r * units + k] = Exp(z[r * units + k] - max);
            for (int k = 0; k < units; k++) a[r * units + k] /= sum;
        }
        return a;
    }

    private static T Exp<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (T)(object)ExpPolynomial.Exp((float)(object)x) : (T)(object)ExpPolynomial.Exp((double)(object)x);
}
