using System.Text.Json;
using SymmetryLab.Data;
using SymmetryLab.Engine;
using SymmetryLab.Lab;
using SymmetryLab.Runs;
using SymmetryLab.Serialization;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// explain and gradcheck against the true gradient (<see cref="GradientTruth"/>, 320-bit arithmetic):
/// finite differences are not trusted below their noise floor, and a slope is computed so that its
/// digits survive saturation.
/// </summary>
public class GradientHonestyTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    /// <summary>A 1-1-1 sigmoid net whose hidden unit sees z = 33.25 on sample 1: sigma rounds to 1 - 32 ulps there.</summary>
    private static (string Model, string Data) SaturatedUnit()
    {
        string dir = TestNets.TempDir(), model = Path.Combine(dir, "m.json"), data = Path.Combine(dir, "d.csv");
        File.WriteAllText(model, """{"format":"symlab-model","version":1,"precision":"float64","inputs":1,"layers":[{"activation":"sigmoid","weights":[[1]],"biases":[0]},{"activation":"sigmoid","weights":[[-3]],"biases":[0]}]}""");
        File.WriteAllLines(data, ["x,y", "33.25,1", "-1,0"]);
        return (model, data);
    }

    [Fact]
    public void The_slope_of_a_saturated_unit_is_shown_with_its_true_digits()
    {
        var (model, data) = SaturatedUnit();
        var (code, output, err) = CliTests.Run("explain", model, "--data", data, "--weight", "W1:1:1", "--sample", "1", "--json");
        Assert.True(code == 0, err);
        var slope = Json(output).GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("role").GetString() == "slope").GetProperty("value").GetDouble();
        double truth = BigFloat.SigmoidSlope(33.25).ToDouble(); // 3.609e-15; a(1 - a) in float64 gives 3.5527e-15
        Assert.Equal(truth, slope, truth * 1e-13);
    }

    [Fact]
    public void Where_backpropagation_loses_digits_the_factors_are_right_and_the_explanation_says_so()
    {
        var (model, dataFile) = SaturatedUnit();
        var net = ModelFile.Load<double>(model);
        var sample = DataSource.LoadFile(dataFile).Subset([0]);
        double truth = GradientTruth.Of(net, sample, new ParameterRef(1, 1, 1));

        var (_, output, _) = CliTests.Run("explain", model, "--data", dataFile, "--weight", "W1:1:1", "--sample", "1", "--json");
        var e = Json(output);
        double product = e.GetProperty("product").GetDouble(), backprop = e.GetProperty("gradient").GetDouble();
        Assert.Equal(truth, product, Math.Abs(truth) * 1e-12);
        // The engine's a(1 - a) keeps 32 of the 32.5 ulps of 1 - a: about 1.6% off, which the notes must say and explain.
        Assert.InRange(Math.Abs(backprop - truth) / Math.Abs(truth), 1e-3, 0.05);
        var notes = e.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notes, n => n.Contains("more accurate"));
        // The finite difference of this J cannot see a gradient of 1e-14 at all.
        Assert.False(e.GetProperty("numericResolves").GetBoolean());
        Assert.Contains(notes, n => n.Contains("is noise"));
    }

    /// <summary>coffee without normalization: every hidden unit pinned, hidden gradients around 1e-42 to 1e-55.</summary>
    private static string SaturatedCoffee()
    {
        string dir = Path.Combine(TestNets.TempDir(), "sat");
        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--precision", "float64", "--lr", "0.05", "--epochs", "20", "--out", dir);
        Assert.True(code == 0, err);
        return Path.Combine(dir, "model.json");
    }

    [Fact]
    public void Explain_says_when_the_finite_difference_is_noise_and_backpropagation_matches_the_truth()
    {
        string model = SaturatedCoffee();
        var net = ModelFile.Load<double>(model);
        var (coffee, _) = DataSource.Load("coffee");
        double truth = GradientTruth.Of(net, coffee, new ParameterRef(1, 1, 1));
        Assert.InRange(Math.Abs(truth), 1e-60, 1e-30);

        var (code, output, err) = CliTests.Run("explain", model, "--data", "coffee", "--weight", "W1:1:1", "--json");
        Assert.True(code == 0, err);
        var e = Json(output);
        Assert.Equal(truth, e.GetProperty("gradient").GetDouble(), Math.Abs(truth) * 1e-12);
        Assert.Equal(truth, e.GetProperty("product").GetDouble(), Math.Abs(truth) * 1e-12);
        double numeric = e.GetProperty("numeric").GetDouble();
        Assert.True(Math.Abs(numeric - truth) > 1e6 * Math.Abs(truth), $"finite differences {numeric} should be pure noise next to {truth}");
        Assert.False(e.GetProperty("numericResolves").GetBoolean());
        Assert.True(Math.Abs(numeric) <= e.GetProperty("numericNoise").GetDouble(), "the noise floor must cover what rounding produced");

        var (_, text, _) = CliTests.Run("explain", model, "--data", "coffee", "--weight", "W1:1:1");
        Assert.Contains("too coarse for a gradient this small", text);
    }

    [Fact]
    public void Gradcheck_judges_only_what_finite_differences_resolve_and_says_what_it_left_out()
    {
        string model = SaturatedCoffee();
        var (code, output, err) = CliTests.Run("gradcheck", model, "--data", "coffee", "--json");
        Assert.True(code == 0, err + output);
        var r = Json(output);
        Assert.Equal(13, r.GetProperty("parameters").GetInt32());
        Assert.Equal(1, r.GetProperty("judged").GetInt32()); // b2, the only gradient above 1e-40
        Assert.Equal(12, r.GetProperty("tooSmall").GetInt32());
        Assert.Equal(0, r.GetProperty("beyondNoise").GetInt32());
        Assert.True(r.GetProperty("maxRelativeError").GetDouble() < 1e-8);

        var (_, text, _) = CliTests.Run("gradcheck", model, "--data", "coffee");
        Assert.Contains("12 not judged", text);
        Assert.DoesNotContain("\nok\n", "\n" + text);
        Assert.Contains("ok for the 1 judged gradients", text);

        // Relative error means |a - n| / max(|a|, |n|), with no floor that hides a disagreement between tiny numbers.
        Assert.Equal(0.5, GradientCheck.RelativeError(1e-13, 2e-13), 12);
    }

    [Fact]
    public void The_noise_floor_covers_the_finite_differences_of_healthy_runs()
    {
        // Normalized coffee after 20 and 2000 epochs: every gradient judged, each finite difference within the floor of the truth.
        foreach (int epochs in new[] { 20, 2000 })
        {
            var r = TrainingRun.Execute(new RunSettings { Data = "coffee", Layers = [3, 1], Normalize = InputNormalization.ZScore, Epochs = epochs, Precision = Precision.Float64, LearningRate = 0.05, Threads = 1 });
            var net = ModelFile.Parse<double>(r.FinalModel, "m");
            var (coffee, _) = DataSource.Load("coffee");
            foreach (var p in ParameterRef.All(net))
            {
                var e = ChainRule.Explain(net, coffee, SymmetryLab.Engine.Losses.Loss.Bce, p);
                double truth = GradientTruth.Of(net, coffee, p);
                Assert.True(Math.Abs(e.Numeric - truth) <= e.NoiseFloor, $"{epochs} epochs, {p}: numeric {e.Numeric} vs {truth}, floor {e.NoiseFloor}");
                Assert.True(e.NumericResolves);
            }
        }
    }
}
