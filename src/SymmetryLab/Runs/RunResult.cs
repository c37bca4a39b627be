using SymmetryLab.Engine;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>What a finished run reports (SPEC.md train JSON) and writes to its folder.</summary>
internal sealed record RunResult
{
    /// <summary>The cost of the final model on the training data (L2 penalty included), as predict computes it.</summary>
    public required double Loss { get; init; }
    /// <summary>The mean of the last epoch's batch costs, taken while the weights still moved; null with 0 epochs.</summary>
    public double? LastEpochMeanLoss { get; init; }
    /// <summary>The final model's accuracy on the training data (null for a regression target).</summary>
    public double? Accuracy { get; init; }
    /// <summary>The final model's cost on the test set; null without one.</summary>
    public double? TestLoss { get; init; }
    /// <summary>The final model's accuracy on the test set; null without one or for a regression target.</summary>
    public double? TestAccuracy { get; init; }
    /// <summary>The accuracy of always answering the training set's majority class (null for a regression target).</summary>
    public MajorityBaseline? Baseline { get; init; }
    /// <summary>The mse of always answering the training targets' mean (a regression target measured by mse; else null).</summary>
    public MeanBaseline? MeanBaseline { get; init; }
    /// <summary>Epochs trained.</summary>
    public required int Epochs { get; init; }
    /// <summary>Optimizer steps taken.</summary>
    public required long Steps { get; init; }
    /// <summary>The run's seed.</summary>
    public required ulong Seed { get; init; }
    /// <summary>"float32" or "float64".</summary>
    public required string Precision { get; init; }
    /// <summary>The widths, e.g. "2-3-1".</summary>
    public required string Shape { get; init; }
    /// <summary>Each layer's groups of identical units at the end.</summary>
    public required IReadOnlyList<UnitGroups> Layers { get; init; }
    /// <summary>What happened to the run, in a word and a sentence.</summary>
    public required Diagnosis Diagnosis { get; init; }
    /// <summary>One record per epoch (history.csv).</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }
    /// <summary>Per epoch and layer: distinct units at the end of the epoch.</summary>
    public required IReadOnlyList<int[]> DistinctHistory { get; init; }
    /// <summary>initial.json's text: the model at step 0.</summary>
    public required string InitialModel { get; init; }
    /// <summary>model.json's text: the trained model.</summary>
    public required string FinalModel { get; init; }
    /// <summary>The loss's SPEC.md name.</summary>
    public required string LossName { get; init; }
    /// <summary>The optimizer's SPEC.md name.</summary>
    public required string Optimizer { get; init; }
    /// <summary>The learning rate used.</summary>
    public required double LearningRate { get; init; }
    /// <summary>Rows per step.</summary>
    public required int BatchSize { get; init; }
    /// <summary>How the weights started: "SCHEME (bias SCHEME)", or "from FILE" for a model file.</summary>
    public required string Init { get; init; }
    /// <summary>The run folder written; null: none.</summary>
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
