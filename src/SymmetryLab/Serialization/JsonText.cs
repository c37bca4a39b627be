using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SymmetryLab.Serialization;

/// <summary>
/// Serializes a record through its source-generated <see cref="JsonTypeInfo{T}"/> into the layout the
/// run and sweep files have always had. The writer's options, not the context's, decide the layout:
/// <see cref="Indented{T}"/> for a file (two-space indents, non-ASCII text as it is, a final line break),
/// <see cref="Line{T}"/> for one line of a part or the settings embedded in other files (compact,
/// System.Text.Json's default escaping).
/// </summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions IndentedOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An indented document followed by a line break.</summary>
    public static string Indented<T>(T value, JsonTypeInfo<T> info) => Write(value, info, IndentedOptions, 1024) + "\n";

    /// <summary>One line of compact JSON, without a line break.</summary>
    public static string Line<T>(T value, JsonTypeInfo<T> info, int sizeHint = 256) => Write(value, info, default, sizeHint);

    private static string Write<T>(T value, JsonTypeInfo<T> info, JsonWriterOptions options, int sizeHint)
    {
        var buffer = new ArrayBufferWriter<byte>(sizeHint);
        using (var writer = new Utf8JsonWriter(buffer, options))
            JsonSerializer.Serialize(writer, value, info);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
