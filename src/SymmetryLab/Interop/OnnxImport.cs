using Google.Protobuf;
using Onnx;
using SymmetryLab.Data;

namespace SymmetryLab.Interop;

/// <summary>
/// Reads a dense network from an ONNX file as torch.onnx.export and tf2onnx write them, and as
/// <see cref="OnnxExport"/> writes them: one input, one path of nodes to one output, each layer a Gemm
/// (transB 0 or 1) or a MatMul with an Add, then at most one activation (Relu, Sigmoid, Tanh, Softmax,
/// LeakyRelu with alpha 0.01, or none), optionally Flatten or Reshape and a Sub/Div normalization at the
/// input. Anything else is refused with a <see cref="DataException"/> naming the node or field, its
/// op type and why; nothing is written.
/// </summary>
/// <remarks>
/// A hostile file gets bounded memory: the file is read up to <see cref="MaxFileBytes"/> and no more,
/// every tensor's dims are checked against the data the file holds before anything is allocated, and
/// tensors kept in external files are refused by name without opening anything.
/// </remarks>
public static class OnnxImport
{
    /// <summary>The largest ONNX file read (256 MiB: a dense network of 64 million float32 weights).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>metadata_props key that marks a file written by <see cref="OnnxExport"/>.</summary>
    internal const string FormatKey = "format";
    /// <summary>metadata_props keys that carry the model file's meta fields.</summary>
    internal const string MetaPrefix = "meta.";

    /// <summary>Reads <paramref name="path"/> (at most <see cref="MaxFileBytes"/>) and converts it.</summary>
    public static SavedModel Load(string path)
    {
        // A link loop or a dangling link is named as such, not as a missing file.
        InputFile.Check(path, "an ONNX file");
        byte[] bytes;
        using (var stream = Open(path))
        {
            if (stream.CanSeek && stream.Length > MaxFileBytes)
                throw new DataException($"{path}: {stream.Length:N0} bytes, larger than {MaxFileBytes >> 20} MiB ({MaxFileBytes:N0} bytes), the most symlab reads from an ONNX file");
            // Read with a limit rather than trusting the length: a file may grow, or not be a regular file.
            var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + n > MaxFileBytes)
                    throw new DataException($"{path}: larger than {MaxFileBytes >> 20} MiB, the most symlab reads from an ONNX file");
                buffer.Write(chunk, 0, n);
            }
            bytes = buffer.ToArray();
        }
        return Parse(bytes, path);
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (UnauthorizedAccessException)
        {
            throw new DataException($"{path}: no permission to read it");
        }
    }

    /// <summary>Converts the bytes of an ONNX file; <paramref name="file"/> names it in messages.</summary>
    public static SavedModel Parse(byte[] bytes, string file)
    {
        if (bytes.LongLength > MaxFileBytes) throw new DataException($"{file}: larger than {MaxFileBytes >> 20} MiB, the most symlab reads from an ONNX file");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new DataException($"{file}: not a valid ONNX file (protobuf: {e.Message})");
        }
        if (model.Graph is null) throw new DataException($"{file}: not an ONNX model (field graph is missing)");
        try
        {
            return new OnnxGraphReader(model, file).Read();
        }
        catch (DataException e) when (e.Message.Length > MaxMessageChars)
        {
            // Names come from the file and may be megabytes long: keep the start (file, node) and the end (why).
            int keep = MaxMessageChars / 2;
            throw new DataException($"{e.Message[..keep]} [... {e.Message.Length - 2 * keep} characters left out ...] {e.Message[^keep..]}");
        }
    }

    /// <summary>The longest message about a file; longer ones (names taken from a hostile file) are cut in the middle.</summary>
    internal const int MaxMessageChars = 2000;
}
