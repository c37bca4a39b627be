using System.Text.Json;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Serialization;

/// <summary>
/// A model file read in one forward pass of <see cref="Utf8JsonReader"/>, the numbers parsed straight
/// into the layers: a model is a million numbers, and building a <see cref="JsonDocument"/> first and
/// then walking it took about twice as long (an 8.8 MB model, warm: 138-180 ms against 66-105).
/// </summary>
/// <remarks>
/// It reads the layout this program writes (precision and inputs before the layers, inputs before the
/// normalization) and accepts a file only when every check of <see cref="ModelFile"/>'s document reader
/// passes; at anything else (another order of fields, a nested meta, a field out of place, anything
/// malformed) it gives up, and the document reader reads the file or refuses it with its own words.
/// So a file reads to the same network, or is refused with the same message, either way.
/// </remarks>
internal static class StreamingModelReader
{
    /// <summary>The network in <paramref name="utf8"/> and whether the file records float32; null when the document reader must decide.</summary>
    public static (Network<T> Network, bool Float32)? TryRead<T>(ReadOnlySpan<byte> utf8) where T : unmanaged, IFloatingPointIeee754<T>
    {
        try
        {
            return Read<T>(utf8);
        }
        catch (JsonException)
        {
            return null; // malformed JSON
        }
        catch (InvalidOperationException)
        {
            return null; // a string that is not text (an escaped lone surrogate)
        }
    }

