using System.Text.Json.Serialization;
using SymmetryLab.Lab;

namespace SymmetryLab.Web.Api;

/// <summary>
/// <c>POST /api/sessions/ID/explain</c>: the fields of <c>symlab explain --json</c> for the current weights on
/// the training rows, with the step and the run's precision at the top (not in <paramref name="Vs"/>, the
/// second weight's). <paramref name="Paths"/> only when several units above receive the weight's unit.
/// </summary>
internal sealed record ExplainAnswer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Loss,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Step,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Precision,
    string Weight, double? Gradient, double? Numeric, double? Product, double L2Term, string Combine, int? Sample, int Samples,
    IReadOnlyList<FactorAnswer> Factors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PathAnswer>? Paths,
    IReadOnlyList<string> Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplainAnswer? Vs)
{
    /// <summary>The chain rule of one weight; <paramref name="differs"/> marks the factors that differ from the other weight's (null: none compared).</summary>
    public static ExplainAnswer Of(ChainExplanation e, bool?[]? differs) => new(null, null, null,
        e.Weight.ToString(), e.Gradient, e.Numeric, e.Product, e.L2Term, e.Paths is null ? "product" : "sum over paths", e.Sample, e.Samples,
        FactorsOf(e.Factors, differs), e.Paths?.Select(p => new PathAnswer(p.Via, FactorsOf(p.Factors, null), p.Product)).ToArray(), e.Notes, null);

    // differs is per factor of the first weight; a second weight of another layer has other factors, none compared.
    private static FactorAnswer[] FactorsOf(IReadOnlyList<Factor> factors, bool?[]? differs) =>
        [.. factors.Select((f, i) => new FactorAnswer(f.Name, f.Role, f.Value, differs is not null && i < differs.Length ? differs[i] : null))];
}

/// <summary>One factor of the chain rule; <paramref name="Differs"/> only when two weights are compared.</summary>
internal sealed record FactorAnswer(string Name, string Role, double? Value, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Differs);

/// <summary>One path from the weight to the cost through a unit above, its factors and their product.</summary>
internal sealed record PathAnswer(string Via, IReadOnlyList<FactorAnswer> Factors, double? Product);
