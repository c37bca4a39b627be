namespace SymmetryLab.Runs.Documents;

/// <summary>
/// symmetry.json of a run folder (SPEC.md): the diagnosis, what <c>--perturb</c> did (null: nothing), and
/// per layer its groups of identical units at the end, at the start, and the step they first split.
/// </summary>
internal sealed record SymmetryDocument(string Diagnosis, string Explanation, string? Perturbation, IReadOnlyList<SymmetryLayerDocument> Layers);

/// <summary>
/// One layer of <see cref="SymmetryDocument"/>: units 1-based; <paramref name="BrokeAtStep"/> null when
/// the groups never split; <paramref name="Symmetry"/> says what happened in words.
/// </summary>
internal sealed record SymmetryLayerDocument(int Layer, int Units, int Distinct, IReadOnlyList<int[]> Groups, IReadOnlyList<int[]> Interchangeable,
    int DistinctAtStart, long? BrokeAtStep, string Symmetry);
