using System.Text;
using System.Text.Json;

namespace SymmetryLab.Cli.Commands;

/// <summary>Writes one JSON object to standard output (the --json contract: nothing else on it).</summary>
internal static class JsonOut
{
    public static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
