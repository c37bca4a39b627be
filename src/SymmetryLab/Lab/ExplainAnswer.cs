using System.Text.Json.Serialization;

namespace SymmetryLab.Lab;

/// <summary>
/// The JSON of one <see cref="ChainExplanation"/>, as <c>symlab explain --json</c> prints it and the
/// playground's explain endpoint answers it: one record, so that the two cannot drift apart. The front
/// end fills what only it knows: <paramref name="Loss"/> (top level only), and the playground's
/// <paramref name="Step"/> and <paramref name="Precision"/>; null fields are left out.
/// <paramref name="Paths"/> only when several units above receive the weight's unit; <paramref name="Vs"/>
/// is the second weight's, when two are compared.
/// </summary>
internal sealed record ExplainAnswer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Loss,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Step,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Precision,
    string Weight, double? Gradient, double? Numeric, double? NumericNoise, bool NumericResolves, double? Product, double L2Term, string Combine,
    int? Sample, int Samples,
    IReadOnlyList<FactorAnswer> Factors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PathAnswer>? Paths,
    IReadOnlyList<string> Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplainAnswer? Vs)
{
    /// <summary>
    /// The chain rule of <paramref name="a"/>, and of <paramref name="b"/> under <see cref="Vs"/> when given,
    /// each factor marked by whether it differs between the two (<see cref="ChainRule.Differences"/>).
    /// </summary>
    public static ExplainAnswer Of(ChainExplanation a, ChainExplanation? b)
    {
        bool?[]? differs = b is null ? null : ChainRule.Differences(a, b);
        return One(a, differs) with { Vs = b is null ? null : One(b, differs) };
    }

    private static ExplainAnswer One(ChainExplanation e, bool?[]? differs) => new(null, null, null,
        e.Weight.ToString(), e.Gradient, e.Numeric, e.NoiseFloor, e.NumericResolves, e.Product, e.L2Term,
        e.Paths is null ? "product" : "sum over paths", e.Sample, e.Samples,
        FactorsOf(e.Factors, differs), e.Paths?.Select(p => new PathAnswer(p.Via, FactorsOf(p.Factors, null), p.Product)).ToArray(), e.Notes, null);

    // differs is per factor of the first weight; a second weight with other factors (another layer, one
    // sample) has none compared: Differences leaves them all null, and a longer list gets no marks.
    private static FactorAnswer[] FactorsOf(IReadOnlyList<Factor> factors, bool?[]? differs) =>
        [.. factors.Select((f, i) => new FactorAnswer(f.Name, f.Role, f.Value, differs is not null && i < differs.Length ? differs[i] : null))];
}

/// <summary>One factor of the chain rule; <paramref name="Differs"/> only when two weights are compared.</summary>
internal sealed record FactorAnswer(string Name, string Role, double? Value, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Differs);

/// <summary>One path from the weight to the cost through a unit above, its factors and their product.</summary>
internal sealed record PathAnswer(string Via, IReadOnlyList<FactorAnswer> Factors, double? Product);
