using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Lab;

public class ChainRuleTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static void Close(double expected, double actual, double relative = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-300),
            $"expected {expected:R}, got {actual:R}");

    private static ChainExplanation Explain(Network<double> net, SymmetryLab.Data.Dataset data, Loss loss, string weight, int? sample = 0)
    {
        Assert.True(ParameterRef.TryParse(weight, out var w));
        return ChainRule.Explain(net, data, loss, w, sample);
    }

    /// <summary>The roles whose values differ between two explanations of the same shape.</summary>
    private static string[] Differing(ChainExplanation a, ChainExplanation b)
    {
        Assert.Equal(a.Factors.Select(f => f.Role), b.Factors.Select(f => f.Role));
        return a.Factors.Zip(b.Factors).Where(p => p.First.Value != p.Second.Value).Select(p => p.First.Role).ToArray();
    }

    [Fact]
    public void Lesson_001_w1_and_w3_differ_by_w5_and_w6_and_w1_and_w2_by_x1_and_x2()
    {
        // The 2-2-1 sigmoid net of lesson 001 with identical hidden units (w1 = w3, w2 = w4) and w5 != w6.
        double w1 = 0.2, w2 = -0.3, w5 = 0.5, w6 = 0.7, b3 = 0.1, x1 = 0.5, x2 = -1.2, y = 1;
        var net = LabNetworks.Build(2,
            (Activation.Sigmoid, [[w1, w2], [w1, w2]], [0.0, 0.0]),
            (Activation.Sigmoid, [[w5, w6]], [b3]));
        var data = LabNetworks.Rows([x1, x2, y]);

        // By hand: a1 = a2 = sigmoid(w1 x1 + w2 x2); a3 = sigmoid(w5 a1 + w6 a2 + b3); with bce, dJ/dz3 = a3 - y.
        double a1 = Sigmoid(w1 * x1 + w2 * x2), a3 = Sigmoid(w5 * a1 + w6 * a1 + b3);
        double dw1 = (a3 - y) * w5 * a1 * (1 - a1) * x1;
        double dw2 = (a3 - y) * w5 * a1 * (1 - a1) * x2;
        double dw3 = (a3 - y) * w6 * a1 * (1 - a1) * x1;

        var e1 = Explain(net, data, Loss.Bce, "W1[1,1]");
        var e2 = Explain(net, data, Loss.Bce, "W1:1:2");
        var e3 = Explain(net, data, Loss.Bce, "W1[2,1]");
        Close(dw1, e1.Gradient);
        Close(dw2, e2.Gradient);
        Close(dw3, e3.Gradient);
        Close(dw1, e1.Product);
        Assert.Equal(["outgoing"], Differing(e1, e3));   // w5 vs w6
        Assert.Equal(["input"], Differing(e1, e2));      // x1 vs x2
        Assert.Equal([a3 - y, w5, a1 * (1 - a1), x1], e1.Factors.Select(f => f.Value).ToArray(), new Tolerant(1e-14));
        Close(w5 / w6, e1.Gradient / e3.Gradient, 1e-12);
    }

    [Fact]
    public void Lesson_002_tanh_hidden_linear_output_squared_error()
    {
        // h = tanh(x W + b_h), o = h V + b_o, L = (t - o)^2; W_11: input 1 -> hidden 1 (our W1[1,1]), W_12: input 1 -> hidden 2 (our W1[2,1]).
        double x1 = 0.8, x2 = -0.4, t = 0.3;
        double[][] w = [[0.3, -0.1], [0.5, 0.2]];
        double[] bh = [0.05, -0.02], v = [0.7, -0.4];
        double bo = 0.1;
        var net = LabNetworks.Build(2, (Activation.Tanh, w, bh), (Activation.Linear, [v], [bo]));
        var data = LabNetworks.Rows([x1, x2, t]);

        double h1 = Math.Tanh(w[0][0] * x1 + w[0][1] * x2 + bh[0]);
        double h2 = Math.Tanh(w[1][0] * x1 + w[1][1] * x2 + bh[1]);
        double o = h1 * v[0] + h2 * v[1] + bo;
        double dW11 = 2 * v[0] * (t - o) * x1 * (h1 * h1 - 1);   // the lesson's formula, its sign convention as written
        double dW12 = 2 * v[1] * (t - o) * x1 * (h2 * h2 - 1);

        var e11 = Explain(net, data, Loss.Mse, "W1[1,1]");
        var e12 = Explain(net, data, Loss.Mse, "W1[2,1]");
        Close(dW11, e11.Gradient);
        Close(dW12, e12.Gradient);
        Close(dW11, e11.Product);
        Assert.True(Math.Abs(e11.Numeric - dW11) < 1e-8);
        // Factor by factor: 2(o - t), g'(o) = 1 for a linear output, V1, 1 - h1^2, x1.
        Assert.Equal([2 * (o - t), 1, v[0], 1 - h1 * h1, x1], e11.Factors.Select(f => f.Value).ToArray(), new Tolerant(1e-14));
        Assert.Equal(["outgoing", "slope"], Differing(e11, e12)); // V1 vs V2 and h1 vs h2: these units differ in incoming weights too
    }

    [Theory]
    [InlineData(Loss.Ce, null)]   // softmax output with two units: hidden weights sum over paths; mean over all rows
    [InlineData(Loss.Ce, 2)]
    [InlineData(Loss.Mse, null)]
    [InlineData(Loss.Mse, 4)]
    [InlineData(Loss.Bce, 1)]
    public void Factors_multiply_or_sum_to_the_gradient_and_match_finite_differences(Loss loss, int? sample)
    {
        var rng = new Rng(7);
        int outputs = loss == Loss.Bce ? 1 : 2;
        var output = loss switch { Loss.Ce => Activation.Softmax, Loss.Bce => Activation.Sigmoid, _ => Activation.Tanh };
        var net = new Network<double>(3, [(4, Activation.Tanh), (3, Activation.Sigmoid), (outputs, output)]);
        foreach (var layer in net.Layers)
        {
            for (int i = 0; i < layer.Weights.Length; i++) layer.Weights[i] = rng.NextNormal(0, 0.8);
            for (int i = 0; i < layer.Biases.Length; i++) layer.Biases[i] = rng.NextNormal(0, 0.3);
        }
        var rows = Enumerable.Range(0, 6).Select(r => new[] { rng.NextNormal(), rng.NextNormal(), rng.NextNormal(), (double)(r % 2) }).ToArray();
        var data = LabNetworks.Rows(rows);

        foreach (var p in ParameterRef.All(net))
        {
            var e = ChainRule.Explain(net, data, loss, p, sample);
            // Central differences with h = 1e-6 carry a rounding error of about eps |J| / h ~ 1e-10 whatever the
            // gradient, so the 1e-6 is relative above |g| = 1e-3 and an absolute 1e-9 below it.
            Assert.True(Math.Abs(e.Gradient - e.Numeric) <= 1e-6 * Math.Max(Math.Max(Math.Abs(e.Gradient), Math.Abs(e.Numeric)), 1e-3),
                $"{p}: backprop {e.Gradient:R}, numeric {e.Numeric:R}");
            Assert.True(Math.Abs(e.Product - e.Gradient) <= 1e-12 * Math.Max(Math.Abs(e.Gradient), 1e-12), $"{p}: factors give {e.Product:R}, gradient {e.Gradient:R}");
            Assert.Equal(e.Factors.Aggregate(1.0, (a, f) => a * f.Value), e.Gradient, 12);
            int unitsAbove = p.Layer < net.Layers.Count ? net.Layers[p.Layer].Units : 1;
            Assert.Equal(unitsAbove > 1 ? unitsAbove : 0, e.Paths?.Count ?? 0);
            if (e.Paths is { } paths)
                foreach (var path in paths) Assert.Equal(path.Factors.Aggregate(1.0, (a, f) => a * f.Value), path.Product, 14);
        }
    }

    [Fact]
    public void With_an_L2_penalty_the_gradient_is_the_chain_rule_plus_l2_over_m_times_w()
    {
        var rng = new Rng(8);
        var net = new Network<double>(3, [(4, Activation.Tanh), (1, Activation.Sigmoid)]);
        foreach (var layer in net.Layers)
        {
            for (int i = 0; i < layer.Weights.Length; i++) layer.Weights[i] = rng.NextNormal(0, 0.8);
            for (int i = 0; i < layer.Biases.Length; i++) layer.Biases[i] = rng.NextNormal(0, 0.3);
        }
        var rows = Enumerable.Range(0, 6).Select(r => new[] { rng.NextNormal(), rng.NextNormal(), rng.NextNormal(), (double)(r % 2) }).ToArray();
        var data = LabNetworks.Rows(rows);
        const double l2 = 0.7;
        foreach (var p in ParameterRef.All(net))
        {
            var plain = ChainRule.Explain(net, data, Loss.Bce, p);
            var e = ChainRule.Explain(net, data, Loss.Bce, p, l2: l2);
            var (values, _, index) = p.Locate(net);
            double expected = p.IsBias ? 0 : l2 / 6 * values[index]; // d/dw of l2/(2m) sum W^2, m = 6
            Assert.Equal(expected, e.L2Term, 15);
            Assert.Equal(plain.Product, e.Product); // the chain rule's part does not change
            Assert.True(Math.Abs(e.Product + e.L2Term - e.Gradient) <= 1e-12 * Math.Max(Math.Abs(e.Gradient), 1e-12), $"{p}: {e.Product:R} + {e.L2Term:R} vs {e.Gradient:R}");
            Assert.True(Math.Abs(e.Gradient - e.Numeric) <= 1e-6 * Math.Max(Math.Abs(e.Gradient), 1e-3), $"{p}: backprop {e.Gradient:R}, numeric {e.Numeric:R}");
        }
    }

    private sealed class Tolerant(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));
        public int GetHashCode(double obj) => 0;
    }
}
