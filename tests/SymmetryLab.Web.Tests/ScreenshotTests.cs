namespace SymmetryLab.Web.Tests;

/// <summary>
/// Pictures of the page for the README and for review: each state is opened, trained a little, and must
/// show no error in the page. With SYMLAB_SCREENSHOTS=DIR the pictures are written there; the README's
/// docs/playground.png is the one named "playground" (SYMLAB_SCREENSHOTS=/tmp/shots dotnet test
/// tests/SymmetryLab.Web.Tests --filter ScreenshotTests, then look at it and copy it).
/// </summary>
[Collection("playground")]
public class ScreenshotTests(Playground playground)
{
    [Theory]
    [InlineData("playground", "#data=circles:n=300,noise=0.1,factor=0.5,seed=1&test=0.3&hidden=4,4&act=tanh,tanh&init=symmetric:glorot-uniform&perturb=1e-3:2&opt=sgd&lr=0.1&batch=10&seed=1&prec=float64", 3000)]
    [InlineData("lesson-tied", "#data=coffee&test=&norm=zscore&hidden=2&act=sigmoid&init=zeros&opt=adam&lr=0.01&batch=32&edits=W1[1,1]=0.2;W1[1,2]=-0.3;W2[1,1]=0.5&ties=W1[1,1]>W1[2,1];W1[1,2]>W1[2,2];W2[1,1]>W2[1,2]&lesson=tied-2-2-1&start=0", 500)]
    [InlineData("digits", "#data=digits01&test=0.2&hidden=16&act=sigmoid&opt=adam&lr=0.001&batch=32", 200)]
    [InlineData("spirals", "#data=spirals:n=300,classes=3,noise=0.2&test=0.2&hidden=16,16&act=relu,relu&opt=adam&lr=0.01&batch=16&features=x1,x2,sin(x1),sin(x2)", 600)]
    [InlineData("deep", "#data=moons:n=400,noise=0.1&test=0.25&hidden=64,64,64,64,64,64,64,64&act=relu,relu,relu,relu,relu,relu,relu,relu&init=he-normal&opt=adam&lr=0.001&batch=32", 30)]
    [InlineData("regression", "#data=plane:n=200,features=2,noise=0.1&test=0.2&hidden=&act=&opt=adam&lr=0.05&batch=16&init=zeros&lesson=logistic-from-zero&start=0", 200)]
    public async Task The_page_draws_a_state_without_errors(string name, string hash, int steps)
    {
        var (page, errors) = await playground.Open(hash, 1400, 1150);
        await page.SelectOptionAsync("#speed", "0");
        await page.EvaluateAsync($"() => window.playground.session.control('step', {{ steps: {steps} }})");
        await page.WaitForFunctionAsync($"() => window.playground.frame.step >= {steps} && !window.playground.frame.running", null, new() { Timeout = 30_000 });
        await page.FillAsync("#chain-a", "W1[1,1]");
        // Two units' weights from input 1 when layer 1 has two units, else the first unit's two weights.
        bool twoUnits = await page.EvaluateAsync<bool>("() => window.playground.frame.layers[0].units > 1");
        await page.FillAsync("#chain-b", twoUnits ? "W1[2,1]" : "W1[1,2]");
        await page.ClickAsync("#chain-form button");
        await page.WaitForSelectorAsync("#chain-table");
        await page.FillAsync("#pick", "W1[1,1]");
        await page.PressAsync("#pick", "Enter");
        await page.WaitForTimeoutAsync(300);
        if (Environment.GetEnvironmentVariable("SYMLAB_SCREENSHOTS") is { Length: > 0 } dir)
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{name}.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
