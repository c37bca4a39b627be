using System.Buffers.Binary;

namespace SymmetryLab.Data;

/// <summary>
/// Reads NumPy <c>.npy</c> pairs (SPEC.md): features in <c>X*.npy</c> (n x f, or n x h x w images, which are
/// flattened and remembered as images), targets in the <c>y*.npy</c> beside it (n or n x 1). Types:
/// float32/float64, signed and unsigned integers, bool; either byte order; C order only. The data are
/// decoded in chunks straight into the feature array. Strict: NaN or infinity, a truncated file, extra
/// bytes, rows that disagree between X and y, and negative integer labels are errors naming the byte.
/// </summary>
internal static class NpyReader
{
    private const int ChunkElements = 8192;

    public static Dataset Read(string xPath, string? name = null)
    {
        string yPath = TargetsPathFor(xPath);
        var (x, xShape) = ReadArray(xPath, "X");
        if (xShape.Length < 2)
            throw new DataException($"{xPath}: header: shape ({string.Join(", ", xShape)}) is {xShape.Length}-dimensional; features are rows of a 2-D array (n, features), so a single feature is shape (n, 1) (numpy: X.reshape(-1, 1))");
        long rows = xShape[0];
        var (y, yShape) = ReadArray(yPath, "y");
        if (yShape.Length == 0 || yShape.Length > 2 || (yShape.Length == 2 && yShape[1] != 1))
            throw new DataException($"{yPath}: header: shape ({string.Join(", ", yShape)}) is not one target per row (n,) or (n, 1)");
        if (yShape[0] != rows)
            throw new DataException($"{yPath}: header: {yShape[0]} targets, but {xPath} has {rows} rows");
        if (rows == 0) throw new DataException($"{xPath}: header: no rows");
        int features = (int)(x.Length / rows);
        if (features < 1) throw new DataException($"{xPath}: header: shape ({string.Join(", ", xShape)}) has no features");
        ImageShape? image = xShape.Length == 3 ? new ImageShape((int)xShape[1], (int)xShape[2]) : null;
        return new Dataset(name ?? Path.GetFileNameWithoutExtension(xPath), x, y, features) { Image = image };
    }

    /// <summary>SPEC.md: <c>X.npy</c> has its targets in <c>y.npy</c>; likewise X_train.npy / y_train.npy, digits_X.npy / digits_y.npy.</summary>
    public static string TargetsPathFor(string xPath)
    {
        string dir = Path.GetDirectoryName(xPath) ?? "";
        string file = Path.GetFileName(xPath);
        string stem = file[..^4];
        // The X must stand alone (X, X_train, train_X): not the x of "box.npy".
        for (int i = stem.Length - 1; i >= 0; i--)
        {
            if (stem[i] is not ('X' or 'x')) continue;
            bool alone = (i == 0 || !char.IsLetter(stem[i - 1])) && (i == stem.Length - 1 || !char.IsLetter(stem[i + 1]));
            if (!alone) continue;
            string candidate = Path.Combine(dir, stem[..i] + "y" + stem[(i + 1)..] + file[^4..]);
            if (File.Exists(candidate)) return candidate;
            string upper = Path.Combine(dir, stem[..i] + "Y" + stem[(i + 1)..] + file[^4..]);
            if (File.Exists(upper)) return upper;
            throw new DataException($"{xPath}: its targets {candidate} are missing (X*.npy needs y*.npy beside it)");
        }
        throw new DataException($"{xPath}: name the features X.npy (or X_NAME.npy) and the targets y.npy (y_NAME.npy) beside them");
    }

