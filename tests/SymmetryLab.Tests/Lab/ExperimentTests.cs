using SymmetryLab.Lab.Experiments;

namespace SymmetryLab.Tests.Lab;

/// <summary>Every experiment's claims hold on its own run (quick sizes, which keep the claims meaningful).</summary>
public class ExperimentTests
{
    public static TheoryData<string> Names() => new(ExperimentCatalog.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void ClaimsPassOnTheRun(string name)
    {
        var result = ExperimentCatalog.Find(name)!.Run(new ExperimentOptions(Quick: true));
        var failed = result.Claims.Where(c => !c.Passed).Select(c => $"{c.Text} (observed: {c.Observed})").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.NotEmpty(result.Claims);
        Assert.NotEmpty(result.Answer);
        Assert.NotEmpty(result.Tables);
    }

    [Fact]
    public void TheLessonsQuestionsAreAllCovered()
    {
        string[] required = ["why-different", "tied-2-2-1", "logistic-from-zero", "esl-k-class", "tanh-sgd", "rows-of-w1", "soup-bowl", "dls-initialization", "what-breaks-symmetry", "dead-or-symmetric"];
        Assert.Empty(required.Except(ExperimentCatalog.All.Select(e => e.Name)));
    }
}
