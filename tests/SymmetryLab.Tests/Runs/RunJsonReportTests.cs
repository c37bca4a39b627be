using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Runs;

/// <summary>
/// <c>symlab report</c> reads run.json through its record: a folder written before run.json had target,
/// test and splitSeed still gets its report (the same page), and a run.json with a field missing or of
/// the wrong kind is refused, exit 2, naming the file and the field.
/// </summary>
public class RunJsonReportTests
{
    [Fact]
    public void A_run_json_from_before_target_test_and_split_seed_gives_the_same_report()
    {
        string root = TestNets.TempDir(), run = Path.Combine(root, "run");
        try
        {
            var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--layers", "2,1", "--epochs", "3", "--out", run);
            Assert.True(code == 0, err);
            string html = Report(run, Path.Combine(root, "now.html"));
            string path = Path.Combine(run, "run.json");
            var lines = File.ReadAllLines(path);
            var old = lines.Where(l => !l.Contains("\"target\"", StringComparison.Ordinal) && !l.Contains("\"test\"", StringComparison.Ordinal) && !l.Contains("\"splitSeed\"", StringComparison.Ordinal)).ToArray();
            Assert.Equal(lines.Length - 3, old.Length);
            old[^2] = old[^2].TrimEnd(','); // the field before the closing brace was "normalize", now the last
            File.WriteAllLines(path, old);
            Assert.Equal(html, Report(run, Path.Combine(root, "now.html")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Theory]
    [InlineData("\"loss\"", "\"lost\"", "'loss'")]
    [InlineData("\"epochs\": 3", "\"epochs\": \"3\"", "$.epochs")]
    [InlineData("\"data\": \"coffee\"", "\"data\": null", "$.data")]
    public void A_run_json_with_a_field_missing_or_of_the_wrong_kind_is_refused_naming_the_file_and_the_field(string from, string to, string field)
    {
        string root = TestNets.TempDir(), run = Path.Combine(root, "run");
        try
        {
            var (code, _, err) = CliTests.Run("train", "--data", "coffee", "--layers", "2,1", "--epochs", "3", "--out", run);
            Assert.True(code == 0, err);
            string path = Path.Combine(run, "run.json");
            string text = File.ReadAllText(path);
            Assert.Contains(from, text);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
            (code, _, err) = CliTests.Run("report", run, "--out", Path.Combine(root, "r.html"));
            Assert.Equal(2, code);
            Assert.Contains($"{path}: not a run.json of a run (", err);
            Assert.Contains(field, err);
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    private static string Report(string run, string html)
    {
        var (code, _, err) = CliTests.Run("report", run, "--out", html);
        Assert.True(code == 0, err);
        return File.ReadAllText(html);
    }
}
