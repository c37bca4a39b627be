using System.Text.Json.Serialization;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs.Documents;

/// <summary>
/// summary.json and <c>sweep --json</c> (SPEC.md): what was run, the distributions of the final figures
/// (null when no run finished), the solutions, each layer's symmetry record and the first runs that diverged.
/// </summary>
internal sealed record SweepSummaryDocument(string Format, int Version, RawJson Settings, string Seeds, long Runs, long Finished, long Diverged,
    SpreadDocument? Loss, SpreadDocument? Accuracy, SpreadDocument? TestLoss, SpreadDocument? TestAccuracy,
    double Threshold, int Solutions, int MaxSolutions, long Untracked,
    IReadOnlyList<ClusterDocument> Clusters, IReadOnlyList<SplitDocument> Symmetry, IReadOnlyList<DivergedRunDocument> DivergedRuns)
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "symlab-sweep-summary";
}

/// <summary>
/// A <see cref="Spread"/> of a metric over <paramref name="Runs"/> runs, with its <see cref="Histogram"/>'s
/// bins where the summary keeps one (absent otherwise).
/// </summary>
internal sealed record SpreadDocument(long Runs, double Min, double Max, double Mean, double Std,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<BinDocument>? Histogram = null)
{
    /// <summary>The spread's figures, or null when it saw no value.</summary>
    public static SpreadDocument? Of(Spread s, Histogram? histogram) =>
        s.Count == 0 ? null : new(s.Count, s.Min, s.Max, s.Mean, s.Std, histogram?.Bins().Select(b => new BinDocument(b.From, b.To, b.Count)).ToList());
}

/// <summary>One bin of a histogram: [from, to) and the runs in it.</summary>
internal sealed record BinDocument(double From, double To, long Runs);

/// <summary>
/// One distinct solution (<see cref="SweepSolution"/>): its representative seed and model file (null when
/// not kept), the spread of its runs' figures and the first seeds that found it.
/// </summary>
internal sealed record ClusterDocument(int Solution, long Runs, ulong Representative, string? Model, SpreadDocument? Loss, SpreadDocument? Accuracy, IReadOnlyList<ulong> Seeds);

/// <summary>One layer's <see cref="SweepSymmetry"/>: how its runs' units started and when they split.</summary>
internal sealed record SplitDocument(int Layer, int Units, long AllDistinctAtStart, long IdenticalAtStart, long Split, long NeverSplit, SpreadDocument? SplitStep);

/// <summary>A run that diverged and the message that says where.</summary>
internal sealed record DivergedRunDocument(ulong Seed, string? Message);
