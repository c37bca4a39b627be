using System.Text.Json;
using SymmetryLab.Cli;

namespace SymmetryLab.Tests.Cli;

/// <summary>The command line in-process: exit codes, messages that name the culprit, JSON contracts.</summary>
public class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SymlabCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void TrainJsonIsOneObjectWithTheSpecFields()
    {
        var (code, output, err) = Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        foreach (var field in new[] { "loss", "accuracy", "testLoss", "testAccuracy", "epochs", "seed", "layers", "diagnosis", "out" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.Equal(3, root.GetProperty("epochs").GetInt32());
        Assert.Equal(1, root.GetProperty("seed").GetInt32());
        Assert.Equal(3, root.GetProperty("layers")[0].GetProperty("units").GetInt32());
        Assert.Contains("xoshiro", root.GetProperty("rng").GetString());
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--init", "swirl", "swirl")]
    [InlineData("--bias-init", "uniform:2:1", "uniform:2:1")]
    [InlineData("--optimizer", "lbfgs", "--optimizer")]
    [InlineData("--activation", "softmax", "--activation")]
    [InlineData("--layers", "3,x,1", "--layers")]
    [InlineData("--epochs", "many", "many")]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--loss", "bce", "--layers", "3,2", "--loss bce")]
    [InlineData("--loss", "ce", "--output-activation", "sigmoid", "--loss ce")]
    [InlineData("--data", "nothing.csv", "nothing.csv")]
    [InlineData("--data", "nosuchset", "nosuchset")]
    [InlineData("--precision", "float16", "--precision")]
    public void BadUsageExitsTwoNamingTheFlagOrValue(params string[] argsThenExpected)
    {
        var given = argsThenExpected[..^1];
        var defaults = new List<string> { "train" };
        if (!given.Contains("--data")) defaults.AddRange(["--data", "coffee"]);
        if (!given.Contains("--epochs")) defaults.AddRange(["--epochs", "1"]);
        var args = defaults.Concat(given).ToArray();
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(argsThenExpected[^1], err);
    }

    [Fact]
    public void ModelWhoseInputsDoNotMatchTheDataIsRejected()
    {
        string dir = TestNets.TempDir();
        string model = Path.Combine(dir, "m.json");
        File.WriteAllText(model, """{"format":"symlab-model","version":1,"inputs":3,"layers":[{"activation":"sigmoid","weights":[[1,2,3]],"biases":[0]}]}""");
        var (code, _, err) = Run("train", "--data", "coffee", "--model", model, "--epochs", "1", "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains("3 inputs", err);
        Assert.False(File.Exists(Path.Combine(dir, "out", "model.json")));
        var (pcode, _, perr) = Run("predict", model, "--input", "1,2");
        Assert.Equal(2, pcode);
        Assert.Contains("--input", perr);
    }

    [Fact]
    public void MalformedCsvExitsTwoWithFileAndLine()
    {
        string dir = TestNets.TempDir();
        string csv = Path.Combine(dir, "bad.csv");
        File.WriteAllText(csv, "a,b,y\n1,2,0\n1,2\n");
        var (code, _, err) = Run("train", "--data", csv, "--epochs", "1", "--out", Path.Combine(dir, "out"));
        Assert.Equal(2, code);
        Assert.Contains($"{csv}:3:", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void DivergenceExitsThreeNamingEpochAndLayerAndWritesNoModel()
    {
        string dir = TestNets.TempDir();
        string csv = Path.Combine(dir, "big.csv");
        File.WriteAllLines(csv, ["x,y"], System.Text.Encoding.UTF8);
        File.AppendAllLines(csv, Enumerable.Range(0, 30).Select(i => $"{i * 100},{i * 1e6}"));
        var (code, _, err) = Run("train", "--data", csv, "--layers", "4,1", "--activation", "linear", "--optimizer", "gd", "--lr", "1", "--epochs", "100", "--out", Path.Combine(dir, "out"));
        Assert.Equal(3, code);
        Assert.Matches(@"epoch \d+", err);
        Assert.Matches(@"layer \d", err);
        Assert.False(File.Exists(Path.Combine(dir, "out", "model.json")));
    }

    [Fact]
    public void OutWritesTheRunFilesAndPredictReadsTheModelBack()
    {
        string dir = TestNets.TempDir();
        var (code, _, err) = Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "5", "--lr", "0.01", "--out", dir);
        Assert.True(code == 0, err);
        foreach (var f in new[] { "initial.json", "model.json", "history.csv", "symmetry.json", "run.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        var history = File.ReadAllLines(Path.Combine(dir, "history.csv"));
        Assert.Equal(6, history.Length);
        Assert.StartsWith("epoch,", history[0]);
        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        Assert.Equal(1, run.RootElement.GetProperty("seed").GetInt32());
        Assert.Contains("xoshiro256**", run.RootElement.GetProperty("rng").GetString());

        var (pcode, pout, perr) = Run("predict", Path.Combine(dir, "model.json"), "--data", "coffee", "--json");
        Assert.True(pcode == 0, perr);
        using var doc = JsonDocument.Parse(pout);
        Assert.Equal(200, doc.RootElement.GetProperty("outputs").GetArrayLength());
        Assert.Equal(200, doc.RootElement.GetProperty("classes").GetArrayLength());
        Assert.InRange(doc.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);

        // The model's normalization is applied: raw coffee inputs in, a probability out.
        var (icode, iout, _) = Run("predict", Path.Combine(dir, "model.json"), "--input", "200,13.5", "--json");
        Assert.Equal(0, icode);
        using var one = JsonDocument.Parse(iout);
        Assert.InRange(one.RootElement.GetProperty("outputs")[0][0].GetDouble(), 0, 1);
    }

    [Fact]
    public void GradcheckPassesOnATrainedModel()
    {
        string dir = TestNets.TempDir();
        Assert.Equal(0, Run("train", "--data", "coffee", "--layers", "3,2,1", "--activation", "tanh", "--normalize", "zscore", "--epochs", "2", "--out", dir).Code);
        var (code, output, err) = Run("gradcheck", Path.Combine(dir, "model.json"), "--data", "coffee", "--l2", "0.1", "--json");
        Assert.True(code == 0, err + output);
        using var doc = JsonDocument.Parse(output);
        Assert.True(doc.RootElement.GetProperty("maxRelativeError").GetDouble() < 1e-6);
        Assert.Equal(9 + 8 + 3, doc.RootElement.GetProperty("parameters").GetInt32());
    }

    [Fact]
    public void TrainFromAModelFileStartsFromItsExactWeights()
    {
        string dir = TestNets.TempDir();
        string start = Path.Combine(dir, "tied.json");
        File.WriteAllText(start, """{"format":"symlab-model","version":1,"inputs":2,"normalization":{"mean":[218.7,13.4],"std":[40,1.1]},"layers":[{"activation":"sigmoid","weights":[[0.2,-0.3],[0.2,-0.3]],"biases":[0,0]},{"activation":"sigmoid","weights":[[0.5,0.5]],"biases":[0]}]}""");
        var (code, output, err) = Run("train", "--data", "coffee", "--model", start, "--epochs", "20", "--lr", "0.01", "--json", "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("layers")[0].GetProperty("distinct").GetInt32());
        // The start file says no precision, so it is trained in float64 and every number it wrote survives.
        var initial = SymmetryLab.Serialization.ModelFile.Load<double>(Path.Combine(dir, "out", "initial.json"));
        Assert.Equal([0.2, -0.3, 0.2, -0.3], initial.Layers[0].Weights);
        Assert.Equal([0.5, 0.5], initial.Layers[1].Weights);
        Assert.Equal([218.7, 13.4], initial.Normalization!.Mean);
        Assert.Contains("\"precision\": \"float64\"", File.ReadAllText(Path.Combine(dir, "out", "initial.json")));
    }
}

public class PredictTargetTests
{
    [Fact]
    public void PredictReadsTheTargetColumnTheModelWasTrainedOn()
    {
        string dir = TestNets.TempDir();
        string csv = Path.Combine(dir, "first.csv");
        var rng = new SymmetryLab.Numerics.Rng(3);
        var lines = new List<string> { "label,a,b" };
        for (int i = 0; i < 150; i++)
        {
            double a = rng.NextDouble(), b = rng.NextDouble();
            lines.Add(FormattableString.Invariant($"{(a > b ? 1 : 0)},{a},{b}"));
        }
        File.WriteAllLines(csv, lines);
        // The run goes into its own folder: a run replaces its whole folder, so one holding the data is refused.
        Assert.Equal(2, CliTests.Run("train", "--data", csv, "--target", "label", "--layers", "3,1", "--epochs", "1", "--out", dir).Code);
        Assert.True(File.Exists(csv));
        string run = Path.Combine(dir, "run");
        Assert.Equal(0, CliTests.Run("train", "--data", csv, "--target", "label", "--layers", "3,1", "--epochs", "100", "--lr", "0.05", "--out", run).Code);
        foreach (var args in new[] { new[] { "--data", csv }, new[] { "--data", csv, "--target", "1" } })
        {
            var (code, output, err) = CliTests.Run(["predict", Path.Combine(run, "model.json"), .. args, "--json"]);
            Assert.True(code == 0, err);
            using var doc = System.Text.Json.JsonDocument.Parse(output);
            Assert.True(doc.RootElement.GetProperty("accuracy").GetDouble() > 0.9, output);
        }
    }
}

public class TargetKindTests
{
    [Fact]
    public void IntegerTargetsThatDoNotCountFromZeroAreRegressed()
    {
        var d = new SymmetryLab.Data.Dataset("ages", [1, 2, 3, 4], [20, 35, 41, 60], 1);
        Assert.Equal(SymmetryLab.Data.TargetKind.Continuous, d.Kind);
        var k = new SymmetryLab.Data.Dataset("classes", [1, 2, 3, 4], [0, 2, 1, 2], 1);
        Assert.Equal(SymmetryLab.Data.TargetKind.Classes, k.Kind);
        Assert.Equal(3, k.ClassCount);
    }

    [Fact]
    public void TestLabelsMustFitTheNetwork()
    {
        string dir = TestNets.TempDir();
        string train = Path.Combine(dir, "train.csv"), test = Path.Combine(dir, "test.csv");
        File.WriteAllLines(train, ["a,y", "0.1,0", "0.9,1", "0.2,0", "0.8,1"]);
        File.WriteAllLines(test, ["a,y", "0.3,0", "0.7,2"]);
        var (code, _, err) = CliTests.Run("train", "--data", train, "--test", test, "--layers", "3,1", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("3 classes", err);
    }

    [Fact]
    public void Predict_names_its_loss_which_may_not_be_the_one_training_used()
    {
        // An mse-trained sigmoid model: train reports its mse; predict can only infer bce from the output, and says so.
        string dir = Path.Combine(TestNets.TempDir(), "mse");
        var (code, output, err) = CliTests.Run("train", "--data", "xor", "--layers", "3,1", "--loss", "mse", "--output-activation", "sigmoid", "--epochs", "3", "--out", dir);
        Assert.True(code == 0, err);
        (code, output, err) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", "xor");
        Assert.True(code == 0, err);
        Assert.Matches(@"(?m)^bce loss [0-9.]+, accuracy", output);
    }

    [Fact]
    public void Test_rows_all_of_one_class_still_stand_beside_their_baseline()
    {
        // Alone, a label column of only 1s reads as continuous (one distinct value); beside a classifier it is class 1.
        var (coffee, _) = SymmetryLab.Data.DataSource.Load("coffee");
        var lines = new List<string> { string.Join(",", coffee.FeatureNames.Append(coffee.TargetName)) };
        for (int r = 0; r < coffee.Rows; r++)
            if (coffee.Y[r] == 1)
                lines.Add(string.Join(",", Enumerable.Range(0, coffee.Features).Select(i => coffee.X[r * coffee.Features + i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append("1")));
        string ones = Path.Combine(TestNets.TempDir(), "ones.csv");
        File.WriteAllLines(ones, lines);
        string dir = Path.Combine(TestNets.TempDir(), "run");
        var (code, output, err) = CliTests.Run("train", "--data", "coffee", "--test", ones, "--layers", "3,1", "--normalize", "zscore", "--epochs", "2", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Matches(@"on the test data: loss [0-9.]+, accuracy [0-9.]+, baseline \(always class 1\) 1\.0000", output);
        (code, output, err) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", ones);
        Assert.True(code == 0, err);
        Assert.Matches(@"accuracy [0-9.]+, baseline \(always class 1\) 1\.0000 on [0-9]+ rows", output);
    }
}
