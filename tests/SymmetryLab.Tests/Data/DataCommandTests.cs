using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using SymmetryLab.Cli;

namespace SymmetryLab.Tests.Data;

/// <summary><c>symlab data list/show</c> and bad data through the command line: SPEC JSON, PNG bytes, exit code 2.</summary>
public sealed class DataCommandTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SymlabCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void ListJsonHasTheSpecFieldsForEverySet()
    {
        var (code, output, _) = Run("data", "list", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var sets = doc.RootElement.GetProperty("datasets").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        foreach (var name in new[] { "coffee", "circles-dls", "digits01", "mnist-test", "fashion-test", "optdigits", "iris" })
            Assert.True(sets.ContainsKey(name), name);
        var d = sets["digits01"];
        Assert.Equal((1000, 400, 2), (d.GetProperty("rows").GetInt32(), d.GetProperty("features").GetInt32(), d.GetProperty("classes").GetInt32()));
        Assert.False(string.IsNullOrEmpty(d.GetProperty("source").GetString()));
    }

    [Fact]
    public void ListTextDocumentsTheGeneratorSyntax()
    {
        var (code, output, _) = Run("data", "list");
        Assert.Equal(0, code);
        Assert.Contains("circles:n=300,noise=0.05,factor=0.5", output);
        Assert.Contains("spirals", output);
    }

    [Fact]
    public void ShowWritesAValidGrayscalePngGrid()
    {
        string png = _files.Path("grid.png");
        var (code, _, err) = Run("data", "show", "digits01", "--index", "501", "--count", "4", "--png", png, "--scale", "2");
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10], bytes[..8]);
        // IHDR: 2x2 grid of 40x40 cells with a 1-pixel gap = 81 x 81, 8-bit grayscale.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(81, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(81, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal((8, 0), (bytes[24], bytes[25]));
        // The image data inflate to 81 rows of a filter byte plus 81 pixels.
        int idatLength = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(33));
        Assert.Equal("IDAT", System.Text.Encoding.ASCII.GetString(bytes, 37, 4));
        using var z = new ZLibStream(new MemoryStream(bytes, 41, idatLength), CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(81 * 82, raw.Length);
        Assert.Contains(raw.ToArray(), b => b == 255); // ink of the ones
    }

    [Fact]
    public void ShowJsonGivesClassCounts()
    {
        var (code, output, _) = Run("data", "show", "iris", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal([50, 50, 50], doc.RootElement.GetProperty("classCounts").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void PngOfANonImageSetIsUsageError()
    {
        // Images are drawn as images and two features as a scatter plot; iris's four features are neither.
        string png = _files.Path("iris.png");
        var (code, _, err) = Run("data", "show", "iris", "--png", png);
        Assert.Equal(2, code);
        Assert.Contains("neither images nor points", err);
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void PngThatIsAFolderIsUsageError()
    {
        string folder = _files.Path("images");
        Directory.CreateDirectory(folder);
        var (code, _, err) = Run("data", "show", "digits01", "--png", folder);
        Assert.Equal(2, code);
        Assert.Contains($"--png {folder}", err);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void CorruptIdxGivenToTrainExitsTwoNamingFileAndByte()
    {
        var images = TestFiles.IdxImages(2, 2, 2, (i, p) => 1);
        string path = _files.Write("x-images-idx3-ubyte", images[..^1]);
        _files.Write("x-labels-idx1-ubyte", TestFiles.IdxLabels(0, 1));
        string outDir = _files.Path("run");
        var (code, _, err) = Run("train", "--data", path, "--epochs", "1", "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains($"{path}: byte 23:", err);
        Assert.False(File.Exists(Path.Combine(outDir, "model.json")));
    }

    [Fact]
    public void BadGeneratorParameterExitsTwo()
    {
        var (code, _, err) = Run("train", "--data", "circles:noise=lots", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("noise", err);
    }

    [Fact]
    public void GeneratorTrainsFromTheCommandLine()
    {
        var (code, output, err) = Run("train", "--data", "xor:n=40", "--layers", "4,1", "--epochs", "2", "--threads", "1", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("epochs").GetInt32());
    }
}
