using FsCheck;
using FsCheck.Fluent;
using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>
/// Column names written by <see cref="CsvWriter"/> read back the same by <see cref="CsvReader"/>: names
/// with commas, quotes, spaces at their ends, a byte-order mark, or that look like numbers (a header of
/// numbers would be read as a data row) are quoted; a name no CSV line can hold is refused.
/// </summary>
public class CsvWriterTests
{
    private static readonly Config Fixed = Config.QuickThrowOnFailure.WithMaxTest(200).WithReplay(23, 29);

    /// <summary>Pieces that make names hard to read back, with plain letters and digits between them.</summary>
    private static readonly string[] Pieces =
        [",", "\"", "\"\"", " ", "\t", "\u00A0", "\uFEFF", "a", "Z", "x1", "0", "1", ".", "e", "-", "+", "5", "NaN", "Infinity", "é", "😀", ";", "'", "∞", "\\"];

    private static Arbitrary<string[]> Names() =>
        (from columns in Gen.Choose(2, 5)
         from names in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements(Pieces)).Select(string.Concat), columns)
         select names).ToArbitrary();

    [Fact]
    public void EveryNameWrittenReadsBackAsWritten()
    {
        string dir = TestNets.TempDir();
        Prop.ForAll(Names(), names =>
        {
            int features = names.Length - 1;
            var data = new Dataset("odd", [.. Enumerable.Range(0, 2 * features).Select(i => (double)i)], [0, 1], features, names[..^1], names[^1]);
            string path = Path.Combine(dir, "odd.csv");
            CsvWriter.Write(data, path);
            var back = CsvReader.Read(path);
            Assert.Equal(names[..^1], back.FeatureNames);
            Assert.Equal(names[^1], back.TargetName);
            Assert.Equal(data.X, back.X);
            Assert.Equal(data.Y, back.Y);
        }).Check(Fixed);
    }

    [Theory]
    [InlineData("1", "2", "3")] // a header of numbers would read as a data row
    [InlineData(" padded ", "a,b", "say \"hi\"")]
    [InlineData("\uFEFFbom", "Infinity", "y")]
    public void NamesTheReaderWouldSplitTrimOrTakeForNumbersAreQuoted(string a, string b, string target)
    {
        var data = new Dataset("q", [1, 2, 3, 4], [0, 1], 2, [a, b], target);
        string header = CsvWriter.Header(data);
        Assert.Contains('"', header);
        Assert.Equal([a, b, target], CsvReader.Header(header));
    }

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("cr\rhere")]
    [InlineData("half ? pair")] // ? stands for a lone surrogate, which an attribute's string cannot carry
    public void ANameNoCsvHeaderCanHoldIsRefusedAndNothingIsWritten(string name)
    {
        name = name.Replace('?', '\uD800');
        string path = Path.Combine(TestNets.TempDir(), "bad.csv");
        var data = new Dataset("bad", [1, 2], [0, 1], 1, [name], "y");
        var e = Assert.Throws<DataException>(() => CsvWriter.Write(data, path));
        Assert.Contains("column name", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void HeadersWrittenBeforeQuotingWasReadStillReadAsBefore()
    {
        Assert.Equal(["x1", "x2", "y"], CsvReader.Header(" x1 ,\"x2\", y"));
        Assert.Equal(["a\"b", "c"], CsvReader.Header("a\"b,c"));
        Assert.Equal(["x\" y", "t"], CsvReader.Header("\"x\" y,t")); // not CSV quoting: split at every comma, as always
    }
}
