using Onnx;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;

namespace SymmetryLab.Interop;

/// <summary>
/// The work of <see cref="OnnxImport"/>: checks the graph's shape (one input, one output, no cycle, no
/// branch, only dense-network operations), then walks the one path from the input to the output and
/// turns it into layers.
/// </summary>
internal sealed class OnnxGraphReader
{
    private const float OnnxLeakySlope = 0.01f; // LeakyRelu's alpha is a float32 attribute: 0.01 as float32

    /// <summary>Read only inside a pattern: Mul and Max as symlab's float64 leaky_relu; the rest as the shape of PyTorch's x.view(x.size(0), -1).</summary>
    private static readonly string[] PatternOnly = ["Mul", "Max", "Shape", "Gather", "Unsqueeze", "Concat"];

    private static readonly HashSet<string> Supported =
        ["Gemm", "MatMul", "Add", "Sub", "Div", "Flatten", "Reshape", "Cast", "Identity", "Constant", "Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", .. PatternOnly];

    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly string _file;
    private readonly Dictionary<string, TensorProto> _constantTensors = [];
    private readonly Dictionary<string, string> _constantWhere = []; // name -> "initializer 'W'" or "the value of node ..."
    private readonly Dictionary<string, int> _producer = [];
    private readonly Dictionary<string, List<int>> _consumers = [];

    public OnnxGraphReader(ModelProto model, string file)
    {
        _model = model;
        _graph = model.Graph;
        _file = file;
    }

    private DataException Fail(string what) => new($"{_file}: {what}");

    private string Describe(int node)
    {
        var n = _graph.Node[node];
        return string.IsNullOrEmpty(n.Name) ? $"node graph.node[{node}] ({n.OpType})" : $"node '{n.Name}' ({n.OpType})";
    }

    public SavedModel Read()
    {
        CheckOpset();
        CollectConstants();
        string input = TheInput(out var inputDims, out var inputType);
        string output = TheOutput();
        CheckOperations();
        IndexValues(input);
        CheckAcyclic();
        var path = new PathWalk(this, input, inputDims, inputType, output);
        path.Walk();
        foreach (int i in Enumerable.Range(0, _graph.Node.Count))
            if (!path.Visited.Contains(i) && _graph.Node[i].OpType != "Constant")
                throw Fail(PatternOnly.Contains(_graph.Node[i].OpType) && _graph.Node[i].OpType is not ("Mul" or "Max")
                    ? $"{Describe(i)}: {Why(_graph.Node[i].OpType)}"
                    : $"{Describe(i)} is not on the path from the input '{input}' to the output '{output}'; symlab imports one path of layers (no branches or side computations)");
        return path.Build(Meta());
    }

    private void CheckOpset()
    {
        var standard = _model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToList();
        if (standard.Count == 0) throw Fail("field opset_import has no version for the standard operators (domain \"\")");
        if (standard[0].Version < 7)
            throw Fail($"field opset_import: opset {standard[0].Version} of the standard operators is older than 7 (Gemm's broadcasting differs); re-export with opset 13 or later");
    }

    private void CollectConstants()
    {
        for (int i = 0; i < _graph.Initializer.Count; i++)
        {
            var t = _graph.Initializer[i];
            if (string.IsNullOrEmpty(t.Name)) throw Fail($"field graph.initializer[{i}] has no name");
            if (!_constantTensors.TryAdd(t.Name, t)) throw Fail($"two initializers are named '{t.Name}'");
            _constantWhere[t.Name] = $"initializer '{t.Name}'";
        }
        if (_graph.SparseInitializer.Count > 0)
            throw Fail($"field graph.sparse_initializer: sparse tensors ('{_graph.SparseInitializer[0].Values?.Name}') are not read; export dense weights");
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            var node = _graph.Node[i];
            if (node.OpType != "Constant") continue;
            if (node.Output.Count != 1) throw Fail($"{Describe(i)} must have one output");
            var attr = node.Attribute.FirstOrDefault();
            if (node.Attribute.Count != 1 || attr is null) throw Fail($"{Describe(i)} must have exactly one value attribute");
            var t = attr.Name switch
            {
                "value" when attr.T is not null => attr.T,
                "value_float" => Scalar(attr.F),
                "value_floats" => Vector(attr.Floats.Select(f => (double)f).ToArray(), TensorProto.Types.DataType.Float),
                "value_int" => Ints([attr.I], scalar: true),
                "value_ints" => Ints([.. attr.Ints], scalar: false),
                _ => throw Fail($"{Describe(i)}: attribute '{attr.Name}' is not a dense tensor symlab reads"),
            };
            string name = node.Output[0];
            if (!_constantTensors.TryAdd(name, t)) throw Fail($"{Describe(i)} writes '{name}', which is already an initializer or another constant");
            _constantWhere[name] = $"the value of {Describe(i)}";
        }

