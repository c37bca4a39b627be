using SymmetryLab.Engine;
using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine.Accelerated;

/// <summary>
/// The tiny-network training step (samples in vector lanes) against the general forward and backward
/// pass, which the gradient tests check against finite differences: the same cost, gradients and
/// outputs, bit for bit, for every activation and loss, batches shorter and longer than a vector.
/// </summary>
public class TinyNetworkPassTests
{
    public static TheoryData<string, int, double> Cases()
    {
        var data = new TheoryData<string, int, double>();
        foreach (var net in new[] { "2-3s-1s bce", "2-2t-1s bce", "4-5r-3x ce", "3-4l-2n mse", "5-16t-7r-2x ce", "32-16s-1n mse", "3-4s-3x mse", "2-1s bce", "3-6t-10x ce" })
            foreach (int rows in new[] { 1, 3, 8, 13, 37, 200 })
                foreach (double l2 in new[] { 0.0, 0.1 })
                    data.Add(net, rows, l2);
        return data;
    }

    [Theory, EveryCpuPath]
    [MemberData(nameof(Cases))]
    public void SameBitsAsTheGeneralPass(string net, int rows, double l2)
    {
        Same<float>(net, rows, l2);
        Same<double>(net, rows, l2);
    }

    private static void Same<T>(string spec, int rows, double l2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parts = spec.Split(' ');
        var widths = parts[0].Split('-');
        var loss = Enum.Parse<Loss>(parts[1], ignoreCase: true);
        int inputs = int.Parse(widths[0]);
        var layers = widths.Skip(1).Select(w => (int.Parse(w[..^1]), w[^1] switch
        {
            's' => Activation.Sigmoid,
            't' => Activation.Tanh,
            'r' => Activation.Relu,
            'l' => Activation.LeakyRelu,
            'x' => Activation.Softmax,
            _ => Activation.Linear,
        })).ToArray();
        int outputs = layers[^1].Item1;
        var data = TestNets.Data(rows, inputs, loss == Loss.Mse && outputs == 1 ? 0 : Math.Max(2, outputs), seed: (ulong)rows + 3);
        var x = TestNets.Convert<T>(data.X);
        var t = TestNets.Convert<T>(data.TargetMatrix(outputs));
        var general = TestNets.Random<T>(inputs, layers, seed: (ulong)rows);
        var tiny = general.Clone();
        Assert.True(TinyNetworkPass<T>.Fits(tiny));
        var pool = WorkerPool.ForThreads(1);

        double expected = general.ComputeGradients(x, t, rows, loss, pool, l2);
        double actual = tiny.TrainingGradients(x, t, rows, loss, pool, l2, 0, null);

        Assert.Equal(expected, actual);
        Assert.True(double.IsFinite(actual));
        for (int l = 0; l < layers.Length; l++)
        {
            Assert.Equal(general.Layers[l].WeightGradients, tiny.Layers[l].WeightGradients);
            Assert.Equal(general.Layers[l].BiasGradients, tiny.Layers[l].BiasGradients);
        }
        int n = rows * outputs;
        Assert.Equal(general.Output.A.AsSpan(0, n).ToArray(), tiny.Output.A.AsSpan(0, n).ToArray());
        Assert.Equal(general.Output.Z.AsSpan(0, n).ToArray(), tiny.Output.Z.AsSpan(0, n).ToArray());
        Assert.Contains(general.Layers.SelectMany(l => l.WeightGradients.Concat(l.BiasGradients)), g => g != T.Zero); // the comparison compared something
    }

    [Theory, EveryCpuPath]
    [InlineData(null, "gd")]
    [InlineData(16, "adam")]
    public void TrainingMatchesTheGeneralPassEpochAfterEpoch(int? batch, string optimizer)
    {
        var data = TestNets.Data(90, 3, 3, seed: 21);
        var options = new TrainingOptions { Loss = Loss.Ce, Optimizer = optimizer, LearningRate = 0.05, BatchSize = batch, Epochs = 40, Threads = 1, Seed = 5 };
        var tiny = TestNets.Random<float>(3, [(5, Activation.Tanh), (3, Activation.Softmax)]);
        var general = tiny.Clone();
        general.TinyPassAllowed = false;
        var expected = new Trainer<float>(general, data, options).Train();
        Assert.Equal(expected, new Trainer<float>(tiny, data, options).Train());
        for (int l = 0; l < 2; l++) Assert.Equal(general.Layers[l].Weights, tiny.Layers[l].Weights);
    }

    [Fact]
    public void TwoTrainersTakingTurnsOnOneNetworkEachSeeTheirOwnData()
    {
        // The full-batch inputs kept in lanes belong to the trainer that passed them, not to the network.
        var first = TestNets.Data(20, 2, 2, seed: 22);
        var second = TestNets.Data(20, 2, 2, seed: 23);
        var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 1, Threads = 1 };
        var tiny = TestNets.Random<float>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)]);
        var general = tiny.Clone();
        general.TinyPassAllowed = false;
        foreach (var net in new[] { tiny, general })
        {
            var a = new Trainer<float>(net, first, options);
            var b = new Trainer<float>(net, second, options);
            a.RunEpoch(1);
            b.RunEpoch(1);
            a.RunEpoch(2);
        }
        Assert.Equal(general.Layers[0].WeightGradients, tiny.Layers[0].WeightGradients);
        Assert.Equal(general.Layers[0].Weights, tiny.Layers[0].Weights);
    }

    [Fact]
    public void AShorterBatchAfterALongerOneLeavesNoTrace()
    {
        // A last minibatch shorter than the others: the lanes past its rows still hold the previous batch.
        var data = TestNets.Data(37, 3, 2, seed: 9);
        var x = TestNets.Convert<float>(data.X);
        var t = TestNets.Convert<float>(data.TargetMatrix(1));
        var tiny = TestNets.Random<float>(3, [(4, Activation.Tanh), (1, Activation.Sigmoid)]);
        var general = tiny.Clone();
        var pool = WorkerPool.ForThreads(1);
        tiny.TrainingGradients(x, t, 37, Loss.Bce, pool, 0, 0, null);
        Assert.Equal(general.ComputeGradients(x, t, 5, Loss.Bce, pool), tiny.TrainingGradients(x, t, 5, Loss.Bce, pool, 0, 0, null));
        Assert.Equal(general.Layers[0].WeightGradients, tiny.Layers[0].WeightGradients);
        Assert.Equal(general.Layers[1].BiasGradients, tiny.Layers[1].BiasGradients);
    }
}
