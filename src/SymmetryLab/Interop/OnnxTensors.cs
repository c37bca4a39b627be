using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;
using SymmetryLab.Data;

namespace SymmetryLab.Interop;

/// <summary>
/// ONNX tensors to and from arrays. Reading checks what a tensor claims (its dims) against what the file
/// holds before allocating anything, refuses data kept in external files without opening them, and names
/// the tensor in every message.
/// </summary>
internal static class OnnxTensors
{
    /// <summary>A constant of the graph: its dims and its values as float64 (float32 values are exact in float64).</summary>
    internal sealed record Constant(string Name, long[] Dims, double[] Values, TensorProto.Types.DataType Type)
    {
        public long Count => Values.Length;
        public string Shape => "[" + string.Join(", ", Dims) + "]";
    }

    /// <summary>Reads a float, double or int64 tensor; <paramref name="what"/> says where it sits ("initializer 'W1'").</summary>
    public static Constant Read(TensorProto t, string file, string what)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
        {
            string location = t.ExternalData.FirstOrDefault(e => e.Key == "location")?.Value ?? "?";
            throw new DataException($"{file}: {what} keeps its data in an external file ('{location}'); symlab reads only self-contained ONNX files and opens no other file");
        }
        if (t.Segment is not null) throw new DataException($"{file}: {what} is one segment of a split tensor; symlab reads whole tensors only");
        var type = t.DataType switch
        {
            (int)TensorProto.Types.DataType.Float => TensorProto.Types.DataType.Float,
            (int)TensorProto.Types.DataType.Double => TensorProto.Types.DataType.Double,
            (int)TensorProto.Types.DataType.Int64 => TensorProto.Types.DataType.Int64,
            _ => throw new DataException($"{file}: {what} has element type {ElementTypeName(t.DataType)}; symlab reads float, double (and int64 shapes)"),
        };
        long count = 1;
        var dims = t.Dims.ToArray();
        for (int d = 0; d < dims.Length; d++)
        {
            if (dims[d] < 0) throw new DataException($"{file}: {what} has a negative dimension {dims[d]} (dims[{d}])");
            // Saturate instead of overflowing: any count this large is refused below, before anything is allocated.
            count = dims[d] == 0 || count <= long.MaxValue / dims[d] ? count * dims[d] : long.MaxValue;
        }
        int size = type == TensorProto.Types.DataType.Float ? 4 : 8;
        long held = t.RawData.Length > 0 ? t.RawData.Length / size : type switch
        {
            TensorProto.Types.DataType.Float => t.FloatData.Count,
            TensorProto.Types.DataType.Double => t.DoubleData.Count,
            _ => t.Int64Data.Count,
        };
        if (t.RawData.Length % size != 0 || held != count)
            throw new DataException($"{file}: {what} has dims [{string.Join(", ", dims)}] ({(count == long.MaxValue ? "more values than a 64-bit count holds" : $"{count} values")}) but the file holds {(t.RawData.Length > 0 ? $"{t.RawData.Length} bytes of raw data" : $"{held} values")}");

        var values = new double[count]; // count == the values the file really holds: bounded by its size
        var raw = t.RawData.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = type switch
            {
                TensorProto.Types.DataType.Float => raw.Length > 0 ? BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]) : t.FloatData[i],
                TensorProto.Types.DataType.Double => raw.Length > 0 ? BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]) : t.DoubleData[i],
                _ => raw.Length > 0 ? BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]) : t.Int64Data[i],
            };
        }
        return new Constant(t.Name, dims, values, type);
    }

    /// <summary>A float (T = float) or double tensor holding <paramref name="values"/> as raw little-endian data.</summary>
    public static TensorProto Write<T>(string name, long[] dims, ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        var bytes = new byte[values.Length * (single ? 4 : 8)];
        for (int i = 0; i < values.Length; i++)
        {
            if (single) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), float.CreateChecked(values[i]));
            else BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), double.CreateChecked(values[i]));
        }
        var t = new TensorProto
        {
            Name = name,
            DataType = (int)(single ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double),
            RawData = ByteString.CopyFrom(bytes),
        };
        t.Dims.AddRange(dims);
        return t;
    }

    public static TensorProto.Types.DataType ElementType<T>() =>
        typeof(T) == typeof(float) ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Double;

    public static string ElementTypeName(int type) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), type) ? ((TensorProto.Types.DataType)type).ToString().ToLowerInvariant() : $"#{type}";
}
