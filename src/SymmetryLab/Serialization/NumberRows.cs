using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// A row-major matrix (<paramref name="Rows"/> x <paramref name="Columns"/> of <paramref name="Values"/>)
/// written as an array of <see cref="NumberRow"/>s, one row a line, indented one level deeper than the field
/// that holds it: the weights of a model file, readable unit by unit. A class for the reason
/// <see cref="NumberRow"/> is.
/// </summary>
[JsonConverter(typeof(NumberRowsConverter))]
internal sealed record NumberRows(Array Values, int Rows, int Columns);

/// <summary>
/// Writes <see cref="NumberRows"/> in the writer's own indentation. Utf8JsonWriter indents what it writes
/// itself but not a raw value, and a row must stay on one line, so the line breaks and indents are
/// written here from the writer's depth and options.
/// </summary>
internal sealed class NumberRowsConverter : WriteOnlyConverter<NumberRows>
{
    public override void Write(Utf8JsonWriter writer, NumberRows value, JsonSerializerOptions options)
    {
        var o = writer.Options;
        string Indent(int depth) => o.Indented ? o.NewLine + new string(o.IndentCharacter, depth * o.IndentSize) : "";
        var s = new StringBuilder("[");
        for (int r = 0; r < value.Rows; r++)
        {
            if (r > 0) s.Append(',');
            s.Append(Indent(writer.CurrentDepth + 1));
            new NumberRow(value.Values, r * value.Columns, value.Columns).Append(s);
        }
        s.Append(Indent(writer.CurrentDepth)).Append(']');
        writer.WriteRawValue(s.ToString(), skipInputValidation: true);
    }
}
