using Microsoft.Playwright;

namespace SymmetryLab.Web.Tests;

/// <summary>What the chain-rule panel says about two gradients is true of them, and of the run the page shows.</summary>
[Collection("playground")]
public class ChainPanelTests(Playground playground)
{
    private const string Coffee = "#data=coffee&test=&norm=zscore&hidden=2,2&act=sigmoid,sigmoid&opt=adam&lr=0.01&batch=32&seed=3";

    private static async Task<string> Explain(IPage page, string a, string b)
    {
        await page.FillAsync("#chain-a", a);
        await page.FillAsync("#chain-b", b);
        await page.EvaluateAsync("() => document.getElementById('chain-result').replaceChildren()");
        await page.ClickAsync("#chain-form button");
        await page.WaitForSelectorAsync("#chain-table");
        return await page.InnerTextAsync("#chain-verdict");
    }

    [Fact]
    public async Task Weights_of_different_layers_get_no_factor_by_factor_verdict()
    {
        var (page, errors) = await playground.Open(Coffee);
        string verdict = await Explain(page, "W3[1,1]", "W1[1,1]");
        Assert.DoesNotContain("Every factor is the same", verdict);
        Assert.Contains("not compared factor by factor", verdict);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task With_l2_equal_factors_and_different_weights_are_not_called_the_same_gradient()
    {
        // Every weight 0.3, then W2[1,2] = 0.7: the two hidden units compute the same a1 = a2, so dJ/dW2[1,1] and
        // dJ/dW2[1,2] have the same chain-rule factor, but their L2 terms (l2/m) w differ.
        var (page, errors) = await playground.Open("#data=coffee&test=&norm=zscore&hidden=2&act=sigmoid&init=constant:0.3&opt=gd&lr=0.1&batch=&l2=0.5&prec=float64&edits=W2[1,2]=0.7");
        string verdict = await Explain(page, "W2[1,1]", "W2[1,2]");
        Assert.DoesNotContain("same gradient", verdict);
        Assert.Contains("L2", verdict);
        verdict = await Explain(page, "W1[1,1]", "W1[2,1]"); // different outgoing weights: a factor differs
        Assert.Contains("differ only through the factors marked (outgoing)", verdict);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_new_run_clears_the_explanation_of_the_old_one()
    {
        var (page, errors) = await playground.Open(Coffee);
        await Explain(page, "W1[1,1]", "W1[2,1]");
        int generation = await page.EvaluateAsync<int>("() => window.playground.run.generation");
        await page.FillAsync("#set-seed", "4");
        await page.PressAsync("#set-seed", "Enter");
        await page.WaitForFunctionAsync($"() => window.playground.run.generation > {generation} && window.playground.frame.generation === window.playground.run.generation");
        Assert.Equal(0, await page.Locator("#chain-table").CountAsync());
        Assert.Contains("Explain", await page.InnerTextAsync("#chain-result"));
        Assert.Empty(errors);
    }
}