    /// <summary>One .npy array as doubles in C order, with its shape.</summary>
    public static (double[] Values, long[] Shape) ReadArray(string path, string role = "array")
    {
        using var input = BinaryInput.Open(path);
        if (input.IsGzip) throw input.Error("a .npy file must not be gzip-compressed", 0);
        var h = NpyHeader.Read(input);
        if (h.FortranOrder) throw input.Error("header: fortran_order is True; save the array in C order (numpy.ascontiguousarray)", h.ShapeAt);
        input.CheckAnnounced((long)Math.Min(long.MaxValue, h.DataOffset + (double)h.Count * h.ItemSize), h.Count, $"{h.Count:N0} values of shape ({string.Join(", ", h.Shape)})", h.ShapeAt,
            length => BinaryInput.EndsAmong(length - h.DataOffset, h.ItemSize, h.Count, "value"));
        long[] shape = h.Shape;
        long columns = shape.Length <= 1 ? 1 : h.Count / Math.Max(1, shape[0]);
        var values = new double[h.Count];
        var buffer = new byte[ChunkElements * h.ItemSize];
        bool isFloat = h.Kind == 'f', isSigned = h.Kind == 'i';
        for (long done = 0; done < h.Count;)
        {
            int n = (int)Math.Min(ChunkElements, h.Count - done);
            var bytes = buffer.AsSpan(0, n * h.ItemSize);
            int got = input.Read(bytes);
            if (got < bytes.Length) // the message is built only when it is needed: no allocation per chunk
                throw input.Error($"file ends after {input.Position} bytes, {BinaryInput.EndsAmong(done * h.ItemSize + got, h.ItemSize, h.Count, "value")}; the file is truncated");
            var dst = values.AsSpan((int)done, n);
            Decode(h, bytes, dst);
            for (int i = 0; i < n; i++)
            {
                double v = dst[i];
                bool bad = isFloat ? !double.IsFinite(v) : isSigned && v < 0 && role == "y";
                if (!bad) continue;
                long index = done + i;
                string where = shape.Length <= 1 ? $"value {index + 1}" : $"row {index / columns + 1}, column {index % columns + 1}";
                throw input.Error(isFloat ? $"{where} is {v}, not a finite number" : $"{where} is the label {v}; class labels cannot be negative", h.DataOffset + index * h.ItemSize);
            }
            done += n;
        }
        input.ExpectEnd($"the {h.Count} values of shape ({string.Join(", ", shape)})");
        return (values, shape);
    }

    private static void Decode(NpyHeader h, ReadOnlySpan<byte> b, Span<double> dst)
    {
        bool little = h.ByteOrder != '>';
        int size = h.ItemSize;
        switch (h.Kind, size)
        {
            case ('f', 8):
                for (int i = 0; i < dst.Length; i++)
                    dst[i] = little ? BinaryPrimitives.ReadDoubleLittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadDoubleBigEndian(b[(i * 8)..]);
                break;
            case ('f', 4):
                for (int i = 0; i < dst.Length; i++)
                    dst[i] = little ? BinaryPrimitives.ReadSingleLittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadSingleBigEndian(b[(i * 4)..]);
                break;
            case ('u' or 'b', 1):
                for (int i = 0; i < dst.Length; i++) dst[i] = b[i];
                break;
            case ('i', 1):
                for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)b[i];
                break;
            case ('i', 2):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadInt16LittleEndian(b[(i * 2)..]) : BinaryPrimitives.ReadInt16BigEndian(b[(i * 2)..]);
                break;
            case ('u', 2):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadUInt16LittleEndian(b[(i * 2)..]) : BinaryPrimitives.ReadUInt16BigEndian(b[(i * 2)..]);
                break;
            case ('i', 4):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadInt32LittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadInt32BigEndian(b[(i * 4)..]);
                break;
            case ('u', 4):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]) : BinaryPrimitives.ReadUInt32BigEndian(b[(i * 4)..]);
                break;
            case ('i', 8):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadInt64BigEndian(b[(i * 8)..]);
                break;
            case ('u', 8):
                for (int i = 0; i < dst.Length; i++) dst[i] = little ? BinaryPrimitives.ReadUInt64LittleEndian(b[(i * 8)..]) : BinaryPrimitives.ReadUInt64BigEndian(b[(i * 8)..]);
                break;
            default:
                throw new InvalidOperationException($"dtype {h.Kind}{size} passed the header check but has no decoder");
        }
    }
}
