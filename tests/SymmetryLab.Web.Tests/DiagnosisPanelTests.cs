using Microsoft.Playwright;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// The page's diagnosis panel in Chromium: shown whenever the run stands still (its start, a pause, an
/// epoch, a divergence), the same sentence <c>symlab train</c> prints for the run, naming the page's own controls.
/// </summary>
[Collection("playground")]
public class DiagnosisPanelTests(Playground playground)
{
    private const string CoffeeZeros = "#data=coffee&test=&norm=zscore&hidden=3&act=sigmoid&init=zeros&opt=adam&lr=0.01&batch=32&seed=1";

    /// <summary>Waits until the panel shows a diagnosis of a step at or after <paramref name="step"/>; returns its text.</summary>
    private static async Task<string> Shown(IPage page, string kind, long step = 0)
    {
        await page.WaitForFunctionAsync($"() => document.getElementById('diagnosis').dataset.kind === '{kind}' && +document.getElementById('diagnosis').dataset.step >= {step}", null, new() { Timeout = 20_000 });
        return await page.InnerTextAsync("#diagnosis");
    }

    private static Task<long> Step(IPage page) => page.EvaluateAsync<long>("() => window.playground.frame.step");

    [Fact]
    public async Task From_zeros_the_page_says_symmetric_and_points_at_its_init_field_and_after_epochs_says_what_train_says()
    {
        var (page, errors) = await playground.Open(CoffeeZeros);
        string atStart = await Shown(page, "symmetric");
        Assert.StartsWith("At step 0 (0 whole epochs): symmetric. Layer 1 has 3 units but only 1 different one", atStart);
        Assert.Contains("a random init scheme in the \u201Cinit\u201D field", atStart);
        // The control it names is there, labelled so.
        Assert.Equal("init", (await page.Locator("#settings label", new() { Has = page.Locator("#set-init") }).InnerTextAsync()).Trim());
        // So are those the other advice names (DiagnosisTests checks the advice that names them).
        Assert.StartsWith("learning rate", (await page.Locator("#settings label", new() { Has = page.Locator("#set-lr") }).InnerTextAsync()).Trim());
        Assert.StartsWith("inputs", (await page.Locator("#settings label", new() { Has = page.Locator("#set-normalize") }).InnerTextAsync()).Trim());
        Assert.Equal(1, await page.Locator("#set-normalize option[value=zscore]", new() { HasTextString = "z-scored" }).CountAsync());

        for (int i = 0; i < 3; i++) await page.ClickAsync("#epoch");
        long perEpoch = await page.EvaluateAsync<long>("() => window.playground.frame.stepsPerEpoch");
        string after = await Shown(page, "symmetric", 3 * perEpoch);
        Assert.StartsWith($"At step {3 * perEpoch} (3 whole epochs): symmetric. The 3 units of layer 1 started identical", after);
        string command = await page.EvaluateAsync<string>("() => window.playground.run.command");
        string train = DiagnosisTests.TrainDiagnosis(command, 3);
        Assert.Equal(train, DiagnosisTests.AsFlags(after[after.IndexOf("symmetric.")..].Replace("symmetric. ", "symmetric: ")));

        // Following the advice: a random init gives distinct units.
        await page.FillAsync("#set-init", "glorot-uniform");
        await page.PressAsync("#set-init", "Enter");
        await page.WaitForFunctionAsync("() => window.playground.state.init === 'glorot-uniform' && document.getElementById('diagnosis').dataset.kind !== 'symmetric'", null, new() { Timeout = 20_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_paused_run_from_random_weights_is_healthy()
    {
        var (page, errors) = await playground.Open("#data=moons:n=120,noise=0.2&test=&norm=zscore&hidden=6&act=tanh&init=glorot-uniform&opt=adam&lr=0.02&batch=16&prec=float64&seed=4");
        await page.SelectOptionAsync("#speed", "0");
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => window.playground.frame.epoch >= 20", null, new() { Timeout = 20_000 });
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => !window.playground.frame.running");
        string text = await Shown(page, "healthy", await Step(page));
        Assert.Matches(@"^At step [\d,]+ \([\d,]+ whole epochs\): healthy\. The units of every layer are distinct and the cost fell from", text);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_run_that_diverges_is_diagnosed_diverged_naming_the_epoch_the_layer_and_the_learning_rate_field()
    {
        var (page, errors) = await playground.Open("#data=plane:n=50,noise=0.1&test=&hidden=3&act=linear&opt=gd&lr=1000000&batch=&seed=1");
        await page.SelectOptionAsync("#speed", "0");
        await page.ClickAsync("#play");
        string text = await Shown(page, "diverged", 1);
        Assert.Matches(@"^At step [\d,]+ \([\d,]+ whole epochs?\): diverged\. At epoch \d+ \(step \d+\) the numbers in layer \d+ became infinite or NaN: .*try a smaller learning rate in the \u201Clearning rate\u201D field\.$", text);
        Assert.Equal("learning rate", (await page.Locator("#settings label", new() { Has = page.Locator("#set-lr") }).InnerTextAsync()).Trim());
        Assert.Empty(errors);
    }
}
