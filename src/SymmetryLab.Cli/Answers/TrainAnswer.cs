namespace SymmetryLab.Cli.Answers;

/// <summary>
/// <c>train --json</c>: the final model's figures beside the majority-class baseline (a regression's
/// loss beside the mse of always answering the training targets' mean), what ran, each
/// layer's distinct units at the start and the end, the diagnosis, and the folder and report written.
/// </summary>
internal sealed record TrainAnswer(double? Loss, double? LastEpochMeanLoss, double? Accuracy, double? BaselineAccuracy, double? TestLoss, double? TestAccuracy,
    double? TestBaselineAccuracy, int? BaselineClass, double? BaselineLoss, double? TestBaselineLoss, int Epochs, long Steps, ulong Seed, string Rng, string Precision, string Network,
    IReadOnlyList<TrainLayerAnswer> Layers, string Diagnosis, string Explanation, string? Out, string? Report);

/// <summary>One layer of <see cref="TrainAnswer"/>: units, distinct at the end and at the start, and the step the groups first split (null: never).</summary>
internal sealed record TrainLayerAnswer(int Layer, int Units, int Distinct, int DistinctAtStart, long? BrokeAtStep);
