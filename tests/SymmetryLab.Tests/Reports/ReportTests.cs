using System.Diagnostics;
using System.Text.RegularExpressions;
using SymmetryLab.Lab.Experiments;
using SymmetryLab.Reports;
using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Reports;

public class ReportTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void ReportHoldsEveryNamedFigureInlineAndAsPng()
    {
        var result = new Tied221().Run(new ExperimentOptions(Quick: true));
        string dir = TestNets.TempDir();
        string html = File.ReadAllText(HtmlReport.Write(dir, "tied", result.Title, null, [result]));
        foreach (var figure in result.Figures)
            Assert.Contains($"data-figure=\"{figure.Name}\"", html);
        int inline = Regex.Matches(html, "src=\"data:image/png;base64,").Count;
        var files = Directory.GetFiles(dir, "*.png");
        Assert.Equal(3, inline); // trajectories + two similarity panels
        Assert.Equal(inline, files.Length);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(PngSignature, bytes[..8]);
            Assert.True(bytes.Length > 5_000, $"{file} is suspiciously small ({bytes.Length} bytes)");
        }
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        foreach (var claim in result.Claims) Assert.Contains(System.Net.WebUtility.HtmlEncode(claim.Text), html);
    }

    [Fact]
    public async Task DemoCompletesAndItsReportOpensInHeadlessChromiumWithEveryImage()
    {
        string dir = TestNets.TempDir();
        var (code, output, err) = CliTests.Run("demo", "--quick", "--out", dir);
        Assert.True(code == 0, err + output);
        Assert.Contains("In short:", output);
        string report = Path.Combine(dir, "demo.html");
        Assert.True(File.Exists(report));
        int images = Regex.Matches(File.ReadAllText(report), "<img ").Count;
        Assert.True(images >= 8, $"{images} images");

        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            // CI installs Chromium (.ci/apt-packages); on a developer machine without it the browser half is skipped.
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", "CI must have Debian's chromium installed (.ci/apt-packages)");
            return;
        }
        string profile = Path.Combine(dir, "chromium-profile");
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=10000", "--dump-dom", new Uri(report).AbsoluteUri })
            start.ArgumentList.Add(arg);
        using var browser = Process.Start(start)!;
        var dom = browser.StandardOutput.ReadToEndAsync();
        var log = browser.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await browser.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, browser.ExitCode);
        Assert.Contains($"data-images-loaded=\"{images}/{images}\"", await dom);
        Assert.DoesNotContain("Uncaught", await log);
    }
}
