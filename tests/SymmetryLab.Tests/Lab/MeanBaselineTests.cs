using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// A regression's loss beside the mse of always answering the mean of the training targets (their
/// variance), as an accuracy stands beside the majority class: in train's figures, its diagnosis and
/// the run report.
/// </summary>
public class MeanBaselineTests
{
    /// <summary>The mean of <paramref name="train"/>'s targets and its mse on <paramref name="rows"/>, by plain LINQ (not MeanBaseline).</summary>
    private static (double Mean, double Mse) Constant(Dataset train, Dataset rows)
    {
        double mean = train.Y.Average();
        return (mean, rows.Y.Select(y => (y - mean) * (y - mean)).Average());
    }

    /// <summary>The whole plane set (200 rows, no split): the mean of its targets and their variance.</summary>
    private static (double Mean, double Variance) Plane()
    {
        var (plane, _) = DataSource.Load("plane");
        return Constant(plane, plane);
    }

    [Fact]
    public void The_baseline_is_the_training_targets_variance_and_the_same_constant_on_the_test_rows()
    {
        // Targets 1, 2, 3, 6: mean 3, squared deviations 4, 1, 0, 9.
        var train = new Dataset("four", [0, 0, 0, 0], [1, 2, 3, 6], 1);
        var test = new Dataset("two", [0, 0], [3, 7], 1);
        var b = MeanBaseline.Of(train, test, Loss.Mse)!;
        Assert.Equal(3, b.Mean);
        Assert.Equal(14.0 / 4, b.Train);
        Assert.Equal(16.0 / 2, b.Test);                                  // (3 - 3)^2 and (7 - 3)^2: the training mean, not the test set's own
        Assert.True(b.IsBeatenBy(3.4));
        Assert.False(b.IsBeatenBy(3.5));
        Assert.Null(MeanBaseline.Of(train, null, Loss.Mse)!.Test);
        // A classification target, or a cost that is not mse, has none.
        Assert.Null(MeanBaseline.Of(new Dataset("labels", [0, 1], [0, 1], 1), null, Loss.Mse));
        Assert.Null(MeanBaseline.Of(train, null, Loss.Bce));
    }

    [Fact]
    public void A_regression_no_better_than_the_mean_is_diagnosed_baseline_and_its_loss_shown_beside_it()
    {
        // 35 adam steps at lr 0.001 leave the 2-8-1 relu net far from the plane: its mse is above the targets' variance.
        var (code, output, err) = CliTests.Run("train", "--data", "plane", "--layers", "8,1", "--activation", "relu", "--epochs", "5");
        Assert.True(code == 0, err);
        var (mean, variance) = Plane();
        Assert.Contains($"baseline (always the training mean {mean:G6}) {variance:G6}", output);
        Assert.Contains($"diagnosis: baseline: Its mse on the training data", output);
        Assert.Contains($"whose mse is {variance:G4}", output);
        Assert.Contains("more hidden units to follow the target", output);

        // Trained long enough it beats the constant: healthy, with the test rows' baseline beside the test loss.
        string dir = Path.Combine(TestNets.TempDir(), "run");
        (code, output, err) = CliTests.Run("train", "--data", "plane", "--layers", "8,1", "--activation", "relu", "--epochs", "200", "--test", "0.2", "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("diagnosis: healthy", output);
        Assert.Contains("; on the test data: loss", output);
        Assert.Equal(2, output.Split("baseline (always the training mean").Length - 1);

        // The report: the cost column beside the baseline, and both baselines drawn on the cost curve.
        var report = RunReport.Build(dir);
        var figures = report.Tables.Single(t => t.Title == "The final model");
        Assert.Equal("cost (baseline)", figures.Columns[1]);
        Assert.All(figures.Rows, r => Assert.Contains("(baseline ", r[1]));
        var loss = (SymmetryLab.Lab.Experiments.LineFigure)report.Figures.Single(f => f.Name == "loss");
        Assert.Equal(["baseline, training: always the training mean", "baseline, test: always the training mean"], loss.Guides.Select(g => g.Label));
    }

    [Fact]
    public void The_library_report_of_a_fit_reads_a_regression_against_the_mean_too()
    {
        var (plane, _) = DataSource.Load("plane");
        var net = Network.Create<double>(2, [Layer.Dense(8, Activation.Relu), Layer.Dense(1, Activation.Linear)], Init.GlorotUniform, seed: 1);
        net.Fit(plane, new TrainingOptions { Loss = Loss.Mse, Optimizer = new Adam(0.001), BatchSize = 32, Epochs = 3 });
        var report = SymmetryReport.Of(net, plane);
        Assert.Equal(Diagnosis.Baseline, report.Diagnosis!.Kind);
        Assert.Contains("no lower than always answering the mean of the training targets", report.Diagnosis.Explanation);
    }

    [Fact]
    public void Train_json_gives_the_regression_baselines_and_null_for_a_classifier()
    {
        var (code, output, err) = CliTests.Run("train", "--data", "plane", "--layers", "4,1", "--epochs", "1", "--test", "0.2", "--json");
        Assert.True(code == 0, err);
        var root = System.Text.Json.JsonDocument.Parse(output).RootElement;
        var (all, _) = DataSource.Load("plane");
        var (train, test) = all.Split(0.2, 1);                          // the split of --split-seed 1
        Assert.Equal(Constant(train, train).Mse, root.GetProperty("baselineLoss").GetDouble(), 14);
        Assert.Equal(Constant(train, test).Mse, root.GetProperty("testBaselineLoss").GetDouble(), 14);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("baselineAccuracy").ValueKind);

        (code, output, err) = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--epochs", "1", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("baselineLoss").ValueKind);
    }

    [Fact]
    public void Predict_shows_a_regressions_loss_beside_the_rows_own_mean()
    {
        string dir = Path.Combine(TestNets.TempDir(), "run");
        var (code, _, err) = CliTests.Run("train", "--data", "plane", "--layers", "4,1", "--epochs", "1", "--out", dir);
        Assert.True(code == 0, err);
        var (mean, variance) = Plane();
        (code, var output, err) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", "plane");
        Assert.True(code == 0, err);
        Assert.Contains($", baseline (always the rows' mean {mean:G6}) {variance:G6} on 200 rows", output);
        (code, output, err) = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--data", "plane", "--json");
        Assert.True(code == 0, err);
        Assert.Equal(variance, System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("baselineLoss").GetDouble(), 14);
    }

    [Fact]
    public void Sweep_states_the_regression_baseline_of_the_rows_every_seed_trains_on()
    {
        var (code, output, err) = CliTests.Run("sweep", "--seeds", "1..2", "--data", "plane", "--layers", "4,1", "--epochs", "1");
        Assert.True(code == 0, err);
        var (mean, variance) = Plane();
        Assert.Contains($"baseline: always answering the training targets' mean, {mean:G6}, gives an mse of {variance:G6} on the training rows", output);
        Assert.DoesNotContain("always answering class", output);
    }
}
