using System.Globalization;
using System.Text.Json;
using SymmetryLab.Data;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// What <c>train</c> reports is true of the model it saves: the loss is that model's cost, every
/// accuracy stands beside the majority-class baseline, "at the start" means initial.json, and the
/// last width of --layers fits the target.
/// </summary>
public class TrainReportTests
{
    private static JsonElement Json(string output) => JsonDocument.Parse(output).RootElement;

    private static (JsonElement Json, string Dir) Train(params string[] args)
    {
        string dir = Path.Combine(TestNets.TempDir(), "run");
        var (code, output, err) = CliTests.Run(["train", .. args, "--out", dir, "--json"]);
        Assert.True(code == 0, err + output);
        return (Json(output), dir);
    }

    /// <summary>
    /// The bce cost of a model file on a data set, by a plain loop over the file's own numbers (parsed
    /// here, not by ModelFile): normalization, then each layer's sigmoid, then the mean of
    /// -[y log a + (1 - y) log(1 - a)], plus l2/(2m) times the sum of the squared weights.
    /// </summary>
    private static double PlainBceCost(string modelPath, Dataset data, double l2 = 0)
    {
        var root = Json(File.ReadAllText(modelPath));
        double[] mean = [], std = [];
        if (root.TryGetProperty("normalization", out var n))
        {
            mean = n.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            std = n.GetProperty("std").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        }
        var layers = root.GetProperty("layers").EnumerateArray().Select(l => (
            W: l.GetProperty("weights").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray(),
            B: l.GetProperty("biases").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            G: l.GetProperty("activation").GetString())).ToList();
        Assert.All(layers, l => Assert.Equal("sigmoid", l.G));
        double total = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            var a = data.Row(r).ToArray();
            if (mean.Length > 0) a = a.Select((v, i) => (v - mean[i]) / std[i]).ToArray();
            foreach (var (w, b, _) in layers)
                a = w.Select((row, j) => 1 / (1 + Math.Exp(-(b[j] + row.Select((v, i) => v * a[i]).Sum())))).ToArray();
            total += data.Y[r] == 1 ? -Math.Log(a[0]) : -Math.Log(1 - a[0]);
        }
        double squares = layers.Sum(l => l.W.Sum(row => row.Sum(v => v * v)));
        return total / data.Rows + l2 / (2.0 * data.Rows) * squares;
    }

    private static double LastHistoryLoss(string dir)
    {
        var last = File.ReadAllLines(Path.Combine(dir, "history.csv"))[^1].Split(',');
        return double.Parse(last[2], CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_reported_loss_is_the_saved_models_cost_and_the_last_epochs_mean_has_its_own_name()
    {
        // 100 full-batch gd steps: each epoch's cost is measured before its step, so the last one is one step behind the model.
        var (json, dir) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--optimizer", "gd", "--lr", "1", "--epochs", "100", "--precision", "float64");
        var (coffee, _) = DataSource.Load("coffee");
        double plain = PlainBceCost(Path.Combine(dir, "model.json"), coffee);
        double loss = json.GetProperty("loss").GetDouble(), lastMean = json.GetProperty("lastEpochMeanLoss").GetDouble();
        Assert.Equal(plain, loss, 1e-12);
        Assert.Equal(LastHistoryLoss(dir), lastMean);
        Assert.True(lastMean - loss > 1e-4, $"the last epoch's mean {lastMean} should be a step behind the final cost {loss}");

        // predict says the same of the same file.
        var (code, output, err) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", "coffee", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(loss, Json(output).GetProperty("loss").GetDouble());
        Assert.Equal(json.GetProperty("accuracy").GetDouble(), Json(output).GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void With_l2_the_loss_includes_the_penalty_on_the_saved_weights()
    {
        var (json, dir) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--lr", "0.05", "--epochs", "30", "--l2", "2", "--precision", "float64");
        var (coffee, _) = DataSource.Load("coffee");
        Assert.Equal(PlainBceCost(Path.Combine(dir, "model.json"), coffee, l2: 2), json.GetProperty("loss").GetDouble(), 1e-12);
    }

    [Fact]
    public void Float32_runs_report_what_predict_computes_in_float32()
    {
        var (json, dir) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--lr", "0.05", "--epochs", "7");
        var (_, output, _) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", "coffee", "--json");
        Assert.Equal(Json(output).GetProperty("loss").GetDouble(), json.GetProperty("loss").GetDouble());
    }

    [Fact]
    public void The_distinct_units_caption_names_coinciding_lines_and_a_dotted_line_only_when_one_is_drawn()
    {
        static string Caption(string dir) => SymmetryLab.Runs.RunReport.Build(dir).Figures.Single(f => f.Name == "distinct-units").Caption;
        // Random starts: both 4-unit layers distinct throughout, one line over the other; nothing splits.
        var (_, random) = Train("--data", "xor", "--layers", "4,4,1", "--epochs", "2");
        string caption = Caption(random);
        Assert.Contains("layers 1 and 2 have the same counts at every step", caption);
        Assert.DoesNotContain("dotted", caption);
        // Identical starts broken by dropout (layer 1 splits), layer 2 of 3 units: different counts, a dotted line.
        var (_, split) = Train("--data", "xor", "--layers", "4,3,1", "--init", "constant:0.3", "--dropout", "0.2", "--epochs", "3");
        caption = Caption(split);
        Assert.Contains("a dotted line marks the step", caption);
        Assert.DoesNotContain("same counts", caption);
    }

    [Fact]
    public void The_decision_regions_caption_names_a_normalization_only_when_the_model_has_one()
    {
        static string Caption(string dir) => SymmetryLab.Runs.RunReport.Build(dir).Figures.Single(f => f.Name == "decision-boundary").Caption;
        var (_, plain) = Train("--data", "xor", "--layers", "3,1", "--epochs", "2");
        Assert.Contains("(raw inputs)", Caption(plain));
        var (_, scaled) = Train("--data", "xor", "--layers", "3,1", "--normalize", "zscore", "--epochs", "2");
        Assert.Contains("(raw inputs; the model's normalization applies)", Caption(scaled));
    }

    [Fact]
    public void Every_accuracy_stands_beside_the_majority_class_baseline()
    {
        var (json, _) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3");
        var (coffee, _) = DataSource.Load("coffee");
        double majority = (double)Math.Max(coffee.Y.Count(y => y == 0), coffee.Y.Count(y => y == 1)) / coffee.Rows;
        Assert.Equal(0.785, majority, 12); // the coffee lab's data: 157 of 200 roasts are bad
        Assert.Equal(majority, json.GetProperty("baselineAccuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("testBaselineAccuracy").ValueKind);

        // A test set: the share of its own most common class, the best a constant answer scores there.
        var (digits, _) = Train("--data", "digits01", "--test", "0.2", "--layers", "3,1", "--epochs", "1");
        var (all, _) = DataSource.Load("digits01");
        var (_, test) = all.Split(0.2, 1);
        double testMajority = (double)Math.Max(test.Y.Count(y => y == 0), test.Y.Count(y => y == 1)) / test.Rows;
        Assert.Equal(testMajority, digits.GetProperty("testBaselineAccuracy").GetDouble());
        Assert.True(testMajority > 0.5);

        // Regression has no baseline accuracy.
        var (plane, _) = Train("--data", "plane", "--layers", "2,1", "--epochs", "1");
        Assert.Equal(JsonValueKind.Null, plane.GetProperty("baselineAccuracy").ValueKind);

        var (code, text, err) = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "3");
        Assert.True(code == 0, err);
        Assert.Contains("baseline (always class 0) 0.7850", text);
    }

    [Theory]
    [InlineData("1,1")]                                       // one hidden unit, 50 adam epochs: 78.5%, the share of bad roasts
    [InlineData("1", "--init", "zeros", "--optimizer", "gd", "--lr", "1", "--epochs", "300")] // logistic regression: 74%, below it
    public void A_classifier_no_better_than_always_answering_the_majority_class_is_diagnosed_baseline(string layers, params string[] more)
    {
        string[] args = ["--data", "coffee", "--layers", layers, "--normalize", "zscore", .. (more.Length > 0 ? more : ["--epochs", "50"])];
        var (json, _) = Train(args);
        Assert.True(json.GetProperty("accuracy").GetDouble() <= json.GetProperty("baselineAccuracy").GetDouble());
        Assert.Equal("baseline", json.GetProperty("diagnosis").GetString());
        Assert.Contains("78.5 %", json.GetProperty("explanation").GetString());
    }

    [Theory]
    [InlineData("coffee", "3", "1 (bce", "2 (ce")]          // a 0/1 target silently became a 3-way softmax
    [InlineData("coffee", "4,5", "1 (bce", "2 (ce")]
    [InlineData("iris", "4,2", "3", "3 classes")]
    [InlineData("iris", "4,4", "3", "3 classes")]
    [InlineData("plane", "3,2", "1", "one number")]
    public void The_last_width_of_layers_must_fit_the_target(string data, string layers, string fits, string why)
    {
        var (code, output, err) = CliTests.Run("train", "--data", data, "--layers", layers, "--epochs", "1");
        Assert.True(code == 2, $"exit {code}: {output}{err}");
        Assert.Contains($"--layers {layers}", err);
        Assert.Contains(fits, err);
        Assert.Contains(why, err);
    }

    [Fact]
    public void Two_outputs_with_ce_fit_a_binary_target_and_a_model_file_must_fit_too()
    {
        var (json, dir) = Train("--data", "coffee", "--layers", "3,2", "--loss", "ce", "--normalize", "zscore", "--epochs", "2");
        Assert.Equal(2, json.GetProperty("layers")[1].GetProperty("units").GetInt32());
        var (wide, wideDir) = Train("--data", "iris", "--layers", "4,3", "--epochs", "1");
        Assert.Equal("3", wide.GetProperty("network").GetString()!.Split('-')[^1]);
        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--model", Path.Combine(wideDir, "model.json"), "--epochs", "1");
        Assert.Equal(2, code); // iris has 4 features: refused for its inputs first
        Assert.Contains("4 inputs", err);
        string dir2 = TestNets.TempDir(), threeOut = Path.Combine(dir2, "m.json");
        File.WriteAllText(threeOut, """{"format":"symlab-model","version":1,"inputs":2,"layers":[{"activation":"softmax","weights":[[1,0],[0,1],[1,1]],"biases":[0,0,0]}]}""");
        (code, _, err) = CliTests.Run("train", "--data", "coffee", "--model", threeOut, "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("--model", err);
        Assert.Contains("3 outputs", err);
        Assert.NotNull(dir);
    }

    [Fact]
    public void At_the_start_means_initial_json_and_training_from_it_tells_the_same_story()
    {
        string[] setup = ["--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--precision", "float64", "--optimizer", "gd", "--lr", "1", "--epochs", "30"];
        var (nudged, a) = Train([.. setup, "--init", "symmetric:glorot-uniform", "--perturb", "1e-9"]);
        var (replayed, b) = Train([.. setup, "--model", Path.Combine(a, "initial.json")]);

        // initial.json holds the nudged weights: unit 1 differs from units 2 and 3, which are equal.
        var w = Json(File.ReadAllText(Path.Combine(a, "initial.json"))).GetProperty("layers")[0];
        var rows = w.GetProperty("weights").EnumerateArray().Select((r, j) => r.GetRawText() + w.GetProperty("biases")[j].GetRawText()).ToArray();
        Assert.Equal(2, rows.Distinct().Count());

        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.json")), File.ReadAllBytes(Path.Combine(b, "model.json")));
        var sa = Json(File.ReadAllText(Path.Combine(a, "symmetry.json"))).GetProperty("layers");
        var sb = Json(File.ReadAllText(Path.Combine(b, "symmetry.json"))).GetProperty("layers");
        Assert.Equal(2, sa[0].GetProperty("distinctAtStart").GetInt32());
        for (int l = 0; l < 2; l++)
            foreach (var field in new[] { "distinctAtStart", "brokeAtStep", "distinct" })
                Assert.Equal(sb[l].GetProperty(field).GetRawText(), sa[l].GetProperty(field).GetRawText());
        Assert.Equal(nudged.GetProperty("layers").GetRawText(), replayed.GetProperty("layers").GetRawText());
        Assert.Contains("--perturb", sa[0].GetProperty("symmetry").GetString());
    }

    [Fact]
    public void Zero_epochs_writes_the_initialized_model_and_trains_nothing()
    {
        var (json, dir) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--epochs", "0", "--precision", "float64");
        Assert.Equal(0, json.GetProperty("epochs").GetInt32());
        Assert.Equal(0, json.GetProperty("steps").GetInt32());
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "initial.json")), File.ReadAllBytes(Path.Combine(dir, "model.json")));
        Assert.Single(File.ReadAllLines(Path.Combine(dir, "history.csv"))); // the header alone
        Assert.True(File.Exists(Path.Combine(dir, "symmetry.json")));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastEpochMeanLoss").ValueKind);
        var (coffee, _) = DataSource.Load("coffee");
        Assert.Equal(PlainBceCost(Path.Combine(dir, "model.json"), coffee), json.GetProperty("loss").GetDouble(), 1e-12);

        // A loaded model is normalized as asked and written back, still untrained.
        string file = Path.Combine(TestNets.TempDir(), "start.json");
        File.WriteAllText(file, """{"format":"symlab-model","version":1,"inputs":2,"layers":[{"activation":"sigmoid","weights":[[0.2,-0.3],[0.2,-0.3]],"biases":[0,0]},{"activation":"sigmoid","weights":[[0.5,0.5]],"biases":[0]}]}""");
        var (loaded, dir2) = Train("--data", "coffee", "--model", file, "--normalize", "zscore", "--epochs", "0");
        Assert.Equal("symmetric", loaded.GetProperty("diagnosis").GetString());
        string model = File.ReadAllText(Path.Combine(dir2, "model.json"));
        Assert.Contains("\"normalization\"", model);
        Assert.Contains("[0.2, -0.3]", model);

        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--epochs", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--epochs -1", err);
    }
}
