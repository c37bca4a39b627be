using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Tests.Lab;

/// <summary>The words of the experiments against their own measurements and the lessons' notation.</summary>
public class ExperimentWordsTests
{
    /// <summary>The cell of <paramref name="column"/> in the row of <paramref name="label"/>, up to " (baseline".</summary>
    private static string Cell(ExperimentResult r, string label, string column)
    {
        var table = r.Tables.First(t => t.Columns.Contains(column));
        var row = table.Rows.Single(x => x[0] == label);
        return row[Array.IndexOf(table.Columns, column)].Split(" (baseline")[0];
    }

    [Fact]
    public void Why_different_gives_each_identical_start_its_own_measured_accuracy()
    {
        var r = QuickRuns.Of("why-different");
        string answer = r.Answer[0];
        foreach (var label in new[] { "zeros", "constant 0.5", "symmetric random" })
        {
            // The part of the answer about this start: from its name to the next ';' or the end of the sentence.
            int at = answer.IndexOf($"from {label},", StringComparison.Ordinal);
            Assert.True(at >= 0, $"the answer names no figures of its own for '{label}': {answer}");
            string part = answer[at..].Split(["; ", ". "], StringSplitOptions.None)[0];
            Assert.Contains(Cell(r, label, "test accuracy (baseline)"), part);
        }
    }

    [Fact]
    public void Lessons_notation_is_mapped_to_ours_where_it_is_quoted()
    {
        var tanh = QuickRuns.Of("tanh-sgd");
        Assert.Contains("its W12 (input 1 to unit 2) is our W1[2,1]", tanh.Setup);
        Assert.Contains(tanh.Tables[0].Columns, c => c.Contains("W12") && c.Contains("our W1[2,1]"));
        var tied = QuickRuns.Of("tied-2-2-1");
        Assert.Contains("w3, w4 are unit 2's, W1[2,1] and W1[2,2]", tied.Setup);
    }

    [Fact]
    public void The_data_and_the_lessons_seeds_are_described_as_they_are()
    {
        var why = QuickRuns.Of("why-different");
        Assert.DoesNotContain("the course's 1000 images", why.Setup);
        Assert.Contains("MNIST", why.Setup);
        foreach (var name in new[] { "tied-2-2-1", "logistic-from-zero" })
            Assert.Contains("set_seed(1234), whose draws no other generator reproduces", QuickRuns.Of(name).Setup);
        Assert.Contains("np.random.seed(3) draws cannot be reproduced", QuickRuns.Of("dls-initialization").Setup);
        string readme = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot(), "README.md")), @"\s+", " ");
        Assert.DoesNotContain("the course's 1000 images", readme);
    }

    [Fact]
    public void Every_accuracy_in_a_table_stands_beside_its_baseline()
    {
        foreach (var e in ExperimentCatalog.All)
            foreach (var t in QuickRuns.Of(e.Name).Tables)
                foreach (var (column, i) in t.Columns.Select((c, i) => (c, i)).Where(c => c.c.Contains("accuracy")))
                {
                    Assert.Contains("baseline", column);
                    Assert.All(t.Rows, row => Assert.Contains("(baseline ", row[i]));
                }
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SymmetryLab.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("no SymmetryLab.slnx above the test binaries");
    }
}
