using System.Text.Json.Serialization;

namespace SymmetryLab.Cli.Answers;

/// <summary>
/// <c>compare --json</c>: how the second model's units were matched to the first's, the distances before
/// and after, and with data the loss barrier along the straight line between them before and after the
/// alignment (null without data).
/// </summary>
internal sealed record CompareAnswer(string Method, double Threshold, double DistanceBefore, double DistanceAfter, IReadOnlyList<CompareLayerAnswer> Layers,
    double? BaselineAccuracy, double? BarrierBefore, double? BarrierAfter, string? Loss, IReadOnlyList<PathPointAnswer>? Path);

/// <summary>
/// One hidden layer's match (units 1-based): the permutation, the flipped units, the distances, the units
/// left unmatched and each unit's distance; <paramref name="ActivationPermutation"/> only when activations
/// were matched too.
/// </summary>
internal sealed record CompareLayerAnswer(int Layer, int Units, int[] Permutation, int[] Flipped, double DistanceBefore, double DistanceAfter,
    int[] Unmatched, double[] UnitDistances, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? ActivationPermutation);

/// <summary>A point t of the straight line between the models, its loss and accuracy before and after the alignment.</summary>
internal sealed record PathPointAnswer(double T, double? LossBefore, double? AccuracyBefore, double? LossAfter, double? AccuracyAfter);
