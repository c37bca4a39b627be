using System.Text.Json;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// --test FRACTION draws its split from --split-seed, not --seed: two seeds train on the same rows
/// (so they fit the same z-score and can be compared), and compare refuses what it must before any work.
/// </summary>
public class SplitSeedTests
{
    private static readonly string[] Setup = ["train", "--data", "circles:n=120", "--layers", "4,1", "--normalize", "zscore", "--test", "0.2", "--epochs", "2", "--threads", "1"];

    private static JsonElement Normalization(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "model.json")));
        return doc.RootElement.GetProperty("normalization").Clone();
    }

    [Fact]
    public void Two_seeds_train_on_the_same_rows_unless_the_split_seed_differs()
    {
        string root = TestNets.TempDir();
        string Train(string name, params string[] more)
        {
            string dir = Path.Combine(root, name);
            var (code, _, err) = CliTests.Run([.. Setup, .. more, "--out", dir]);
            Assert.True(code == 0, err);
            return dir;
        }
        string one = Train("seed1", "--seed", "1"), two = Train("seed2", "--seed", "2"), other = Train("split2", "--seed", "1", "--split-seed", "2");

        // The z-score is fitted on the training rows: equal means equal rows (96 of 120 random points).
        Assert.Equal(Normalization(one).GetRawText(), Normalization(two).GetRawText());
        Assert.NotEqual(Normalization(one).GetRawText(), Normalization(other).GetRawText());
        // The models themselves differ: the seed still draws the initialization.
        Assert.NotEqual(File.ReadAllText(Path.Combine(one, "model.json")), File.ReadAllText(Path.Combine(two, "model.json")));

        using var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(other, "run.json")));
        Assert.Equal(2ul, run.RootElement.GetProperty("splitSeed").GetUInt64());
        Assert.Equal("0.2", run.RootElement.GetProperty("test").GetString());
        // Each field once (a merge once wrote "test" twice; JsonDocument keeps both, and readers disagree on which wins).
        var names = run.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        using var defaults = JsonDocument.Parse(File.ReadAllText(Path.Combine(two, "run.json")));
        Assert.Equal(1ul, defaults.RootElement.GetProperty("splitSeed").GetUInt64());

        // Same rows: compare measures the barrier. Different rows: refused for that, before anything is
        // said about the data (the data file named here does not exist, yet the message is about the
        // normalization) and before the units are matched.
        var (code, _, err) = CliTests.Run("compare", Path.Combine(one, "model.json"), Path.Combine(two, "model.json"), "--data", "circles:n=120", "--json");
        Assert.True(code == 0, err);
        string b = Path.Combine(other, "model.json");
        (code, _, err) = CliTests.Run("compare", Path.Combine(one, "model.json"), b, "--data", Path.Combine(root, "missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains($"{b}: normalizes its inputs differently", err);
        Assert.DoesNotContain("missing.csv", err);
    }

    [Fact]
    public void Compare_refuses_models_of_different_shapes_before_anything_about_the_data()
    {
        string root = TestNets.TempDir();
        string a = Path.Combine(root, "a"), b = Path.Combine(root, "b");
        Assert.Equal(0, CliTests.Run([.. Setup, "--out", a]).Code);
        Assert.Equal(0, CliTests.Run([.. Setup[..4], "5,1", .. Setup[5..], "--out", b]).Code);
        var (code, _, err) = CliTests.Run("compare", Path.Combine(a, "model.json"), Path.Combine(b, "model.json"), "--data", Path.Combine(root, "missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains("layer 1 has 5 units", err);
    }
}
