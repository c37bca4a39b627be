using System.Text;
using SymmetryLab.Numerics;
using SymmetryLab.Tests.Cli;
using SymmetryLab.Tests.Runs;

namespace SymmetryLab.Tests.Data;

/// <summary>
/// A mutation corpus for every reader: valid seed files (CSV, IDX, NPY, model.json, ONNX) changed at random
/// with a fixed seed (bytes flipped, inserted, deleted, duplicated, cut short, numbers made huge or odd)
/// into 500 inputs per reader. Each runs through the command line in process and must exit 0 or 2
/// (never 1 nor a crash), within a time bound, with a message naming the file when it is 2, and leave
/// nothing in --out; a sample runs in child processes for the real exit code and a bound on peak memory.
/// </summary>
public sealed class MutationCorpusTests : IDisposable
{
    private const int InputsPerReader = 500;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A reader under attack: its seed file's name and bytes, companion files, and the command that reads the file at PATH.</summary>
    public sealed record Reader(string Name, string FileName, byte[] Seed, (string Name, byte[] Bytes)[] Beside, Func<string, string[]> Command);

    public static IEnumerable<Reader> Readers()
    {
        var csv = Encoding.ASCII.GetBytes("temp,dur,y\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{180 + i % 50}.5,{12 + i % 4}.25,{i % 2}\n")));
        yield return new("csv", "data.csv", csv, [], p => ["data", "show", p]);
        yield return new("csv.gz", "data.csv.gz", TestFiles.Gzip(csv), [], p => ["data", "show", p]);
        var images = TestFiles.IdxImages(6, 4, 4, (i, p) => (byte)(i * 37 + p * 11));
        yield return new("idx", "m-images-idx3-ubyte", images, [("m-labels-idx1-ubyte", TestFiles.IdxLabels(0, 1, 2, 0, 1, 2))], p => ["data", "show", p]);
        var x = TestFiles.Npy("<f8", "(5, 3)", TestFiles.Float64([.. Enumerable.Range(0, 15).Select(i => i * 0.5)]));
        yield return new("npy", "X.npy", x, [("y.npy", TestFiles.Npy("|u1", "(5,)", [0, 1, 0, 1, 1]))], p => ["data", "show", p]);
        var model = Encoding.ASCII.GetBytes("""
            {
              "format": "symlab-model",
              "version": 1,
              "precision": "float32",
              "inputs": 2,
              "normalization": { "mean": [200.5, 13.25], "std": [40.125, 0.875] },
              "layers": [
                { "activation": "tanh", "weights": [[0.25, -0.5], [0.125, 0.75], [-1.5, 2]], "biases": [0, 0.5, -0.25] },
                { "activation": "sigmoid", "weights": [[1, -1, 0.5]], "biases": [0.125] }
              ]
            }
            """);
        yield return new("model.json", "model.json", model, [], p => ["inspect", p]);
        // PyTorch's x.view(x.size(0), -1) export: the richest graph the importer reads (Shape, Gather, Unsqueeze, Concat, Reshape, Gemm).
        yield return new("onnx", "model.onnx", File.ReadAllBytes(Interop.OnnxFixtureTests.Fixture("view.onnx")), [], p => ["audit", p]);
    }

    public static IEnumerable<object[]> ReaderNames => Readers().Select(r => new object[] { r.Name });

    /// <summary>One mutation of <paramref name="seed"/>: one to three edits, chosen by <paramref name="rng"/>.</summary>
    public static byte[] Mutate(byte[] seed, Rng rng)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.NextInt(3);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rng.NextInt(b.Count);
            switch (rng.NextInt(9))
            {
                case 0: b[at] ^= (byte)(1 << rng.NextInt(8)); break;                       // a bit flipped
                case 1: b[at] = (byte)rng.NextInt(256); break;                              // a byte replaced
                case 2: b.RemoveRange(at, Math.Min(b.Count - at, 1 + rng.NextInt(8))); break; // bytes deleted
                case 3: b.InsertRange(at, Enumerable.Range(0, 1 + rng.NextInt(8)).Select(_ => (byte)rng.NextInt(256))); break;
                case 4: b.RemoveRange(at, b.Count - at); break;                             // cut short
                case 5: b.InsertRange(at, b.GetRange(at, Math.Min(b.Count - at, 1 + rng.NextInt(64)))); break; // duplicated
                case 6: b.InsertRange(at, Encoding.ASCII.GetBytes(new[] { "1e308", "-0", "NaN", "1e39", "99999999999", ",", "\n", "\"", "{", "]" }[rng.NextInt(10)])); break;
                case 7: b[at] = (byte)(b[at] is >= (byte)'0' and <= (byte)'9' ? '9' : 0xFF); break; // a digit or size grown
                default: b.AddRange(Enumerable.Repeat((byte)rng.NextInt(256), 1 + rng.NextInt(32))); break; // junk after the end
            }
        }
        return [.. b];
    }

    [Theory]
    [MemberData(nameof(ReaderNames))]
    public async Task EveryMutationExitsZeroOrTwoNamingTheFile(string name)
    {
        var reader = Readers().Single(r => r.Name == name);
        var rng = Rng.Stream(16, RngStream.Generator);
        string dir = _files.Path(name);
        Directory.CreateDirectory(dir);
        foreach (var (file, bytes) in reader.Beside) File.WriteAllBytes(Path.Combine(dir, file), bytes);
        string path = Path.Combine(dir, reader.FileName);
        int refused = 0;
        for (int i = 0; i < InputsPerReader; i++)
        {
            var input = Mutate(reader.Seed, rng);
            File.WriteAllBytes(path, input);
            var args = reader.Command(path);
            var run = Task.Run(() => CliTests.Run(args));
            var finished = await Task.WhenAny(run, Task.Delay(Bound));
            Assert.True(finished == run, $"{name} input {i}: no answer within {Bound.TotalSeconds} s");
            var (code, _, err) = await run;
            Assert.True(code is 0 or 2, $"{name} input {i}: exit {code}: {err}\n{Convert.ToBase64String(input)}");
            if (code == 2)
            {
                refused++;
                Assert.True(err.Contains(reader.FileName) || err.Contains("labels-idx1") || err.Contains("y.npy"), $"{name} input {i}: the message does not name the file: {err}");
            }
        }
        Assert.True(refused > InputsPerReader / 5, $"{name}: only {refused} of {InputsPerReader} mutations refused; the mutations are too gentle");
    }

    /// <summary>Training on a refused input writes nothing into --out; one that reads trains a whole folder.</summary>
    [Theory]
    [MemberData(nameof(ReaderNames))]
    public void TrainingOnMutationsLeavesNothingHalfWritten(string name)
    {
        var reader = Readers().Single(r => r.Name == name);
        if (name is "model.json" or "onnx") return; // a model is not training data (--model is covered by the model corpus above)
        var rng = Rng.Stream(17, RngStream.Generator);
        string dir = _files.Path($"train-{name}");
        Directory.CreateDirectory(dir);
        foreach (var (file, bytes) in reader.Beside) File.WriteAllBytes(Path.Combine(dir, file), bytes);
        string path = Path.Combine(dir, reader.FileName);
        for (int i = 0; i < 25; i++)
        {
            File.WriteAllBytes(path, Mutate(reader.Seed, rng));
            string outDir = Path.Combine(_files.Dir, $"out-{name}-{i}");
            var (code, _, err) = CliTests.Run("train", "--data", path, "--layers", "2,1", "--loss", "mse", "--output-activation", "linear", "--epochs", "1", "--out", outDir);
            Assert.True(code is 0 or 2 or 3, $"{name} input {i}: exit {code}: {err}");
            if (code == 0) Assert.Equal(RunFolderFiles.WithoutTrajectory, Directory.GetFiles(outDir).Select(Path.GetFileName).Order().ToArray());
            else Assert.False(Directory.Exists(outDir), $"{name} input {i}: exit {code} left {outDir}");
        }
        Assert.Empty(Directory.GetFileSystemEntries(_files.Dir, ".symlab-*"));
    }

    /// <summary>A sample of the corpus in child processes: the real exit code (a crash would be 134) and peak memory.</summary>
    [Fact]
    public void ASampleInChildProcessesExitsZeroOrTwoWithinBoundedMemory()
    {
        var rng = Rng.Stream(18, RngStream.Generator);
        foreach (var reader in Readers())
        {
            string dir = _files.Path($"child-{reader.Name}");
            Directory.CreateDirectory(dir);
            foreach (var (file, bytes) in reader.Beside) File.WriteAllBytes(Path.Combine(dir, file), bytes);
            string path = Path.Combine(dir, reader.FileName);
            File.WriteAllBytes(path, Mutate(reader.Seed, rng));
            var result = SymlabProcess.Run(reader.Command(path), timeout: TimeSpan.FromSeconds(60));
            Assert.False(result.TimedOut, $"{reader.Name}: still running after 60 s");
            Assert.True(result.Code is 0 or 2, $"{reader.Name}: exit {result.Code}: {result.Err}");
            if (result.PeakKb > 0) Assert.True(result.PeakKb < 400_000, $"{reader.Name}: peak {result.PeakKb} KB");
        }
        // A header that claims the most items a file can name, in a file of a few bytes: refused up front.
        string huge = _files.Write("h-images-idx3-ubyte", [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3, 4]);
        _files.Write("h-labels-idx1-ubyte", [0, 0, 8, 1, 0x7f, 0xff, 0xff, 0xff]);
        var big = SymlabProcess.Run(["data", "show", huge], timeout: TimeSpan.FromSeconds(60));
        Assert.Equal(2, big.Code);
        Assert.Contains("truncated", big.Err);
        if (big.PeakKb > 0) Assert.True(big.PeakKb < 200_000, $"peak {big.PeakKb} KB");
    }
}
