using System.Text.Json;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Cli;

public class ExplainCommandTests
{
    private static string TrainCoffee()
    {
        string dir = Path.Combine(TestNets.TempDir(), "coffee");
        var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--normalize", "zscore", "--layers", "3,1", "--epochs", "30", "--optimizer", "adam", "--lr", "0.05", "--out", dir);
        Assert.True(code == 0, err);
        return Path.Combine(dir, "model.json");
    }

    [Fact]
    public void With_l2_the_gradient_adds_l2_over_m_times_the_weight()
    {
        string model = TrainCoffee();
        var (code, output, err) = CliTests.Run("explain", model, "--data", "coffee", "--weight", "W1[2,1]", "--l2", "0.5", "--json");
        Assert.True(code == 0, err);
        var e = JsonDocument.Parse(output).RootElement;
        double w = ModelFile.Load<double>(model).Layers[0].Weight(1, 0);
        Assert.Equal(0.5 / 200 * w, e.GetProperty("l2Term").GetDouble(), 15); // coffee has 200 rows
        double product = e.GetProperty("product").GetDouble(), gradient = e.GetProperty("gradient").GetDouble();
        Assert.Equal(gradient, product + e.GetProperty("l2Term").GetDouble(), 12);
        Assert.Equal(gradient, e.GetProperty("numeric").GetDouble(), 8);
    }

