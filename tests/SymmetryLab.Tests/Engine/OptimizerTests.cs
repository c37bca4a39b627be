using SymmetryLab.Engine.Optimizers;

namespace SymmetryLab.Tests.Engine;

/// <summary>Update rules against PyTorch's documented algorithms, written out step by step (every element at every length, and over threads: OptimizerKernelTests).</summary>
public class OptimizerTests
{
    private static readonly double[] Gradients = [0.3, -1.2, 0.05, 2.0, -0.7];

    private static double[] Run(Optimizer<double> optimizer, double start, int steps, Func<double, int, double> gradient)
    {
        var w = new[] { start };
        optimizer.Register(0, 1);
        var trace = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            optimizer.BeginStep();
            optimizer.Update(0, w, [gradient(w[0], t)]);
            trace[t] = w[0];
        }
        return trace;
    }

    [Fact]
    public void AdamMatchesTorchOptimAdam()
    {
        // torch.optim.Adam: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
        // w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, m = 0, v = 0, w = 1.5;
        var expected = new double[Gradients.Length];
        for (int t = 1; t <= Gradients.Length; t++)
        {
            double g = Gradients[t - 1] * w; // a gradient that depends on w, like a real one
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            w -= lr / (1 - Math.Pow(b1, t)) * m / (Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps);
            expected[t - 1] = w;
        }
        var actual = Run(new Adam<double>(lr), 1.5, Gradients.Length, (x, t) => Gradients[t] * x);
        for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], actual[t], 1e-14);
    }

    [Fact]
    public void StateFlushedBeforeTheSubnormalsNeverMovesAWeightDifferently()
    {
        // A float weight whose gradient turns tiny and then 0 (a unit going dead): the unflushed rule,
        // written out here in the engine's operation order, lets m and v decay through the subnormal
        // numbers for thousands of steps; the flushed optimizer must end on the same bits.
        float lr = 0.01f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2;
        float m = 0, v = 0, w = 0.25f, velocity = 0, wMomentum = 0.25f;
        int steps = 6000;
        float Gradient(int t) => t < 3 ? 0.5f : t < 50 ? 1e-19f : t < 60 ? 3e-38f : 0f;
        var adam = new Adam<float>(0.01);
        var momentum = new Momentum<float>(0.01);
        adam.Register(0, 1);
        momentum.Register(0, 1);
        var wa = new[] { 0.25f };
        var wm = new[] { 0.25f };
        bool sawSubnormal = false;
        for (int t = 1; t <= steps; t++)
        {
            float g = Gradient(t);
            m += (g - m) * oneMinusB1;
            v = b2 * v + oneMinusB2 * g * g;
            float stepSize = (float)(0.01 / (1 - Math.Pow(0.9, t))); // the corrections in double, as PyTorch
            float sqrtCorrection2 = (float)Math.Sqrt(1 - Math.Pow(0.999, t));
            w -= stepSize * (m / (MathF.Sqrt(v) / sqrtCorrection2 + eps));
            velocity = 0.9f * velocity + g;
            wMomentum -= lr * velocity;
            sawSubnormal |= float.IsSubnormal(m) || float.IsSubnormal(v) || float.IsSubnormal(velocity);
            adam.BeginStep();
            adam.Update(0, wa, [g]);
            momentum.BeginStep();
            momentum.Update(0, wm, [g]);
        }
        Assert.True(sawSubnormal, "the reference never went subnormal: the test would not test the flush");
        Assert.Equal(w, wa[0]);
        Assert.Equal(wMomentum, wm[0]);
    }

    [Theory]
    [InlineData(0.01, 1e-30f)]
    [InlineData(0.001, 1e-14f)]
    [InlineData(0.01, 3e-18f)]
    public void AWeightAtZeroMovesAsTheUnflushedRuleMovesIt(double lr, float g)
    {
        // Tiny but normal state is kept: a zero bias moves by what PyTorch's rule gives it.
        float m = 0, v = 0, w = 0, b1 = 0.9f, b2 = 0.999f;
        var adam = new Adam<float>(lr);
        adam.Register(0, 1);
        var wa = new[] { 0f };
        for (int t = 1; t <= 3; t++)
        {
            m += (g - m) * (1 - b1);
            v = b2 * v + (1 - b2) * g * g;
            w -= (float)(lr / (1 - Math.Pow(0.9, t))) * (m / (MathF.Sqrt(v) / (float)Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8f));
            adam.BeginStep();
            adam.Update(0, wa, [g]);
            Assert.Equal(w, wa[0]);
        }
        Assert.NotEqual(0f, w);
    }

    [Fact]
    public void MomentumMatchesTorchSgdWithMomentum()
    {
        double lr = 0.1, v = 0, w = -0.4;
        var expected = new double[Gradients.Length];
        for (int t = 0; t < Gradients.Length; t++)
        {
            double g = Gradients[t] + w;
            v = t == 0 ? g : 0.9 * v + g; // PyTorch: buf = g at the first step
            w -= lr * v;
            expected[t] = w;
        }
        Assert.Equal(expected, Run(new Momentum<double>(lr), -0.4, Gradients.Length, (x, t) => Gradients[t] + x));
    }

    [Fact]
    public void GradientDescentIsWMinusLrTimesGradient()
    {
        var trace = Run(new GradientDescent<double>(0.25, "gd"), 2.0, 3, (x, _) => 2 * x); // J = w^2
        Assert.Equal([1.0, 0.5, 0.25], trace);
    }
}
