using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Api;

/// <summary>
/// The "run" event, sent when a run (or a reset) starts: what stays fixed for its generation: the state,
/// the data and its inputs, the network's shape and training settings, the majority-class baselines (null
/// for a regression), a regression's mean baseline (null otherwise), the <c>symlab train</c> line, and what the page draws of the data (the points of a
/// two-feature set, or the first images of an image set; null otherwise).
/// </summary>
internal sealed record RunEvent(
    int Generation, PlaygroundState State, string Data, int Rows, int TestRows, string Target, int Classes, IReadOnlyList<string> Inputs,
    string Shape, int Parameters, string Loss, string Optimizer, double LearningRate, int Batch, int StepsPerEpoch, string Precision, string Normalization,
    string? Perturbation, IReadOnlyList<string> Activations, BaselineAnswer? Baseline, BaselineAnswer? TestBaseline, MeanBaselineAnswer? MeanBaseline, string Command, PointsAnswer? Points, ImagesAnswer? Images);

/// <summary>The accuracy of always answering the training set's majority <paramref name="Class"/>: the figure an accuracy must beat.</summary>
internal sealed record BaselineAnswer(int Class, double Accuracy);

/// <summary>
/// For a regression measured by mse: always answering the training targets' <paramref name="Mean"/>, its mse on
/// the training rows and on the test rows (null without them): the figure a loss must beat to mean anything.
/// </summary>
internal sealed record MeanBaselineAnswer(double Mean, double Train, double? Test);

/// <summary>
/// The points of a two-feature set: the plane they and the heat maps cover (<c>[x1 min, x1 max, x2 min, x2 max]</c>),
/// the features' names, and x1, x2, target of each row, flat.
/// </summary>
internal sealed record PointsAnswer(double[] Domain, IReadOnlyList<string> Names, double[] Train, double[]? Test);

/// <summary>Images as tiles of <paramref name="Height"/> x <paramref name="Width"/> bytes (0 = the set's smallest pixel value, 255 = its largest), with their labels.</summary>
internal sealed record ImagesAnswer(int Height, int Width, byte[] Tiles, double[] Labels);