        static TensorProto Scalar(float f)
        {
            var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float };
            t.FloatData.Add(f);
            return t;
        }
        static TensorProto Vector(double[] values, TensorProto.Types.DataType type)
        {
            var t = new TensorProto { DataType = (int)type };
            t.Dims.Add(values.Length);
            t.FloatData.AddRange(values.Select(v => (float)v));
            return t;
        }
        static TensorProto Ints(long[] values, bool scalar)
        {
            var t = new TensorProto { DataType = (int)TensorProto.Types.DataType.Int64 };
            if (!scalar) t.Dims.Add(values.Length);
            t.Int64Data.AddRange(values);
            return t;
        }
    }

    /// <summary>A constant the graph names (initializer or Constant node), read and checked; null when the name is not a constant.</summary>
    internal OnnxTensors.Constant? ConstantOrNull(string name) =>
        _constantTensors.TryGetValue(name, out var t) ? OnnxTensors.Read(t, _file, _constantWhere[name]) : null;

    /// <summary>The one real input (graph inputs that are not initializers): its name, dims (batch first) and element type.</summary>
    private string TheInput(out long[] dims, out TensorProto.Types.DataType type)
    {
        var real = _graph.Input.Select((v, i) => (v, i)).Where(p => !_constantTensors.ContainsKey(p.v.Name)).ToList();
        if (real.Count == 0) throw Fail("field graph.input: the graph has no input (every input is an initializer)");
        if (real.Count > 1)
            throw Fail($"field graph.input[{real[1].i}]: a second input '{real[1].v.Name}' (besides '{real[0].v.Name}'); symlab's networks take one input");
        var (value, index) = real[0];
        string field = $"graph.input[{index}] '{value.Name}'";
        var tensor = value.Type?.TensorType ?? throw Fail($"field {field} is not a tensor");
        type = tensor.ElemType switch
        {
            (int)TensorProto.Types.DataType.Float => TensorProto.Types.DataType.Float,
            (int)TensorProto.Types.DataType.Double => TensorProto.Types.DataType.Double,
            _ => throw Fail($"field {field}: element type {OnnxTensors.ElementTypeName(tensor.ElemType)}; symlab networks take float or double"),
        };
        if (tensor.Shape is null || tensor.Shape.Dim.Count < 2)
            throw Fail($"field {field}: needs a shape [batch, features] (or [batch, ...] flattened by the graph)");
        dims = new long[tensor.Shape.Dim.Count];
        long features = 1;
        for (int d = 1; d < dims.Length; d++)
        {
            var dim = tensor.Shape.Dim[d];
            if (dim.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dim.DimValue < 1)
                throw Fail($"field {field} shape dim[{d}] has no fixed size ({(dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"'{dim.DimParam}'" : dim.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture))}); symlab needs the number of features");
            dims[d] = dim.DimValue;
            if (dim.DimValue > int.MaxValue || (features *= dim.DimValue) > int.MaxValue)
                throw Fail($"field {field} shape dim[{d}] is {dim.DimValue}: {(dim.DimValue > int.MaxValue ? "more" : "the features would be more")} than a network's inputs can be ({int.MaxValue})");
        }
        dims[0] = -1;
        return value.Name;
    }

    private string TheOutput()
    {
        if (_graph.Output.Count == 0) throw Fail("field graph.output: the graph has no output");
        if (_graph.Output.Count > 1)
            throw Fail($"field graph.output[1]: a second output '{_graph.Output[1].Name}' (besides '{_graph.Output[0].Name}'); symlab's networks have one output");
        return _graph.Output[0].Name;
    }

    private void CheckOperations()
    {
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            var node = _graph.Node[i];
            if (node.Domain is not ("" or "ai.onnx"))
                throw Fail($"{Describe(i)} is from operator domain '{node.Domain}'; symlab reads the standard operators only");
            if (!Supported.Contains(node.OpType)) throw Fail($"{Describe(i)}: {Why(node.OpType)}");
        }
    }

    private static string Why(string op) => op switch
    {
        "Conv" or "ConvTranspose" or "ConvInteger" or "QLinearConv" => "a convolution; symlab imports dense networks only",
        "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool" or "LpPool" => "pooling; symlab imports dense networks only",
        "BatchNormalization" or "LayerNormalization" or "InstanceNormalization" => "a normalization layer inside the network; symlab's networks have dense layers only (fold it into the layer before it)",
        "Dropout" => "dropout; export the model in inference mode (PyTorch: model.eval()) so it is left out",
        "If" or "Loop" or "Scan" => "control flow (a branch or loop); symlab imports one path of dense layers",
        "LSTM" or "GRU" or "RNN" => "a recurrent layer; symlab imports dense networks only",
        "Concat" or "Split" or "Shape" or "Gather" or "Unsqueeze" or "Squeeze" => "a shape computation or a join of paths; symlab reads Flatten, or Reshape to [batch, features] at the input (a constant shape, or PyTorch's x.view(x.size(0), -1)), and one path",
        "LogSoftmax" => "LogSoftmax; symlab's output layers end in softmax (export the probabilities)",
        "Elu" or "Selu" or "Gelu" or "Softplus" or "HardSigmoid" or "PRelu" or "Mish" or "HardSwish" or "ThresholdedRelu" or "Celu" =>
            $"the activation {op}; symlab has linear, sigmoid, tanh, relu, leaky_relu (slope 0.01) and softmax",
        _ => $"{op} is not an operation of a dense network (symlab reads Gemm, MatMul+Add, the activations Relu, Sigmoid, Tanh, Softmax, LeakyRelu, and Flatten, Reshape, Sub, Div, Cast, Identity at the input)",
    };

    private void IndexValues(string input)
    {
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            var node = _graph.Node[i];
            if (node.OpType == "Constant") continue;
            foreach (var o in node.Output)
            {
                if (o.Length == 0) continue;
                if (o == input || _constantTensors.ContainsKey(o) || !_producer.TryAdd(o, i))
                    throw Fail($"{Describe(i)} writes '{o}', which another node, an initializer or the input already defines");
            }
        }
        for (int i = 0; i < _graph.Node.Count; i++)
        {
            var node = _graph.Node[i];
            foreach (var v in node.Input)
            {
                if (v.Length == 0) continue; // an optional input left out
                if (v != input && !_constantTensors.ContainsKey(v) && !_producer.ContainsKey(v))
                    throw Fail($"{Describe(i)} reads '{v}', which no node, initializer or graph input defines");
                if (!_consumers.TryGetValue(v, out var list)) _consumers[v] = list = [];
                if (list.Count == 0 || list[^1] != i) list.Add(i); // nodes come in order: a repeat is the same node's
            }
        }
    }

    /// <summary>An ONNX graph must be acyclic: a node reachable from itself through its inputs is named.</summary>
    private void CheckAcyclic()
    {
        var state = new byte[_graph.Node.Count]; // 0 unseen, 1 on the current path, 2 done
        for (int start = 0; start < state.Length; start++)
        {
            if (state[start] != 0) continue;
            // Depth-first over producers with an explicit stack (a hostile graph may be deep).
            var stack = new Stack<(int Node, int NextInput)>();
            stack.Push((start, 0));
            state[start] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var inputs = _graph.Node[node].Input;
                if (next < inputs.Count)
                {
                    stack.Push((node, next + 1));
                    if (_producer.TryGetValue(inputs[next], out int p))
                    {
                        if (state[p] == 1)
                            throw Fail($"the graph has a cycle: {Describe(p)} depends on its own output through {Describe(node)}; an ONNX graph must be acyclic");
                        if (state[p] == 0)
                        {
                            state[p] = 1;
                            stack.Push((p, 0));
                        }
                    }
                }
                else state[node] = 2;
            }
        }
    }

    private IReadOnlyList<KeyValuePair<string, string>> Meta()
    {
        bool fromSymlab = _model.ProducerName == OnnxExport.ProducerName
            && _model.MetadataProps.Any(p => p.Key == OnnxImport.FormatKey && p.Value == Serialization.ModelFile.Format);
        if (fromSymlab)
        {
            // The model file's own meta, as it was exported: export then import gives the same file.
            return _model.MetadataProps.Where(p => p.Key.StartsWith(OnnxImport.MetaPrefix, StringComparison.Ordinal))
                .Select(p => new KeyValuePair<string, string>(p.Key[OnnxImport.MetaPrefix.Length..], p.Value)).ToList();
        }
        var meta = new List<KeyValuePair<string, string>>();
        if (_model.ProducerName.Length > 0) meta.Add(new("producer", _model.ProducerName));
        if (_model.ProducerVersion.Length > 0) meta.Add(new("producerVersion", _model.ProducerVersion));
        return meta;
    }

    /// <summary>One layer as the walk finds it (weights row-major, units x inputs, in float64).</summary>
    private sealed class LayerDraft(int units, int inputs, double[] weights, string node)
    {
        public int Units { get; } = units;
        public int Inputs { get; } = inputs;
        public double[] Weights { get; } = weights;
        public double[] Biases { get; set; } = new double[units];
        public bool HasBias { get; set; }
        public Activation? Activation { get; set; }
        public string Node { get; } = node;
    }

    /// <summary>Follows the values from the input to the output, one consumer at a time.</summary>
    private sealed class PathWalk(OnnxGraphReader r, string input, long[] inputDims, TensorProto.Types.DataType inputType, string output)
    {
        private readonly List<LayerDraft> _layers = [];
        private long[] _dims = inputDims[1..]; // the current value's shape without the batch dimension
        private TensorProto.Types.DataType _type = inputType;
        private double[]? _mean, _std;
        private TensorProto.Types.DataType? _precision;
        private readonly int _features = (int)inputDims[1..].Aggregate(1L, (p, d) => p * d);

        public HashSet<int> Visited { get; } = [];

        private GraphProto G => r._graph;

        private DataException Fail(int node, string why) => r.Fail($"{r.Describe(node)}: {why}");

        public void Walk()
        {
            string current = input;
            while (current != output)
            {
                var consumers = r._consumers.GetValueOrDefault(current) ?? [];
                if (consumers.Count == 0)
                    throw r.Fail($"the path from the input stops at '{current}' (no node reads it), which is not the graph's output '{output}'");
                if (consumers.Count > 1)
                {
                    if (TryLeakyPair(current, consumers, out string after) || TryBatchReshape(current, consumers, out after)) { current = after; continue; }
                    throw r.Fail($"a branch: '{current}' feeds {string.Join(" and ", consumers.Select(r.Describe))}; symlab imports one path from the input to the output");
                }
                int i = consumers[0];
                if (!Visited.Add(i)) throw Fail(i, "is reached twice on the path");
                current = Step(i, current);
            }
            if (r._consumers.TryGetValue(output, out var after2) && after2.Count > 0)
                throw r.Fail($"the graph's output '{output}' is also read by {r.Describe(after2[0])}");
            if (_layers.Count == 0) throw r.Fail("the path from the input to the output has no layer (Gemm or MatMul)");
        }

        /// <summary>One node on the path; returns the value it hands on.</summary>
        private string Step(int i, string current)
        {
            var node = G.Node[i];
            if (node.Output.Count != 1) throw Fail(i, $"has {node.Output.Count} outputs; the operations symlab reads have one");
            string next = node.Output[0];
            var layer = _layers.Count > 0 ? _layers[^1] : null;
            switch (node.OpType)
            {
                case "Identity":
                    break;
                case "Cast":
                    if (layer is not null) throw Fail(i, "a Cast between layers; symlab's layers all compute in one precision");
                    long to = Int(node, "to", -1);
                    _type = to switch
                    {
                        (long)TensorProto.Types.DataType.Float => TensorProto.Types.DataType.Float,
                        (long)TensorProto.Types.DataType.Double => TensorProto.Types.DataType.Double,
                        _ => throw Fail(i, $"casts to {OnnxTensors.ElementTypeName((int)to)}; symlab computes in float or double"),
                    };
                    break;
                case "Flatten":
                    if (layer is not null) throw Fail(i, "a Flatten between layers; symlab reads Flatten at the input only");
                    if (Int(node, "axis", 1) != 1) throw Fail(i, $"axis {Int(node, "axis", 1)}; symlab flattens everything but the batch (axis 1)");
                    _dims = [_features];
                    break;
                case "Reshape":
                    if (layer is not null) throw Fail(i, "a Reshape between layers; symlab reads Reshape at the input only");
                    if (Int(node, "allowzero", 0) != 0) throw Fail(i, "allowzero 1 is not read");
                    var shape = Const(i, node, 1, "shape");
                    if (shape.Type != TensorProto.Types.DataType.Int64 || shape.Dims.Length != 1 || shape.Values.Length != 2)
                        throw Fail(i, $"reshapes to {shape.Shape} values; symlab reads a reshape of the input to [batch, features] (2 int64 values)");
                    Reshape(i, (long)shape.Values[0], (long)shape.Values[1]);
                    break;
                case "Sub":
                    if (layer is not null) throw Fail(i, "a Sub between layers; symlab reads Sub/Div as the input's normalization only");
                    if (_mean is not null || _std is not null) throw Fail(i, "a second Sub, or a Sub after the Div; symlab's normalization is (x - mean) / std");
                    _mean = Broadcast(i, node, current, "the mean");
                    break;
                case "Div":
                    if (layer is not null) throw Fail(i, "a Div between layers; symlab reads Sub/Div as the input's normalization only");
                    if (_std is not null) throw Fail(i, "a second Div; symlab's normalization is (x - mean) / std");
                    _std = Broadcast(i, node, current, "the standard deviation");
                    for (int f = 0; f < _std.Length; f++)
                        if (!(_std[f] > 0) || !double.IsFinite(_std[f]))
                            throw Fail(i, $"divides feature {f + 1} by {_std[f]}; a normalization's standard deviation must be a positive finite number");
                    break;
                case "Gemm":
                    StartLayer(i, node, current, gemm: true);
                    break;
                case "MatMul":
                    StartLayer(i, node, current, gemm: false);
                    break;
                case "Add":
                    Bias(i, node, current, layer);
                    break;
                case "Relu" or "Sigmoid" or "Tanh" or "Softmax" or "LeakyRelu":
                    SetActivation(i, layer, node.OpType switch
                    {
                        "Relu" => Activation.Relu,
                        "Sigmoid" => Activation.Sigmoid,
                        "Tanh" => Activation.Tanh,
                        "Softmax" => Softmax(i, node),
                        _ => Leaky(i, node),
                    });
                    break;
                default:
                    throw Fail(i, node.OpType is "Mul" or "Max"
                        ? "symlab reads Mul and Max only as symlab's own float64 leaky_relu, Max(z, Mul(z, 0.01))"
                        : Why(node.OpType));
            }
            return next;
        }

        private static long Int(NodeProto node, string name, long fallback) =>
            node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

        private OnnxTensors.Constant Const(int i, NodeProto node, int operand, string role)
        {
            if (operand >= node.Input.Count || node.Input[operand].Length == 0) throw Fail(i, $"has no {role} (input {operand})");
            return r.ConstantOrNull(node.Input[operand])
                ?? throw Fail(i, $"its {role} '{node.Input[operand]}' is computed, not a constant; symlab reads weights stored in the file");
        }

        private void CheckOnPath(int i, NodeProto node, string current, string role)
        {
            if (node.Input.Count == 0 || node.Input[0] != current)
                throw Fail(i, $"the path's value '{current}' must be its first input ({role})");
            for (int k = 1; k < node.Input.Count; k++)
                if (node.Input[k] == current) throw Fail(i, $"reads the path's value '{current}' twice");
        }

        /// <summary>A reshape to [batch, width]: batch -1 or 0 (kept), width the features or, with batch 0, -1.</summary>
        private void Reshape(int i, long batch, long width)
        {
            bool batchKept = batch is -1 or 0;
            bool widthOk = width == _features || (width == -1 && batch == 0);
            if (!batchKept || !widthOk)
                throw Fail(i, $"reshapes to [{batch}, {width}]; symlab reads [-1, {_features}], [0, {_features}] or [0, -1] (every feature of a sample in one row)");
            _dims = [_features];
        }

        /// <summary>The constant operand of a Sub or Div, as one value per feature (a scalar is repeated).</summary>
        private double[] Broadcast(int i, NodeProto node, string current, string role)
        {
            if (node.Input.Count != 2) throw Fail(i, "must have two inputs");
            if (node.Input[0] != current) throw Fail(i, $"the input must come first ((x - c) / c), not the constant");
            var c = Const(i, node, 1, role);
            if (c.Type == TensorProto.Types.DataType.Int64) throw Fail(i, $"{role} '{c.Name}' is an integer tensor");
            var values = new double[_features];
            if (c.Values.Length == 1) Array.Fill(values, c.Values[0]);
            else
            {
                // Broadcasting a constant over one sample's shape [d1..dk] keeps the flat order when its dims
                // are the sample's (leading 1s aside): then value f is feature f after flattening.
                var own = c.Dims.SkipWhile(d => d == 1).ToArray();
                var sample = _dims.SkipWhile(d => d == 1).ToArray();
                if (c.Dims.Length > _dims.Length + 1 || !own.SequenceEqual(sample))
                    throw Fail(i, $"{role} '{c.Name}' has shape {c.Shape}, which does not match one sample's shape [{string.Join(", ", _dims)}]");
                Array.Copy(c.Values, values, _features);
            }
            foreach (var v in values)
                if (!double.IsFinite(v)) throw Fail(i, $"{role} '{c.Name}' holds {v}; it must be finite");
            return values;
        }

        private void StartLayer(int i, NodeProto node, string current, bool gemm)
        {
            CheckOnPath(i, node, current, "the layer's input");
            if (_dims.Length != 1)
                throw Fail(i, $"its input has shape [batch, {string.Join(", ", _dims)}]; flatten it first (Flatten or Reshape at the input)");
            int fanIn = (int)_dims[0];
            var w = Const(i, node, 1, "weight matrix");
            CheckPrecision(i, w);
            if (w.Dims.Length != 2) throw Fail(i, $"weight matrix '{w.Name}' has shape {w.Shape}; a dense layer's is 2-D");
            bool transB = false;
            if (gemm)
            {
                foreach (var a in node.Attribute)
                {
                    switch (a.Name)
                    {
                        case "transB": transB = a.I != 0; break;
                        case "transA" when a.I != 0: throw Fail(i, "transA 1: the layer's input would be read transposed");
                        case "alpha" when a.F != 1f: throw Fail(i, $"alpha {a.F}: symlab reads Gemm with alpha 1 (z = x W^T + b)");
                        case "beta" when a.F != 1f: throw Fail(i, $"beta {a.F}: symlab reads Gemm with beta 1 (z = x W^T + b)");
                        case "transA" or "alpha" or "beta": break;
                        default: throw Fail(i, $"attribute '{a.Name}' is not read");
                    }
                }
            }
            else if (node.Input.Count != 2) throw Fail(i, "must have two inputs");
            // W is units x inputs in symlab; Gemm with transB=1 (PyTorch's Linear) stores it so, MatMul and transB=0 transposed.
            long rows = transB ? w.Dims[1] : w.Dims[0], units = transB ? w.Dims[0] : w.Dims[1];
            if (rows != fanIn)
                throw Fail(i, $"weight matrix '{w.Name}' has shape {w.Shape}{(gemm ? $" (transB {(transB ? 1 : 0)})" : "")}: {rows} inputs, but the layer gets {fanIn} values");
            if (units < 1) throw Fail(i, $"weight matrix '{w.Name}' has no units");
            if (units * fanIn > Array.MaxLength) throw Fail(i, $"weight matrix '{w.Name}' is too large for one array");
            var weights = new double[units * fanIn];
            for (int j = 0; j < units; j++)
                for (int k = 0; k < fanIn; k++)
                    weights[j * fanIn + k] = transB ? w.Values[j * fanIn + k] : w.Values[k * units + j];
            CheckFinite(i, w);
            if (_layers.Count > 0 && _layers[^1].Activation is Activation.Softmax)
                throw Fail(i, $"a layer after the softmax of {_layers[^1].Node}; softmax is for the output layer only");
            if (_layers.Count == 0 && _type != _precision)
                throw Fail(i, $"its input is {_type.ToString().ToLowerInvariant()} but its weights are {_precision.ToString()!.ToLowerInvariant()}; add a Cast at the input");
            var draft = new LayerDraft((int)units, fanIn, weights, r.Describe(i));
            _layers.Add(draft);
            if (gemm && node.Input.Count > 2 && node.Input[2].Length > 0)
            {
                draft.Biases = BiasVector(i, Const(i, node, 2, "bias"), draft.Units);
                draft.HasBias = true;
            }
            _dims = [units];
        }

        private void Bias(int i, NodeProto node, string current, LayerDraft? layer)
        {
            if (node.Input.Count != 2) throw Fail(i, "must have two inputs");
            int constant = node.Input[0] == current ? 1 : 0; // Add is commutative: tf2onnx may put the bias first
            if (node.Input[1 - constant] != current) throw Fail(i, $"does not read the path's value '{current}'");
            if (layer is null || layer.HasBias || layer.Activation is not null)
                throw Fail(i, "an Add that is not the bias of the layer just before it (a MatMul, or a Gemm without one)");
            layer.Biases = BiasVector(i, Const(i, node, constant, "bias"), layer.Units);
            layer.HasBias = true;
        }

        private double[] BiasVector(int i, OnnxTensors.Constant b, int units)
        {
            CheckPrecision(i, b);
            CheckFinite(i, b);
            bool row = b.Dims.Length == 1 || (b.Dims.Length == 2 && b.Dims[0] == 1);
            if (b.Values.Length == units && row) return b.Values;
            if (b.Values.Length == 1 && b.Dims.Length <= 2) return Enumerable.Repeat(b.Values[0], units).ToArray();
            throw Fail(i, $"bias '{b.Name}' has shape {b.Shape}; the layer has {units} units");
        }

        private void CheckPrecision(int i, OnnxTensors.Constant c)
        {
            if (c.Type == TensorProto.Types.DataType.Int64) throw Fail(i, $"'{c.Name}' is an integer tensor");
            _precision ??= c.Type;
            if (c.Type != _precision)
                throw Fail(i, $"'{c.Name}' is {c.Type.ToString().ToLowerInvariant()} but earlier weights are {_precision.ToString()!.ToLowerInvariant()}; a symlab network has one precision");
        }

        private void CheckFinite(int i, OnnxTensors.Constant c)
        {
            for (int k = 0; k < c.Values.Length; k++)
                if (!double.IsFinite(c.Values[k])) throw Fail(i, $"'{c.Name}' holds {c.Values[k]} at flat index {k}; weights must be finite");
        }

        private void SetActivation(int i, LayerDraft? layer, Activation activation)
        {
            if (layer is null) throw Fail(i, "an activation before the first layer");
            if (layer.Activation is not null) throw Fail(i, $"a second activation after {layer.Activation.Value.Name()} on the same layer");
            layer.Activation = activation;
        }

        private Activation Softmax(int i, NodeProto node)
        {
            long axis = Int(node, "axis", -1);
            if (axis is not (1 or -1)) throw Fail(i, $"axis {axis}; symlab's softmax runs over a sample's outputs (axis 1)");
            return Activation.Softmax;
        }

        private Activation Leaky(int i, NodeProto node)
        {
            float alpha = node.Attribute.FirstOrDefault(a => a.Name == "alpha") is { } a ? a.F : OnnxLeakySlope;
            if (alpha != OnnxLeakySlope)
                throw Fail(i, $"alpha {alpha}; symlab's leaky_relu has slope 0.01 (other slopes are not in the engine)");
            return Activation.LeakyRelu;
        }

        /// <summary>symlab's float64 leaky_relu: z feeds Mul(z, 0.01) and Max(z, that), nothing else.</summary>
        private bool TryLeakyPair(string z, List<int> consumers, out string after)
        {
            after = "";
            if (consumers.Count != 2) return false;
            int mul = consumers.FirstOrDefault(c => G.Node[c].OpType == "Mul", -1);
            int max = consumers.FirstOrDefault(c => G.Node[c].OpType == "Max", -1);
            if (mul < 0 || max < 0) return false;
            var m = G.Node[mul];
            var x = G.Node[max];
            if (m.Input.Count != 2 || m.Input[0] != z || x.Input.Count != 2 || x.Output.Count != 1 || m.Output.Count != 1) return false;
            if (!x.Input.Contains(z) || !x.Input.Contains(m.Output[0])) return false;
            if (r._consumers.GetValueOrDefault(m.Output[0]) is not { Count: 1 }) return false;
            var slope = r.ConstantOrNull(m.Input[1]);
            if (slope is null || slope.Values.Length != 1 || slope.Values[0] != ActivationFunctions.LeakySlope) return false;
            Visited.Add(mul);
            Visited.Add(max);
            SetActivation(max, _layers.Count > 0 ? _layers[^1] : null, Activation.LeakyRelu);
            after = x.Output[0];
            return true;
        }

        /// <summary>
        /// PyTorch's <c>x.view(x.size(0), -1)</c>: x feeds Shape and Reshape, and the Reshape's shape is
        /// Concat(Unsqueeze(Gather(Shape(x), 0)), [k]) = [batch, k]; read as a reshape to [0, k].
        /// </summary>
        private bool TryBatchReshape(string x, List<int> consumers, out string after)
        {
            after = "";
            if (consumers.Count != 2 || _layers.Count > 0) return false;
            int shapeNode = consumers.FirstOrDefault(c => G.Node[c].OpType == "Shape", -1);
            int reshape = consumers.FirstOrDefault(c => G.Node[c].OpType == "Reshape", -1);
            if (shapeNode < 0 || reshape < 0 || G.Node[shapeNode].Attribute.Count > 0) return false;
            var rs = G.Node[reshape];
            if (rs.Input.Count != 2 || rs.Input[0] != x || rs.Output.Count != 1 || Int(rs, "allowzero", 0) != 0) return false;

            // Walk the shape's producers back: Concat <- Unsqueeze <- Gather <- Shape(x), each value read once.
            int? Producer(string v, string op) =>
                r._producer.TryGetValue(v, out int p) && G.Node[p].OpType == op && G.Node[p].Output.Count == 1
                && r._consumers.GetValueOrDefault(v) is { Count: 1 } ? p : null;
            bool IsInts(string v, params long[] values) =>
                r.ConstantOrNull(v) is { Type: TensorProto.Types.DataType.Int64 } c && c.Values.Length == values.Length
                && c.Values.Select(d => (long)d).SequenceEqual(values);
            if (Producer(rs.Input[1], "Concat") is not int concat) return false;
            var cc = G.Node[concat];
            if (cc.Input.Count != 2 || Int(cc, "axis", 0) != 0 || Producer(cc.Input[0], "Unsqueeze") is not int unsqueeze) return false;
            var k = r.ConstantOrNull(cc.Input[1]);
            if (k is not { Type: TensorProto.Types.DataType.Int64, Values.Length: 1 }) return false;
            var un = G.Node[unsqueeze];
            bool axesZero = un.Input.Count == 2 ? IsInts(un.Input[1], 0) : un.Attribute.FirstOrDefault(a => a.Name == "axes") is { } axes && axes.Ints.SequenceEqual([0L]);
            if (!axesZero || Producer(un.Input[0], "Gather") is not int gather) return false;
            var ga = G.Node[gather];
            if (ga.Input.Count != 2 || Int(ga, "axis", 0) != 0 || !IsInts(ga.Input[1], 0) || r._producer.GetValueOrDefault(ga.Input[0], -1) != shapeNode
                || r._consumers.GetValueOrDefault(ga.Input[0]) is not { Count: 1 }) return false;

            foreach (int n in new[] { shapeNode, gather, unsqueeze, concat, reshape }) Visited.Add(n);
            Reshape(reshape, 0, (long)k.Values[0]);
            after = rs.Output[0];
            return true;
        }

        public SavedModel Build(IReadOnlyList<KeyValuePair<string, string>> meta)
        {
            var network = new Network<double>(_features, _layers.Select(l => (l.Units, l.Activation ?? Activation.Linear)));
            for (int l = 0; l < _layers.Count; l++)
            {
                _layers[l].Weights.CopyTo(network.Layers[l].Weights, 0);
                _layers[l].Biases.CopyTo(network.Layers[l].Biases, 0);
            }
            if (_mean is not null || _std is not null)
                network.Normalization = new Normalization(_mean ?? new double[_features], _std ?? Enumerable.Repeat(1.0, _features).ToArray());
            return new SavedModel(network, _precision == TensorProto.Types.DataType.Float ? "float32" : "float64", meta);
        }
    }
}
