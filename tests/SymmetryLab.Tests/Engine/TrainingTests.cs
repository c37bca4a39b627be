using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Engine;

public class TrainingTests
{
    private static Dataset Coffee() => CsvReader.Read(Path.Combine(AppContext.BaseDirectory, "data", "coffee", "coffee_roasting.csv"));

    [Fact]
    public void LogisticRegressionLearnsFromAllZeroWeights()
    {
        var coffee = Coffee();
        var net = new Network<double>(2, [(1, Activation.Sigmoid)]) { Normalization = Normalization.Fit(coffee.X, coffee.Rows, 2) };
        var history = new Trainer<double>(net, coffee, new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 300 }).Train();
        Assert.Equal(Math.Log(2), history[0].Loss, 12); // from zeros every prediction is 0.5
        Assert.True(history[^1].Loss < 0.5, $"final loss {history[^1].Loss}");
        Assert.All(net.Layers[0].Weights, w => Assert.NotEqual(0.0, w));
        Assert.NotEqual(net.Layers[0].Weights[0], net.Layers[0].Weights[1]);
    }

    [Fact]
    public void AHiddenLayerFromZerosStaysOneUnit()
    {
        var coffee = Coffee();
        var net = new Network<double>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)]) { Normalization = Normalization.Fit(coffee.X, coffee.Rows, 2) };
        new Trainer<double>(net, coffee, new TrainingOptions { Loss = Loss.Bce, Optimizer = "adam", LearningRate = 0.01, Epochs = 50 }).Train();
        var w = net.Layers[0].Weights;
        Assert.NotEqual(0.0, w[0]);
        Assert.True(w.AsSpan(0, 2).SequenceEqual(w.AsSpan(2, 2)) && w.AsSpan(0, 2).SequenceEqual(w.AsSpan(4, 2)));
    }

    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void SameSeedSameBytesWhateverTheThreads(string precision)
    {
        // Split even these small products over the threads (results never depend on the threshold).
        SymmetryLab.Numerics.GemmJob<float>.ParallelThreshold = 1 << 10;
        SymmetryLab.Numerics.GemmJob<double>.ParallelThreshold = 1 << 10;
        string dir = TestNets.TempDir();
        string csv = TestNets.WriteCsv(TestNets.Data(256, 40, 3, seed: 14), Path.Combine(dir, "d.csv"));
        string Run(int threads, ulong seed)
        {
            string outDir = Path.Combine(dir, $"run-{threads}-{seed}");
            TrainingRun.Execute(new RunSettings { Data = csv, Layers = [64, 33, 3], Epochs = 2, Batch = 128, Threads = threads, Seed = seed, Precision = Precision.Parse(precision), Out = outDir });
            return File.ReadAllText(Path.Combine(outDir, "model.json"));
        }
        string one = Run(1, 4);
        Assert.Equal(one, Run(2, 4));
        Assert.Equal(one, Run(1, 4));
        Assert.NotEqual(one, Run(2, 5));
    }

    [Fact]
    public void DivergenceStopsNamingEpochAndLayer()
    {
        var data = TestNets.Data(50, 3, 0, seed: 15);
        for (int i = 0; i < data.Y.Length; i++) data.Y[i] *= 1e3;
        var net = TestNets.Random<float>(3, [(4, Activation.Linear), (1, Activation.Linear)]);
        var trainer = new Trainer<float>(net, data, new TrainingOptions { Loss = Loss.Mse, Optimizer = "gd", LearningRate = 10, BatchSize = null, Epochs = 500 });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.InRange(e.Epoch, 1, 500);
        Assert.InRange(e.Layer, 1, 2);
        Assert.Contains($"epoch {e.Epoch}", e.Message);
        Assert.Contains($"layer {e.Layer}", e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepAllocatesNothingInSteadyState(int threads)
    {
        var data = TestNets.Data(512, 64, 3, seed: 16);
        var net = TestNets.Random<float>(64, [(64, Activation.Relu), (32, Activation.Sigmoid), (3, Activation.Softmax)]);
        var trainer = new Trainer<float>(net, data, new TrainingOptions { Loss = Loss.Ce, Optimizer = "adam", BatchSize = 100, Threads = threads, L2 = 0.01 });
        for (int e = 1; e <= 3; e++) trainer.RunEpoch(e); // warm up: JIT, tiering, pools
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int e = 4; e <= 8; e++) trainer.RunEpoch(e);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(null, "gd")]
    [InlineData(37, "adam")]
    public void ATinyNetworkStepAllocatesNothingEither(int? batch, string optimizer)
    {
        // A 2-3-1 takes the samples-in-lanes pass; a last minibatch of 200 % 37 rows is shorter.
        var data = TestNets.Data(200, 2, 2, seed: 18);
        var net = TestNets.Random<float>(2, [(3, Activation.Sigmoid), (1, Activation.Sigmoid)]);
        var trainer = new Trainer<float>(net, data, new TrainingOptions { Loss = Loss.Bce, Optimizer = optimizer, BatchSize = batch, Threads = 1, L2 = 0.01 });
        for (int e = 1; e <= 50; e++) trainer.RunEpoch(e);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int e = 51; e <= 100; e++) trainer.RunEpoch(e);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void MinibatchesAreReshuffledEachEpochFromTheSeed()
    {
        var data = TestNets.Data(40, 3, 2, seed: 17);
        double[] Run(ulong seed)
        {
            var net = TestNets.Random<double>(3, [(2, Activation.Tanh), (1, Activation.Sigmoid)]);
            new Trainer<double>(net, data, new TrainingOptions { Loss = Loss.Bce, Optimizer = "sgd", BatchSize = 7, Epochs = 3, Seed = seed }).Train();
            return net.Layers[0].Weights.ToArray();
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }
}

public class LastStepDivergenceTests
{
    [Fact]
    public void WeightsThatBlowUpOnTheLastStepStillStopTheRun()
    {
        // One full-batch step with an absurd learning rate: the cost before it is finite, the weights after it are not.
        var data = TestNets.Data(20, 2, 0, seed: 3);
        for (int i = 0; i < data.Y.Length; i++) data.Y[i] = 1e6; // gradients of order 1e6: 1e308 x 1e6 overflows
        var net = TestNets.Random<double>(2, [(3, Activation.Linear), (1, Activation.Linear)]);
        var trainer = new Trainer<double>(net, data, new TrainingOptions { Loss = Loss.Mse, Optimizer = "gd", LearningRate = 1e308, BatchSize = null, Epochs = 1 });
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Train());
        Assert.Equal(1, e.Epoch);
        Assert.Contains("layer", e.Message);
    }
}
