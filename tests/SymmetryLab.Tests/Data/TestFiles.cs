using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SymmetryLab.Tests.Data;

/// <summary>
/// Hand-made data files for loader tests, written byte by byte from the format specifications (IDX as in
/// LeCun's MNIST page, .npy as in NumPy's format document), not with the code under test.
/// </summary>
internal sealed class TestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("symlab-data-test-").FullName;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public string Write(string name, byte[] bytes)
    {
        File.WriteAllBytes(Path(name), bytes);
        return Path(name);
    }

    public string WriteText(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    public static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(bytes);
        return ms.ToArray();
    }

    /// <summary>IDX images: 00 00 08 03, count, rows, cols (big-endian), then pixel bytes.</summary>
    public static byte[] IdxImages(int count, int rows, int cols, Func<int, int, byte> pixel)
    {
        var b = new byte[16 + count * rows * cols];
        b[2] = 0x08; b[3] = 3;
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        for (int i = 0; i < count; i++)
            for (int p = 0; p < rows * cols; p++) b[16 + i * rows * cols + p] = pixel(i, p);
        return b;
    }

    /// <summary>IDX labels: 00 00 08 01, count, then one byte per label.</summary>
    public static byte[] IdxLabels(params byte[] labels)
    {
        var b = new byte[8 + labels.Length];
        b[2] = 0x08; b[3] = 1;
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), labels.Length);
        labels.CopyTo(b, 8);
        return b;
    }

    /// <summary>A version-1 .npy: magic, 1 0, uint16 header length, dict padded with spaces to a multiple of 64 bytes, '\n'.</summary>
    public static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false, byte major = 1)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int pre = major == 1 ? 10 : 12;
        int total = (pre + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - pre - 1) + "\n";
        var b = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        if (major == 1) { b.Add((byte)(header.Length & 0xFF)); b.Add((byte)(header.Length >> 8)); }
        else b.AddRange(BitConverter.GetBytes((uint)header.Length));
        b.AddRange(Encoding.ASCII.GetBytes(header));
        b.AddRange(data);
        return [.. b];
    }

    public static byte[] Float64(params double[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    public static byte[] Float32(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
