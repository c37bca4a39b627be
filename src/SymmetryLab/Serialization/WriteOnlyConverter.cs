using System.Text.Json;
using System.Text.Json.Serialization;

namespace SymmetryLab.Serialization;

/// <summary>
/// A converter that only writes: the files written through it are read by their own parsers
/// (<see cref="ModelFile.Parse{T}"/>), which check every field and name it in their errors.
/// </summary>
internal abstract class WriteOnlyConverter<T> : JsonConverter<T>
{
    public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(T).Name} is written only; model files are read by ModelFile.Parse");
}
