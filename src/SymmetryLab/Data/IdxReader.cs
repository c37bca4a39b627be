using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace SymmetryLab.Data;

/// <summary>
/// Reads MNIST's IDX files (gzip or not): an images file <c>*-images-idx3-ubyte[.gz]</c> whose labels are
/// found beside it as <c>*-labels-idx1-ubyte[.gz]</c> (SPEC.md). Pixels are unsigned bytes scaled to
/// [0, 1]. The header is big-endian: two zero bytes, a type byte (0x08 = unsigned byte, the only one
/// image sets use), the number of dimensions, then one 32-bit size per dimension. The payload is
/// streamed one image at a time straight into the feature array, so memory is that array plus a buffer.
/// </summary>
internal static class IdxReader
{
    private const byte UnsignedByte = 0x08;

    /// <summary>The header of an IDX file: item count and the shape of one item.</summary>
    public readonly record struct Header(int Count, int[] ItemShape)
    {
        public int ItemBytes => ItemShape.Aggregate(1, (a, b) => a * b);
    }

    /// <summary>
    /// Images and labels as a dataset of Count rows x (rows*cols) features in [0, 1].
    /// <paramref name="classes"/>, when given, bounds the labels to 0..classes-1 (the built-in sets know theirs).
    /// </summary>
    public static Dataset Read(string imagesPath, string? name = null, int? classes = null)
    {
        InputFile.Check(imagesPath); // a missing images file is named as such, not as one without labels
        string labelsPath = LabelsPathFor(imagesPath);
        var labels = ReadLabels(labelsPath, classes);
        double[]? x = null;
        int features = 0;
        var header = ReadItems(imagesPath, h =>
        {
            if (h.Count != labels.Length)
                throw new DataException($"{imagesPath}: byte 4: {h.Count} images, but {labelsPath} has {labels.Length} labels");
            features = h.ItemBytes;
            DataLimits.CheckValues($"{imagesPath}: byte 4: {h.Count:N0} images of {features:N0} pixels", (long)h.Count * features);
            x = new double[h.Count * features];
        }, (pixels, i) =>
        {
            // Exact conversion then IEEE division, vectorized: the same bits as pixels[p] / 255.0 one by one.
            var row = x.AsSpan(i * features, features);
            TensorPrimitives.ConvertTruncating(pixels, row);
            TensorPrimitives.Divide(row, 255.0, row);
        });
        var y = labels.Select(l => (double)l).ToArray();
        var shape = header.ItemShape.Length == 2 ? new ImageShape(header.ItemShape[0], header.ItemShape[1]) : (ImageShape?)null;
        var featureNames = shape is { } s
            ? Enumerable.Range(0, features).Select(p => $"px{p / s.Width + 1}_{p % s.Width + 1}").ToArray()
            : null;
        return new Dataset(name ?? DefaultName(imagesPath), x!, y, features, featureNames, "label") { Image = shape };
    }

    /// <summary>
    /// Streams the items of an IDX file of unsigned bytes: <paramref name="onHeader"/> sees the header
    /// first, then <paramref name="onItem"/> each item in file order (the span is reused: copy what you keep).
    /// </summary>
    public static Header ReadItems(string path, Action<Header>? onHeader, ReadOnlySpanAction<byte, int> onItem)
    {
        using var input = BinaryInput.Open(path);
        var header = ReadHeader(input, minDims: 2);
        if (header.Count == 0) throw input.Error("the header says the file holds no images", 4);
        long headerBytes = 4 + 4 * (header.ItemShape.Length + 1);
        input.CheckAnnounced(headerBytes + (long)header.Count * header.ItemBytes, (long)header.Count * header.ItemBytes, $"{header.Count:N0} images of {header.ItemBytes:N0} bytes", 4,
            length => BinaryInput.EndsAmong(length - headerBytes, header.ItemBytes, header.Count, "item"));
        onHeader?.Invoke(header);
        // Whole items in chunks of about 64 KB: few reads, and no per-item allocation (the message of a
        // truncation is only built when there is one).
        int perChunk = Math.Max(1, (1 << 16) / header.ItemBytes);
        var chunk = new byte[perChunk * header.ItemBytes];
        for (int first = 0; first < header.Count; first += perChunk)
        {
            int items = Math.Min(perChunk, header.Count - first);
            var bytes = chunk.AsSpan(0, items * header.ItemBytes);
            int got = input.Read(bytes);
            if (got < bytes.Length)
            {
                throw input.Error($"file ends after {input.Position} bytes, {BinaryInput.EndsAmong((long)first * header.ItemBytes + got, header.ItemBytes, header.Count, "item")}; the file is truncated");
            }
            for (int k = 0; k < items; k++)
                onItem(bytes.Slice(k * header.ItemBytes, header.ItemBytes), first + k);
        }
        input.ExpectEnd($"the {header.Count} items of {header.ItemBytes} bytes");
        return header;
    }

