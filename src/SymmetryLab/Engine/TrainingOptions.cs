using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;

namespace SymmetryLab.Engine;

/// <summary>Everything about a run except the network and the data (SPEC.md defaults).</summary>
public sealed record TrainingOptions
{
    /// <summary>The cost training minimizes (default: binary cross-entropy, which needs a sigmoid output layer).</summary>
    public Loss Loss { get; init; } = Loss.Bce;

    /// <summary>The optimizer, e.g. <c>new Adam(0.01)</c>; a SPEC.md name ("adam") converts to one. Default: Adam at its default rate.</summary>
    public Optimizer Optimizer { get; init; } = new Adam();

    /// <summary>Overrides the optimizer's own learning rate when set; null: the optimizer's (<see cref="EffectiveLearningRate"/>).</summary>
    public double? LearningRate { get; init; }

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 20;
    /// <summary>
    /// Minibatch size; null means the whole training set. Unless set: the whole set for an optimizer
    /// that is full-batch by default (<see cref="GradientDescent"/>, "gd"), else 32, as SPEC.md's --batch.
    /// </summary>
    public int? BatchSize
    {
        get => _batchSizeSet ? _batchSize : Optimizer.FullBatchByDefault ? null : DefaultBatchSize;
        init
        {
            _batchSize = value;
            _batchSizeSet = true;
        }
    }

    private readonly int? _batchSize;
    private readonly bool _batchSizeSet;

    /// <summary>The minibatch size of an optimizer that is not full-batch by default.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The L2 penalty's lambda: the cost gains lambda/(2m) times the sum of the squared weights.</summary>
    public double L2 { get; init; }

    /// <summary>Inverted dropout on hidden activations: the probability of dropping each.</summary>
    public double Dropout { get; init; }

    /// <summary>The seed of the shuffle and dropout streams (the weights' stream is the network builder's).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads of the worker pool; the results do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Which path computes each step (<see cref="EngineOptions.Reference"/>: the plain chain rule always); the bits are the same either way.</summary>
    public EngineOptions Engine { get; init; } = EngineOptions.Default;

    /// <summary>The learning rate in use: <see cref="LearningRate"/>, else the optimizer's, else the optimizer's default.</summary>
    public double EffectiveLearningRate => LearningRate ?? Optimizer.LearningRate ?? Optimizer.DefaultLearningRate;
}
