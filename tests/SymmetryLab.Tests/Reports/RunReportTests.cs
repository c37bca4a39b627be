using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SymmetryLab.Data;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Reports;

/// <summary><c>symlab report</c> and <c>train --report</c>: any run gets the report an experiment gets, one self-contained page with its PNGs beside it.</summary>
public class RunReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static (string Dir, JsonElement Json) Train(params string[] args)
    {
        string dir = Path.Combine(TestNets.TempDir(), "run");
        var (code, output, err) = CliTests.Run(["train", .. args, "--out", dir, "--json"]);
        Assert.True(code == 0, err + output);
        return (dir, JsonDocument.Parse(output).RootElement);
    }

    private static string[] Figures(string html) => Regex.Matches(html, "data-figure=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();

    private static void AssertPngsBeside(string html, string folder, string stem)
    {
        int inline = Regex.Matches(html, "src=\"data:image/png;base64,").Count;
        var files = Directory.GetFiles(folder, $"{stem}-*.png");
        Assert.Equal(inline, files.Length);
        Assert.All(files, f => Assert.Equal(PngSignature, File.ReadAllBytes(f)[..8]));
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void Every_unit_map_is_drawn_whole_inside_the_picture()
    {
        // Three maps in a row: the figure was too narrow for them beside the colour bar, and the first map's
        // left part fell outside the picture. Its leftmost column of pixels must hold no map colour.
        var (dir, _) = Train("--data", "plane", "--layers", "3,1", "--test", "0.3");
        var figure = SymmetryLab.Runs.RunReport.Build(dir).Figures.Single(f => f.Name == "unit-maps");
        foreach (var (label, png) in SymmetryLab.Reports.FigureRenderer.Render(figure))
        {
            using var image = SkiaSharp.SKBitmap.Decode(png);
            for (int y = 0; y < image.Height; y++)
            {
                var c = image.GetPixel(0, y);
                bool grey = Math.Abs(c.Red - c.Green) < 24 && Math.Abs(c.Green - c.Blue) < 24;
                Assert.True(grey, $"{label}: pixel (0, {y}) is {c}, a map's colour at the picture's left edge");
            }
        }
    }

    [Fact]
    public void A_two_feature_run_gets_curves_beside_the_baseline_units_similarity_trajectories_regions_and_unit_maps()
    {
        var (dir, json) = Train("--data", "coffee", "--layers", "3,1", "--normalize", "zscore", "--lr", "0.05", "--epochs", "30", "--record", "weights:7", "--report");
        string report = json.GetProperty("report").GetString()!;
        Assert.Equal(Path.GetFullPath(Path.Combine(dir, "report.html")), Path.GetFullPath(report));
        string html = File.ReadAllText(report);
        Assert.Equal(["loss", "accuracy", "distinct-units", "similarity-layer1", "trajectories", "decision-boundary", "unit-maps"], Figures(html));
        AssertPngsBeside(html, dir, "report");
        // The numbers on the page are the run's own: the final model's cost and the baseline.
        Assert.Contains($"cost {json.GetProperty("loss").GetDouble().ToString("G6", CultureInfo.InvariantCulture)}", html);
        Assert.Contains("always answering class 0: 78.5 %", html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(json.GetProperty("explanation").GetString()!), html);
    }

    [Fact]
    public void An_image_run_gets_its_first_layers_weights_as_tiles_and_a_report_can_go_anywhere()
    {
        var (dir, _) = Train("--data", "digits01", "--test", "0.2", "--layers", "6,1", "--epochs", "1");
        string out_ = Path.Combine(TestNets.TempDir(), "elsewhere", "digits.html");
        var (code, output, err) = CliTests.Run("report", dir, "--out", out_);
        Assert.True(code == 0, err);
        Assert.Contains(out_, output);
        string html = File.ReadAllText(out_);
        Assert.Contains("weights", Figures(html));
        Assert.DoesNotContain("decision-boundary", Figures(html));
        Assert.Contains("test data", html);
        AssertPngsBeside(html, Path.GetDirectoryName(out_)!, "digits");
    }

    [Fact]
    public void A_report_measures_the_test_rows_the_run_held_out_with_its_split_seed()
    {
        var (dir, json) = Train("--data", "circles:n=120", "--layers", "4,1", "--normalize", "zscore", "--test", "0.2", "--split-seed", "7", "--epochs", "3");
        var (code, _, err) = CliTests.Run("report", dir);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains($"on the test data: cost {json.GetProperty("testLoss").GetDouble().ToString("G6", CultureInfo.InvariantCulture)}", html);
    }

    [Fact]
    public void The_unit_maps_title_names_the_output_units_when_a_linear_output_is_drawn_too()
    {
        string csv = Path.Combine(TestNets.TempDir(), "plane.csv");
        File.WriteAllText(csv, "x,y,t\n" + string.Join("\n", Enumerable.Range(0, 20).Select(i => FormattableString.Invariant($"{i % 5},{i / 5},{0.5 * i}"))) + "\n");
        var (dir, _) = Train("--data", csv, "--layers", "3,1", "--loss", "mse", "--epochs", "2", "--report");
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("Every hidden and output unit&#39;s output over the input plane", html);
        // The maps span the data's range widened by 5% on each side: x from 0 - 0.2 to 4 + 0.2.
        Assert.Contains("x from -0.2 to 4.2", html);

        var (coffee, _) = Train("--data", "coffee", "--layers", "3,1", "--epochs", "1", "--report");
        Assert.Contains("Every hidden unit&#39;s output over the input plane", File.ReadAllText(Path.Combine(coffee, "report.html")));
    }

    [Fact]
    public void A_run_of_zero_epochs_is_reported_as_its_start()
    {
        var (dir, _) = Train("--data", "coffee", "--layers", "2,1", "--init", "symmetric:glorot-uniform", "--epochs", "0");
        var (code, _, err) = CliTests.Run("report", dir);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.DoesNotContain("data-figure=\"loss\"", html);
        Assert.Contains("symmetric", html);
    }

    [Theory]
    [InlineData("train", "--data", "coffee", "--epochs", "1", "--report", "--report")]
    [InlineData("report", "NOFOLDER", "NOFOLDER")]
    public void Reports_refuse_what_they_cannot_draw(params string[] argsThenExpected)
    {
        var args = argsThenExpected[..^1].Select(a => a == "NOFOLDER" ? Path.Combine(TestNets.TempDir(), "none") : a).ToArray();
        var (code, _, err) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(argsThenExpected[^1] == "NOFOLDER" ? "no such folder" : argsThenExpected[^1], err);

        string empty = TestNets.TempDir();
        (code, _, err) = CliTests.Run("report", empty);
        Assert.Equal(2, code);
        Assert.Contains("no model.json", err);
    }
}

public class DataShowAndExportTests
{
    [Fact]
    public void Two_feature_data_is_drawn_as_a_scatter_plot()
    {
        string png = Path.Combine(TestNets.TempDir(), "circles.png");
        var (code, output, err) = CliTests.Run("data", "show", "circles-dls", "--png", png);
        Assert.True(code == 0, err);
        Assert.Contains("scatter plot of the 300 rows and 100 test rows", output);
        Assert.Equal(0x89, File.ReadAllBytes(png)[0]);
        var (bad, _, berr) = CliTests.Run("data", "show", "iris", "--png", png);
        Assert.Equal(2, bad);
        Assert.Contains("neither images nor points in a plane", berr);
    }

    [Theory]
    [InlineData("coffee")]
    [InlineData("circles-dls")]
    [InlineData("spirals:n=90,classes=3,noise=0.1")]
    [InlineData("optdigits")]
    public void Export_writes_what_the_readers_give_back_bit_for_bit(string spec)
    {
        string csv = Path.Combine(TestNets.TempDir(), "out.csv");
        var (code, output, err) = CliTests.Run("data", "export", spec, "--csv", csv, "--json");
        Assert.True(code == 0, err);
        var json = JsonDocument.Parse(output).RootElement;
        var (train, test) = DataSource.Load(spec);
        var back = DataSource.Load(csv).Train;
        Assert.Equal(train.X, back.X);
        Assert.Equal(train.Y, back.Y);
        Assert.Equal(train.FeatureNames, back.FeatureNames);
        Assert.Equal(train.TargetName, back.TargetName);
        Assert.Equal(train.Rows, json.GetProperty("rows").GetInt32());
        if (test is null)
        {
            Assert.Equal(JsonValueKind.Null, json.GetProperty("testCsv").ValueKind);
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(csv)!, "out.test.csv")));
            return;
        }
        string testCsv = json.GetProperty("testCsv").GetString()!;
        Assert.Equal(Path.Combine(Path.GetDirectoryName(csv)!, "out.test.csv"), testCsv);
        var testBack = DataSource.Load(testCsv).Train;
        Assert.Equal(test.X, testBack.X);
        Assert.Equal(test.Y, testBack.Y);
    }

    [Fact]
    public void Export_refuses_a_folder_and_names_the_flag()
    {
        string dir = TestNets.TempDir();
        var (code, _, err) = CliTests.Run("data", "export", "coffee", "--csv", dir);
        Assert.Equal(2, code);
        Assert.Contains("--csv", err);
        Assert.Empty(Directory.GetFiles(dir));
    }
}
