using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// Numbers of one precision (<c>float[]</c> or <c>double[]</c>, elements [start, start + length)) written on
/// one line, <c>[a, b, c]</c>, each in its shortest round-trip text (<see cref="ModelFile.Number{T}"/>).
/// System.Text.Json's indented layout would put every number on a line of its own, so the row is written
/// here as one raw value (its numbers in the text the model file has always had). A class, not a struct:
/// System.Text.Json's metadata code for a reference type is the framework's precompiled shared code, for
/// a struct of ours it is compiled at run time (with <see cref="NumberRows"/>, about 40 methods a command
/// that writes a model, in the default ReadyToRun build).
/// </summary>
[JsonConverter(typeof(NumberRowConverter))]
internal sealed record NumberRow(Array Values, int Start, int Length)
{
    public static NumberRow Of(Array values) => new(values, 0, values.Length);

    /// <summary>The row's JSON text.</summary>
    public string Text() => Append(new StringBuilder()).ToString();

    public StringBuilder Append(StringBuilder s)
    {
        s.Append('[');
        for (int i = Start; i < Start + Length; i++)
        {
            if (i > Start) s.Append(", ");
            s.Append(Values switch
            {
                float[] f => ModelFile.Number(f[i]),
                double[] d => ModelFile.Number(d[i]),
                _ => throw new NotSupportedException(Values.GetType().Name),
            });
        }
        return s.Append(']');
    }
}

/// <summary>Writes a <see cref="NumberRow"/> as it is, unchecked (a NaN, which no model should hold, stays "NaN" as before).</summary>
internal sealed class NumberRowConverter : WriteOnlyConverter<NumberRow>
{
    public override void Write(Utf8JsonWriter writer, NumberRow value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text(), skipInputValidation: true);
}
