using SymmetryLab.Engine.Losses;

namespace SymmetryLab.Engine;

/// <summary>Everything about a run except the network and the data (SPEC.md defaults).</summary>
public sealed record TrainingOptions
{
    public Loss Loss { get; init; } = Loss.Bce;
    public string Optimizer { get; init; } = "adam";
    public double? LearningRate { get; init; }
    public int Epochs { get; init; } = 20;
    /// <summary>Minibatch size; null means the whole training set (the default for gd).</summary>
    public int? BatchSize { get; init; } = 32;
    public double L2 { get; init; }
    /// <summary>Inverted dropout on hidden activations: the probability of dropping each.</summary>
    public double Dropout { get; init; }
    public ulong Seed { get; init; } = 1;
    public int Threads { get; init; } = Environment.ProcessorCount;

    public double EffectiveLearningRate => LearningRate ?? Optimizers.Optimizer<double>.DefaultLearningRate(Optimizer);
}
