using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>CSV strictness: each corrupted copy is rejected with FILE:LINE and the field.</summary>
public sealed class CsvFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private DataException Reject(string text)
    {
        string path = _files.WriteText("bad.csv", text);
        return Assert.Throws<DataException>(() => DataSource.LoadFile(path));
    }

    [Fact]
    public void GoodFileWithHeaderReads()
    {
        string path = _files.WriteText("good.csv", "a,b,y\n1,2,0\n3,4,1\n");
        var d = DataSource.LoadFile(path);
        Assert.Equal(2, d.Rows);
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal([1.0, 2, 3, 4], d.X);
    }

    [Fact]
    public void NaNNamesLineAndField()
    {
        var e = Reject("a,b,y\n1,2,0\n3,NaN,1\n");
        Assert.StartsWith(_files.Path("bad.csv") + ":3:", e.Message);
        Assert.Contains("field 2 (b)", e.Message);
    }

    [Fact]
    public void RaggedRowNamesLine()
    {
        var e = Reject("1,2,0\n3,4,1\n5,6\n");
        Assert.StartsWith(_files.Path("bad.csv") + ":3:", e.Message);
        Assert.Contains("2 fields, expected 3", e.Message);
    }

    [Fact]
    public void NonNumericCellNamesLineAndValue()
    {
        var e = Reject("a,b,y\n1,2,0\n1,2,0\n1,two,1\n");
        Assert.StartsWith(_files.Path("bad.csv") + ":4:", e.Message);
        Assert.Contains("'two'", e.Message);
    }

    [Fact]
    public void InfinityIsRejected()
    {
        var e = Reject("1,2,0\n1e999,2,1\n");
        Assert.StartsWith(_files.Path("bad.csv") + ":2:", e.Message);
    }
}