    [Fact]
    public void Equal_factors_of_different_weights_under_l2_are_not_called_the_same_gradient()
    {
        // Two identical hidden units (every incoming weight 0.3, biases 0) give W2[1,1] and W2[1,2] the same
        // factors; the weights differ (0.3 and 0.7), so with --l2 the gradients differ by (l2/m)(0.7 - 0.3).
        var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)]);
        Array.Fill(net.Layers[0].Weights, 0.3);
        net.Layers[1].Weights[0] = 0.3;
        net.Layers[1].Weights[1] = 0.7;
        string model = Path.Combine(TestNets.TempDir(), "tied.json");
        File.WriteAllText(model, ModelFile.Write(net, SymmetryLab.Data.DataSource.Load("coffee").Train.TargetName));
        var (code, output, err) = CliTests.Run("explain", model, "--data", "coffee", "--weight", "W2[1,1]", "--vs", "W2[1,2]", "--l2", "0.5");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("same gradient", output);
        Assert.Contains("they differ through the L2 term", output);
    }

    [Fact]
    public void Two_weights_with_different_factor_lists_compare_without_marks()
    {
        // On one sample, the output weight W2[1,1] has 2 factors and W1[1,1] more: none can be compared
        // by position, so --json used to index past the first weight's marks and end in an internal error.
        string model = TrainCoffee();
        var (code, output, err) = CliTests.Run("explain", model, "--data", "coffee", "--weight", "W2[1,1]", "--vs", "W1[1,1]", "--sample", "1", "--json");
        Assert.True(code == 0, err);
        var e = JsonDocument.Parse(output).RootElement;
        var vs = e.GetProperty("vs");
        Assert.True(vs.GetProperty("factors").GetArrayLength() > e.GetProperty("factors").GetArrayLength());
        foreach (var f in e.GetProperty("factors").EnumerateArray().Concat(vs.GetProperty("factors").EnumerateArray()))
            Assert.False(f.TryGetProperty("differs", out _));
        Assert.Equal(e.GetProperty("numericNoise").ValueKind, vs.GetProperty("numericNoise").ValueKind);
    }

    [Fact]
    public void Twins_below_two_layers_differ_inside_their_paths_only_through_the_outgoing_weights()
    {
        // Layer-1 units 1 and 2 identical (every weight 0.3), outgoing columns (1, 0.3) and (-0.5, 0.8): each
        // path's sample-dependent mean is the same for both weights; only the outgoing weights differ. The
        // sentence used to blame "the averaged sample-dependent part".
        var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Sigmoid), Layer.Dense(2, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)]);
        Array.Fill(net.Layers[0].Weights, 0.3);
        double[] w2 = [1, -0.5, 0.3, 0.8];
        w2.CopyTo(net.Layers[1].Weights, 0);
        Array.Fill(net.Layers[2].Weights, 0.6);
        string model = Path.Combine(TestNets.TempDir(), "twins.json");
        File.WriteAllText(model, ModelFile.Write(net, SymmetryLab.Data.DataSource.Load("xor").Train.TargetName));
        var (code, output, err) = CliTests.Run("explain", model, "--data", "xor", "--weight", "W1[1,1]", "--vs", "W1[2,1]");
        Assert.True(code == 0, err);
        string verdict = output.Split('\n').Single(l => l.StartsWith("The two gradients differ", StringComparison.Ordinal));
        Assert.Equal("The two gradients differ only through the factors marked: the sum over the paths; inside the paths, only through the outgoing weight.", verdict);
    }

    [Fact]
    public void A_path_through_a_dead_unit_prints_zero_not_minus_zero()
    {
        // 2-2-2-1: the first unit of layer 2 is dead (bias -100), so the path of W1[1,1] through it has the
        // slope 0 among its factors; with W2[1,1] negative, half the samples make that product -0.
        var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Relu), Layer.Dense(2, Activation.Relu), Layer.Dense(1, Activation.Sigmoid)]);
        Array.Fill(net.Layers[0].Weights, 0.5);
        Array.Fill(net.Layers[1].Weights, 0.4);
        net.Layers[1].Weights[0] = -0.6;
        net.Layers[1].Biases[0] = -100;
        Array.Fill(net.Layers[2].Weights, 0.3);
        string model = Path.Combine(TestNets.TempDir(), "dead.json");
        File.WriteAllText(model, ModelFile.Write(net, SymmetryLab.Data.DataSource.Load("coffee").Train.TargetName));
        bool sawMinusZero = false;
        for (int sample = 1; sample <= 6; sample++)
        {
            string[] args = ["explain", model, "--data", "coffee", "--weight", "W1[1,1]", "--sample", $"{sample}"];
            var (code, json, err) = CliTests.Run([.. args, "--json"]);
            Assert.True(code == 0, err);
            foreach (var path in JsonDocument.Parse(json).RootElement.GetProperty("paths").EnumerateArray())
                sawMinusZero |= path.GetProperty("product").GetDouble() is 0 and var p && double.IsNegative(p);
            (code, var text, err) = CliTests.Run(args);
            Assert.True(code == 0, err);
            Assert.Contains("paths of dJ/dW1[1,1]:", text);
            Assert.DoesNotMatch(@"(?<![\d.E])-0(?![\d.])", text);
        }
        Assert.True(sawMinusZero, "no path product was -0: the test no longer reaches the case it is about");
    }

    [Fact]
    public void A_negative_l2_is_bad_input()
    {
        var (code, _, err) = CliTests.Run("explain", TrainCoffee(), "--data", "coffee", "--weight", "W1[1,1]", "--l2", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--l2 -1", err);
    }

    [Fact]
    public void Explain_and_gradcheck_accept_and_refuse_the_same_costs()
    {
        string model = TrainCoffee();
        // Whole-number labels, but 2 is no label of one sigmoid output (bce needs 0 or 1).
        string csv = Path.Combine(TestNets.TempDir(), "three-classes.csv");
        File.WriteAllText(csv, "a,b,y\n1,2,0\n3,4,1\n5,6,2\n");
        foreach (var command in new[] { "explain", "gradcheck" })
        {
            string[] weight = command == "explain" ? ["--weight", "W1[1,1]"] : [];
            var (code, _, err) = CliTests.Run([command, model, "--data", csv, .. weight]);
            Assert.True(code == 2, $"{command}: {err}");
            Assert.Contains("not a class label", err);
            (code, _, err) = CliTests.Run([command, model, "--data", "coffee", .. weight, "--l2", "-1"]);
            Assert.True(code == 2, $"{command}: {err}");
            Assert.Contains("--l2 -1: must be >= 0", err);
        }
    }
}
