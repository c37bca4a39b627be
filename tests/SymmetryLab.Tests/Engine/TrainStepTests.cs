using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Tests.Engine;

/// <summary>Step-wise training (the playground's) takes the very steps whole epochs take.</summary>
public class TrainStepTests
{
    [Theory]
    [InlineData("adam", 10, 0.0)]    // minibatches, reshuffled each epoch; the last one partial (103 rows)
    [InlineData("gd", null, 0.0)]    // full batch
    [InlineData("sgd", 7, 0.2)]      // dropout draws from its own stream in step order
    public void Steps_one_at_a_time_end_where_the_epochs_end_bit_for_bit(string optimizer, int? batch, double dropout)
    {
        var data = TestNets.Data(103, 2, 2);
        var options = new TrainingOptions { Loss = Loss.Bce, Optimizer = optimizer, LearningRate = 0.05, BatchSize = batch, Dropout = dropout, Seed = 5, Epochs = 3 };
        (int, Activation)[] layers = [(5, Activation.Tanh), (3, Activation.Relu), (1, Activation.Sigmoid)];
        var byEpoch = TestNets.Random<float>(2, layers);
        var byStep = byEpoch.Clone();
        var epochs = new Trainer<float>(byEpoch, data, options).Train();

        var trainer = new Trainer<float>(byStep, data, options);
        var ended = new List<EpochRecord>();
        int stepsPerEpoch = (103 + (batch ?? 103) - 1) / (batch ?? 103);
        for (int i = 0; i < 3 * stepsPerEpoch; i++)
        {
            var r = trainer.TrainStep();
            Assert.Equal(i + 1, r.Step);
            Assert.Equal(i / stepsPerEpoch + 1, r.Epoch);
            if (r.EpochEnded is { } e) ended.Add(e);
        }
        Assert.Equal(epochs.Select(e => (e.Epoch, e.Step, e.Loss, e.Accuracy)), ended.Select(e => (e.Epoch, e.Step, e.Loss, e.Accuracy)));
        for (int l = 0; l < layers.Length; l++)
        {
            Assert.Equal(byEpoch.Layers[l].Weights, byStep.Layers[l].Weights);
            Assert.Equal(byEpoch.Layers[l].Biases, byStep.Layers[l].Biases);
        }
    }

    [Fact]
    public void An_epoch_cannot_start_while_a_stepped_one_is_unfinished()
    {
        var data = TestNets.Data(20, 2, 2);
        var trainer = new Trainer<double>(TestNets.Random<double>(2, [(1, Activation.Sigmoid)]), data, new TrainingOptions { BatchSize = 5 });
        trainer.TrainStep();
        Assert.Throws<InvalidOperationException>(() => trainer.RunEpoch(1));
        for (int i = 0; i < 3; i++) trainer.TrainStep();
        trainer.RunEpoch(2); // between epochs again
    }

    [Fact]
    public void A_step_that_makes_a_weight_infinite_stops_there()
    {
        var data = new Dataset("big", [1e30, -1e30, 2e30, 1e30], [1, 0], 2);
        var net = TestNets.Random<float>(2, [(2, Activation.Linear), (1, Activation.Linear)], scale: 1e8);
        var trainer = new Trainer<float>(net, data, new TrainingOptions { Loss = Loss.Mse, Optimizer = "gd", LearningRate = 1e30, BatchSize = 1 });
        var e = Assert.Throws<TrainingDivergedException>(() => { for (int i = 0; i < 10; i++) trainer.TrainStep(); });
        Assert.Equal(1, e.Epoch);
    }
}
