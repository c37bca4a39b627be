using System.Diagnostics;
using System.Text.Json;
using SymmetryLab.Tests.Data;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// Issue 16's findings, each as the hostile user tried it: output paths that are not regular files,
/// crashes with traces, a hang on a pipe, labels without class 0, a truncated gzip, and exit codes and
/// messages that were wrong. Every case: the right exit code, a message naming the culprit, nothing
/// replaced or half-written.
/// </summary>
public sealed class HardeningTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private string Fifo(string name)
    {
        string path = _files.Path(name);
        using var mkfifo = Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        return path;
    }

    private static bool IsFifo(string path) => SymmetryLab.Serialization.FileKinds.Of(path) == SymmetryLab.Serialization.FileKind.Pipe;

    private string CoffeeModel()
    {
        string dir = _files.Path("coffee-run");
        var (code, _, err) = Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "2", "--out", dir);
        Assert.True(code == 0, err);
        return Path.Combine(dir, "model.json");
    }

    private string IrisModel()
    {
        string dir = _files.Path("iris-run");
        var (code, _, err) = Run("train", "--data", "iris", "--layers", "8,3", "--normalize", "zscore", "--epochs", "5", "--out", dir);
        Assert.True(code == 0, err);
        return Path.Combine(dir, "model.json");
    }

    // 1. --png replaced what was at the path.

    [Fact]
    public void PngThroughASymlinkWritesItsTargetAndKeepsTheLink()
    {
        string target = _files.WriteText("target.png", "old");
        string link = _files.Path("link.png");
        File.CreateSymbolicLink(link, target);
        var (code, _, err) = Run("data", "show", "digits01", "--png", link);
        Assert.True(code == 0, err);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal(0x89, File.ReadAllBytes(target)[0]); // a PNG now
        string dangling = _files.Path("dangling.png");
        File.CreateSymbolicLink(dangling, _files.Path("made-by-symlab.png"));
        Assert.Equal(0, Run("data", "show", "digits01", "--png", dangling).Code);
        Assert.True(File.Exists(_files.Path("made-by-symlab.png")));
        Assert.NotNull(new FileInfo(dangling).LinkTarget);
    }

    [Fact]
    public void PngOnAPipeOrAFolderIsRefusedAndLeftAsItWas()
    {
        if (!OperatingSystem.IsLinux()) return;
        string fifo = Fifo("pipe.png");
        var (code, _, err) = Run("data", "show", "digits01", "--png", fifo);
        Assert.Equal(2, code);
        Assert.Contains("pipe.png", err);
        Assert.Contains("named pipe", err);
        Assert.True(IsFifo(fifo));
        var (dir, _, dirErr) = Run("data", "show", "digits01", "--png", _files.Dir);
        Assert.Equal(2, dir);
        Assert.Contains("folder", dirErr);
        string file = _files.WriteText("plain", "x");
        var (inside, _, insideErr) = Run("data", "show", "digits01", "--png", Path.Combine(file, "a.png"));
        Assert.Equal(2, inside);
        Assert.Contains("plain", insideErr);
        Assert.Empty(Directory.GetFiles(_files.Dir, ".symlab-*"));
    }

    [Fact]
    public void APngNameAtTheFileSystemsLimitIsWritten()
    {
        string name = new string('a', 251) + ".png";
        var (code, _, err) = Run("data", "show", "digits01", "--png", _files.Path(name));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(_files.Path(name)));
        var (tooLong, _, tooLongErr) = Run("data", "show", "digits01", "--png", _files.Path("b" + name));
        Assert.Equal(2, tooLong);
        Assert.Contains("255", tooLongErr);
    }

    // 2. Crashes with traces.

    [Fact]
    public void AnIdxSetOfNoImagesIsRefusedEverywhere()
    {
        _files.Write("none-labels-idx1-ubyte", TestFiles.IdxLabels());
        string images = _files.Write("none-images-idx3-ubyte", TestFiles.IdxImages(0, 28, 28, (_, _) => 0));
        foreach (var args in new[]
        {
            new[] { "data", "show", images },
            ["inspect", CoffeeModel(), "--data", images],
            ["train", "--data", images, "--epochs", "1", "--out", _files.Path("none-run")],
        })
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 2, $"{string.Join(" ", args)}: exit {code}: {err}");
            Assert.Contains("none-images-idx3-ubyte", err);
            Assert.Contains("no images", err);
        }
        Assert.False(Directory.Exists(_files.Path("none-run")));
    }

    [Theory]
    [InlineData("circles")]
    [InlineData("moons")]
    [InlineData("xor")]
    [InlineData("spirals")]
    [InlineData("blobs")]
    [InlineData("plane")]
    public void AGeneratorAskedForBillionsOfRowsSaysSo(string generator)
    {
        var (code, _, err) = Run("train", "--data", $"{generator}:n=2147483647", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains($"{generator}:n=2147483647", err);
        Assert.Contains("limit", err);
    }

    [Fact]
    public void AHundredThousandClassesAreRefusedWithTheLimit()
    {
        var lines = new List<string> { "x,y" };
        for (int i = 0; i <= 100_000; i++) lines.Add($"{i % 7},{i}");
        string csv = _files.WriteText("classes.csv", string.Join("\n", lines) + "\n");
        foreach (var layers in new[] { "2,100001", null })
        {
            var (code, _, err) = Run(["train", "--data", csv, "--epochs", "1", .. layers is null ? Array.Empty<string>() : ["--layers", layers]]);
            Assert.True(code == 2, $"exit {code}: {err}");
            Assert.Contains("classes.csv", err);
        }
    }

    [Fact]
    public async Task BinaryFilesThatArePipesAreReadAsTheyCome()
    {
        if (!OperatingSystem.IsLinux()) return;
        _files.Write("p-labels-idx1-ubyte", TestFiles.IdxLabels(1, 0));
        string images = Fifo("p-images-idx3-ubyte");
        var bytes = TestFiles.IdxImages(2, 2, 2, (i, p) => (byte)(i * 10 + p));
        var writer = Task.Run(() => File.WriteAllBytes(images, bytes));
        var (code, output, err) = Run("data", "show", images, "--json");
        await writer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, err);
        Assert.Contains("\"rows\": 2", output);

        string y = _files.Write("y.npy", TestFiles.Npy("<f8", "(2,)", TestFiles.Float64(0, 1)));
        string x = Fifo("X.npy");
        var npy = TestFiles.Npy("<f8", "(2, 2)", TestFiles.Float64(1, 2, 3, 4));
        writer = Task.Run(() => File.WriteAllBytes(x, npy));
        (code, _, err) = Run("data", "show", x);
        await writer.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(y));
    }

    [Fact]
    public void AbsurdThreadCountsAreRefused()
    {
        var (code, _, err) = Run("train", "--data", "coffee", "--threads", "1000000", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("--threads", err);
    }

    // 3. A hang.

    [Fact]
    public async Task PredictReadsAPipeOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = CoffeeModel();
        string fifo = Fifo("rows.csv");
        var writer = Task.Run(() => File.WriteAllText(fifo, "temperature,duration,y\n200,13.5,1\n180,12,0\n"));
        var run = Task.Run(() => Run("predict", model, "--data", fifo, "--json"));
        var (code, output, err) = await run.WaitAsync(TimeSpan.FromSeconds(30));
        await writer;
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("outputs").GetArrayLength());
    }

    // 5. Labels without class 0.

    [Fact]
    public void ClassLabelsWithoutClassZeroFeedAManyOutputModel()
    {
        string model = IrisModel();
        var (code, _, err) = Run("explain", model, "--data", "iris", "--weight", "W1:1:1", "--sample", "51");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(Path.Combine(SymmetryLab.Data.Catalog.DataDirectory, SymmetryLab.Data.BuiltInSets.IrisFile));
        string csv = _files.WriteText("iris51.csv", "a,b,c,d,species\n" + string.Join("\n", lines[51..]) + "\n");
        foreach (var args in new[]
        {
            new[] { "predict", model, "--data", csv },
            ["gradcheck", model, "--data", csv],
            ["train", "--data", "iris", "--layers", "8,3", "--epochs", "2", "--test", csv],
        })
        {
            (code, _, err) = Run(args);
            Assert.True(code == 0, $"{string.Join(" ", args)}: exit {code}: {err}");
        }
        // A label the outputs cannot hold is still refused, naming the row.
        string bad = _files.WriteText("iris-bad.csv", "a,b,c,d,species\n5,3,1,0.2,3\n");
        (code, _, err) = Run("predict", model, "--data", bad);
        Assert.Equal(2, code);
        Assert.Contains("class 3", err);
    }

    // 7. A truncated .csv.gz.

    [Fact]
    public void AGzipCutAtAFlushBoundaryIsTruncated()
    {
        var text = "a,b,y\n" + string.Concat(Enumerable.Range(0, 20000).Select(i => $"{i % 13},{i * 7 % 5},{i % 2}\n"));
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(bytes, 0, bytes.Length / 2);
            gz.Flush(); // a sync flush: the deflate data so far ends on a block boundary
            long cut = ms.Length;
            gz.Write(bytes, bytes.Length / 2, bytes.Length - bytes.Length / 2);
            gz.Flush();
            string path = _files.Write("cut.csv.gz", ms.ToArray()[..(int)cut]);
            var (code, _, err) = Run("data", "show", path);
            Assert.Equal(2, code);
            Assert.Contains("cut.csv.gz", err);
            Assert.Contains("truncated", err);
        }
        string whole = _files.Write("whole.csv.gz", TestFiles.Gzip(bytes));
        Assert.Equal(0, Run("data", "show", whole).Code);
    }

    // 8. Exit codes and messages.

    [Fact]
    public void OutputFoldersThatAreNotFoldersExitTwo()
    {
        string file = _files.WriteText("afile", "x");
        var (code, _, err) = Run("sweep", "--data", "coffee", "--seeds", "1..2", "--epochs", "1", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains("afile", err);
        (code, _, err) = Run("train", "--data", "coffee", "--epochs", "1", "--out", "");
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
        Assert.DoesNotContain("Parameter", err);
        string dangling = _files.Path("dangling-dir");
        File.CreateSymbolicLink(dangling, _files.Path("made-dir"));
        (code, _, err) = Run("train", "--data", "coffee", "--epochs", "1", "--out", dangling);
        Assert.True(code == 0, err); // a link to a folder yet to be made: the folder is made, the link stays
        Assert.True(File.Exists(_files.Path("made-dir/model.json")));
    }

    [Fact]
    public void DanglingAndLoopingLinksAsDataExitTwo()
    {
        string dangling = _files.Path("dangling.csv");
        File.CreateSymbolicLink(dangling, _files.Path("nowhere.csv"));
        string loop = _files.Path("loop.csv");
        File.CreateSymbolicLink(loop, loop);
        foreach (var data in new[] { dangling, loop })
        {
            var (code, _, err) = Run("train", "--data", data, "--epochs", "1");
            Assert.True(code == 2, $"{data}: exit {code}: {err}");
            Assert.Contains(Path.GetFileName(data), err);
        }
    }

    [Fact]
    public void AFolderGivenAsAModelExitsTwoEverywhere()
    {
        foreach (var args in new[] { new[] { "predict", _files.Dir, "--input", "1,2" }, ["inspect", _files.Dir], ["train", "--data", "coffee", "--model", _files.Dir, "--epochs", "1"] })
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 2, $"{args[0]}: exit {code}: {err}");
            Assert.Contains("folder", err);
        }
    }

    [Theory]
    [InlineData("--epochs", "2147483647")]
    [InlineData("--layers", "1000000000,1")]
    [InlineData("--layers", "100000,100000,1")]
    public void HugeSettingsExitTwoNamingTheFlag(string flag, string value)
    {
        var (code, _, err) = Run("train", "--data", "coffee", flag, value, "--epochs", flag == "--epochs" ? value : "1");
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains(flag, err);
    }

    [Fact]
    public void AOneDimensionalXNpyIsNamedAsSuch()
    {
        _files.Write("y.npy", TestFiles.Npy("<f8", "(3,)", TestFiles.Float64(0, 1, 1)));
        string x = _files.Write("X.npy", TestFiles.Npy("<f8", "(3,)", TestFiles.Float64(1, 2, 3)));
        var (code, _, err) = Run("predict", CoffeeModel(), "--data", x);
        Assert.Equal(2, code);
        Assert.Contains("X.npy", err);
        Assert.Contains("1-dimensional", err);
    }

    [Fact]
    public void ACorruptGzipSaysCorruptNotEmpty()
    {
        var gz = TestFiles.Gzip(System.Text.Encoding.ASCII.GetBytes("a,b,y\n1,2,0\n3,4,1\n"));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0x5a;
        string path = _files.Write("corrupt.csv.gz", gz);
        var (code, _, err) = Run("data", "show", path);
        Assert.Equal(2, code);
        Assert.Contains("corrupt.csv.gz", err);
        Assert.DoesNotContain("no data rows", err);
    }

    [Fact]
    public void AHugeValueInTheDataIsNamedBeforeTraining()
    {
        string csv = _files.WriteText("huge.csv", "a,b,y\n1e308,1,0\n2,3,1\n");
        var (code, _, err) = Run("train", "--data", csv, "--epochs", "2");
        Assert.Equal(2, code);
        Assert.Contains("huge.csv", err);
        Assert.DoesNotContain("--lr", err);
    }

    [Fact]
    public void AFloat32ModelWithAValueBeyondFloat32IsRefusedByEveryCommand()
    {
        string model = CoffeeModel();
        var json = File.ReadAllText(model);
        using var doc = JsonDocument.Parse(json);
        string first = doc.RootElement.GetProperty("layers")[0].GetProperty("weights")[0][0].GetRawText();
        string big = _files.WriteText("big.json", json.Replace(first, "1e39"));
        foreach (var args in new[] { new[] { "inspect", big }, ["predict", big, "--input", "200,13"] })
        {
            var (code, _, err) = Run(args);
            Assert.True(code == 2, $"{args[0]}: exit {code}: {err}");
            Assert.Contains("float32", err);
        }
    }

    [Fact]
    public void ANormalizationStdThatOverflowsIsRefused()
    {
        string model = CoffeeModel();
        var json = File.ReadAllText(model);
        using var doc = JsonDocument.Parse(json);
        string std = doc.RootElement.GetProperty("normalization").GetProperty("std")[0].GetRawText();
        string tiny = _files.WriteText("tiny.json", json.Replace($"\"std\": [{std}", "\"std\": [1e-308"));
        var (code, _, err) = Run("predict", tiny, "--input", "200,13");
        Assert.Equal(2, code);
        Assert.Contains("normalization.std[0]", err);
    }

    [Fact]
    public async Task AModelFileThatCanBeReadOnlyOnceIsReadOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = CoffeeModel();
        foreach (var args in new Func<string, string[]>[] { p => ["predict", p, "--input", "200,13"], p => ["train", "--data", "coffee", "--model", p, "--epochs", "1"] })
        {
            string fifo = Fifo($"model-{Guid.NewGuid():N}.json");
            var writer = Task.Run(() => File.WriteAllText(fifo, File.ReadAllText(model)));
            var (code, _, err) = await Task.Run(() => Run(args(fifo))).WaitAsync(TimeSpan.FromSeconds(30));
            await writer.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(code == 0, err);
        }
    }

    // 9. gradcheck at a kink.

    [Fact]
    public void GradcheckLeavesOutParametersWhoseStepCrossesAKink()
    {
        // Unit 1 of layer 2 sits at z = 1e-5 on row 1: a step of 1e-4 in W2[1,1], b2[1] or W1[1,1] moves it across 0.
        string model = _files.WriteText("kink.json", """
            {"format":"symlab-model","version":1,"precision":"float64","inputs":2,"layers":[
              {"activation":"leaky_relu","weights":[[1,0],[0,1],[1,1]],"biases":[0,0,0]},
              {"activation":"leaky_relu","weights":[[1,0,0],[0,1,0],[0,0,1]],"biases":[-0.99999,0,0]},
              {"activation":"sigmoid","weights":[[1,1,1]],"biases":[0]}]}
            """);
        string csv = _files.WriteText("kink.csv", "a,b,y\n1,0.5,1\n0.2,0.3,0\n");
        var (code, output, err) = Run("gradcheck", model, "--data", csv, "--json");
        Assert.True(code == 0, output + err);
        using var doc = JsonDocument.Parse(output);
        var kinks = doc.RootElement.GetProperty("atKinks").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("W2[1,1]", kinks);
        Assert.Contains("b2[1]", kinks);
        Assert.DoesNotContain("W3[1,2]", kinks);
        Assert.True(doc.RootElement.GetProperty("maxRelativeError").GetDouble() < 1e-5);
        (code, output, _) = Run("gradcheck", model, "--data", csv);
        Assert.Contains("kink", output);
    }
}
