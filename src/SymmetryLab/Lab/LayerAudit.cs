namespace SymmetryLab.Lab;

/// <summary>
/// What an audit found in one layer (SPEC.md <c>audit --json</c>); units are numbered from 1 as in the model file.
/// </summary>
/// <param name="Layer">1 for the first hidden layer.</param>
/// <param name="Units">The layer's width in the audited model.</param>
/// <param name="Activation">The layer's activation name.</param>
/// <param name="IsOutput">The output layer: its units are the model's outputs and are reported, never merged or removed.</param>
/// <param name="Identical">Groups of two or more units with the same incoming weights and bias (within the tolerance), dead units included.</param>
/// <param name="Interchangeable">The identical groups split further by equal outgoing weights: units that could swap places without any change.</param>
/// <param name="Mirrors">Pairs of tanh or linear units (the first live unit of each identical group) whose incoming weights and bias are negatives of each other.</param>
/// <param name="Dead">Units whose output is constant: over the data (a relu never active), or, without data, for any input.</param>
/// <param name="Saturated">Sigmoid and tanh units pinned near a limit on most rows of the data (<see cref="ActivationProfile"/>); null without data.</param>
public sealed record LayerAudit(
    int Layer,
    int Units,
    string Activation,
    bool IsOutput,
    IReadOnlyList<int[]> Identical,
    IReadOnlyList<int[]> Interchangeable,
    IReadOnlyList<int[]> Mirrors,
    int[] Dead,
    int[]? Saturated)
{
    /// <summary>Units identical to a live unit before them (each identical group of live units keeps one).</summary>
    public int Duplicates => LiveGroups.Sum(g => g.Length - 1);

    /// <summary>The identical groups without their dead units (dead units are removed, not merged), of two or more.</summary>
    public IReadOnlyList<int[]> LiveGroups => Identical.Select(g => g.Except(Dead).ToArray()).Where(g => g.Length > 1).ToList();

    /// <summary>
    /// How many different units the layer really has: its width less the dead units, the duplicates and
    /// the mirror images. The output layer keeps every unit. A hidden layer whose units are all dead has 0
    /// (its output is a constant); the merged network keeps one of them, since a layer cannot be empty.
    /// </summary>
    public int Effective => IsOutput ? Units : Units - Dead.Length - Duplicates - Mirrors.Count;

    /// <summary>"layer 1: 256 units, 241 effective (12 dead, 3 duplicate pairs)".</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            if (Dead.Length > 0) parts.Add($"{Dead.Length} dead");
            foreach (var size in LiveGroups.GroupBy(g => g.Length).OrderBy(s => s.Key))
                parts.Add(size.Key == 2
                    ? $"{size.Count()} duplicate {(size.Count() == 1 ? "pair" : "pairs")}"
                    : $"{size.Count()} {(size.Count() == 1 ? "group" : "groups")} of {size.Key} identical units");
            if (Mirrors.Count > 0) parts.Add($"{Mirrors.Count} mirror {(Mirrors.Count == 1 ? "pair" : "pairs")}");
            string units = Units == 1 ? "1 unit" : $"{Units} units";
            if (IsOutput)
                return $"layer {Layer}: {units}, the outputs (kept as they are{(parts.Count > 0 ? "; " + string.Join(", ", parts) : "")})";
            return $"layer {Layer}: {units}, {Effective} effective{(parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "")}";
        }
    }
}
