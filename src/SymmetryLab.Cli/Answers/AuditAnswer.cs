namespace SymmetryLab.Cli.Answers;

/// <summary><c>audit --json</c> (SPEC.md): the tolerance, each layer's audit, and the merged network written (null without --merge).</summary>
internal sealed record AuditAnswer(double Tolerance, IReadOnlyList<AuditLayerAnswer> Layers, MergedAnswer? Merged);

/// <summary>One layer of <see cref="AuditAnswer"/> (<see cref="Lab.LayerAudit"/>): units 1-based; <paramref name="Saturated"/> null without data.</summary>
internal sealed record AuditLayerAnswer(int Layer, int Units, string Activation, bool Output, int Effective, IReadOnlyList<int[]> Identical,
    IReadOnlyList<int[]> Interchangeable, IReadOnlyList<int[]> Mirrors, int[] Dead, int[]? Saturated, string Summary);

/// <summary>The merged network of <c>--merge</c>: where it went, its widths, and its largest output difference on the rows it was checked on.</summary>
internal sealed record MergedAnswer(string Out, int[] Units, double MaxOutputDifference, string CheckedOn);
