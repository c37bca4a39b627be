using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Web.Api;

/// <summary>
/// Numbers of the run's precision (<c>float[]</c> or <c>double[]</c>: weights, biases, gradients, the data's
/// points) as a JSON array, each in its shortest text that reads back to the same bits in
/// <typeparamref name="T"/> (as the model file writes it) and null when it is NaN or infinite (a diverged
/// run's weights; JSON has neither). The library's <see cref="Serialization.FiniteOrNullConverter"/> is the
/// same rule for one optional double; an array of thousands is written here element by element, straight
/// into the writer's UTF-8 buffer, without a nullable copy.
/// </summary>
internal sealed class FiniteNumbersConverter<T> : JsonConverter<T[]> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The page only reads these arrays; the playground's requests are read by hand (PlaygroundState.Parse).</summary>
    public override T[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(T).Name}[] is written only");

    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        Span<byte> text = stackalloc byte[40];
        foreach (var v in value)
        {
            if (!T.IsFinite(v)) { writer.WriteNullValue(); continue; }
            v.TryFormat(text, out int n, "R", CultureInfo.InvariantCulture);
            writer.WriteRawValue(text[..n], skipInputValidation: true);
        }
        writer.WriteEndArray();
    }
}
