using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Lab;

/// <summary>
/// The diagnosis's advice names what to change only when the run says it: the setting that made the units
/// identical (never for weights from a file), and no verdict on the cost from a single epoch.
/// </summary>
public class DiagnosisAdviceTests
{
    private static string Diagnosis(params string[] args)
    {
        var (code, output, error) = CliTests.Run(["train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--threads", "1", .. args]);
        Assert.True(code == 0, error);
        return output.Split('\n').Single(l => l.StartsWith("diagnosis: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zeros", "(give the units different starting weights: a random --init).")]
    [InlineData("constant:0.5", "(give the units different starting weights: a random --init).")]
    [InlineData("symmetric:he-normal", "(give the units different starting weights: --init he-normal instead of symmetric:he-normal).")]
    public void Identical_units_name_the_init_that_made_them(string init, string advice)
    {
        string line = Diagnosis("--init", init, "--optimizer", "gd", "--lr", "0.5", "--epochs", "5", "--precision", "float64", "--activation", "sigmoid");
        Assert.StartsWith("diagnosis: symmetric: ", line);
        Assert.Contains(advice, line);
    }

    [Fact]
    public void Identical_units_from_a_file_name_no_initializer()
    {
        string dir = TestNets.TempDir();
        try
        {
            Assert.Equal(0, CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--init", "zeros", "--epochs", "0", "--out", Path.Combine(dir, "z")).Code);
            string line = Diagnosis("--model", Path.Combine(dir, "z", "initial.json"), "--epochs", "3");
            Assert.StartsWith("diagnosis: symmetric: ", line);
            Assert.Contains("(give the units different starting weights).", line);
            Assert.DoesNotContain("--init", line);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Saturation_from_large_biases_names_the_biases_and_asks_for_no_normalization_already_given()
    {
        // z-scored coffee, glorot weights, every bias 10: the biases pin the units, not the weights or the inputs.
        string line = Diagnosis("--bias-init", "constant:10", "--epochs", "2");
        Assert.StartsWith("diagnosis: saturated: ", line);
        Assert.Contains("The biases reach 10: biases that start at 0 (the default) add nothing to z.", line);
        Assert.DoesNotContain("--normalize zscore", line);
        Assert.DoesNotContain("large weights", line);
    }

    [Fact]
    public void One_epoch_says_nothing_of_whether_the_cost_falls()
    {
        string line = Diagnosis("--optimizer", "gd", "--lr", "0.001", "--epochs", "1");
        Assert.StartsWith("diagnosis: baseline: ", line);
        Assert.EndsWith("It has trained one epoch, too few to say whether the cost falls: train more epochs.", line);
        Assert.DoesNotContain("did not fall", line);
    }
}
