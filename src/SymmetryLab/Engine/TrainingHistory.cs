namespace SymmetryLab.Engine;

/// <summary>One epoch of a run: mean training cost over its batches, and held-out figures when there is a test set.</summary>
public sealed record EpochRecord(int Epoch, long Step, double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy);

/// <summary>Lets the lab watch a run without changing it: called after every step and every epoch.</summary>
public interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// After parameter update number <paramref name="step"/> (1-based); gradients are those of that step.
    /// The layers' z and a buffers need not be (a tiny network's step keeps only the output layer's).
    /// </summary>
    void AfterStep(long step, int epoch, Network<T> network) { }

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
public readonly record struct StepResult(long Step, int Epoch, double Cost, EpochRecord? EpochEnded);
