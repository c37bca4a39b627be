using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SymmetryLab.Data;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format versions 1, 2 and 3): magic <c>\x93NUMPY</c>, major and
/// minor version bytes, a little-endian header length (2 bytes in v1, 4 in v2/v3), then a Python dict
/// literal such as <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (1000, 400), }</c>.
/// Only that literal form is accepted; anything else is reported with its byte position.
/// </summary>
internal sealed partial record NpyHeader(char ByteOrder, char Kind, int ItemSize, bool FortranOrder, long[] Shape, long DataOffset, long ShapeAt)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The number of values the shape announces (long.MaxValue when that overflows).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => b != 0 && a > long.MaxValue / b ? long.MaxValue : a * b);

    internal static NpyHeader Read(BinaryInput input)
    {
        Span<byte> start = stackalloc byte[8];
        input.ReadExactly(start, "the 8-byte .npy preamble");
        for (int i = 0; i < 6; i++)
            if (start[i] != Magic[i]) throw input.Error("not a .npy file: it must start with the bytes \\x93NUMPY", i);
        byte major = start[6];
        if (major is < 1 or > 3) throw input.Error($"unknown .npy format version {major}.{start[7]} (1, 2 and 3 are known)", 6);
        int lengthBytes = major == 1 ? 2 : 4;
        Span<byte> len = stackalloc byte[4];
        input.ReadExactly(len[..lengthBytes], "the header length");
        long headerLength = major == 1 ? len[0] | len[1] << 8 : BitConverter.ToUInt32(len);
        if (headerLength > 1 << 20) throw input.Error($"header length {headerLength} is implausible", 8);
        var text = new byte[headerLength];
        long textStart = input.Position;
        input.ReadExactly(text, "the header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        return Parse(header, textStart, input);
    }

    private static NpyHeader Parse(string header, long textStart, BinaryInput input)
    {
        DataException At(int index, string what) => input.Error($"header: {what}", textStart + index);

        string trimmed = header.TrimEnd(' ', '\n');
        if (!trimmed.StartsWith('{') || !trimmed.EndsWith('}'))
            throw At(0, $"expected a Python dict literal {{'descr': ..., 'fortran_order': ..., 'shape': (...)}}, found {Shorten(trimmed)}");
        var descr = DescrPattern().Match(header);
        if (!descr.Success) return Fail(header, "descr", textStart, input);
        var order = FortranPattern().Match(header);
        if (!order.Success) return Fail(header, "fortran_order", textStart, input);
        var shape = ShapePattern().Match(header);
        if (!shape.Success) return Fail(header, "shape", textStart, input);

        string d = descr.Groups[1].Value;
        if (d.Length < 3 || !"<>|=".Contains(d[0]) || !int.TryParse(d.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            throw At(descr.Groups[1].Index, $"dtype '{d}' is not a simple type such as '<f8', '<f4', '|u1' or '<i8'");
        char kind = d[1];
        bool known = kind switch
        {
            'f' => size is 4 or 8,
            'i' or 'u' => size is 1 or 2 or 4 or 8,
            'b' => size == 1,
            _ => false,
        };
        if (!known) throw At(descr.Groups[1].Index, $"dtype '{d}' is not supported (float32/float64, signed or unsigned integers, bool)");
        char byteOrder = d[0] == '=' ? (BitConverter.IsLittleEndian ? '<' : '>') : d[0];

        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0) continue;
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                throw At(shape.Groups[1].Index, $"shape ({shape.Groups[1].Value}) is not a tuple of sizes");
            dims.Add(n);
        }
        return new NpyHeader(byteOrder, kind, size, order.Groups[1].Value == "True", [.. dims], input.Position, textStart + shape.Index);
    }

    private static string Shorten(string s) => s.Length <= 80 ? $"'{s}'" : $"'{s[..80]}...'";

    private static NpyHeader Fail(string header, string key, long textStart, BinaryInput input) =>
        throw input.Error($"header: no valid '{key}' entry in {Shorten(header.TrimEnd())}", textStart);

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)\b")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
