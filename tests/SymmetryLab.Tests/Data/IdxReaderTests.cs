using SymmetryLab.Data;

namespace SymmetryLab.Tests.Data;

/// <summary>IDX loading through --data FILE: values, gzip detection, and each corruption with its byte position.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    // Three 2x3 images; pixel p of image i is 10*i + p, so every value is predictable.
    private static byte[] Images => TestFiles.IdxImages(3, 2, 3, (i, p) => (byte)(10 * i + p));

    private static byte[] Labels => TestFiles.IdxLabels(2, 0, 1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsPixelsOverTwoFiftyFiveAndLabelsBeside(bool gzip)
    {
        string ext = gzip ? ".gz" : "";
        string images = _files.Write("t-images-idx3-ubyte" + ext, gzip ? TestFiles.Gzip(Images) : Images);
        _files.Write("t-labels-idx1-ubyte" + ext, gzip ? TestFiles.Gzip(Labels) : Labels);
        var d = DataSource.LoadFile(images);
        Assert.Equal(3, d.Rows);
        Assert.Equal(6, d.Features);
        Assert.Equal(new ImageShape(2, 3), d.Image);
        Assert.Equal([2.0, 0, 1], d.Y);
        Assert.Equal(15 / 255.0, d.Row(1)[5]);
        Assert.Equal(20 / 255.0, d.Row(2)[0]);
    }

    [Fact]
    public void AMissingImagesFileIsNamedAsMissingNotAsOneWithoutLabels()
    {
        // The built-in sets read their images through the same path: a program without the data folder beside it
        // was told "no labels beside it" about images that were not there either.
        string images = Path.Combine(_files.Dir, "t10k-images-idx3-ubyte.gz");
        var e = Assert.Throws<DataException>(() => IdxReader.Read(images, "mnist-test", classes: 10));
        Assert.Equal($"{images}: no such file", e.Message);
    }

    [Fact]
    public void TruncatedImagesNameTheByteWhereTheyEnd()
    {
        string images = _files.Write("t-images-idx3-ubyte", Images[..^4]); // last image loses 4 of its 6 bytes
        _files.Write("t-labels-idx1-ubyte", Labels);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte {16 + 2 * 6 + 2}:", e.Message);
        Assert.Contains("item 3 of 3", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ACutOnAnItemBoundaryIsAfterTheLastWholeItemNotInTheMiddleOfTheNext()
    {
        string images = _files.Write("t-images-idx3-ubyte", Images[..^6]); // exactly the last 6-byte image gone
        _files.Write("t-labels-idx1-ubyte", Labels);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte {16 + 2 * 6}: file ends after {16 + 2 * 6} bytes, after item 2 of 3; the file is truncated", e.Message);

        // The same cut inside gzip is found while streaming, and worded the same.
        string gz = _files.Write("z-images-idx3-ubyte.gz", TestFiles.Gzip(Images[..^6]));
        _files.Write("z-labels-idx1-ubyte.gz", TestFiles.Gzip(Labels));
        Assert.Contains("after item 2 of 3;", Assert.Throws<DataException>(() => DataSource.LoadFile(gz)).Message);
    }

    [Fact]
    public void TruncatedGzipIsReportedNotCrashed()
    {
        var big = TestFiles.IdxImages(200, 28, 28, (i, p) => (byte)((i * 31 + p * 7) % 256));
        var gz = TestFiles.Gzip(big);
        string images = _files.Write("t-images-idx3-ubyte.gz", gz[..(gz.Length / 2)]);
        _files.Write("t-labels-idx1-ubyte.gz", TestFiles.Gzip(TestFiles.IdxLabels(new byte[200])));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(images)}: byte \d+ \(decompressed\): ", e.Message);
    }

    [Fact]
    public void WrongMagicIsByteZeroOrTwo()
    {
        var bad = Images;
        bad[0] = 0x1A;
        string images = _files.Write("t-images-idx3-ubyte", bad);
        _files.Write("t-labels-idx1-ubyte", Labels);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte 0:", e.Message);

        bad = Images;
        bad[2] = 0x0D; // float elements
        File.WriteAllBytes(images, bad);
        e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte 2:", e.Message);
    }

    [Fact]
    public void LabelsFileGivenAsImagesIsRejectedAtByteThree()
    {
        string images = _files.Write("t-images-idx3-ubyte", Labels);
        _files.Write("t-labels-idx1-ubyte", Labels);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte 3:", e.Message);
    }

    [Fact]
    public void CountMismatchBetweenImagesAndLabels()
    {
        string images = _files.Write("t-images-idx3-ubyte", Images);
        string labels = _files.Write("t-labels-idx1-ubyte", TestFiles.IdxLabels(1, 0));
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.Contains("3 images", e.Message);
        Assert.Contains($"{labels} has 2 labels", e.Message);
    }

    [Fact]
    public void ExtraBytesAfterThePayloadAreAnError()
    {
        string images = _files.Write("t-images-idx3-ubyte", [.. Images, 0]);
        _files.Write("t-labels-idx1-ubyte", Labels);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.StartsWith($"{images}: byte {16 + 18}:", e.Message);
    }

    [Fact]
    public void MissingLabelsSayWhereTheyWereLookedFor()
    {
        string images = _files.Write("t-images-idx3-ubyte", Images);
        var e = Assert.Throws<DataException>(() => DataSource.LoadFile(images));
        Assert.Contains("t-labels-idx1-ubyte", e.Message);
    }

    [Fact]
    public void LabelOutOfRangeNamesItsByte()
    {
        string labels = _files.Write("l-labels-idx1-ubyte", TestFiles.IdxLabels(1, 2, 12, 3));
        var e = Assert.Throws<DataException>(() => IdxReader.ReadLabels(labels, classes: 10));
        Assert.StartsWith($"{labels}: byte 10:", e.Message);
        Assert.Contains("label 3 is 12", e.Message);
    }
}
