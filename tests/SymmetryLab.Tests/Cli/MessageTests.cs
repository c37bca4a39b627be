namespace SymmetryLab.Tests.Cli;

/// <summary>Messages and tables a learner reads whole: our words, nothing cut, every default shown.</summary>
public class MessageTests
{
    private static string Model(string json)
    {
        string path = Path.Combine(TestNets.TempDir(), "m.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_trailing_comma_in_a_model_file_is_named_in_our_words()
    {
        string path = Model("""
            {"format":"symlab-model","version":1,"inputs":2,
             "layers":[{"activation":"sigmoid","weights":[[1,2]],"biases":[0],}]}
            """);
        var (code, _, err) = CliTests.Run("predict", path, "--input", "1,2");
        Assert.Equal(2, code);
        Assert.Contains($"{path}: not valid JSON at line 2", err);
        Assert.Contains("a comma before '}'", err);
        Assert.DoesNotContain("reader options", err);
        Assert.DoesNotContain("LineNumber", err);
    }

    [Fact]
    public void Training_from_a_file_without_a_precision_says_it_trains_in_float64()
    {
        string path = Model("""{"format":"symlab-model","version":1,"inputs":2,"layers":[{"activation":"sigmoid","weights":[[0.1,0.2]],"biases":[0]}]}""");
        var (code, output, err) = CliTests.Run("train", "--data", "coffee", "--model", path, "--epochs", "1", "--json");
        Assert.True(code == 0, err);
        Assert.Contains("does not say its precision; training in float64", err);
        Assert.Contains("\"precision\": \"float64\"", output);
        var (_, _, quiet) = CliTests.Run("train", "--data", "coffee", "--model", path, "--epochs", "1", "--precision", "float32");
        Assert.DoesNotContain("precision", quiet);
    }

    [Fact]
    public void Train_help_shows_the_default_layers()
    {
        var (code, output, _) = CliTests.Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("default 25,15,K", output);
    }

    [Fact]
    public void No_table_cuts_a_word_at_the_width_of_a_log()
    {
        string dir = Path.Combine(TestNets.TempDir(), "run");
        var runs = new List<string[]>
        {
            new[] { "train", "--data", "coffee", "--epochs", "2", "--out", dir },
            new[] { "inspect", Path.Combine(dir, "model.json"), "--data", "coffee" },
            new[] { "explain", Path.Combine(dir, "model.json"), "--data", "coffee", "--weight", "W1:2:1", "--vs", "W1:3:1" },
            new[] { "compare", Path.Combine(dir, "model.json"), Path.Combine(dir, "initial.json"), "--data", "coffee" },
            new[] { "data", "list" },
            new[] { "experiment", "list" },
        };
        foreach (var args in runs)
        {
            var (code, output, err) = CliTests.Run(args);
            Assert.True(code == 0, $"{string.Join(" ", args)}: {err}");
            Assert.DoesNotContain("…", output);
        }
        var (_, inspect, _) = CliTests.Run("inspect", Path.Combine(dir, "model.json"), "--data", "coffee");
        foreach (var header in new[] { "same incoming", "same in and out", "closest distinct pair", "dead (relu)", "saturated", "most correlated units" })
            Assert.Contains(header, inspect);
    }
}
