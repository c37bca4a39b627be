using SymmetryLab.Engine.Activations;
using SymmetryLab.Lab;

namespace SymmetryLab.Tests.Lab;

public class BarrierTests
{
    [Fact]
    public void Barrier_of_a_model_with_itself_is_zero()
    {
        var a = TestNets.Random<double>(3, [(8, Activation.Tanh), (1, Activation.Sigmoid)], 3, scale: 2);
        var data = TestNets.Data(60, 3, 2);
        var path = LossBarrier.Along(a, a.Clone(), data, LossBarrier.LossFor(a));
        Assert.Equal(25, path.Points.Count);
        Assert.Equal(0, path.Barrier);
        Assert.All(path.Points, p => Assert.Equal(path.Points[0].Loss, p.Loss));
    }

    [Fact]
    public void Barrier_is_the_largest_excess_over_the_chord()
    {
        // Losses 1, 3, 2 at t = 0, 0.5, 1: the chord at 0.5 is 1.5, the excess 1.5.
        PathPoint[] points = [new(0, 1, null), new(0.5, 3, null), new(1, 2, null)];
        Assert.Equal((1.5, 0.5), LossBarrier.Barrier(points));
        // A path below its chord (convex) has no barrier.
        PathPoint[] convex = [new(0, 1, null), new(0.5, 0.2, null), new(1, 2, null)];
        Assert.Equal(0, LossBarrier.Barrier(convex).Barrier);
    }

    [Fact]
    public void Path_ends_are_the_two_models()
    {
        var a = TestNets.Random<double>(3, [(4, Activation.Relu), (1, Activation.Sigmoid)], 1);
        var b = TestNets.Random<double>(3, [(4, Activation.Relu), (1, Activation.Sigmoid)], 2);
        var data = TestNets.Data(60, 3, 2);
        var loss = LossBarrier.LossFor(a);
        var path = LossBarrier.Along(a, b, data, loss, 31);
        Assert.Equal(31, path.Points.Count);
        Assert.Equal(new SymmetryLab.Engine.Evaluator<double>(a, data, loss, SymmetryLab.Numerics.WorkerPool.ForThreads(1)).Evaluate().Loss, path.Points[0].Loss, 1e-14);
        Assert.Equal(new SymmetryLab.Engine.Evaluator<double>(b, data, loss, SymmetryLab.Numerics.WorkerPool.ForThreads(1)).Evaluate().Loss, path.Points[^1].Loss, 1e-14);
    }
}
