using SymmetryLab.Cli.Commands;
using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Tests.Cli;

/// <summary>The demo runs its experiments side by side: what it prints is what they give one after the other.</summary>
public class DemoCommandTests
{
    [Fact]
    public void TheDemoPrintsEachExperimentInOrderAsItGivesAlone()
    {
        var (code, output, err) = CliTests.Run("demo", "--quick", "--out", TestNets.TempDir());
        Assert.True(code == 0, err + output);

        // Each flagship experiment run alone, in order, on this thread.
        var progress = new List<string>();
        var answers = new List<string>();
        foreach (var name in DemoCommand.Flagship)
        {
            progress.Add($"running {name} ...");
            var result = ExperimentCatalog.Find(name)!.Run(new ExperimentOptions(Quick: true, m => progress.Add($"  {m}")));
            answers.Add(result.Title);
            answers.AddRange(result.Answer.Select(a => $"  - {a}"));
        }
        Assert.Equal(progress, err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var printed = output.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal) || DemoCommand.Flagship.Any(n => l.StartsWith(ExperimentCatalog.Find(n)!.Title, StringComparison.Ordinal)));
        Assert.Equal(answers, printed.Select(l => l.StartsWith("  - ", StringComparison.Ordinal) ? l : l[..l.LastIndexOf(" [", StringComparison.Ordinal)]));
    }
}
