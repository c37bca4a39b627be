namespace SymmetryLab.Cli.Answers;

/// <summary>
/// <c>gradcheck --json</c> (SPEC.md): the largest relative error over the gradients finite differences can
/// judge (null when none can) and where, what was and was not checked, and the parameters left out because
/// a step crossed a relu kink.
/// </summary>
internal sealed record GradcheckAnswer(double? MaxRelativeError, int Parameters, int Judged, string? Worst, double? Analytic, double? Numeric, double Step, double Cost,
    double NoiseFloor, int TooSmall, double MaxTooSmallDifference, int BeyondNoise, double Tolerance, bool Passed, IReadOnlyList<string> AtKinks);
