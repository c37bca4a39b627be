namespace SymmetryLab.Cli.Answers;

/// <summary>
/// <c>predict --json</c>: each row's outputs (null where not finite), the predicted classes (null for a
/// regression), and, when the rows have targets, the cost, accuracy and majority-class baseline (else null),
/// or for a regression the mse of always answering the rows' own mean.
/// </summary>
internal sealed record PredictAnswer(IReadOnlyList<double?[]> Outputs, int[]? Classes, double? Loss, double? Accuracy, double? BaselineAccuracy, double? BaselineLoss);
