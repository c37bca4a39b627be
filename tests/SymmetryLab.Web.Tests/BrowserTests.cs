using System.Globalization;
using Microsoft.Playwright;

namespace SymmetryLab.Web.Tests;

/// <summary>The playground in a real browser (Debian's Chromium, headless), driven as a learner would.</summary>
[Collection("playground")]
public class BrowserTests(Playground playground)
{
    private const string CoffeeZeros = "#data=coffee&test=&norm=zscore&hidden=3&act=sigmoid&init=zeros&opt=adam&lr=0.01&batch=32";

    private static Task WaitStep(IPage page, long step) =>
        page.WaitForFunctionAsync($"() => window.playground.frame.step >= {step}", null, new() { Timeout = 20_000 });

    private static async Task Pause(IPage page)
    {
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => !window.playground.frame.running");
    }

    private static Task<string> Head(IPage page, int layer) => page.InnerTextAsync($".layer-head[data-layer=\"{layer}\"] .distinct");

    /// <summary>Shows a parameter in the weights panel by typing its name, as a learner may instead of clicking its edge.</summary>
    private static async Task Pick(IPage page, string name)
    {
        await page.FillAsync("#pick", name);
        await page.PressAsync("#pick", "Enter");
    }

    /// <summary>Waits for the run of a new state (after an edit or a tie) to show its first frame.</summary>
    private static async Task NewRun(IPage page, int generation) =>
        await page.WaitForFunctionAsync($"() => window.playground.run.generation > {generation} && window.playground.frame.generation === window.playground.run.generation && window.playground.startFrame");

    private static Task<int> Generation(IPage page) => page.EvaluateAsync<int>("() => window.playground.run.generation");

