using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// JSON text written as it is inside another document: a sweep's settings, one compact line that is
/// compared as text, embedded unchanged in sweep.json and summary.json. Read back as the text it was.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
internal readonly record struct RawJson(string Text);

/// <summary>Writes a <see cref="RawJson"/> as its text (checked to be JSON) and reads any value back as its raw text.</summary>
internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) => writer.WriteRawValue(value.Text);
}
