using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using SymmetryLab.Runs;
using SymmetryLab.Web;

namespace SymmetryLab.Bench;

/// <summary>
/// The playground's figures (issue 11): frames per second drawn by a real page (headless Chromium) while a
/// 2-8-8-1 tanh network trains on 500 points with batch 10 as fast as it goes, the server's training steps
/// per second meanwhile against <c>symlab train</c>'s on the same setup, and the time from pressing play to
/// the first trained frame on a fresh page.
/// </summary>
internal static class PlaygroundBench
{
    private const string State = "#data=circles:n=500,noise=0.1,factor=0.5,seed=1&test=&hidden=8,8&act=tanh,tanh&init=glorot-uniform&opt=sgd&lr=0.03&batch=10&seed=1&prec=float32";

    public static async Task<int> Run(string[] args)
    {
        double seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var settings = new RunSettings
        {
            Data = "circles:n=500,noise=0.1,factor=0.5,seed=1", Layers = [8, 8, 1], Activation = Engine.Activations.Activation.Tanh,
            Optimizer = "sgd", LearningRate = 0.03, Batch = 10, Seed = 1,
        };
        // symlab train: whole runs, the first one a warm-up.
        TrainingRun.Execute(settings with { Epochs = 200 });
        var clock = Stopwatch.StartNew();
        var result = TrainingRun.Execute(settings with { Epochs = 4000 });
        double trainSteps = result.Steps / clock.Elapsed.TotalSeconds;

        await using var server = await PlaygroundServer.StartAsync("127.0.0.1", 0);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox"] });
        var latencies = new List<double>();
        double fps = 0, serverSteps = 0;
        for (int round = 0; round < 4; round++)
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
            await page.GotoAsync(new Uri(server.Address, "/" + State).ToString());
            await page.WaitForFunctionAsync("() => window.playground && window.playground.frame && window.playground.frame.step === 0");
            await page.SelectOptionAsync("#speed", "0");
            await page.WaitForTimeoutAsync(300);
            var first = Stopwatch.StartNew();
            await page.ClickAsync("#play");
            await page.WaitForFunctionAsync("() => window.playground.frame.step > 0", null, new() { PollingInterval = 1 });
            latencies.Add(first.Elapsed.TotalMilliseconds);
            if (round == 0)
            {
                await page.WaitForTimeoutAsync(1000); // warm-up
                var (frames0, step0) = await Counters(page);
                var window = Stopwatch.StartNew();
                await page.WaitForTimeoutAsync((float)(seconds * 1000));
                var (frames1, step1) = await Counters(page);
                fps = (frames1 - frames0) / window.Elapsed.TotalSeconds;
                serverSteps = (step1 - step0) / window.Elapsed.TotalSeconds;
            }
            await page.CloseAsync();
        }
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
        Console.WriteLine($"playground bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {load}");
        Console.WriteLine($"| figure | value | target |");
        Console.WriteLine($"| --- | ---: | ---: |");
        Console.WriteLine($"| frames drawn by the page per second (2-8-8-1 tanh, 500 points, batch 10, playing as fast as it goes) | {fps:F1} | >= 25 |");
        Console.WriteLine($"| server training steps/s meanwhile | {serverSteps:N0} | >= {trainSteps / 2:N0} (half of train) |");
        Console.WriteLine($"| symlab train steps/s, same setup (TrainingRun.Execute, 4000 epochs) | {trainSteps:N0} | |");
        Console.WriteLine($"| server / train | {serverSteps / trainSteps:F2} | >= 0.5 |");
        Console.WriteLine($"| play to first trained frame on a fresh page, ms (4 pages: {string.Join(", ", latencies.Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))}) | {latencies.Max():F0} (worst) | <= 1000 |");
        return 0;
    }

    private static async Task<(long Frames, long Step)> Counters(IPage page)
    {
        var values = await page.EvaluateAsync<long[]>("() => [window.playground.framesDrawn, window.playground.frame.step]");
        return (values[0], values[1]);
    }
}
