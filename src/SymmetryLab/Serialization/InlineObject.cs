using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// A small object written on one line, <c>{ "name": value, ... }</c>, its values given as JSON text: a
/// model file's normalization (two <see cref="NumberRow"/>s) and meta (strings). An indented writer would
/// give each field a line of its own.
/// </summary>
[JsonConverter(typeof(InlineObjectConverter))]
internal sealed record InlineObject(IReadOnlyList<KeyValuePair<string, string>> Fields)
{
    /// <summary>String fields, escaped as System.Text.Json escapes them by default.</summary>
    public static InlineObject OfStrings(IEnumerable<KeyValuePair<string, string>> fields) =>
        new([.. fields.Select(f => new KeyValuePair<string, string>(f.Key, Quoted(f.Value)))]);

    public static string Quoted(string text) => $"\"{JsonEncodedText.Encode(text)}\"";

    public string Text()
    {
        var s = new StringBuilder("{ ");
        s.AppendJoin(", ", Fields.Select(f => $"{Quoted(f.Key)}: {f.Value}"));
        return s.Append(" }").ToString();
    }
}

/// <summary>Writes an <see cref="InlineObject"/> as its text.</summary>
internal sealed class InlineObjectConverter : WriteOnlyConverter<InlineObject>
{
    public override void Write(Utf8JsonWriter writer, InlineObject value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text(), skipInputValidation: true);
}
