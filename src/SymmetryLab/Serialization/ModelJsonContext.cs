using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// System.Text.Json source generation for the model file: no reflection at run time, and the layout of
/// SPEC.md's example (two-space indents, "\n" line ends, camelCase names, absent fields left out).
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, IndentSize = 2, NewLine = "\n", PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ModelDocument))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