    private static (Network<T>, bool)? Read<T>(ReadOnlySpan<byte> utf8) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // The options of the document reader: no comments, no trailing commas, the same depth.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        bool format = false, version = false, meta = false, normalizationSeen = false;
        bool? float32 = null;
        int inputs = 0;
        Normalization? normalization = null;
        List<Layer<T>>? layers = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("format"u8) && !format)
            {
                format = reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(ModelFile.Format);
                if (!format) return null;
            }
            else if (reader.ValueTextEquals("version"u8) && !version)
            {
                version = reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int v) && v == ModelFile.Version;
                if (!version) return null;
            }
            else if (reader.ValueTextEquals("precision"u8) && float32 is null)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.String) return null;
                if (reader.ValueTextEquals("float32"u8)) float32 = true;
                else if (reader.ValueTextEquals("float64"u8)) float32 = false;
                else return null;
            }
            else if (reader.ValueTextEquals("inputs"u8) && inputs == 0)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out inputs) || inputs < 1) return null;
            }
            else if (reader.ValueTextEquals("normalization"u8) && !normalizationSeen && inputs > 0)
            {
                normalizationSeen = true;
                if (!reader.Read()) return null;
                if (reader.TokenType != JsonTokenType.Null && (normalization = ReadNormalization(ref reader, inputs)) is null) return null;
            }
            else if (reader.ValueTextEquals("meta"u8) && !meta)
            {
                meta = true;
                if (!SkipMeta(ref reader)) return null;
            }
            else if (reader.ValueTextEquals("layers"u8) && layers is null && inputs > 0 && float32 is { } single)
            {
                if ((layers = ReadLayers<T>(ref reader, inputs, single)) is null) return null;
            }
            else
            {
                return null; // a field unknown, repeated or out of this program's order
            }
        }
        // The root object ended, and nothing follows it (Read throws on anything but white space).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
        if (!format || !version || layers is null) return null;
        for (int l = 0; l < layers.Count - 1; l++)
            if (layers[l].Activation == Activation.Softmax) return null;

        var network = new Network<T>(inputs, layers.Select(l => (l.Units, l.Activation)));
        for (int l = 0; l < layers.Count; l++)
        {
            layers[l].Weights.AsSpan(0, network.Layers[l].Weights.Length).CopyTo(network.Layers[l].Weights);
            layers[l].Biases.AsSpan().CopyTo(network.Layers[l].Biases);
        }
        network.Normalization = normalization;
        return (network, float32!.Value);
    }

    /// <summary>A layer as read: its units, activation, weights (a row per unit, in a buffer that may be longer) and biases.</summary>
    private sealed record Layer<T>(int Units, Activation Activation, T[] Weights, T[] Biases);

    /// <summary>The layers array (the reader on its start): each an object of activation, weights and biases, each row as long as the layer below is wide.</summary>
    private static List<Layer<T>>? ReadLayers<T>(ref Utf8JsonReader reader, int inputs, bool float32) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
        var layers = new List<Layer<T>>();
        int fanIn = inputs;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            Activation? activation = null;
            T[]? weights = null, biases = null;
            int units = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("activation"u8) && activation is null)
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.String || !ActivationNames.TryParse(reader.GetString()!, out var a)) return null;
                    activation = a;
                }
                else if (reader.ValueTextEquals("weights"u8) && weights is null)
                {
                    if ((weights = ReadRows<T>(ref reader, fanIn, float32, out units)) is null) return null;
                }
                else if (reader.ValueTextEquals("biases"u8) && biases is null)
                {
                    if ((biases = ReadNumbers<T>(ref reader, float32)) is null) return null;
                }
                else
                {
                    return null;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || activation is null || weights is null || biases is null || biases.Length != units) return null;
            layers.Add(new Layer<T>(units, activation.Value, weights, biases));
            fanIn = units;
        }
        return reader.TokenType == JsonTokenType.EndArray && layers.Count > 0 ? layers : null;
    }

    /// <summary>
    /// A non-empty array of rows of exactly <paramref name="width"/> finite numbers (the reader on the
    /// field's name), parsed into one buffer row after row (it grows with the numbers read, not with
    /// the width a file claims); <paramref name="rows"/> counts them.
    /// </summary>
    private static T[]? ReadRows<T>(ref Utf8JsonReader reader, int width, bool float32, out int rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        rows = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
        var buffer = new T[Math.Min(width, 1 << 16)];
        int count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            if ((long)count + width > Array.MaxLength) return null;
            int end = count + width;
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                if (count == end) return null;
                if (count == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, 2L * buffer.Length));
                if (!DecimalText.TryParseFinite(reader.ValueSpan, float32, out buffer[count++])) return null;
            }
            if (reader.TokenType != JsonTokenType.EndArray || count != end) return null;
            rows++;
        }
        return reader.TokenType == JsonTokenType.EndArray && rows > 0 ? buffer : null;
    }

    /// <summary>An array of finite numbers (the reader on the field's name).</summary>
    private static T[]? ReadNumbers<T>(ref Utf8JsonReader reader, bool float32) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
        var values = new List<T>();
        while (reader.Read() && reader.TokenType == JsonTokenType.Number)
        {
            if (!DecimalText.TryParseFinite(reader.ValueSpan, float32, out T value)) return null;
            values.Add(value);
        }
        return reader.TokenType == JsonTokenType.EndArray ? [.. values] : null;
    }

    /// <summary>The normalization object (the reader on its start): mean and std, each of <paramref name="inputs"/> finite numbers, std at least <see cref="ModelFile.MinStd"/>.</summary>
    private static Normalization? ReadNormalization(ref Utf8JsonReader reader, int inputs)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return null;
        double[]? mean = null, std = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isMean = reader.ValueTextEquals("mean"u8) && mean is null;
            if (!isMean && !(reader.ValueTextEquals("std"u8) && std is null)) return null;
            if (ReadNumbers<double>(ref reader, float32: false) is not { } values) return null;
            if (isMean) mean = values;
            else std = values;
        }
        if (mean?.Length != inputs || std?.Length != inputs) return null;
        foreach (double s in std)
            if (!(s >= ModelFile.MinStd)) return null;
        return new Normalization(mean, std);
    }

    /// <summary>
    /// Steps over the meta value (the reader on its name): a scalar, or an object of scalars whose names
    /// are not repeated (the document reader refuses a repeated name at any depth; deeper values are left to it).
    /// </summary>
    private static bool SkipMeta(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) return false;
        if (reader.TokenType == JsonTokenType.StartArray) return false;
        if (reader.TokenType != JsonTokenType.StartObject) return true;
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!names.Add(reader.GetString()!) || !reader.Read() || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) return false;
        }
        return reader.TokenType == JsonTokenType.EndObject;
    }
}
