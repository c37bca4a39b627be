using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Serialization;

/// <summary>
/// The run and sweep files read back through their records: every bit of a part's line comes back, and a
/// line, layout or symmetry.json with a field missing, null or of the wrong kind is refused with a
/// message naming the file and the field.
/// </summary>
public class RunJsonReadingTests
{
    [Theory]
    [InlineData("float32")]
    [InlineData("float64")]
    public void A_part_line_reads_back_to_the_same_bits(string precision)
    {
        double[] parameters = precision == "float32"
            ? [-0.0, float.Epsilon, float.MaxValue, 0.1f, 1f / 3, -16777216]
            : [-0.0, double.Epsilon, double.MaxValue, 0.1 + 0.2, 1.0 / 3, -1e300];
        var record = new SweepRecord(ulong.MaxValue, 0.25, null, 1e-300, 0.5, [2, 1], [null, 17], parameters);
        var back = SweepRecord.Parse(record.ToJsonLine(precision), "part-000001.jsonl, line 1", precision, parameters.Length, 2);
        Assert.Equal(record.Seed, back.Seed);
        Assert.Equal((record.Loss, record.Accuracy, record.TestLoss, record.TestAccuracy), (back.Loss, back.Accuracy, back.TestLoss, back.TestAccuracy));
        Assert.Equal(record.DistinctAtStart, back.DistinctAtStart);
        Assert.Equal(record.BrokeAtStep, back.BrokeAtStep);
        Assert.Equal(parameters.Select(BitConverter.DoubleToInt64Bits), back.Parameters.Select(BitConverter.DoubleToInt64Bits));
        var diverged = SweepRecord.Parse(SweepRecord.Divergence(7, "epoch 3, layer 2: \u00e9").ToJsonLine(precision), "x", precision, parameters.Length, 2);
        Assert.Equal((7UL, "epoch 3, layer 2: \u00e9"), (diverged.Seed, diverged.Diverged));
    }

    [Theory]
    [InlineData("""{"loss":1,"accuracy":null,"testLoss":null,"testAccuracy":null,"distinct":[1],"broke":[null],"parameters":[1,2]}""", "'seed'")]
    [InlineData("""{"seed":1,"loss":1,"accuracy":null,"testLoss":null,"testAccuracy":null,"distinct":[1],"broke":[null],"parameters":[1]}""", "1 parameters, expected 2")]
    [InlineData("""{"seed":1,"loss":1,"accuracy":null,"testLoss":null,"testAccuracy":null,"distinct":[1,1],"broke":[null],"parameters":[1,2]}""", "layers in 'broke' and 'distinct', expected 1")]
    [InlineData("""{"seed":1,"loss":1,"accuracy":null,"testLoss":null,"testAccuracy":null,"distinct":[null],"broke":[null],"parameters":[1,2]}""", "$.distinct[0]")]
    [InlineData("""{"seed":1,"loss":"x","accuracy":null,"testLoss":null,"testAccuracy":null,"distinct":[1],"broke":[null],"parameters":[1,2]}""", "$.loss")]
    [InlineData("""{"seed":1,"accuracy":null,"distinct":[1],"broke":[null],"parameters":[1,2]}""", "no loss")]
    [InlineData("""{"seed":1,"diverged":null}""", "no loss")]
    [InlineData("""{"seed":1,""", "not a sweep record")]
    public void A_bad_part_line_is_refused_naming_the_line_and_the_field(string line, string expected)
    {
        var e = Assert.Throws<DataException>(() => SweepRecord.Parse(line, "parts/part-000002.jsonl, line 5", "float64", 2, 1));
        Assert.StartsWith("parts/part-000002.jsonl, line 5: not a sweep record (", e.Message);
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_layout_reads_back_and_a_bad_one_is_refused_naming_the_field()
    {
        string good = """{"inputs":2,"layers":[{"units":3,"activation":"tanh"},{"units":1,"activation":"sigmoid"}],"precision":"float32","target":"y","normalization":{"mean":[1,2],"std":[3,4]}}""";
        var layout = SweepLayout.Read(JsonDocument.Parse(good).RootElement, "sweep.json");
        Assert.Equal((2, "float32", "y"), (layout.Inputs, layout.Precision, layout.Target));
        Assert.Equal(new[] { (3, Activation.Tanh), (1, Activation.Sigmoid) }, layout.Layers);
        Assert.Equal(new[] { 1.0, 2.0 }, layout.Normalization!.Mean);
        foreach (var (bad, field) in new[] { (good.Replace("\"inputs\":2,", ""), "'inputs'"), (good.Replace("\"target\":\"y\"", "\"target\":null"), "target"), (good.Replace("\"units\":3", "\"units\":\"3\""), "$.layers[0].units") })
        {
            var e = Assert.Throws<DataException>(() => SweepLayout.Read(JsonDocument.Parse(bad).RootElement, "shard1/sweep.json"));
            Assert.StartsWith("shard1/sweep.json: field layout: not a network layout (", e.Message);
            Assert.Contains(field, e.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void A_report_of_a_run_whose_symmetry_json_lacks_a_field_is_refused_naming_it()
    {
        string root = TestNets.TempDir(), run = Path.Combine(root, "run");
        try
        {
            var (code, _, err) = CliTests.Run("train", "--data", "xor", "--layers", "2,1", "--epochs", "1", "--out", run);
            Assert.True(code == 0, err);
            string symmetry = Path.Combine(run, "symmetry.json");
            File.WriteAllText(symmetry, File.ReadAllText(symmetry).Replace("\"distinctAtStart\"", "\"distinctAtFirst\""));
            (code, _, err) = CliTests.Run("report", run, "--out", Path.Combine(root, "r.html"));
            Assert.Equal(2, code);
            Assert.Contains($"{symmetry}: not a symmetry.json of a run (", err);
            Assert.Contains("'distinctAtStart'", err);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Theory]
    [InlineData(null, "summary.json", "\"runs\"")]
    [InlineData("1/2", "shard.json", "\"diverged\"")]
    public void A_rerun_over_a_finished_sweep_whose_last_file_lacks_a_field_is_refused_naming_it(string? shard, string file, string field)
    {
        string root = TestNets.TempDir(), dir = Path.Combine(root, "sweep");
        try
        {
            string[] args = ["sweep", "--data", "coffee", "--layers", "3,1", "--epochs", "2", "--seeds", "1..4", .. shard is null ? Array.Empty<string>() : ["--shard", shard], "--out", dir];
            var (code, _, err) = CliTests.Run(args);
            Assert.True(code == 0, err);
            Assert.Equal(0, CliTests.Run(args).Code); // finished: read back, nothing to do
            string path = Path.Combine(dir, file);
            File.WriteAllText(path, File.ReadAllText(path).Replace(field, "\"renamed\""));
            (code, _, err) = CliTests.Run(args);
            Assert.Equal(2, code);
            Assert.Contains($"{path}: not a valid {file} (", err);
            Assert.Contains($"'{field.Trim('"')}'", err);
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
