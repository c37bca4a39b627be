using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Runs;

/// <summary>
/// What every network of a sweep shares besides its parameters: the inputs, the layers (units and
/// activation), the precision, the z-score of the inputs and the target's name. With a seed's
/// parameters it gives back that seed's model file byte for byte, without the data (a merge of shards
/// has only their folders).
/// </summary>
internal sealed record SweepLayout(int Inputs, IReadOnlyList<(int Units, Activation Activation)> Layers, string Precision, Normalization? Normalization, string Target)
{
    public static SweepLayout Of<T>(Network<T> network, string target) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(network.Inputs, [.. network.Layers.Select(l => (l.Units, l.Activation))], ModelFile.PrecisionName<T>(), network.Normalization, target);

    public int ParameterCount => Layers.Select((l, i) => l.Units * ((i == 0 ? Inputs : Layers[i - 1].Units) + 1)).Sum();

    /// <summary>A network of this layout in precision T with <paramref name="parameters"/> (layer by layer, weights then biases).</summary>
    public Network<T> Network<T>(ReadOnlySpan<double> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new Network<T>(Inputs, Layers) { Normalization = Normalization };
        Fill(network, parameters);
        return network;
    }

    /// <summary>Overwrites <paramref name="network"/>'s parameters (layer by layer, weights then biases).</summary>
    public static void Fill<T>(Network<T> network, ReadOnlySpan<double> parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        foreach (var layer in network.Layers)
        {
            for (int i = 0; i < layer.Weights.Length; i++) layer.Weights[i] = T.CreateChecked(parameters[k++]);
            for (int i = 0; i < layer.Biases.Length; i++) layer.Biases[i] = T.CreateChecked(parameters[k++]);
        }
    }

    /// <summary>A network's parameters in the order of <see cref="Fill{T}"/>, exact in double.</summary>
    public static double[] Parameters<T>(Network<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[network.ParameterCount];
        int k = 0;
        foreach (var layer in network.Layers)
        {
            foreach (var w in layer.Weights) result[k++] = double.CreateChecked(w);
            foreach (var b in layer.Biases) result[k++] = double.CreateChecked(b);
        }
        return result;
    }

    /// <summary>The model file a run of this layout with these parameters writes (as <c>train</c> does).</summary>
    public string ModelText(ReadOnlySpan<double> parameters) => Precision == "float32"
        ? ModelFile.Write(Network<float>(parameters), Target)
        : ModelFile.Write(Network<double>(parameters), Target);

    public void Write(Utf8JsonWriter w, string name)
    {
        w.WriteStartObject(name);
        w.WriteNumber("inputs", Inputs);
        w.WriteStartArray("layers");
        foreach (var (units, activation) in Layers)
        {
            w.WriteStartObject();
            w.WriteNumber("units", units);
            w.WriteString("activation", activation.Name());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteString("precision", Precision);
        w.WriteString("target", Target);
        if (Normalization is { } n)
        {
            w.WriteStartObject("normalization");
            w.WriteStartArray("mean");
            foreach (var m in n.Mean) w.WriteNumberValue(m);
            w.WriteEndArray();
            w.WriteStartArray("std");
            foreach (var s in n.Std) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        else w.WriteNull("normalization");
        w.WriteEndObject();
    }

    public static SweepLayout Read(JsonElement e, string file)
    {
        try
        {
            var layers = e.GetProperty("layers").EnumerateArray()
                .Select(l => (l.GetProperty("units").GetInt32(), ActivationNames.TryParse(l.GetProperty("activation").GetString()!, out var a) ? a : throw new FormatException("unknown activation"))).ToArray();
            var norm = e.GetProperty("normalization");
            return new SweepLayout(e.GetProperty("inputs").GetInt32(), layers, e.GetProperty("precision").GetString()!,
                norm.ValueKind == JsonValueKind.Null ? null : new Normalization([.. norm.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble())], [.. norm.GetProperty("std").EnumerateArray().Select(v => v.GetDouble())]),
                e.GetProperty("target").GetString()!);
        }
        catch (Exception x) when (x is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new DataException($"{file}: field layout: not a network layout ({x.Message})");
        }
    }
}
