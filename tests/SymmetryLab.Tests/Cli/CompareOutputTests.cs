using SymmetryLab.Cli;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// Lists of units in the terminal's tables: spaced, so that a long list wraps between numbers (a cell
/// without spaces wrapped inside them: "23,2" above "4,25"), and cut with a count past a dozen; what
/// <c>symlab compare</c> prints: a narrow layer's pairs and unmatched units in full, a wide layer's
/// (MNIST's 512 units) as its first pairs and a count, and the legend of negated units only when a unit
/// was negated.
/// </summary>
public class CompareOutputTests
{
    [Fact]
    public void Unit_lists_are_spaced_and_cut_with_a_count_past_a_dozen()
    {
        Assert.Equal("3, 17", Terminal.Units([3, 17]));
        Assert.Equal("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12", Terminal.Units([.. Enumerable.Range(1, 12)]));
        Assert.Equal("1, 2, 3, 4, 5, 6, ..., 13 (13 units)", Terminal.Units([.. Enumerable.Range(1, 13)]));
        Assert.Equal("{2, 5}", Terminal.Group([2, 5]));
        Assert.Equal("{1, 2, 3, 4, 5, 6, ..., 40} (40 units)", Terminal.Group([.. Enumerable.Range(1, 40)]));
    }

    [Fact]
    public void Train_lists_a_wide_group_of_identical_units_by_its_first_units_and_count()
    {
        var (code, output, err) = CliTests.Run("train", "--data", "xor", "--layers", "40,1", "--init", "zeros", "--epochs", "1");
        Assert.True(code == 0, err);
        Assert.Contains("{1, 2, 3, 4, 5, 6, ..., 40} (40", output);      // the table may wrap before "units)"
        Assert.Contains("one unit", output);                             // the output layer: not "all different"
        Assert.DoesNotContain("23,2", output);
    }

    private static (string A, string B) Save(Activation hidden, int units)
    {
        string dir = TestNets.TempDir();
        string a = Path.Combine(dir, "a.json"), b = Path.Combine(dir, "b.json");
        ModelFile.Save(TestNets.Random<double>(3, [(units, hidden), (2, Activation.Linear)], seed: 1), a);
        ModelFile.Save(TestNets.Random<double>(3, [(units, hidden), (2, Activation.Linear)], seed: 2), b);
        return (a, b);
    }

    private static string Compare(string a, string b)
    {
        var (code, output, err) = CliTests.Run("compare", a, b, "--threshold", "0.01");
        Assert.True(code == 0, err);
        return output;
    }

    [Fact]
    public void A_wide_layer_shows_its_first_pairs_and_a_count_not_every_unit()
    {
        var (a, b) = Save(Activation.Relu, 40);
        string output = Compare(a, b);
        // Independent random units are all further apart than 1% of their norms.
        Assert.Contains("40 of 40", output);
        Assert.Matches(@"1->\d+ 2->\d+ 3->\d+ 4->\d+ \.\.\. 40->\d+", output);
        Assert.DoesNotContain("5->", output);
        Assert.DoesNotContain("1,2,3", output);
        Assert.Contains("A layer of more than 16 units shows its first pairs", output);
        Assert.DoesNotContain("negated", output);                       // relu: no unit is negated
    }

    [Fact]
    public void A_narrow_layer_lists_every_pair_and_unmatched_unit_spaced()
    {
        var (a, b) = Save(Activation.Tanh, 6);
        string output = Compare(a, b);
        Assert.Matches(@"1->-?\d 2->-?\d 3->-?\d 4->-?\d 5->-?\d 6->-?\d", output);
        Assert.Contains("1, 2, 3, 4, 5, 6", output);
        Assert.DoesNotContain("A layer of more than", output);
    }

    [Fact]
    public void The_legend_of_negated_units_appears_when_one_is_negated()
    {
        // B is A with its first tanh unit negated (incoming weights and bias, outgoing weights): -tanh(z) = tanh(-z).
        string dir = TestNets.TempDir();
        var net = TestNets.Random<double>(2, [(4, Activation.Tanh), (1, Activation.Sigmoid)], seed: 3);
        string a = Path.Combine(dir, "a.json"), b = Path.Combine(dir, "b.json");
        ModelFile.Save(net, a);
        var hidden = net.Layers[0];
        for (int i = 0; i < hidden.Inputs; i++) hidden.Weights[i] = -hidden.Weights[i];
        hidden.Biases[0] = -hidden.Biases[0];
        var output = net.Layers[1];
        for (int o = 0; o < output.Units; o++) output.Weights[o * output.Inputs] = -output.Weights[o * output.Inputs];
        ModelFile.Save(net, b);
        var (code, printed, err) = CliTests.Run("compare", a, b, "--data", "xor");
        Assert.True(code == 0, err);
        Assert.Contains("1->-1", printed);
        Assert.Contains("-k: B's unit k negated", printed);
        Assert.Contains("none", printed);                                // every unit has its partner
        // Aligned, B is A: the line after alignment is flat, its barrier 0 and at no t in particular.
        string after = printed.Split('\n').Single(l => l.Contains("│ after alignment"));
        Assert.Matches(@"│ 0\s+│ -\s+│$", after.TrimEnd());
    }
}
