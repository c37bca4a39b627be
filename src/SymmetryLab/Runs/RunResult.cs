using SymmetryLab.Engine;
using SymmetryLab.Lab;

namespace SymmetryLab.Runs;

/// <summary>What a finished run reports (SPEC.md train JSON) and writes to its folder.</summary>
public sealed record RunResult
{
    public required double Loss { get; init; }
    public double? Accuracy { get; init; }
    public double? TestLoss { get; init; }
    public double? TestAccuracy { get; init; }
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
}
