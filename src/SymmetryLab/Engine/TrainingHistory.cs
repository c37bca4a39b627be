namespace SymmetryLab.Engine;

/// <summary>One epoch of a run: mean training cost over its batches, and held-out figures when there is a test set.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Step">Optimizer steps taken by the end of the epoch.</param>
/// <param name="Loss">The mean cost J over the epoch's batches, each weighted by its rows, computed before each batch's update (L2 penalty included when <see cref="TrainingOptions.L2"/> &gt; 0).</param>
/// <param name="Accuracy">The share of training rows each batch classified right before its update (0 to 1); null for a regression target.</param>
/// <param name="TestLoss">The mean cost (without L2) on the test set after the epoch; null without one.</param>
/// <param name="TestAccuracy">The share of test rows classified right after the epoch; null without a test set or for a regression target.</param>
public sealed record EpochRecord(int Epoch, long Step, double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy);

/// <summary>Lets the lab watch a run without changing it: called after every step and every epoch.</summary>
public interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// After parameter update number <paramref name="step"/> (1-based); gradients are those of that step.
    /// The layers' z and a buffers need not be (a tiny network's step keeps only the output layer's).
    /// </summary>
    void AfterStep(long step, int epoch, Network<T> network) { }

    /// <summary>After each epoch, with its <paramref name="record"/> and the network as that epoch left it.</summary>
    void AfterEpoch(EpochRecord record, Network<T> network) { }
}

/// <summary>
/// Training produced NaN or infinity. Names the epoch, the step and the first layer where it appeared,
/// in the library's terms (the learning rate of <see cref="TrainingOptions"/>); a front end that speaks
/// of flags builds its own sentence from the properties.
/// </summary>
public sealed class TrainingDivergedException(int epoch, long step, int layer, string what)
    : Exception($"training diverged at epoch {epoch} (step {step}): {what} in layer {layer}; try a smaller learning rate")
{
    /// <summary>The epoch of the step (1-based).</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The optimizer step that produced the first NaN or infinity (1-based).</summary>
    public long Step { get; } = step;

    /// <summary>The first layer (1-based, SPEC.md numbering) where it appeared.</summary>
    public int Layer { get; } = layer;

    /// <summary>What became NaN or infinite: "a weight became NaN or infinite", "the pre-activations overflowed", or "the cost is " and the cost (NaN or an infinity).</summary>
    public string What { get; } = what;
}

/// <summary>What one <see cref="Trainer{T}.TrainStep"/> did: the step's number, its epoch, the batch's cost, and the epoch's record when the step finished it.</summary>
/// <param name="Step">The step's number, 1-based over the whole run.</param>
/// <param name="Epoch">The epoch the step belongs to, 1-based.</param>
/// <param name="Cost">The mean cost J of the step's batch before its update (L2 penalty included).</param>
/// <param name="EpochEnded">The epoch's record when this step was its last; otherwise null.</param>
public readonly record struct StepResult(long Step, int Epoch, double Cost, EpochRecord? EpochEnded);
