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

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 3000)]
    [InlineData(true, 2500)]
    public void AFileReadsAsTheSameTextStreamed(bool header, int rows)
    {
        // A file is counted first and read into arrays of its size; a stream grows them: same data.
        var rng = new SymmetryLab.Numerics.Rng((ulong)rows);
        var text = new System.Text.StringBuilder(header ? "a,b,c,y\n" : "");
        for (int r = 0; r < rows; r++)
        {
            if (r % 7 == 3) text.Append('\n'); // blank lines are skipped, not rows
            text.Append(string.Join(",", Enumerable.Range(0, 3).Select(_ => rng.NextNormal().ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).Append(',').Append(r % 2).Append('\n');
        }
        string path = _files.WriteText("data.csv", text.ToString());
        var fromFile = CsvReader.Read(path);
        var streamed = CsvReader.Read(new StringReader(text.ToString()), path);
        Assert.Equal(rows, fromFile.Rows);
        Assert.Equal(streamed.X, fromFile.X);
        Assert.Equal(streamed.Y, fromFile.Y);
        Assert.Equal(rows * 3, fromFile.X.Length);
    }

    [Fact]
    public async Task ANamedPipeIsReadOnceAsItComes()
    {
        // Counting the lines first would drain the pipe and then wait for a writer that never comes.
        if (!OperatingSystem.IsLinux()) return;
        string path = _files.Path("pipe.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)) await mkfifo.WaitForExitAsync();
        var writer = Task.Run(() => File.WriteAllText(path, "a,b,y\n1,2,0\n3,4,1\n5,6,1\n"));
        var data = await Task.Run(() => CsvReader.Read(path)).WaitAsync(TimeSpan.FromSeconds(20));
        await writer;
        Assert.Equal([1.0, 2, 3, 4, 5, 6], data.X);
        Assert.Equal([0.0, 1, 1], data.Y);
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
