using SymmetryLab.Engine;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>What a finished run reports (SPEC.md train JSON) and writes to its folder.</summary>
public sealed record RunResult
{
    /// <summary>The cost of the final model on the training data (L2 penalty included), as predict computes it.</summary>
    public required double Loss { get; init; }
    /// <summary>The mean of the last epoch's batch costs, taken while the weights still moved; null with 0 epochs.</summary>
    public double? LastEpochMeanLoss { get; init; }
    /// <summary>The final model's accuracy on the training data (null for a regression target).</summary>
    public double? Accuracy { get; init; }
    public double? TestLoss { get; init; }
    public double? TestAccuracy { get; init; }
    /// <summary>The accuracy of always answering the training set's majority class (null for a regression target).</summary>
    public MajorityBaseline? Baseline { get; init; }
    public required int Epochs { get; init; }
    public required long Steps { get; init; }
    public required ulong Seed { get; init; }
    public required string Precision { get; init; }
    public required string Shape { get; init; }
    public required IReadOnlyList<UnitGroups> Layers { get; init; }
    public required Diagnosis Diagnosis { get; init; }
    public required IReadOnlyList<EpochRecord> History { get; init; }
    public required IReadOnlyList<int[]> DistinctHistory { get; init; }
    public required string InitialModel { get; init; }
    public required string FinalModel { get; init; }
    public required string LossName { get; init; }
    public required string Optimizer { get; init; }
    public required double LearningRate { get; init; }
    public required int BatchSize { get; init; }
    public required string Init { get; init; }
    public string? Out { get; init; }
    /// <summary>Per layer: distinct units at the start, in initial.json (after initialization and any perturbation).</summary>
    public required IReadOnlyList<int> DistinctAtStart { get; init; }
    /// <summary>Per layer: the first step at which its groups of identical units split; null if they never did during training.</summary>
    public required IReadOnlyList<long?> BrokeAtStep { get; init; }
    /// <summary>Per epoch and layer: the smallest distance between two distinct units (null with fewer than two groups).</summary>
    public required IReadOnlyList<double?[]> MinDistanceHistory { get; init; }
    /// <summary>What --perturb did, or null.</summary>
    public string? Perturbation { get; init; }
    /// <summary>Rows of trajectory.csv, or null without --record.</summary>
    public long? TrajectoryRows { get; init; }
}
