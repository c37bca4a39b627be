using System.Text.Json;

namespace SymmetryLab.Serialization;

/// <summary>Small helpers for the JSON the library and the command line write.</summary>
internal static class JsonWriting
{
    /// <summary>A number, or null when there is none or it is not finite (JSON has no NaN).</summary>
    public static void WriteNumberOrNull(this Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }
}
