using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>.npy pairs through --data X.npy: dtypes, versions, and each corruption with its byte position.</summary>
public sealed class NpyReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Pair(byte[] x, byte[] y, string stem = "X")
    {
        _files.Write(stem.Replace('X', 'y') + ".npy", y);
        return _files.Write(stem + ".npy", x);
    }

    [Fact]
    public void Float64MatrixWithUint8Labels()
    {
        string x = Pair(TestFiles.Npy("<f8", "(3, 2)", TestFiles.Float64(1, 2, 3, 4, 5, 6.5)), TestFiles.Npy("|u1", "(3,)", [0, 1, 1]));
        var d = DataSource.LoadFile(x);
        Assert.Equal(3, d.Rows);
        Assert.Equal(2, d.Features);
        Assert.Equal([1.0, 2, 3, 4, 5, 6.5], d.X);
        Assert.Equal([0.0, 1, 1], d.Y);
        Assert.Equal(TargetKind.Binary, d.Kind);
    }

    [Fact]
    public void Float32ImagesVersionTwoAndColumnLabels()
    {
        var x = TestFiles.Npy("<f4", "(2, 2, 2)", TestFiles.Float32(0, 0.25f, 0.5f, 1, 1, 1, 0, 0), major: 2);
        var y = TestFiles.Npy("<i8", "(2, 1)", [.. BitConverter.GetBytes(3L), .. BitConverter.GetBytes(0L)]);
        var d = DataSource.LoadFile(Pair(x, y, "X_train"));
        Assert.Equal(4, d.Features);
        Assert.Equal(new ImageShape(2, 2), d.Image);
        Assert.Equal(0.25, d.X[1]);
        Assert.Equal([3.0, 0], d.Y);
    }

    [Fact]
    public void BigEndianInt16()
    {
        var x = TestFiles.Npy(">i2", "(2, 1)", [0x01, 0x00, 0xFF, 0xFE]);
        var d = DataSource.LoadFile(Pair(x, TestFiles.Npy("|u1", "(2,)", [0, 1])));
        Assert.Equal([256.0, -2], d.X);
    }

    [Fact]
    public void WrongMagicIsByteZero()
    {
        var x = TestFiles.Npy("<f8", "(1, 1)", TestFiles.Float64(1));
        x[1] = (byte)'n';
        string path = Pair(x, TestFiles.Npy("|u1", "(1,)", [0]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.StartsWith($"{path}: byte 1:", e.Message);
    }

    [Fact]
    public void BadHeaderDictIsReportedInTheHeader()
    {
        var x = TestFiles.Npy("<f8", "(1, 1)", TestFiles.Float64(1));
        // Corrupt the key 'shape' so the header has no shape entry.
        int at = System.Text.Encoding.ASCII.GetString(x).IndexOf("'shape'", StringComparison.Ordinal);
        x[at + 1] = (byte)'S';
        string path = Pair(x, TestFiles.Npy("|u1", "(1,)", [0]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.StartsWith($"{path}: byte 10: header:", e.Message);
        Assert.Contains("shape", e.Message);
    }

    [Fact]
    public void UnsupportedDtypeNamesItsPosition()
    {
        var x = TestFiles.Npy("<c16", "(1, 1)", new byte[16]);
        string path = Pair(x, TestFiles.Npy("|u1", "(1,)", [0]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.StartsWith($"{path}: byte {10 + "{'descr': '".Length}: header:", e.Message);
        Assert.Contains("<c16", e.Message);
    }

    [Fact]
    public void FortranOrderIsRejected()
    {
        var x = TestFiles.Npy("<f8", "(1, 2)", TestFiles.Float64(1, 2), fortran: true);
        string path = Pair(x, TestFiles.Npy("|u1", "(1,)", [0]));
        Assert.Contains("fortran_order", Assert.Throws<DataException>(() => DataSource.LoadFile(path)).Message);
    }

    [Fact]
    public void ACutOnAValueBoundaryNamesTheLastWholeValue()
    {
        var x = TestFiles.Npy("<f8", "(2, 2)", TestFiles.Float64(1, 2, 3, 4));
        string path = Pair(x[..^8], TestFiles.Npy("|u1", "(2,)", [0, 1]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.Contains($"file ends after {x.Length - 8} bytes, after value 3 of 4;", e.Message);
        var cut = Assert.Throws<DataException>(() => DataSource.LoadFile(Pair(x[..^5], TestFiles.Npy("|u1", "(2,)", [0, 1]))));
        Assert.Contains("in the middle of value 4 of 4 (3 of its 8 bytes there)", cut.Message);
    }

    [Fact]
    public void TruncatedDataNamesWhereItEnds()
    {
        var x = TestFiles.Npy("<f8", "(2, 2)", TestFiles.Float64(1, 2, 3, 4));
        string path = Pair(x[..^5], TestFiles.Npy("|u1", "(2,)", [0, 1]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.StartsWith($"{path}: byte {x.Length - 5}:", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void NaNNamesRowColumnAndByte()
    {
        var x = TestFiles.Npy("<f8", "(2, 3)", TestFiles.Float64(1, 2, 3, 4, double.NaN, 6));
        string path = Pair(x, TestFiles.Npy("|u1", "(2,)", [0, 1]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        int dataStart = x.Length - 6 * 8;
        Assert.StartsWith($"{path}: byte {dataStart + 4 * 8}:", e.Message);
        Assert.Contains("row 2, column 2", e.Message);
    }

    [Fact]
    public void ShapeMismatchBetweenXAndY()
    {
        string path = Pair(TestFiles.Npy("<f8", "(2, 1)", TestFiles.Float64(1, 2)), TestFiles.Npy("|u1", "(3,)", [0, 1, 1]));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        Assert.StartsWith(_files.Path("y.npy") + ": header: 3 targets", e.Message);
    }

    [Fact]
    public void NegativeIntegerLabelIsOutOfRange()
    {
        var y = TestFiles.Npy("<i4", "(2,)", [.. BitConverter.GetBytes(1), .. BitConverter.GetBytes(-1)]);
        string path = Pair(TestFiles.Npy("<f8", "(2, 1)", TestFiles.Float64(1, 2)), y);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(path));
        int dataStart = y.Length - 2 * 4;
        Assert.StartsWith($"{_files.Path("y.npy")}: byte {dataStart + 4}:", e.Message);
    }

    [Fact]
    public void MissingTargetsFileIsNamed()
    {
        string path = _files.Write("X.npy", TestFiles.Npy("<f8", "(1, 1)", TestFiles.Float64(1)));
        Assert.Contains("y.npy", Assert.Throws<DataException>(() => DataSource.LoadFile(path)).Message);
    }
}
