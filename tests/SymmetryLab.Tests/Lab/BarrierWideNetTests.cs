using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Lab;

public class BarrierWideNetTests
{
    [Fact]
    public void Aligning_two_wide_nets_lowers_the_barrier_between_them()
    {
        // 2-32-32-1 relu on circles-dls from two seeds: different reorderings of (nearly) one solution.
        RunSettings Settings(ulong seed) => new()
        {
            Data = "circles-dls", Layers = [32, 32, 1], Activation = Activation.Relu, Epochs = 300, LearningRate = 0.01, Seed = seed, Threads = 1,
        };
        var a = ModelFile.Parse<double>(TrainingRun.Execute(Settings(1)).FinalModel, "seed 1");
        var b = ModelFile.Parse<double>(TrainingRun.Execute(Settings(2)).FinalModel, "seed 2");
        var data = DataSource.Load("circles-dls").Train;
        var r = ModelComparison.Run(a, b, data);
        Assert.True(r.Alignment.DistanceAfter < r.Alignment.DistanceBefore);
        Assert.True(r.Before!.Barrier > 0.05, $"barrier before {r.Before.Barrier}");
        Assert.True(r.After!.Barrier < 0.5 * r.Before.Barrier, $"barrier after {r.After.Barrier}, before {r.Before.Barrier}");
    }
}
