using System.Numerics.Tensors;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;
using SymmetryLab.Tests.Engine;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// An element's exponential, sigmoid, tanh and log(1 + x) depend on its value alone: a span of any length
/// gives, element by element, what the scalar functions give (a span shorter than a vector takes the scalar
/// functions, a longer one the vector body and an overlapping last vector), which is also what a machine
/// without vector hardware computes. The tests marked [EveryCpuPath] run again
/// with the vector paths switched off (EveryCpuPathTests), and the determinism tests re-run training so.
/// </summary>
public class ElementwiseMathTests
{
    /// <summary>Values that exercise every branch: zeros, tiny, ordinary, the ends of each range, infinities, NaN.</summary>
    private static double[] Edges =>
    [
        0.0, -0.0, 1e-310, -1e-310, 1e-300, 1e-20, -1e-20, 0.3, -0.3, 0.6249999, 0.625, 1, -1, 2.5, -7.25, 19, -19, 20,
        87.3, -87.3, 88.72, 88.73, -103.9, -104, 700, -700, 708, -708, 708.5, 709.7, 709.8, -720, -745, -745.2, -746, -800, 1e300, -1e300,
        double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, -0.5, -1, -1.5,
    ];

    private static T[] Values<T>(int count, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)seed);
        var edges = Edges;
        return Enumerable.Range(0, count).Select(i => T.CreateSaturating(
            rng.NextInt(3) == 0 ? edges[rng.NextInt(edges.Length)] : rng.NextNormal(0, 1) * Math.Pow(10, rng.NextDouble() * 5 - 2))).ToArray();
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(KernelInputs.Lengths), MemberType = typeof(KernelInputs))]
    public void EverySpanLengthGivesTheScalarBits(int length)
    {
        for (int trial = 0; trial < 40; trial++)
        {
            SameAsScalar<double>(length, trial, ElementwiseMath.Exp<double>, ExpPolynomial.Exp);
            SameAsScalar<float>(length, trial, ElementwiseMath.Exp<float>, ExpPolynomial.Exp);
            SameAsScalar<double>(length, trial, ElementwiseMath.Sigmoid<double>, v => 1.0 / (1.0 + ExpPolynomial.Exp(-v)));
            SameAsScalar<float>(length, trial, ElementwiseMath.Sigmoid<float>, v => 1f / (1f + ExpPolynomial.Exp(-v)));
            SameAsScalar<double>(length, trial, ElementwiseMath.Tanh<double>, ElementwiseMath.Tanh);
            SameAsScalar<float>(length, trial, ElementwiseMath.Tanh<float>, ElementwiseMath.Tanh);
            SameAsScalar<double>(length, trial, ElementwiseMath.LogP1<double>, v => LogPolynomial.Log(v + 1.0));
            SameAsScalar<float>(length, trial, ElementwiseMath.LogP1<float>, v => (float)LogPolynomial.Log((double)(v + 1f)));
        }
    }

    /// <summary>
    /// Whole vectors within the kernels' fast ranges (no lane clamped, no select needed), up to their
    /// ends, give the scalar bits too: exp near +-708 (where the scalar scales by 2^n in two products and
    /// the vector in one), float exp near +-87, tanh on either side of 0.625, log over every exponent.
    /// </summary>
    [Fact, EveryCpuPath]
    public void VectorsWithinTheFastRangesGiveTheScalarBits()
    {
        var rng = new Rng(17);
        const int n = 4096;
        double[] Uniform(double low, double high) => [.. Enumerable.Range(0, n).Select(_ => low + (high - low) * rng.NextDouble())];
        foreach (var x in new[] { Uniform(-708, -690), Uniform(690, 708), Uniform(-1, 1) })
            Same(x, ElementwiseMath.Exp<double>, ExpPolynomial.Exp);
        foreach (var x in new[] { Uniform(-87, -80), Uniform(80, 87), Uniform(-1, 1) })
            Same([.. x.Select(v => (float)v)], ElementwiseMath.Exp<float>, ExpPolynomial.Exp);
        foreach (var x in new[] { Uniform(-0.6249, 0.6249), Uniform(0.625, 30), Uniform(-30, -0.625) })
        {
            Same(x, ElementwiseMath.Tanh<double>, ElementwiseMath.Tanh);
            Same([.. x.Select(v => (float)v)], ElementwiseMath.Tanh<float>, ElementwiseMath.Tanh);
        }
        Same([.. Uniform(-1000, 1000).Select(e => Math.Pow(2, e))], ElementwiseMath.LogP1<double>, v => LogPolynomial.Log(v + 1.0));
        Assert.Equal(0.625, Math.BitIncrement(0.62499999999999989));
        Assert.Equal(0.625f, MathF.BitIncrement(0.62499994f));

        static void Same<T>(T[] x, SpanFunction<T> span, Func<T, T> scalar) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var y = new T[x.Length];
            span(x, y);
            for (int i = 0; i < x.Length; i++) Assert.True(y[i] == scalar(x[i]), $"{typeof(T).Name} f({x[i]}) = {y[i]} in the span, {scalar(x[i])} alone");
        }
    }

    private delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> y);

    private static void SameAsScalar<T>(int length, int trial, SpanFunction<T> span, Func<T, T> scalar) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = Values<T>(length, 1000 * length + trial);
        var y = new T[length];
        span(x, y);
        for (int i = 0; i < length; i++)
        {
            T expected = scalar(x[i]);
            Assert.True(y[i].Equals(expected) || (T.IsNaN(y[i]) && T.IsNaN(expected)),
                $"{typeof(T).Name} length {length}, element {i}: f({x[i]}) = {y[i]} in the span, {expected} alone");
        }
        // In place (the engine calls them with y = x) gives the same.
        var inPlace = (T[])x.Clone();
        span(inPlace, inPlace);
        for (int i = 0; i < length; i++) Assert.True(inPlace[i].Equals(y[i]) || T.IsNaN(y[i]));
    }

    /// <summary>
    /// On a CPU with FMA, TensorPrimitives (which the engine used before) fuses its multiply-adds too, and
    /// our functions give its bits: models trained there before the change keep their bytes.
    /// </summary>
    [Fact]
    public void OnAnFmaMachineTheBitsOfTensorPrimitivesAreKept()
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported && !System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported) return;
        var rng = new Rng(11);
        const int n = 1 << 16;
        var wide = Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * 708).ToArray();
        var near = Enumerable.Range(0, n).Select(_ => rng.NextNormal(0, 4)).ToArray();
        var unit = Enumerable.Range(0, n).Select(_ => Math.Exp(-40 * rng.NextDouble())).ToArray();
        foreach (var x in new[] { wide, near })
        {
            Same(x, ElementwiseMath.Exp<double>, TensorPrimitives.Exp<double>);
            Same(x, ElementwiseMath.Sigmoid<double>, TensorPrimitives.Sigmoid<double>);
            var f = x.Select(v => (float)(v / 7)).ToArray();
            Same(f, ElementwiseMath.Exp<float>, TensorPrimitives.Exp<float>);
            Same(f, ElementwiseMath.Sigmoid<float>, TensorPrimitives.Sigmoid<float>);
        }
        Same(unit, ElementwiseMath.LogP1<double>, TensorPrimitives.LogP1<double>);

        static void Same<T>(T[] x, SpanFunction<T> ours, SpanFunction<T> theirs) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var a = new T[x.Length];
            var b = new T[x.Length];
            ours(x, a);
            theirs(x, b);
            for (int i = 0; i < x.Length; i++) Assert.True(a[i] == b[i], $"{typeof(T).Name} {x[i]}: {a[i]} vs TensorPrimitives {b[i]}");
        }
    }

    [Fact]
    public void ExpAndLogAreWithinAnUlpOrTwoOfTheCLibrary()
    {
        var rng = new Rng(9);
        double worstExp = 0, worstLog = 0, worstExpF = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = (rng.NextDouble() * 2 - 1) * 745;
            double e = Math.Exp(x);
            if (e > 1e-300 && e < 1e308) worstExp = Math.Max(worstExp, Math.Abs(ExpPolynomial.Exp(x) - e) / UlpOf(e));
            float xf = (float)((rng.NextDouble() * 2 - 1) * 100);
            float ef = (float)Math.Exp(xf);
            if (ef > 1e-37f && float.IsFinite(ef)) worstExpF = Math.Max(worstExpF, Math.Abs(ExpPolynomial.Exp(xf) - ef) / UlpOf(ef));
            double u = Math.Exp((rng.NextDouble() * 2 - 1) * 700);
            worstLog = Math.Max(worstLog, Math.Abs(LogPolynomial.Log(u) - Math.Log(u)) / UlpOf(Math.Log(u)));
        }
        Assert.True(worstExp <= 2, $"exp double: {worstExp} ulp");
        Assert.True(worstExpF <= 2, $"exp float: {worstExpF} ulp");
        Assert.True(worstLog <= 2, $"log double: {worstLog} ulp");
        Assert.Equal(0.0, ExpPolynomial.Exp(-746.0));
        Assert.Equal(double.PositiveInfinity, ExpPolynomial.Exp(710.0));
        Assert.Equal(Math.Exp(-745.0), ExpPolynomial.Exp(-745.0)); // the smallest subnormal, rounded once
        Assert.Equal(double.NegativeInfinity, LogPolynomial.Log(0.0));
        Assert.True(double.IsNaN(LogPolynomial.Log(-1e-300)));
        Assert.Equal(Math.Log(1e-310), LogPolynomial.Log(1e-310), 1e-12);
    }

    [Fact]
    public void TanhIsWithinAFewUlpsOfMathTanh()
    {
        var rng = new Rng(5);
        var xs = new List<double> { 0.625, -0.625, 0.6249999, 1e-30, -1e-30, 1e-8, 0.3, 5, 9, 9.1, 19, 20, 300 };
        for (int i = 0; i < 100_000; i++) xs.Add(rng.NextNormal(0, 1) * Math.Pow(10, rng.NextDouble() * 4 - 3));
        var xd = xs.ToArray();
        var yd = new double[xd.Length];
        ElementwiseMath.Tanh<double>(xd, yd);
        var xf = xd.Select(v => (float)v).ToArray();
        var yf = new float[xf.Length];
        ElementwiseMath.Tanh<float>(xf, yf);
        double worstDouble = 0, worstFloat = 0;
        for (int i = 0; i < xd.Length; i++)
        {
            worstDouble = Math.Max(worstDouble, Math.Abs(yd[i] - Math.Tanh(xd[i])) / UlpOf(Math.Tanh(xd[i])));
            worstFloat = Math.Max(worstFloat, Math.Abs(yf[i] - Math.Tanh(xf[i])) / UlpOf((float)Math.Tanh(xf[i])));
        }
        // Measured: 2 ulp in double, 1.6 ulp in float (against the correctly rounded-ish Math.Tanh).
        Assert.True(worstDouble <= 3, $"double: {worstDouble} ulp");
        Assert.True(worstFloat <= 3, $"float: {worstFloat} ulp");
    }

    [Fact, EveryCpuPath]
    public void TanhOfZeroIsZeroAndTheEdgesHold()
    {
        // Each value five times (30 floats), so it lands in different lanes of the vector body and of the
        // overlapping last vector (SpanMap has no scalar tail once a span holds a whole vector).
        float[] edges = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f];
        var x = Enumerable.Range(0, 5 * edges.Length).Select(i => edges[i % edges.Length]).ToArray();
        var y = new float[x.Length];
        ElementwiseMath.Tanh<float>(x, y);
        for (int i = 0; i < x.Length; i += edges.Length)
        {
            Assert.Equal(0f, y[i]);
            Assert.False(float.IsNegative(y[i]));
            Assert.True(float.IsNegative(y[i + 1]) && y[i + 1] == 0f); // tanh(-0) = -0, as Math.Tanh
            Assert.Equal(1f, y[i + 2]);
            Assert.Equal(-1f, y[i + 3]);
            Assert.True(float.IsNaN(y[i + 4]));
            Assert.Equal(1e-40f, y[i + 5]);
        }
        double[] d = [0.0, -0.0, 1e-300, 0.0, -0.0, 1e-300, 0.0, -0.0, 1e-300];
        var e = new double[d.Length];
        ElementwiseMath.Tanh<double>(d, e);
        for (int i = 0; i < d.Length; i += 3)
        {
            Assert.False(double.IsNegative(e[i]));
            Assert.True(double.IsNegative(e[i + 1]));
            Assert.Equal(1e-300, e[i + 2]);
        }
    }

    private static double UlpOf(double v) => Math.Max(Math.BitIncrement(Math.Abs(v)) - Math.Abs(v), double.Epsilon);

    private static double UlpOf(float v) => Math.Max(MathF.BitIncrement(MathF.Abs(v)) - MathF.Abs(v), float.Epsilon);

    [Fact]
    public void OneRowPredictedAloneMatchesTheSameRowInABatch()
    {
        var net = TestNets.Random<float>(3, [(4, Activation.Tanh), (1, Activation.Sigmoid)]);
        var x = TestNets.Convert<float>(TestNets.Data(8, 3, 2).X);
        var pool = WorkerPool.ForThreads(1);
        var all = (float[])net.Forward(x, 8, pool).Clone();
        for (int r = 0; r < 8; r++)
            Assert.Equal(all[r], net.Forward(x[(r * 3)..(r * 3 + 3)], 1, pool)[0]);
    }
}
