using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Accelerated;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Engine.Accelerated;

/// <summary>
/// Networks trained in the lanes of a seed batch end bit for bit where <see cref="Trainer{T}"/> takes
/// each alone: weights, last gradients and every epoch's record. The solo Trainer is the independent
/// computation here (its products, activations and updates are themselves checked against a plain
/// triple loop and finite differences elsewhere).
/// </summary>
public class SeedBatchTrainerTests
{
    public static TheoryData<string, int, int> Setups => new()
    {
        { "xor-tanh-gd", 1, 1 }, { "xor-tanh-gd", 19, 2 },
        { "sigmoid-bce-gd", 9, 1 }, { "relu-softmax-ce-adam", 13, 2 },
        { "leaky-mse-momentum-l2", 5, 2 }, { "one-relu-unit-three-rows", 3, 1 },
        { "linear-mse-regression", 8, 2 },
    };

    private static (int Inputs, (int, Activation)[] Layers, Dataset Data, TrainingOptions Options) Setup(string name) => name switch
    {
        "xor-tanh-gd" => (2, [(2, Activation.Tanh), (1, Activation.Sigmoid)], new Dataset("xor", [0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 2),
            new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 300 }),
        "sigmoid-bce-gd" => (3, [(5, Activation.Sigmoid), (1, Activation.Sigmoid)], TestNets.Data(37, 3, 2, seed: 3),
            new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.3, BatchSize = null, Epochs = 60 }),
        "relu-softmax-ce-adam" => (4, [(6, Activation.Relu), (5, Activation.Tanh), (3, Activation.Softmax)], TestNets.Data(29, 4, 3, seed: 4),
            new TrainingOptions { Loss = Loss.Ce, Optimizer = "adam", LearningRate = 0.01, BatchSize = 1000, Epochs = 40 }),
        "leaky-mse-momentum-l2" => (2, [(4, Activation.LeakyRelu), (2, Activation.Sigmoid), (1, Activation.Linear)], TestNets.Data(21, 2, 0, seed: 5),
            new TrainingOptions { Loss = Loss.Mse, Optimizer = "momentum", LearningRate = 0.01, BatchSize = null, Epochs = 50, L2 = 0.3 }),
        "one-relu-unit-three-rows" => (2, [(1, Activation.Relu), (1, Activation.Sigmoid)], TestNets.Data(3, 2, 2, seed: 6),
            new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = 0.5, BatchSize = null, Epochs = 30 }),
        "linear-mse-regression" => (3, [(1, Activation.Linear)], TestNets.Data(11, 3, 0, seed: 8),
            new TrainingOptions { Loss = Loss.Mse, Optimizer = "sgd", LearningRate = 0.05, BatchSize = null, Epochs = 25 }),
        _ => throw new ArgumentException(name),
    };

    [Theory, EveryCpuPath]
    [MemberData(nameof(Setups))]
    public void EachLaneEndsBitForBitAsTrainedAloneFloat32(string setup, int seeds, int threads) => Check<float>(setup, seeds, threads);

    [Theory, EveryCpuPath]
    [MemberData(nameof(Setups))]
    public void EachLaneEndsBitForBitAsTrainedAloneFloat64(string setup, int seeds, int threads) => Check<double>(setup, seeds, threads);

    private static void Check<T>(string setup, int seeds, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (inputs, layers, data, options) = Setup(setup);
        options = options with { Threads = threads };
        var batch = Enumerable.Range(0, seeds).Select(s => TestNets.Random<T>(inputs, layers, seed: (ulong)s + 100)).ToList();
        var alone = batch.Select(n => n.Clone()).ToList();

        var outcomes = new SeedBatchTrainer<T>(batch, data, options).Train();

        for (int s = 0; s < seeds; s++)
        {
            var history = new Trainer<T>(alone[s], data, options with { Threads = 1 }).Train();
            Assert.Null(outcomes[s].Diverged);
            Assert.Equal(history, outcomes[s].History);
            for (int l = 0; l < layers.Length; l++)
            {
                Assert.Equal(alone[s].Layers[l].Weights, batch[s].Layers[l].Weights);
                Assert.Equal(alone[s].Layers[l].Biases, batch[s].Layers[l].Biases);
                Assert.Equal(alone[s].Layers[l].WeightGradients, batch[s].Layers[l].WeightGradients);
                Assert.Equal(alone[s].Layers[l].BiasGradients, batch[s].Layers[l].BiasGradients);
            }
        }
        // The runs moved: a batch that did nothing would pass the comparisons above only if the solo runs did nothing too.
        Assert.NotEqual(outcomes[0].History[0].Loss, outcomes[0].History[^1].Loss);
    }

    [Fact]
    public void ADivergingNetworkIsReportedAsAloneAndTheOthersGoOn()
    {
        // With weights of scale 30 the first step overshoots and every step after grows the error;
        // with scale 0.1 the same learning rate converges.
        var data = TestNets.Data(20, 3, 0, seed: 15);
        var options = new TrainingOptions { Loss = Loss.Mse, Optimizer = "gd", LearningRate = 0.05, BatchSize = null, Epochs = 200, Threads = 1 };
        (int, Activation)[] layers = [(4, Activation.Linear), (1, Activation.Linear)];
        var batch = new List<Network<float>> { TestNets.Random<float>(3, layers, seed: 1, scale: 0.1), TestNets.Random<float>(3, layers, seed: 2, scale: 30), TestNets.Random<float>(3, layers, seed: 3, scale: 0.1) };
        var alone = batch.Select(n => n.Clone()).ToList();

        var outcomes = new SeedBatchTrainer<float>(batch, data, options).Train();

        var expected = Assert.Throws<TrainingDivergedException>(() => new Trainer<float>(alone[1], data, options).Train());
        var diverged = outcomes[1].Diverged;
        Assert.NotNull(diverged);
        Assert.Equal(expected.Message, diverged.Message);
        Assert.Equal(expected.Epoch - 1, outcomes[1].Epochs);
        for (int l = 0; l < layers.Length; l++)
        {
            // Left where Trainer stopped it, not where its lane went on to.
            Assert.Equal(alone[1].Layers[l].Weights, batch[1].Layers[l].Weights);
            Assert.Equal(alone[1].Layers[l].BiasGradients, batch[1].Layers[l].BiasGradients);
        }
        foreach (int s in new[] { 0, 2 })
        {
            Assert.Null(outcomes[s].Diverged);
            Assert.Equal(new Trainer<float>(alone[s], data, options).Train(), outcomes[s].History);
            Assert.Equal(alone[s].Layers[0].Weights, batch[s].Layers[0].Weights);
        }
    }

    [Fact]
    public void RefusesMinibatchesDropoutAndMixedShapes()
    {
        var data = TestNets.Data(10, 2, 2);
        var net = TestNets.Random<float>(2, [(3, Activation.Tanh), (1, Activation.Sigmoid)]);
        var other = TestNets.Random<float>(2, [(4, Activation.Tanh), (1, Activation.Sigmoid)]);
        var gd = new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", BatchSize = null };
        Assert.Throws<ArgumentException>(() => new SeedBatchTrainer<float>([net], data, gd with { BatchSize = 4 }));
        Assert.Throws<ArgumentException>(() => new SeedBatchTrainer<float>([net], data, gd with { Dropout = 0.2 }));
        Assert.Throws<ArgumentException>(() => new SeedBatchTrainer<float>([net, other], data, gd));
        Assert.Throws<DataException>(() => new SeedBatchTrainer<float>([net], TestNets.Data(10, 3, 2), gd));
    }
}
