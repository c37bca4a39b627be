using System.Text.Json;
using Onnx;
using SymmetryLab.Data;
using SymmetryLab.Tests.Interop;

namespace SymmetryLab.Tests.Cli;

/// <summary>symlab export, import and audit on the command line.</summary>
public class OnnxCommandTests
{
    private static string Fixture(string name) => OnnxFixtureTests.Fixture(name);

    private static JsonElement Json(string output)
    {
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    private static double[] Predicted(string model, string data)
    {
        var (code, output, err) = CliTests.Run("predict", model, "--data", data, "--json");
        Assert.True(code == 0, err);
        return Json(output).GetProperty("outputs").EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
    }

    [Theory]
    [InlineData("float32", 1e-6)]
    [InlineData("float64", 1e-12)]
    public void ATrainedModelExportedRunsInOnnxRuntimeAsSymlabPredictAndImportsToTheSameBytes(string precision, double tolerance)
    {
        string dir = TestNets.TempDir();
        string run = Path.Combine(dir, "run");
        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--layers", "4,3,1", "--activation", "tanh", "--normalize", "zscore",
            "--precision", precision, "--epochs", "3", "--seed", "5", "--out", run);
        Assert.True(code == 0, err);
        string model = Path.Combine(run, "model.json"), onnx = Path.Combine(dir, "model.onnx"), back = Path.Combine(dir, "back.json");

        (code, var output, err) = CliTests.Run("export", model, "--onnx", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("seed 5", output);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx));
        var props = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("symlab-model", props["format"]);
        Assert.Equal("1", props["version"]);
        Assert.Equal(precision, props["precision"]);
        Assert.Equal("5", props["seed"]);
        Assert.Contains("xoshiro256**", props["rng"]);
        Assert.Equal(13, proto.OpsetImport.Single().Version);

        // ONNX Runtime on the data against symlab predict on the same file.
        var coffee = DataSource.Load("coffee").Train;
        var ours = Predicted(model, "coffee");
        var theirs = OnnxRuntimeCheck.Run(File.ReadAllBytes(onnx), coffee.X, coffee.Rows, precision == "float32");
        for (int i = 0; i < ours.Length; i++) Assert.True(Math.Abs(ours[i] - theirs[i]) <= tolerance, $"row {i}: {ours[i]:R} vs {theirs[i]:R}");