    [Fact]
    public async Task From_zeros_a_hidden_layer_plays_100_steps_as_one_unit_and_an_edited_incoming_weight_splits_it()
    {
        var (page, errors) = await playground.Open(CoffeeZeros);
        Assert.Equal("1 distinct of 3", await Head(page, 1));
        await page.SelectOptionAsync("#speed", "1000");
        await page.ClickAsync("#play");
        await WaitStep(page, 100);
        await Pause(page);
        Assert.True(await page.EvaluateAsync<long>("() => window.playground.frame.step") >= 100);
        Assert.Equal("1 distinct of 3", await Head(page, 1));
        Assert.Equal(["A\u2605", "A\u2605", "A\u2605"], await page.Locator(".node[data-ref^=\"u1[\"] .badge").AllInnerTextsAsync());
        await Pick(page, "W1[1,1]");
        Assert.NotEqual("0", await page.InnerTextAsync("#value-now")); // the units moved, together
        await page.SelectOptionAsync("#edge-mode", "gradients");
        Assert.Contains("gradient of the last step > 0", await page.InnerTextAsync("#network-legend"));

        // Edit one incoming weight of unit 2: the run restarts from the edited start; a step later the layer has split.
        int generation = await Generation(page);
        await Pick(page, "W1[2,1]");
        await page.FillAsync("#edit-value", "0.25");
        await page.PressAsync("#edit-value", "Enter");
        await NewRun(page, generation);
        Assert.Equal("0.25", await page.InnerTextAsync("#value-start"));
        await page.Keyboard.PressAsync("s");
        await WaitStep(page, 1);
        Assert.Equal("2 distinct of 3", await Head(page, 1));
        var badges = await page.Locator(".node[data-ref^=\"u1[\"] .badge").EvaluateAllAsync<bool[]>("bs => bs.map(b => b.hidden)");
        Assert.Equal([false, true, false], badges); // units 1 and 3 still identical, unit 2 on its own
        Assert.Contains("edits=W1[2,1]=0.25", Uri.UnescapeDataString(page.Url)); // the edit is in the link
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_layer_partly_distinct_from_the_start_is_not_said_to_be_unsplit()
    {
        // Unit 1 starts different, units 2 and 3 start identical (and stay so: all outgoing weights are 0).
        var (page, errors) = await playground.Open(CoffeeZeros + "&edits=W1[1,1]=0.5");
        Assert.Equal("2 distinct of 3", await Head(page, 1));
        Assert.Equal("some units identical at the start", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .broke"));
        await page.Keyboard.PressAsync("s");
        await WaitStep(page, 1);
        Assert.Equal("2 distinct of 3", await Head(page, 1));
        Assert.Equal("no split since step 0", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .broke"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task An_initializer_s_whole_name_shows_in_its_box()
    {
        // "normal:0:10" cut to "normal:0:1" would name another initializer.
        var (page, errors) = await playground.Open("#data=coffee&test=&hidden=3&act=sigmoid&init=symmetric:glorot-uniform&binit=normal:0:10&perturb=1e-12:2&prec=float64");
        Assert.Equal("symmetric:glorot-uniform", await page.InputValueAsync("#set-init"));
        foreach (var box in new[] { "#set-init", "#set-biasInit", "#set-perturb" })
            Assert.True(await page.EvalOnSelectorAsync<bool>(box, "e => e.scrollWidth <= e.clientWidth"), $"{box} cuts off {await page.InputValueAsync(box)}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Tying_w1_w3_w2_w4_w5_w6_by_hand_keeps_the_two_units_one_for_500_steps()
    {
        var (page, errors) = await playground.Open("#data=coffee&test=&norm=zscore&hidden=2&act=sigmoid&init=glorot-uniform&opt=adam&lr=0.01&batch=32&seed=1");
        Assert.Equal("2 distinct of 2", await Head(page, 1));
        foreach (var (from, to) in new[] { ("W1[1,1]", "W1[2,1]"), ("W1[1,2]", "W1[2,2]"), ("W2[1,1]", "W2[1,2]") })
        {
            int generation = await Generation(page);
            await Pick(page, from);
            await page.ClickAsync("#tie-weight");
            await Pick(page, to);
            await NewRun(page, generation);
        }
        Assert.Equal(3, await page.Locator("#hand-set li").CountAsync());
        Assert.Equal("1 distinct of 2", await Head(page, 1));
        await page.SelectOptionAsync("#speed", "0");
        await page.ClickAsync("#play");
        await WaitStep(page, 500);
        await Pause(page);
        Assert.Equal("1 distinct of 2", await Head(page, 1));
        await Pick(page, "W2[1,1]");
        string w5 = await page.InnerTextAsync("#value-now");
        await Pick(page, "W2[1,2]");
        Assert.Equal(w5, await page.InnerTextAsync("#value-now"));
        Assert.NotEqual(await page.InnerTextAsync("#value-start"), w5);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_shared_link_gives_the_same_initial_weights_and_gd_steps_give_train_s_model_byte_for_byte()
    {
        var (first, errors) = await playground.Open("#data=moons:n=100,noise=0.15&test=0.2&hidden=4,3&act=tanh,tanh&opt=gd&lr=0.3&batch=&seed=11");
        string link = first.Url;
        string initialA = await Download(first, "#dl-initial");

        var (page, moreErrors) = await playground.Open(link[link.IndexOf('#')..]);
        Assert.NotEqual(await first.EvaluateAsync<string>("() => window.playground.session.id"), await page.EvaluateAsync<string>("() => window.playground.session.id"));
        Assert.Equal(initialA, await Download(page, "#dl-initial"));

        const int steps = 12;
        for (int i = 0; i < steps; i++) await page.Keyboard.PressAsync("s");
        await WaitStep(page, steps);
        await page.ClickAsync("#show-command");
        string command = await page.InnerTextAsync("#command");
        Assert.EndsWith($" --epochs {steps}", command);
        Assert.Contains("byte for byte", await page.InnerTextAsync("#command-note"));
        string model = await Download(page, "#dl-model");
        Assert.Equal(SameAsTrainTests.Train(command[..command.LastIndexOf(" --epochs", StringComparison.Ordinal)], steps), model);
        Assert.Empty(errors);
        Assert.Empty(moreErrors);
    }

    [Fact]
    public async Task A_link_opened_in_a_tab_that_already_shows_the_playground_opens_its_run()
    {
        var (first, _) = await playground.Open("#data=xor:n=80&test=&hidden=3&act=tanh&opt=gd&lr=0.5&batch=&seed=5&edits=W1[1,1]=0.125");
        string link = first.Url[first.Url.IndexOf('#')..];
        string initial = await Download(first, "#dl-initial");

        var (page, errors) = await playground.Open(CoffeeZeros);
        int generation = await Generation(page);
        await page.GotoAsync(new Uri(playground.Address, "/" + link).ToString()); // only the part after # changes: no reload
        await NewRun(page, generation);
        Assert.Equal("xor:n=80", await page.EvaluateAsync<string>("() => window.playground.state.data"));
        Assert.Equal(initial, await Download(page, "#dl-initial"));
        Assert.Empty(errors);
    }

    private static async Task<string> Download(IPage page, string link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(link));
        string path = Path.Combine(Path.GetTempPath(), $"symlab-download-{Guid.NewGuid():N}");
        await download.SaveAsAsync(path);
        try { return await File.ReadAllTextAsync(path); } finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_malformed_csv_upload_shows_the_line_and_field()
    {
        var (page, _) = await playground.Open(CoffeeZeros);
        await page.SetInputFilesAsync("#csv-file", new FilePayload { Name = "roast.csv", MimeType = "text/csv", Buffer = "temp,time,good\n200,13.5,1\n210,abc,0\n"u8.ToArray() });
        await page.WaitForSelectorAsync("#upload-status.bad");
        Assert.Equal("roast.csv:3: field 2 (time) is not a number: 'abc'", await page.InnerTextAsync("#upload-status"));
    }

    [Fact]
    public async Task A_page_that_is_left_or_reloaded_ends_its_session()
    {
        var (page, errors) = await playground.Open(CoffeeZeros);
        string first = await page.EvaluateAsync<string>("() => window.playground.session.id");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.playground && window.playground.frame");
        string second = await page.EvaluateAsync<string>("() => window.playground.session.id");
        Assert.NotEqual(first, second);
        for (int i = 0; i < 100 && playground.Server.Sessions.Find(first) is not null; i++) await Task.Delay(50);
        Assert.Null(playground.Server.Sessions.Find(first));
        await page.GotoAsync("about:blank");
        for (int i = 0; i < 100 && playground.Server.Sessions.Find(second) is not null; i++) await Task.Delay(50);
        Assert.Null(playground.Server.Sessions.Find(second));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(7)]
    public async Task The_chain_rule_panel_s_product_equals_the_gradient_it_shows(int? sample)
    {
        var (page, errors) = await playground.Open("#data=coffee&test=&norm=zscore&hidden=2&act=sigmoid&init=glorot-uniform&opt=adam&lr=0.01&batch=32&seed=3");
        await page.FillAsync("#chain-a", "W1[1,1]");
        await page.FillAsync("#chain-b", "W1[2,1]");
        if (sample is { } k)
        {
            await page.SelectOptionAsync("#chain-sample", "1");
            await page.FillAsync("#chain-k", k.ToString(CultureInfo.InvariantCulture));
        }
        await page.ClickAsync("#chain-form button");
        await page.WaitForSelectorAsync("#chain-table");
        for (int column = 2; column <= 4; column += 2)
        {
            double product = await Number(page, "total", column), gradient = await Number(page, "gradient", column), numeric = await Number(page, "numeric", column);
            Assert.True(Math.Abs(product - gradient) <= 1e-9 * Math.Abs(gradient), $"product {product}, gradient {gradient}");
            Assert.True(Math.Abs(numeric - gradient) <= 1e-5 * Math.Abs(gradient) + 1e-10, $"numeric {numeric}, gradient {gradient}");
        }
        Assert.Contains("differ", await page.InnerTextAsync("#chain-verdict"));
        if (sample is null)
        {
            // By mouse: an edge picks its weight; a unit, "tie another unit", a second unit: one unit.
            var middle = await page.EvaluateAsync<double[]>("() => { const s = window.playground.net.segments.find(s => s.ref === 'W1[2,2]'); const r = document.getElementById('edges').getBoundingClientRect(); return [r.left + (s.a.x + s.b.x) / 2, r.top + (s.a.y + s.b.y) / 2]; }");
            await page.Mouse.ClickAsync((float)middle[0], (float)middle[1]);
            Assert.Equal("W1[2,2]", await page.InputValueAsync("#pick"));
            int generation = await page.EvaluateAsync<int>("() => window.playground.run.generation");
            await page.ClickAsync(".node[data-ref=\"u1[1]\"]");
            await page.ClickAsync("#tie-unit");
            await page.ClickAsync(".node[data-ref=\"u1[2]\"]");
            await page.WaitForFunctionAsync($"() => window.playground.run.generation > {generation} && window.playground.frame.generation === window.playground.run.generation");
            Assert.Equal("1 distinct of 2", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .distinct"));
            Assert.Equal("u1[1]>u1[2]", await page.EvaluateAsync<string>("() => window.playground.state.ties.map(t => `${t.from}>${t.to}`).join(';')"));
        }
        Assert.Empty(errors);
    }

    private static async Task<double> Number(IPage page, string row, int column) =>
        double.Parse(await page.InnerTextAsync($"#chain-table tr.{row} td:nth-child({column})"), CultureInfo.InvariantCulture);
}

/// <summary>A lesson opens at its starting point with the learner's question shown.</summary>
[Collection("playground")]
public class LessonPageTests(Playground playground)
{
    [Fact]
    public async Task The_tied_lesson_opens_with_its_question_and_its_ties()
    {
        var (page, errors) = await playground.Open();
        int generation = await page.EvaluateAsync<int>("() => window.playground.run.generation");
        await page.SelectOptionAsync("#lesson", "tied-2-2-1");
        await page.WaitForFunctionAsync($"() => window.playground.run.generation > {generation} && window.playground.frame.generation === window.playground.run.generation");
        Assert.Equal(SymmetryLab.Lab.Experiments.ExperimentCatalog.Find("tied-2-2-1")!.Question, await page.InnerTextAsync("#question .q"));
        Assert.Equal("1 distinct of 2", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .distinct"));
        Assert.Equal(6, await page.Locator("#hand-set li").CountAsync());
        Assert.Contains("lesson=tied-2-2-1", page.Url);
        await page.ClickAsync("#lesson-starts button:nth-child(2)"); // untied: w6 = 0.6
        await page.WaitForFunctionAsync("() => window.playground.state.ties.length === 2 && window.playground.frame.generation === window.playground.run.generation");
        await page.Keyboard.PressAsync("s");
        await page.WaitForFunctionAsync("() => window.playground.frame.step >= 1");
        Assert.Equal("2 distinct of 2", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .distinct"));
        Assert.Equal("split at step 1", await page.InnerTextAsync(".layer-head[data-layer=\"1\"] .broke"));
        Assert.Empty(errors);
    }
}
