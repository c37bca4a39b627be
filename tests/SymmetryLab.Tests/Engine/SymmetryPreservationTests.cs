using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine;

/// <summary>
/// SPEC.md's promise: units that are bit-identical (incoming, bias, outgoing) stay bit-identical through
/// any training without dropout, in both precisions and any thread count — also at widths that are
/// not multiples of the SIMD width.
/// </summary>
public class SymmetryPreservationTests
{
    public static TheoryData<string, int, string, Activation> Runs()
    {
        var data = new TheoryData<string, int, string, Activation>();
        foreach (var precision in new[] { "float32", "float64" })
            foreach (var threads in new[] { 1, 2 })
                foreach (var optimizer in new[] { "adam", "sgd" })
                    data.Add(precision, threads, optimizer, Activation.Sigmoid);
        data.Add("float32", 2, "momentum", Activation.Tanh);
        data.Add("float64", 2, "gd", Activation.LeakyRelu);
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void IdenticalUnitsStayBitIdentical(string precision, int threads, string optimizer, Activation activation)
    {
        if (precision == "float32") Check<float>(threads, optimizer, activation);
        else Check<double>(threads, optimizer, activation);
    }

    private static void Check<T>(int threads, string optimizer, Activation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Split every product of this small network over the threads (results never depend on the
        // threshold, so lowering it for the whole process is harmless to other tests).
        GemmJob<T>.ParallelThreshold = 1 << 10;
        // 37 inputs, 25 and 15 hidden units: neither is a multiple of any vector width. 300 samples
        // and batches of 64 make the products big enough to be split over threads.
        var data = TestNets.Data(300, 37, 2, seed: 12);
        var net = new Network<T>(37, [(25, activation), (15, activation), (1, Activation.Sigmoid)]);
        TestNets.Scheme("symmetric:glorot-uniform", "uniform:-0.1:0.1").Apply(net, new Rng(3));
        var trainer = new Trainer<T>(net, data, new TrainingOptions
        {
            Loss = Loss.Bce, Optimizer = optimizer, LearningRate = optimizer == "adam" ? 0.01 : 0.5,
            BatchSize = optimizer == "gd" ? null : 64, Epochs = 4, Threads = threads, Seed = 5,
        });
        var before = net.Layers[0].Weights[0];
        trainer.Train();
        Assert.NotEqual(before, net.Layers[0].Weights[0]);
        for (int l = 0; l < 2; l++)
        {
            var layer = net.Layers[l];
            var next = net.Layers[l + 1];
            for (int j = 1; j < layer.Units; j++)
            {
                Assert.True(layer.Weights.AsSpan(0, layer.Inputs).SequenceEqual(layer.Weights.AsSpan(j * layer.Inputs, layer.Inputs)), $"layer {l + 1} unit {j + 1} incoming");
                Assert.Equal(layer.Biases[0], layer.Biases[j]);
                for (int k = 0; k < next.Units; k++)
                    Assert.Equal(next.Weight(k, 0), next.Weight(k, j));
            }
        }
    }

    [Fact]
    public void DropoutBreaksSymmetry()
    {
        var data = TestNets.Data(100, 5, 2, seed: 13);
        var net = new Network<double>(5, [(6, Activation.Sigmoid), (1, Activation.Sigmoid)]);
        TestNets.Scheme("symmetric:glorot-uniform").Apply(net, new Rng(3));
        new Trainer<double>(net, data, new TrainingOptions { Loss = Loss.Bce, Dropout = 0.3, Epochs = 2, BatchSize = 10 }).Train();
        Assert.NotEqual(net.Layers[0].Weights[0], net.Layers[0].Weights[5]);
    }
}