        (code, _, err) = CliTests.Run("import", onnx, "--out", back);
        Assert.True(code == 0, err);
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(back));
    }

    [Fact]
    public void AuditFindsExactlyThePlantedUnitsOfThePyTorchFixture()
    {
        foreach (var (name, tolerance) in new[] { ("planted", 1e-6), ("planted64", 1e-12) })
        {
            string dir = TestNets.TempDir(), merged = Path.Combine(dir, "merged.json");
            foreach (bool withData in new[] { true, false })
            {
                var args = new List<string> { "audit", Fixture(name + ".onnx"), "--json", "--merge", merged };
                if (withData) args.AddRange(["--data", Fixture("planted.csv")]);
                var (code, output, err) = CliTests.Run([.. args]);
                Assert.True(code == 0, err);
                var layers = Json(output).GetProperty("layers");
                string Groups(int l, string field) => layers[l].GetProperty(field).GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", "");
                Assert.Equal("[[2,5]]", Groups(0, "identical"));
                Assert.Equal("[[3,6]]", Groups(0, "mirrors"));
                Assert.Equal("[]", Groups(0, "dead"));
                Assert.Equal("[]", Groups(1, "identical"));
                Assert.Equal("[]", Groups(1, "mirrors"));
                Assert.Equal("[4]", Groups(1, "dead")); // certain from the weights too: z <= -10 + 6
                Assert.Equal("[]", Groups(2, "dead"));
                Assert.Equal([4, 4, 1], layers.EnumerateArray().Select(l => l.GetProperty("effective").GetInt32()));
                Assert.Equal("layer 1: 6 units, 4 effective (1 duplicate pair, 1 mirror pair)", layers[0].GetProperty("summary").GetString());
                Assert.Equal("layer 2: 5 units, 4 effective (1 dead)", layers[1].GetProperty("summary").GetString());
                Assert.Equal(withData ? JsonValueKind.Array : JsonValueKind.Null, layers[0].GetProperty("saturated").ValueKind);
                var m = Json(output).GetProperty("merged");
                Assert.Equal("[4,4,1]", m.GetProperty("units").GetRawText().Replace(" ", "").Replace("\n", "").Replace("\r", ""));
                Assert.True(m.GetProperty("maxOutputDifference").GetDouble() <= tolerance, output);
            }

            // The merged model, independently of the audit's own figure: it predicts PyTorch's recorded outputs of the original.
            var expected = OnnxFixtureTests.Recorded(name);
            string inputs = Path.Combine(dir, "inputs.csv");
            File.WriteAllLines(inputs, Enumerable.Range(0, expected.Rows).Select(r =>
                string.Join(",", expected.Inputs.Skip(r * 3).Take(3).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
            var ours = Predicted(merged, inputs);
            for (int i = 0; i < ours.Length; i++)
                Assert.True(Math.Abs(ours[i] - expected.Outputs[i]) <= tolerance, $"{name} row {i}: merged {ours[i]:R}, PyTorch {expected.Outputs[i]:R}");
            var (again, text, err2) = CliTests.Run("audit", merged, "--data", Fixture("planted.csv"));
            Assert.True(again == 0, err2);
            Assert.Contains("layer 1: 4 units, 4 effective\n", text);
            Assert.Contains("layer 2: 4 units, 4 effective\n", text);
            Assert.Contains("\"producer\": \"pytorch\"", File.ReadAllText(merged));
        }
    }

    [Fact]
    public void AuditPrintsTheSentencesAndTheMergedFigure()
    {
        string dir = TestNets.TempDir(), merged = Path.Combine(dir, "small.onnx");
        var (code, output, err) = CliTests.Run("audit", Fixture("planted.onnx"), "--data", Fixture("planted.csv"), "--merge", merged);
        Assert.True(code == 0, err);
        Assert.Contains("layer 1: 6 units, 4 effective (1 duplicate pair, 1 mirror pair)", output);
        Assert.Contains("layer 3: 1 unit, the outputs (kept as they are)", output);
        Assert.Contains($"merged: network 3-4-4-1 written to {merged}; largest output difference", output);
        Assert.Contains("planted (300 rows)", output);
        // --merge to a .onnx name writes ONNX, which imports to the merged network.
        Assert.Equal("3-4-4-1", SymmetryLab.Interop.OnnxImport.Load(merged).Network.Shape);
    }

    [Fact]
    public void ImportedFixturesPredictOnTheCommandLine()
    {
        string dir = TestNets.TempDir(), model = Path.Combine(dir, "m.json");
        var (code, output, err) = CliTests.Run("import", Fixture("matmul_add.onnx"), "--out", model);
        Assert.True(code == 0, err);
        Assert.Contains("(pytorch 1.13.0)", output);
        Assert.Contains("network 5-6-2 (leaky_relu, linear), float32", output);
        var text = File.ReadAllText(model);
        Assert.Contains("\"meta\": { \"producer\": \"pytorch\", \"producerVersion\": \"1.13.0\" }", text);
    }

    [Theory]
    [InlineData("export", "--onnx")]
    [InlineData("import", "--out")]
    [InlineData("audit", "--merge")]
    public void AFolderAsTheOutputExitsTwoNamingTheFlag(string command, string flag)
    {
        string dir = TestNets.TempDir();
        string input = command == "export" ? Path.Combine(dir, "m.json") : Fixture("planted.onnx");
        if (command == "export") File.WriteAllText(input, SymmetryLab.Serialization.ModelFile.Write(TestNets.Random<double>(2, [(1, SymmetryLab.Engine.Activations.Activation.Sigmoid)])));
        var (code, _, err) = CliTests.Run(command, input, flag, dir);
        Assert.Equal(2, code);
        Assert.Contains(flag, err);
        Assert.Contains("folder", err);
    }

    [Fact]
    public void AuditRefusesBadFlagsAndMismatchedData()
    {
        var (code, _, err) = CliTests.Run("audit", Fixture("planted.onnx"), "--tol", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--tol", err);
        (code, _, err) = CliTests.Run("audit", Fixture("planted.onnx"), "--data", "coffee");
        Assert.Equal(2, code);
        Assert.Contains("3 inputs", err);
        (code, _, err) = CliTests.Run("import", Fixture("planted.onnx"));
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
        (code, _, err) = CliTests.Run("import", "no-such.onnx", "--out", Path.Combine(TestNets.TempDir(), "x.json"));
        Assert.Equal(2, code);
        Assert.Contains("no-such.onnx", err);
    }
}
