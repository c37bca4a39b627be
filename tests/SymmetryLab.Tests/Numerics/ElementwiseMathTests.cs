using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>An element's exponential, sigmoid and log(1 + x) depend on its value alone, not on the length of its span.</summary>
public class ElementwiseMathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(17)]
    public void ShortSpansGiveTheBitsOfLongOnes(int length)
    {
        Same<float>(length);
        Same<double>(length);
    }

    private static void Same<T>(int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(3);
        for (int trial = 0; trial < 2000; trial++)
        {
            var x = new T[length];
            for (int i = 0; i < length; i++) x[i] = T.CreateChecked(rng.NextNormal(0, 8));
            var longer = new T[64];
            for (int i = 0; i < longer.Length; i++) longer[i] = x[i % length];
            foreach (var (f, domain) in new (Action<ReadOnlyMemory<T>, Memory<T>>, Func<T, T>)[]
            {
                ((a, b) => ElementwiseMath.Exp<T>(a.Span, b.Span), v => v),
                ((a, b) => ElementwiseMath.Sigmoid<T>(a.Span, b.Span), v => v),
                ((a, b) => ElementwiseMath.Tanh<T>(a.Span, b.Span), v => v),
                ((a, b) => ElementwiseMath.LogP1<T>(a.Span, b.Span), T.Abs),
            })
            {
                var input = x.Select(domain).ToArray();
                var inputLong = longer.Select(domain).ToArray();
                var y = new T[length];
                var yLong = new T[longer.Length];
                f(input, y);
                f(inputLong, yLong);
                for (int i = 0; i < length; i++) Assert.Equal(yLong[i], y[i]);
            }
        }
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

    [Fact]
    public void TanhOfZeroIsZeroAndTheEdgesHold()
    {
        // Each value five times, so it goes through the vector body and the scalar tail alike.
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
