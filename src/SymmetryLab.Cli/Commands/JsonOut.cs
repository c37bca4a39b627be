using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SymmetryLab.Cli.Commands;

/// <summary>
/// Writes one JSON answer (a record of <see cref="Answers.CliJsonContext"/>) to standard output, the
/// --json contract: nothing else on it; indented by two spaces, non-ASCII text as it is, a line break after.
/// </summary>
internal static class JsonOut
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write<T>(TextWriter output, T answer, JsonTypeInfo<T> info)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
            JsonSerializer.Serialize(writer, answer, info);
        output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
