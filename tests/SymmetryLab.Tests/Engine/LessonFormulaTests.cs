using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

/// <summary>The lessons' hand-derived formulas, checked on the engine's gradients.</summary>
public class LessonFormulaTests
{
    [Fact]
    public void Lesson002TanhHiddenLinearOutputSquaredLoss()
    {
        // n inputs, n tanh hidden units, one linear output o = h V + b_o, L = (t - o)^2 on one sample.
        const int n = 3;
        var net = TestNets.Random<double>(n, [(n, Activation.Tanh), (1, Activation.Linear)], seed: 21);
        double[] x = [0.7, -1.2, 0.4];
        double t = 0.9;
        net.ComputeGradients(x, [t], 1, Loss.Mse, WorkerPool.ForThreads(1));
        double o = net.Output.A[0];
        for (int unit = 0; unit < n; unit++)
        {
            double h = net.Layers[0].A[unit], v = net.Layers[1].Weight(0, unit);
            for (int input = 0; input < n; input++)
            {
                // dL/dW = 2 V (t - o) x (h^2 - 1), the lesson's formula (W11: input 1 to unit 1).
                double lesson = 2 * v * (t - o) * x[input] * (h * h - 1);
                Assert.Equal(lesson, net.Layers[0].WeightGradients[unit * n + input], 1e-14);
            }
        }
        // dL/dW11 and dL/dW12 (input 1 to units 1 and 2) differ because V1 != V2 and h1 != h2.
        Assert.NotEqual(net.Layers[0].WeightGradients[0], net.Layers[0].WeightGradients[n]);
    }

    private static Network<double> Tied221(double w5, double w6)
    {
        var net = new Network<double>(2, [(2, Activation.Sigmoid), (1, Activation.Sigmoid)]);
        double[] w = [0.2, -0.3, 0.2, -0.3]; // w1 = w3, w2 = w4
        w.CopyTo(net.Layers[0].Weights, 0);
        net.Layers[1].Weights[0] = w5;
        net.Layers[1].Weights[1] = w6;
        return net;
    }

    [Fact]
    public void Lesson001TiedNetGetsEqualGradientsWhileW5EqualsW6()
    {
        var data = TestNets.Data(20, 2, 2, seed: 5);
        var x = TestNets.Convert<double>(data.X);
        var pool = WorkerPool.ForThreads(1);

        var tied = Tied221(0.5, 0.5);
        tied.ComputeGradients(x, data.Y, data.Rows, Loss.Bce, pool);
        var g = tied.Layers[0].WeightGradients; // [dJ/dw1, dJ/dw2, dJ/dw3, dJ/dw4]
        Assert.Equal(g[0], g[2]); // exactly: dJ/dw1 = dJ/dw3
        Assert.Equal(g[1], g[3]);
        Assert.NotEqual(g[0], g[1]); // x1 != x2

        var untied = Tied221(0.5, 0.6);
        untied.ComputeGradients(x, data.Y, data.Rows, Loss.Bce, pool);
        var u = untied.Layers[0].WeightGradients;
        Assert.NotEqual(u[0], u[2]);
        // On one sample the ratio is exactly the ratio of the outgoing weights: dJ/dw1 / dJ/dw3 = w5 / w6.
        untied.ComputeGradients(x[..2], data.Y[..1], 1, Loss.Bce, pool);
        Assert.Equal(0.5 / 0.6, u[0] / u[2], 1e-12);
    }

    [Fact]
    public void Lesson001TiedNetStaysTiedThroughTraining()
    {
        var data = TestNets.Data(50, 2, 2, seed: 6);
        var net = Tied221(0.5, 0.5);
        var trainer = new Trainer<double>(net, data, new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 200 });
        trainer.Train();
        var w = net.Layers[0].Weights;
        Assert.Equal(w[0], w[2]);
        Assert.Equal(w[1], w[3]);
        Assert.Equal(net.Layers[1].Weights[0], net.Layers[1].Weights[1]);
        Assert.NotEqual(0.2, w[0]); // it moved
    }
}
