using System.Text.Json.Serialization;

namespace SymmetryLab.Cli.Answers;

/// <summary>
/// <c>explain --json</c>: the loss, then the chain rule of the weight (<see cref="Lab.ChainExplanation"/>);
/// with <c>--vs</c>, the other weight's under <paramref name="Vs"/> and each factor marked by whether it
/// differs between the two. <paramref name="Loss"/> is at the top level only; <paramref name="Paths"/>
/// only when several units above receive the weight's unit.
/// </summary>
internal sealed record ExplainAnswer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Loss,
    string Weight, double? Gradient, double? Numeric, double NumericNoise, bool NumericResolves, double? Product, double L2Term, string Combine, int? Sample, int Samples,
    IReadOnlyList<FactorAnswer> Factors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PathAnswer>? Paths,
    IReadOnlyList<string> Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplainAnswer? Vs);

/// <summary>One factor of the chain rule; <paramref name="Differs"/> only when two weights are compared.</summary>
internal sealed record FactorAnswer(string Name, string Role, double? Value, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Differs);

/// <summary>One path from the weight to the cost through a unit above, its factors and their product.</summary>
internal sealed record PathAnswer(string Via, IReadOnlyList<FactorAnswer> Factors, double? Product);
