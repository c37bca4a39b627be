using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

public class InitializerTests
{
    private static (double Mean, double Variance) Moments(double[] values)
    {
        double mean = values.Average();
        return (mean, values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    [Theory]
    [InlineData("glorot-uniform", 2.0 / (300 + 200))]
    [InlineData("glorot-normal", 2.0 / (300 + 200))]
    [InlineData("keras-default", 2.0 / (300 + 200))]
    [InlineData("he-uniform", 2.0 / 300)]
    [InlineData("he-normal", 2.0 / 300)]
    [InlineData("lecun-normal", 1.0 / 300)]
    [InlineData("torch-default", 1.0 / (3 * 300))]
    [InlineData("orthogonal", 1.0 / 300)]
    [InlineData("normal:0.5:0.2", 0.04)]
    [InlineData("uniform:-1:3", 16.0 / 12)]
    public void VarianceMatchesTheDocumentedFormula(string scheme, double variance)
    {
        // A layer of 200 units over 300 inputs: fan_in 300, fan_out 200.
        var values = new double[200 * 300];
        Assert.True(Initializer.TryParse(scheme, out var init, out var error), error);
        init!.Fill(values, 200, 300, 300, 200, new Rng(1));
        var (mean, v) = Moments(values);
        Assert.InRange(v, variance * 0.97, variance * 1.03);
        double expectedMean = scheme.StartsWith("normal") ? 0.5 : scheme.StartsWith("uniform") ? 1 : 0;
        Assert.InRange(mean, expectedMean - 0.02 * Math.Sqrt(variance) * 3, expectedMean + 0.02 * Math.Sqrt(variance) * 3);
    }

    [Theory]
    [InlineData(4, 9)]
    [InlineData(9, 4)]
    public void OrthogonalRowsOrColumnsAreOrthonormal(int rows, int cols)
    {
        var w = new double[rows * cols];
        new Orthogonal().Fill(w, rows, cols, cols, rows, new Rng(2));
        bool byRows = rows <= cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        double At(int v, int e) => byRows ? w[v * cols + e] : w[e * cols + v];
        for (int p = 0; p < count; p++)
            for (int q = 0; q < count; q++)
            {
                double dot = 0;
                for (int e = 0; e < length; e++) dot += At(p, e) * At(q, e);
                Assert.Equal(p == q ? 1.0 : 0.0, dot, 1e-12);
            }
    }

    [Fact]
    public void ConstantAndZerosFillEveryValue()
    {
        var net = new Network<float>(3, [(4, Activation.Sigmoid), (2, Activation.Softmax)]);
        TestNets.Scheme("constant:0.5", "constant:-1").Apply(net, new Rng(1));
        Assert.All(net.Layers.SelectMany(l => l.Weights), w => Assert.Equal(0.5f, w));
        Assert.All(net.Layers.SelectMany(l => l.Biases), b => Assert.Equal(-1f, b));
    }

    [Fact]
    public void SymmetricStartsHiddenUnitsIdenticalInIncomingAndOutgoingWeights()
    {
        var net = new Network<double>(5, [(4, Activation.Sigmoid), (3, Activation.Sigmoid), (2, Activation.Softmax)]);
        TestNets.Scheme("symmetric:he-normal").Apply(net, new Rng(9));
        var w1 = net.Layers[0].Weights;
        for (int j = 1; j < 4; j++) Assert.True(w1.AsSpan(0, 5).SequenceEqual(w1.AsSpan(j * 5, 5)));
        Assert.NotEqual(w1[0], w1[1]); // layer 1 shares one random vector, not one value
        Assert.All(net.Layers[1].Weights, w => Assert.Equal(net.Layers[1].Weights[0], w)); // one value for all
        var w3 = net.Layers[2].Weights; // output units each draw their own value
        Assert.Equal(w3[0], w3[2]);
        Assert.Equal(w3[3], w3[5]);
        Assert.NotEqual(w3[0], w3[3]);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("constant")]
    [InlineData("uniform:1")]
    [InlineData("uniform:3:1")]
    [InlineData("normal:0:x")]
    [InlineData("symmetric:nope")]
    public void BadSchemesAreRejectedWithTheirName(string scheme)
    {
        Assert.False(InitScheme.TryParse(scheme, "zeros", out _, out var error));
        Assert.Contains(scheme.Replace("symmetric:", ""), error);
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        double[] Draw(ulong seed)
        {
            var net = new Network<double>(3, [(4, Activation.Tanh), (1, Activation.Linear)]);
            TestNets.Scheme("glorot-normal").Apply(net, Rng.Stream(seed, RngStream.Initialization));
            return net.Layers.SelectMany(l => l.Weights).ToArray();
        }
        Assert.Equal(Draw(3), Draw(3));
        Assert.NotEqual(Draw(3), Draw(4));
    }
}
