namespace SymmetryLab.Runs.Documents;

/// <summary>
/// A line of a sweep's part file for a seed that finished (<see cref="SweepRecord"/>): its figures (null
/// where there are none), each layer's distinct units at the start and the step they first split (null:
/// never), and its parameters in the run's precision <typeparamref name="T"/>, whose shortest text gives
/// their bits back.
/// </summary>
internal sealed record FinishedLineDocument<T>(ulong Seed, double Loss, double? Accuracy, double? TestLoss, double? TestAccuracy, int[] Distinct, long?[] Broke, T[] Parameters);

/// <summary>A line of a sweep's part file for a seed whose training diverged: the message that says where.</summary>
internal sealed record DivergedLineDocument(ulong Seed, string Diverged);

/// <summary>
/// A line of a part file as read: either kind of line (<see cref="FinishedLineDocument{T}"/>,
/// <see cref="DivergedLineDocument"/>), the fields of the other kind absent.
/// </summary>
internal sealed record SweepLineDocument<T>(ulong Seed, string? Diverged = null, double? Loss = null, double? Accuracy = null, double? TestLoss = null, double? TestAccuracy = null,
    int[]? Distinct = null, long?[]? Broke = null, T[]? Parameters = null);
