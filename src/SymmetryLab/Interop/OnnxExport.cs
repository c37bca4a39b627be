using System.Reflection;
using Google.Protobuf;
using Onnx;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Interop;

/// <summary>
/// A network as an ONNX graph (opset <see cref="Opset"/>) that computes what <c>symlab predict</c> computes:
/// one input <c>input</c> [batch, inputs] and one output <c>output</c> [batch, outputs], in the model's
/// precision (float32 or float64 initializers and tensors).
/// </summary>
/// <remarks>
/// The graph, layer by layer (l from 1):
/// <code>
///   normalization:  Sub(x, mean), Div(., std)       computed in float64 as symlab does: a float32 model
///                                                   casts its input to float64 first and back after
///   layer l:        Gemm(a, W{l}, b{l}, transB=1)   W{l} is units x inputs, as in the model file
///                   Sigmoid | Tanh | Relu | Softmax(axis=1) | Identity (linear)
///                   leaky_relu: LeakyRelu(alpha=0.01) in float32; in float64 Max(z, Mul(z, 0.01)),
///                   because ONNX's alpha attribute is a float32 and 0.01 is not one
/// </code>
/// metadata_props records <c>format</c> and <c>version</c> of the model file it came from, its
/// <c>precision</c>, each field of its meta as <c>meta.NAME</c>, and the <c>seed</c> and <c>rng</c> of the
/// training run when known; <see cref="OnnxImport"/> reads the meta back so export then import gives the
/// same model file.
/// </remarks>
public static class OnnxExport
{
    /// <summary>The operator set the graph uses (Softmax over one axis, as symlab's, since 13).</summary>
    public const int Opset = 13;
    /// <summary>The ONNX IR version of opset 13.</summary>
    public const int IrVersion = 7;
    public const string ProducerName = "symlab";
    public const string InputName = "input", OutputName = "output";

    /// <summary>The ONNX file of <paramref name="network"/> with the model file's <paramref name="meta"/> and, when known, the run that trained it.</summary>
    public static byte[] ToBytes<T>(Network<T> network, IReadOnlyList<KeyValuePair<string, string>>? meta = null, RunProvenance? run = null)
        where T : unmanaged, IFloatingPointIeee754<T> => Build(network, meta ?? [], run).ToByteArray();

    /// <summary>Writes <see cref="ToBytes{T}"/> atomically to <paramref name="path"/>.</summary>
    public static void Save<T>(Network<T> network, string path, IReadOnlyList<KeyValuePair<string, string>>? meta = null, RunProvenance? run = null)
        where T : unmanaged, IFloatingPointIeee754<T> => AtomicFile.WriteAllBytes(path, ToBytes(network, meta, run));

    /// <summary>The producer version written: this library's informational version.</summary>
    public static string ProducerVersion =>
        typeof(OnnxExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    internal static ModelProto Build<T>(Network<T> network, IReadOnlyList<KeyValuePair<string, string>> meta, RunProvenance? run)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var type = OnnxTensors.ElementType<T>();
        var graph = new GraphProto { Name = "symlab_network", DocString = $"SymmetryLab dense network {network.Shape}" };
        graph.Input.Add(ValueInfo(InputName, type, network.Inputs));
        graph.Output.Add(ValueInfo(OutputName, type, network.Outputs));

        string a = InputName;
        if (network.Normalization is { } norm)
        {
            // symlab normalizes in float64 and then converts to the model's precision: so does the graph.
            if (typeof(T) == typeof(float)) a = Add(graph, Node("Cast", "normalization/to_float64", [a], "input_float64", Attr("to", (long)TensorProto.Types.DataType.Double)));
            graph.Initializer.Add(OnnxTensors.Write<double>("normalization.mean", [network.Inputs], norm.Mean));
            graph.Initializer.Add(OnnxTensors.Write<double>("normalization.std", [network.Inputs], norm.Std));
            a = Add(graph, Node("Sub", "normalization/Sub", [a, "normalization.mean"], "centered"));
            a = Add(graph, Node("Div", "normalization/Div", [a, "normalization.std"], "normalized"));
            if (typeof(T) == typeof(float)) a = Add(graph, Node("Cast", "normalization/to_float32", [a], "normalized_float32", Attr("to", (long)TensorProto.Types.DataType.Float)));
        }

        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            string n = $"layer{l + 1}", w = $"W{l + 1}", b = $"b{l + 1}";
            bool last = l == network.Layers.Count - 1;
            string output = last ? OutputName : $"{n}/a";
            graph.Initializer.Add(OnnxTensors.Write<T>(w, [layer.Units, layer.Inputs], layer.Weights));
            graph.Initializer.Add(OnnxTensors.Write<T>(b, [layer.Units], layer.Biases));
            string z = Add(graph, Node("Gemm", $"{n}/Gemm", [a, w, b], $"{n}/z", Attr("transB", 1)));
            switch (layer.Activation)
            {
                case Activation.LeakyRelu when typeof(T) == typeof(double):
                    string slope = $"{n}/leaky_relu_slope";
                    graph.Initializer.Add(OnnxTensors.Write<double>(slope, [], [ActivationFunctions.LeakySlope]));
                    string scaled = Add(graph, Node("Mul", $"{n}/LeakyRelu/Mul", [z, slope], $"{n}/slope_z"));
                    a = Add(graph, Node("Max", $"{n}/LeakyRelu/Max", [z, scaled], output));
                    break;
                case Activation.LeakyRelu:
                    a = Add(graph, Node("LeakyRelu", $"{n}/LeakyRelu", [z], output, Attr("alpha", (float)ActivationFunctions.LeakySlope)));
                    break;
                case Activation.Softmax:
                    a = Add(graph, Node("Softmax", $"{n}/Softmax", [z], output, Attr("axis", 1)));
                    break;
                default:
                    string op = layer.Activation switch
                    {
                        Activation.Linear => "Identity",
                        Activation.Sigmoid => "Sigmoid",
                        Activation.Tanh => "Tanh",
                        Activation.Relu => "Relu",
                        _ => throw new ArgumentOutOfRangeException(nameof(network), $"activation {layer.Activation} has no ONNX form"),
                    };
                    a = Add(graph, Node(op, $"{n}/{op}", [z], output));
                    break;
            }
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            DocString = "Exported by SymmetryLab (symlab export); the model file format is in its docs/SPEC.md.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(Prop(OnnxImport.FormatKey, ModelFile.Format));
        model.MetadataProps.Add(Prop("version", ModelFile.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        model.MetadataProps.Add(Prop("precision", ModelFile.PrecisionName<T>()));
        foreach (var (key, value) in meta) model.MetadataProps.Add(Prop(OnnxImport.MetaPrefix + key, value));
        if (run is not null)
        {
            model.MetadataProps.Add(Prop("seed", run.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            model.MetadataProps.Add(Prop("rng", run.Generator));
        }
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>Adds the node and returns the name of its output.</summary>
    private static string Add(GraphProto graph, NodeProto node)
    {
        graph.Node.Add(node);
        return node.Output[0];
    }

    private static AttributeProto Attr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Attr(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static StringStringEntryProto Prop(string key, string value) => new() { Key = key, Value = value };
}
