using System.Text.Json;
using SymmetryLab.Engine;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Serialization;

namespace SymmetryLab.Tests.Cli;

/// <summary>
/// What a systematic run of every command over the edges of its flags found ending in "internal error"
/// (exit 1): each case as it was typed, now a clear message naming the culprit (exit 2) or an answer.
/// </summary>
public sealed class EdgeInputTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private static string SmallModel(double weight)
    {
        var net = Network.Empty<double>(2, [Layer.Dense(2, Activation.Sigmoid), Layer.Dense(1, Activation.Sigmoid)]);
        Array.Fill(net.Layers[0].Weights, weight);
        Array.Fill(net.Layers[1].Weights, weight);
        string model = Path.Combine(TestNets.TempDir(), "small.json");
        File.WriteAllText(model, ModelFile.Write(net, SymmetryLab.Data.DataSource.Load("xor").Train.TargetName));
        return model;
    }

    [Theory]
    [InlineData("predict", "", "--input", "1,2")]
    [InlineData("explain", "", "--data", "xor", "--weight", "W1[1,1]")]
    [InlineData("inspect", "")]
    [InlineData("audit", "")]
    [InlineData("export", "", "--onnx", "out.onnx")]
    [InlineData("import", "", "--out", "out.json")]
    [InlineData("train", "--model", "", "--data", "xor", "--epochs", "0")]
    public void An_empty_file_name_is_bad_input_not_a_crash(params string[] args)
    {
        // '' is what a script passes when its variable is unset; FileInfo("") threw ArgumentException.
        var (code, _, err) = Run(args);
        Assert.True(code == 2, err);
        Assert.Contains("\"\": an empty name", err);
        Assert.DoesNotContain("internal error", err);
    }

    [Fact]
    public void Explain_json_with_an_L2_term_beyond_double_writes_null_not_a_crash()
    {
        // (l2/m) w = 1e308 * 3 on one sample overflows to infinity, which JSON cannot hold: l2Term, like the
        // gradient it makes infinite, is null (the text output says Infinity).
        string model = SmallModel(3);
        var (code, output, err) = Run("explain", model, "--data", "xor", "--weight", "W1[1,1]", "--l2", "1e308", "--sample", "1", "--json");
        Assert.True(code == 0, err);
        var e = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, e.GetProperty("l2Term").ValueKind);
        Assert.Equal(JsonValueKind.Null, e.GetProperty("gradient").ValueKind);
        Assert.True(e.GetProperty("product").GetDouble() != 0);
    }

    [Fact]
    public void Explain_text_with_a_cost_that_is_not_finite_says_so_instead_of_a_noise_of_NaN()
    {
        string model = SmallModel(3);
        var (code, output, err) = Run("explain", model, "--data", "xor", "--weight", "W1[1,1]", "--l2", "1e308", "--sample", "1");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("+-NaN", output);
        Assert.Contains("rounding noise not measured: J not finite near w", output.Replace("\n", " "));
    }

    [Fact]
    public void Compare_refuses_more_points_than_a_curve_can_show_before_any_work()
    {
        // --points 100000000 ran for minutes towards gigabytes of path points; now exit 2 at once naming --points.
        string model = SmallModel(0.5);
        var r = SymlabProcess.Run(["compare", model, model, "--data", "xor", "--points", "100000000"], timeout: TimeSpan.FromSeconds(60));
        Assert.False(r.TimedOut);
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains("--points 100000000: must be at most 100000", r.Err);
    }

    [Theory]
    [InlineData("mine")]
    [InlineData("mine/")]
    public void Sweep_into_a_folder_named_relative_to_the_working_folder_runs(string outDir)
    {
        // The lock file's parent was Path.GetDirectoryName(".mine.symlab-lock"), "", and creating it threw.
        string cwd = TestNets.TempDir();
        using var p = SymlabProcess.Start(["sweep", "--data", "xor:n=20", "--layers", "2,1", "--epochs", "1", "--seeds", "1..2", "--out", outDir], workingDirectory: cwd);
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        Assert.True(File.Exists(Path.Combine(cwd, "mine", "summary.json")));
        Assert.Equal(["mine"], Directory.GetFileSystemEntries(cwd).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("experiment", "run", "why-different", "--quick")]
    [InlineData("demo", "--quick")]
    public void A_report_folder_that_is_a_file_is_refused_before_the_runs(params string[] command)
    {
        // The runs took their minutes, then creating the folder failed: exit 1, "The file ... already exists".
        string file = Path.Combine(TestNets.TempDir(), "report");
        File.WriteAllText(file, "mine");
        var r = SymlabProcess.Run([.. command, "--out", file], timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.Code == 2, r.Err);
        Assert.Contains($"--out {file}: is a file, not a folder", r.Err);
        Assert.DoesNotContain("running", r.Err);
        Assert.Equal("mine", File.ReadAllText(file));
    }
}
