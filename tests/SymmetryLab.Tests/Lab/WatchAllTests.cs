using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Lab;

/// <summary>Setup.WatchAll: runs trained side by side give what Setup.Watch gives one after the other.</summary>
public class WatchAllTests
{
    private static ExperimentResult Result() => new() { Name = "n", Title = "t", Question = "q", Setup = "s" };

    private static TrainSpec Spec(string init, double lr, ulong seed, Activation hidden = Activation.Sigmoid) =>
        new("coffee", [3, 1], hidden, Activation.Sigmoid, init, true,
            new TrainingOptions { Loss = Loss.Bce, Optimizer = "gd", LearningRate = lr, BatchSize = null, Epochs = 200, Seed = seed });

    [Fact]
    public void SideBySideRunsAreTheRunsOneAfterTheOtherInTheirOrder()
    {
        var (train, _) = Setup.Data("coffee");
        var specs = new[] { ("zeros", Spec("zeros", 1, 1)), ("seed 1", Spec("glorot-uniform", 1, 1)), ("seed 2", Spec("glorot-uniform", 0.5, 2)) };
        var alone = Result();
        var expected = specs.Select(s => Setup.Watch(alone, s.Item1, s.Item2, train)).ToList();
        var reported = new List<string>();
        var together = Result();
        var runs = Setup.WatchAll(together, new ExperimentOptions(Progress: reported.Add), [.. specs.Select(s => (s.Item1, s.Item2, train, (SymmetryLab.Data.Dataset?)null))]);

        Assert.Equal(specs.Select(s => s.Item1), reported);
        Assert.Equal(specs.Select(s => s.Item1), runs.Select(r => r.Label));
        for (int k = 0; k < specs.Length; k++)
        {
            Assert.Equal(ModelFile.Write(expected[k].Final), ModelFile.Write(runs[k].Run.Final));
            Assert.Equal(expected[k].History.Select(h => h.Loss), runs[k].Run.History.Select(h => h.Loss));
        }
        Assert.Equal(alone.Replays.Select(r => (r.Label, r.FinalModel)), together.Replays.Select(r => (r.Label, r.FinalModel)));
    }

    /// <summary>Both later runs diverge, the second sooner (another epoch, another message): the first one's is thrown.</summary>
    [Fact]
    public void AFailureIsTheFirstFailingRunsOwnException()
    {
        var (train, _) = Setup.Data("coffee");
        var specs = new[] { ("fine", Spec("glorot-uniform", 1, 1)), ("too fast", Spec("glorot-uniform", 1e10, 1, Activation.Relu)), ("faster", Spec("glorot-uniform", 1e300, 1, Activation.Relu)) };
        var alone = Assert.Throws<TrainingDivergedException>(() => specs.Select(s => Setup.Watch(Result(), s.Item1, s.Item2, train)).ToList());
        var together = Assert.Throws<TrainingDivergedException>(() => Setup.WatchAll(Result(), new ExperimentOptions(), [.. specs.Select(s => (s.Item1, s.Item2, train, (SymmetryLab.Data.Dataset?)null))]));
        Assert.Equal(alone.Message, together.Message);
    }
}
