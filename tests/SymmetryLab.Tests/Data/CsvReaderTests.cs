using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

public class CsvReaderTests
{
    private static Dataset Read(string text, string? target = null) => CsvReader.Read(new StringReader(text), "f.csv", target);

    [Fact]
    public void HeaderIsDetectedAndTheTargetIsTheLastColumn()
    {
        var d = Read("a,b,y\n1,2,0\n3,4,1\n");
        Assert.Equal(["a", "b"], d.FeatureNames);
        Assert.Equal("y", d.TargetName);
        Assert.Equal([1.0, 2, 3, 4], d.X);
        Assert.Equal([0.0, 1], d.Y);
        Assert.Equal(TargetKind.Binary, d.Kind);
    }

    [Fact]
    public void NoHeaderMeansTheFirstRowIsData()
    {
        var d = Read("1,2,0\n3,4,2\n5,6,1\n");
        Assert.Equal(3, d.Rows);
        Assert.Equal(TargetKind.Classes, d.Kind);
        Assert.Equal(3, d.ClassCount);
    }

    [Theory]
    [InlineData("a", 0)]
    [InlineData("1", 0)]
    [InlineData("b", 1)]
    public void TargetByNameOrOneBasedIndex(string target, int column)
    {
        var d = Read("a,b,c\n1,2,0.5\n3,4,1.5\n", target);
        Assert.Equal(column == 0 ? [1.0, 3] : [2.0, 4], d.Y);
        Assert.Equal(TargetKind.Continuous, Read("a,b,c\n1,2,0.5\n3,4,1.5\n").Kind);
    }

    [Theory]
    [InlineData("a,b,y\n1,2,0\n3,4\n", "f.csv:3:", "2 fields, expected 3")]
    [InlineData("a,b,y\n1,2,0\n3,NaN,1\n", "f.csv:3:", "field 2 (b)")]
    [InlineData("a,b,y\n1,2,0\n3,x,1\n", "f.csv:3:", "not a number: 'x'")]
    [InlineData("a,b,y\n1,,0\n", "f.csv:2:", "field 2 (b) is empty")]
    [InlineData("1,2,0\n1,2,inf\n", "f.csv:2:", "field 3")]
    [InlineData("a,b,y\n", "f.csv", "no data rows")]
    public void BadLinesAreReportedAsFileLineWhat(string text, string place, string what)
    {
        var e = Assert.Throws<DataException>(() => Read(text));
        Assert.StartsWith(place, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void UnknownTargetIsNamed()
    {
        var e = Assert.Throws<DataException>(() => Read("a,b\n1,0\n", "zz"));
        Assert.Contains("target = zz: no such column", e.Message);
        Assert.Throws<DataException>(() => Read("a,b\n1,0\n", "3"));
    }
}