    /// <summary>A labels file (one dimension of unsigned bytes).</summary>
    public static byte[] ReadLabels(string path, int? classes = null)
    {
        using var input = BinaryInput.Open(path);
        var header = ReadHeader(input, minDims: 1);
        if (header.ItemShape.Length != 0)
            throw input.Error($"a labels file has one dimension, this one has {header.ItemShape.Length + 1}", 3);
        input.CheckAnnounced(8 + (long)header.Count, header.Count, $"{header.Count:N0} labels", 4, length => BinaryInput.EndsAmong(length - 8, 1, header.Count, "label"));
        var labels = new byte[header.Count];
        input.ReadExactly(labels, $"the {header.Count} labels");
        if (classes is { } k)
        {
            int bad = Array.FindIndex(labels, l => l >= k);
            if (bad >= 0) throw input.Error($"label {bad + 1} is {labels[bad]}, outside 0..{k - 1}", 8 + bad);
        }
        input.ExpectEnd($"the {header.Count} labels");
        return labels;
    }

    /// <summary>SPEC.md: the labels of <c>X-images-idx3-ubyte[.gz]</c> are <c>X-labels-idx1-ubyte[.gz]</c> beside it.</summary>
    public static string LabelsPathFor(string imagesPath)
    {
        string dir = Path.GetDirectoryName(imagesPath) ?? "";
        string file = Path.GetFileName(imagesPath);
        // Some copies use a dot instead of the dash (t10k-images.idx3-ubyte); keep whichever the images use.
        string labels = file.Replace("images-idx3", "labels-idx1").Replace("images.idx3", "labels.idx1");
        if (labels == file) throw new DataException($"{imagesPath}: an IDX images file must be named *-images-idx3-ubyte[.gz] so that its labels *-labels-idx1-ubyte[.gz] can be found beside it");
        string plain = labels.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? labels[..^3] : labels;
        foreach (var candidate in new[] { labels, plain, plain + ".gz" })
            if (File.Exists(Path.Combine(dir, candidate))) return Path.Combine(dir, candidate);
        throw new DataException($"{imagesPath}: no labels beside it (looked for {Path.Combine(dir, plain)} and {Path.Combine(dir, plain)}.gz)");
    }

    public static bool LooksLikeImages(string path)
    {
        string f = Path.GetFileName(path).ToLowerInvariant();
        return f.Contains("idx3-ubyte") || f.Contains("idx3.ubyte");
    }

    private static Header ReadHeader(BinaryInput input, int minDims)
    {
        Span<byte> magic = stackalloc byte[4];
        input.ReadExactly(magic, "the 4-byte IDX magic number");
        if (magic[0] != 0 || magic[1] != 0)
            throw input.Error($"not an IDX file: the magic number must start with two zero bytes, found {magic[0]:x2} {magic[1]:x2}", 0);
        if (magic[2] != UnsignedByte)
            throw input.Error($"IDX element type 0x{magic[2]:x2}; only unsigned bytes (0x08) are supported", 2);
        int dims = magic[3];
        if (dims < minDims || dims > 3)
            throw input.Error(minDims == 1 && dims != 1
                ? $"a labels file has 1 dimension (magic 0x00000801), this one has {dims}"
                : $"{dims} dimensions; expected {(minDims == 2 ? "3 (images: count, rows, columns) or 2" : "1")}", 3);
        Span<byte> size = stackalloc byte[4];
        var sizes = new int[dims];
        for (int d = 0; d < dims; d++)
        {
            long at = input.Position;
            input.ReadExactly(size, $"the size of dimension {d + 1} in the header");
            uint v = BinaryPrimitives.ReadUInt32BigEndian(size);
            if (v > int.MaxValue || (d > 0 && v == 0)) throw input.Error($"dimension {d + 1} has size {v}", at);
            sizes[d] = (int)v;
        }
        if (sizes.Skip(1).Aggregate(1L, (a, b) => a * b) > 1 << 24)
            throw input.Error($"items of {string.Join(" x ", sizes.Skip(1))} bytes are implausibly large", 8);
        return new Header(sizes[0], sizes[1..]);
    }

    private static string DefaultName(string path)
    {
        string f = Path.GetFileName(path);
        int cut = f.IndexOf("-images", StringComparison.Ordinal);
        return cut > 0 ? f[..cut] : f;
    }
}
