using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Cli.Answers;

/// <summary><c>inspect --json</c>: each layer as <see cref="Lab.LayerInspection"/> sees it.</summary>
internal sealed record InspectAnswer(IReadOnlyList<InspectLayerAnswer> Layers);

/// <summary>
/// One layer of <see cref="InspectAnswer"/>: its groups of identical units and closest distinct pair
/// (null: fewer than two groups); with data, its dead and saturated units and the most correlated pairs
/// with the correlation matrix (null when too wide to show), absent without data.
/// </summary>
internal sealed record InspectLayerAnswer(int Layer, int Units, string Activation, int Distinct, IReadOnlyList<int[]> Groups, IReadOnlyList<int[]> Interchangeable,
    ClosestPairAnswer? ClosestPair,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Dead,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Saturated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CorrelatedPairAnswer>? MostCorrelated,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CorrelationAnswer? Correlation);

/// <summary>The two closest distinct units (1-based), their distance and cosine (null when a unit is all zeros).</summary>
internal sealed record ClosestPairAnswer(int[] Units, double Distance, double? Cosine);

/// <summary>Two units (1-based) whose activations move together over the rows, and their correlation.</summary>
internal sealed record CorrelatedPairAnswer(int[] Units, double Correlation);

/// <summary>
/// The correlation matrix of a layer's activations (null entries: a constant unit), or null when the
/// matrix is not given: a wrapper, so that "given as null" and "absent" are told apart.
/// </summary>
[JsonConverter(typeof(CorrelationAnswerConverter))]
internal sealed record CorrelationAnswer(double?[][]? Matrix);

/// <summary>Writes a <see cref="CorrelationAnswer"/>: its matrix row by row, or null.</summary>
internal sealed class CorrelationAnswerConverter : JsonConverter<CorrelationAnswer>
{
    public override CorrelationAnswer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("inspect's answer is written only");

    public override void Write(Utf8JsonWriter writer, CorrelationAnswer value, JsonSerializerOptions options)
    {
        if (value.Matrix is null) { writer.WriteNullValue(); return; }
        writer.WriteStartArray();
        foreach (var row in value.Matrix)
        {
            writer.WriteStartArray();
            foreach (var r in row)
                if (r is { } v && double.IsFinite(v)) writer.WriteNumberValue(v); else writer.WriteNullValue();
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}
