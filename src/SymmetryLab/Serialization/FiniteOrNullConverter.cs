using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// An optional number in the JSON the library and the command line write: a finite value is written in
/// its shortest round-trip text, and no value, NaN or an infinity as null (JSON has no NaN). Read back, a
/// null is no value. Registered for every <c>double?</c> of the source-generated contexts that use it.
/// </summary>
internal sealed class FiniteOrNullConverter : JsonConverter<double?>
{
    /// <summary>Null tokens and null values reach this converter, so that both directions are decided here.</summary>
    public override bool HandleNull => true;

    /// <summary>A number, or null for a null token.</summary>
    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();

    /// <summary>The number when it is finite, else null.</summary>
    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        if (value is { } v && double.IsFinite(v)) writer.WriteNumberValue(v);
        else writer.WriteNullValue();
    }
}
