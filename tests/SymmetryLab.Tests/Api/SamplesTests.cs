using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Api;

/// <summary>
/// The programs of samples/, built with the suite (project references) and run as a user runs them, in
/// a child process; what they print is checked against the command line's own answers.
/// </summary>
public partial class SamplesTests
{
    private static (int Code, string Out, string Err) RunSample(string name)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, name + ".dll"));
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(entireProcessTree: true); Assert.Fail($"{name} did not finish in 2 minutes"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void TheQuickStartPredictsWhatSymlabPredictSaysOfTheSameTraining()
    {
        var (code, output, err) = RunSample("QuickStart");
        Assert.True(code == 0, err);
        Assert.Contains("layer 1: 3 units, 3 distinct", output);
        Assert.Contains("diagnosis: healthy", output);

        string dir = TestNets.TempDir();
        var train = CliTests.Run("train", "--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--optimizer", "adam", "--lr", "0.01", "--epochs", "200", "--seed", "1234", "--out", dir, "--json");
        Assert.True(train.Code == 0, train.Err);
        var match = Probabilities().Match(output);
        Assert.True(match.Success, output);
        foreach (var (input, group) in new[] { ("200,13.9", 1), ("200,17", 2) })
        {
            var predict = CliTests.Run("predict", Path.Combine(dir, "model.json"), "--input", input);
            Assert.True(predict.Code == 0, predict.Err);
            double expected = double.Parse(predict.Out.Split(' ')[0], CultureInfo.InvariantCulture);
            Assert.Equal(expected.ToString("F3", CultureInfo.InvariantCulture), match.Groups[group].Value);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TheTiedSampleFindsWhatTheLessonSays()
    {
        var (code, output, err) = RunSample("Tied221");
        Assert.True(code == 0, output + err);
        Assert.Contains("tied, w5 = w6 = 0.5: at the start dJ/dw1 = 0.00843798, dJ/dw3 = 0.00843798", output);
        Assert.Contains("layer 1: 2 units, 1 distinct: identical {1,2} (1 at the start, never split)", output);
        Assert.Contains("layer 1: 2 units, 2 distinct (1 at the start, split at step 1)", output);
    }

    [Fact]
    public void TheSeedSweepAlignsEveryRunWithoutChangingItsFunction()
    {
        var (code, output, err) = RunSample("SeedSweep");
        Assert.True(code == 0, output + err);
        var rows = output.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+\d+\s")).ToList();
        Assert.Equal(5, rows.Count);
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double before = double.Parse(cells[2], CultureInfo.InvariantCulture), after = double.Parse(cells[3], CultureInfo.InvariantCulture);
            Assert.True(after <= before, row);
        }
    }

    [GeneratedRegex(@"P\(good roast\) at 200 C: (\d\.\d{3}) for 13\.9 minutes, (\d\.\d{3}) for 17 minutes")]
    private static partial Regex Probabilities();
}
