using SymmetryLab.Engine;
using SymmetryLab.Serialization;

namespace SymmetryLab.Interop;

/// <summary>
/// A network as a file holds it, whichever the file: a symlab model file (<c>model.json</c>) or an ONNX
/// graph. <see cref="Network"/> holds the exact weights in float64 (every float32 value is exact in
/// float64); <see cref="Precision"/> is the precision the file stores them in and the one
/// <see cref="Save"/> writes back, so nothing is rounded on the way through.
/// </summary>
public sealed class SavedModel
{
    /// <summary>A model of <paramref name="network"/>'s exact weights that computes in <paramref name="precision"/> ("float32" or "float64"), with the model file's <paramref name="meta"/>.</summary>
    public SavedModel(Network<double> network, string precision, IReadOnlyList<KeyValuePair<string, string>> meta)
    {
        if (precision is not ("float32" or "float64")) throw new ArgumentException($"precision '{precision}' is not float32 or float64", nameof(precision));
        Network = network;
        Precision = precision;
        Meta = meta;
    }

    /// <summary>The weights, biases and normalization, exact, in float64.</summary>
    public Network<double> Network { get; }

    /// <summary>"float32" or "float64": the precision the model computes in.</summary>
    public string Precision { get; }

    /// <summary>The model file's <c>meta</c> (target column; an imported file's producer and version).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Meta { get; }

    /// <summary>True when the path names an ONNX file (by its extension, <c>.onnx</c>).</summary>
    public static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a model file, or an ONNX file (<see cref="OnnxImport.Load"/>) when the name ends in .onnx.</summary>
    public static SavedModel Load(string path)
    {
        if (IsOnnx(path)) return OnnxImport.Load(path);
        // Read once (it may be a pipe), then precision, network and meta from the text.
        string text = ModelFile.ReadText(path);
        string precision = ModelFile.PrecisionOf(text);
        // A float32 file's numbers are read as float32 (their text is the shortest that gives those bits), then held exactly in float64.
        var network = precision == "float32" ? ModelFile.Parse<float>(text, path).Convert<double>() : ModelFile.Parse<double>(text, path);
        return new SavedModel(network, precision, ModelFile.MetaOf(text));
    }

    /// <summary>The same model with other weights (an audit's merged network), in the same precision and with the same meta.</summary>
    public SavedModel With(Network<double> network) => new(network, Precision, Meta);

    /// <summary>The network in its own precision <typeparamref name="T"/> (values converted exactly when the precisions agree).</summary>
    public Network<T> NetworkAs<T>() where T : unmanaged, IFloatingPointIeee754<T> => Network.Convert<T>();

    /// <summary>The model file text (SPEC.md) in the model's precision.</summary>
    public string ToModelJson() => Precision == "float32"
        ? ModelFile.Write(Network.Convert<float>(), Meta)
        : ModelFile.Write(Network, Meta);

    /// <summary>The ONNX file bytes (<see cref="OnnxExport"/>) in the model's precision; <paramref name="run"/> adds the seed and generator of the run that trained it.</summary>
    public byte[] ToOnnx(RunProvenance? run = null) => Precision == "float32"
        ? OnnxExport.ToBytes(Network.Convert<float>(), Meta, run)
        : OnnxExport.ToBytes(Network, Meta, run);

    /// <summary>Writes atomically: ONNX when <paramref name="path"/> ends in .onnx, the model file otherwise.</summary>
    public void Save(string path)
    {
        if (IsOnnx(path)) AtomicFile.WriteAllBytes(path, ToOnnx());
        else AtomicFile.WriteAllText(path, ToModelJson());
    }
}
