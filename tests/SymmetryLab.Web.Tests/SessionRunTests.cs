using SymmetryLab.Web.Sessions;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Tests;

/// <summary>A session's run, without a server.</summary>
public class SessionRunTests
{
    [Fact]
    public void A_run_played_for_many_epochs_keeps_nothing_per_epoch()
    {
        // One step an epoch: a page left playing runs thousands of epochs a second, for as long as it is open.
        var state = new PlaygroundState { Data = "xor:n=8", Test = null, Hidden = [2], Activations = ["tanh"], Optimizer = "gd", Lr = 0.1, Batch = null };
        var run = new SessionRun<float>(ResolvedState.Resolve(state, null, new PlaygroundLimits()));
        for (int i = 0; i < 3000; i++) Assert.True(run.TrainStep());
        Assert.Equal(3000, run.Step);
        Assert.Empty(run.Recorder.DistinctPerEpoch);
        Assert.Empty(run.Recorder.MinDistancePerEpoch);
    }
}
