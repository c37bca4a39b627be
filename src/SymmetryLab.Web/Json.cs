using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SymmetryLab.Web;

/// <summary>JSON written with <see cref="Utf8JsonWriter"/>; numbers of the run's precision in their shortest round-trip text.</summary>
internal static class Json
{
    public static byte[] Bytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A number, or null when it is NaN or infinite (JSON has neither).</summary>
    public static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    /// <summary>The value's shortest text that reads back to the same bits in T (as the model file writes it).</summary>
    public static void Value<T>(Utf8JsonWriter w, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value)) { w.WriteNullValue(); return; }
        Span<char> text = stackalloc char[40];
        value.TryFormat(text, out int n, "R", CultureInfo.InvariantCulture);
        w.WriteRawValue(text[..n], skipInputValidation: true);
    }

    public static void Values<T>(Utf8JsonWriter w, string name, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        w.WriteStartArray(name);
        foreach (var v in values) Value(w, v);
        w.WriteEndArray();
    }
}
