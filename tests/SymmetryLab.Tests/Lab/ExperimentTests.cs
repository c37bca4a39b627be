using System.Text;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Lab;

/// <summary>Every experiment's claims hold on its own run (quick sizes, which keep the claims meaningful), and its setups can be redone by hand.</summary>
public class ExperimentTests
{
    public static TheoryData<string> Names() => new(ExperimentCatalog.All.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void ClaimsPassOnTheRun(string name)
    {
        var result = QuickRuns.Of(name);
        var failed = result.Claims.Where(c => !c.Passed).Select(c => $"{c.Text} (observed: {c.Observed})").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.NotEmpty(result.Claims);
        Assert.NotEmpty(result.Answer);
        Assert.NotEmpty(result.Tables);
        OneRecordedCommandGivesTheSameModelBytes(result);
    }

    [Fact]
    public void The_soup_bowl_says_what_matching_did_to_run_2s_units()
    {
        // Its sentence about runs 1 and 2 names a reordering only when the match column has one, and negation
        // only when it has a minus sign (a match of "-1, 2, 3" was called "listed in another order").
        var (code, output, err) = CliTests.Run("experiment", "run", "soup-bowl");
        Assert.True(code == 0, err);
        string row = output.Split('\n').First(l => l.StartsWith("│ 2 ", StringComparison.Ordinal));
        string[] match = row.Split('│')[5].Trim().Split(", ");
        bool reordered = match.Select((m, j) => int.Parse(m.TrimStart('-'), System.Globalization.CultureInfo.InvariantCulture) != j + 1).Any(x => x);
        bool negated = match.Any(m => m.StartsWith('-'));
        string sentence = output.Split('\n').Single(l => l.Contains("Listed as trained, run 1 and run 2", StringComparison.Ordinal));
        Assert.Equal(reordered, sentence.Contains("another order", StringComparison.Ordinal));
        Assert.Equal(negated, sentence.Contains("negated", StringComparison.Ordinal));
    }

    [Fact]
    public void Rows_of_w1_says_towards_each_other_only_when_no_pair_got_closer()
    {
        string answer = QuickRuns.Of("rows-of-w1").Answer[0];
        var ratios = System.Text.RegularExpressions.Regex.Matches(answer, @"([0-9.]+) times").Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(ratios);
        Assert.Equal(ratios.All(r => r >= 1), answer.Contains("do not drift towards each other", StringComparison.Ordinal));
    }

    /// <summary>The last setup's printed command, split as a shell splits it and run, writes the setup's model.json byte for byte.</summary>
    private static void OneRecordedCommandGivesTheSameModelBytes(ExperimentResult result)
    {
        Assert.NotEmpty(result.Replays);
        Assert.Equal(result.Replays.Count, result.Replays.Select(r => r.Folder).Distinct().Count());
        string dir = TestNets.TempDir();
        HtmlReport.WriteReplays(dir, result);
        var replay = result.Replays[^1];
        string setup = HtmlReport.SetupDir(dir, result, replay);
        string command = File.ReadAllLines(Path.Combine(setup, "command.txt"))[1];
        Assert.Contains("--seed ", command);
        var words = ShellWords(command);
        Assert.Equal("symlab", words[0]);
        var (code, output, err) = CliTests.Run([.. words.Skip(1)]);
        Assert.True(code == 0, $"{command}\n{err}{output}");
        Assert.Equal(File.ReadAllText(Path.Combine(setup, "initial.json")), File.ReadAllText(Path.Combine(setup, "replay", "initial.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(setup, "model.json")), File.ReadAllBytes(Path.Combine(setup, "replay", "model.json")));
    }

    /// <summary>Words of a POSIX command line with single quotes (all Replay.Command writes).</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in line)
        {
            if (c == '\'') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any || word.Length > 0) words.Add(word.ToString()); word.Clear(); any = false; }
            else word.Append(c);
        }
        if (any || word.Length > 0) words.Add(word.ToString());
        return words;
    }

    [Fact]
    public void TheLessonsQuestionsAreAllCovered()
    {
        string[] required = ["why-different", "tied-2-2-1", "logistic-from-zero", "esl-k-class", "tanh-sgd", "rows-of-w1", "soup-bowl", "dls-initialization", "what-breaks-symmetry", "dead-or-symmetric"];
        Assert.Empty(required.Except(ExperimentCatalog.All.Select(e => e.Name)));
    }
}
