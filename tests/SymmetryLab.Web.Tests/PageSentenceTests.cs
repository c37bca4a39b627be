using System.Text.Json;
using Microsoft.Playwright;
using SymmetryLab.Cli;

namespace SymmetryLab.Web.Tests;

/// <summary>Sentences the page prints, each checked in a case where it used to be false.</summary>
[Collection("playground")]
public class PageSentenceTests(Playground playground)
{
    private const string Moons = "#data=moons:n=100,noise=0.2&test=0.3&hidden=4&act=tanh&opt=sgd&lr=0.1&batch=16&seed=2";

    private static Task WaitStep(IPage page, long step) =>
        page.WaitForFunctionAsync($"() => window.playground.frame.step >= {step} && !window.playground.frame.running", null, new() { Timeout = 20_000 });

    [Fact]
    public async Task Test_shares_read_as_whole_percentages()
    {
        var (page, errors) = await playground.Open(Moons);
        Assert.Equal(["none", "10% (seeded split)", "20% (seeded split)", "30% (seeded split)", "50% (seeded split)"], await page.Locator("#test option").AllInnerTextsAsync());
        Assert.Equal("0.3", await page.InputValueAsync("#test"));
        var (other, _) = await playground.Open(Moons.Replace("test=0.3", "test=0.15"));
        Assert.Equal("15% (seeded split)", await other.Locator("#test option:checked").InnerTextAsync());
        // The seed's help says what the seed does not draw: the test rows (train's --split-seed, fixed).
        Assert.Contains("the test rows are split by a fixed seed of their own", await page.GetAttributeAsync("#set-seed", "title"));
        // Nor does a new seed promise new weights to a zeros or constant start.
        Assert.Contains("(not for zeros or a constant init)", await page.GetAttributeAsync("#new-seed", "title"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_command_inside_the_first_epoch_trains_0_epochs_and_writes_the_page_s_start()
    {
        var (page, errors) = await playground.Open(Moons);
        await page.ClickAsync("#show-command");
        Assert.EndsWith(" --epochs 0", await page.InnerTextAsync("#command"));
        Assert.Contains("before the first step", await page.InnerTextAsync("#command-note"));
        await page.Keyboard.PressAsync("s");
        await WaitStep(page, 1);
        string command = await page.InnerTextAsync("#command");
        Assert.EndsWith(" --epochs 0", command);
        Assert.Contains("1 step into epoch 1; the command stops at step 0 (--epochs 0 trains nothing", await page.InnerTextAsync("#command-note"));
        string initial = await Api.Text(playground.Http, $"api/sessions/{await page.EvaluateAsync<string>("() => window.playground.session.id")}/initial.json");
        Assert.Equal(initial, SameAsTrainTests.Train(command[..command.LastIndexOf(" --epochs", StringComparison.Ordinal)], 0));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_command_of_a_run_that_diverged_stops_before_the_epoch_train_diverges_in()
    {
        // Minibatches of 10 from 50 rows: 5 steps an epoch; a learning rate this large diverges inside one.
        var (page, _) = await playground.Open("#data=plane:n=50,noise=0.1&test=&hidden=3&act=linear&opt=sgd&lr=1000&batch=10&seed=1");
        await page.SelectOptionAsync("#speed", "0");
        await page.ClickAsync("#show-command");
        await page.ClickAsync("#play");
        await page.WaitForFunctionAsync("() => window.playground.frame.stopped", null, new() { Timeout = 20_000 });
        string note = await page.InnerTextAsync("#command-note");
        var m = System.Text.RegularExpressions.Regex.Match(note, @"^Training diverged on the page at step (\d+), in epoch (\d+): train diverges in that epoch too \(given --epochs \2 or more\) and writes no model.json, so the line stops at ");
        Assert.True(m.Success, note);
        int epoch = int.Parse(m.Groups[2].Value);
        string command = await page.InnerTextAsync("#command");
        Assert.EndsWith($" --epochs {epoch - 1}", command);
        string bare = command[..command.LastIndexOf(" --epochs", StringComparison.Ordinal)];
        var err = new StringWriter();
        Assert.NotEqual(0, SymlabCli.Run([.. bare.Split(' ').Skip(1), "--epochs", epoch.ToString()], new StringWriter(), err));
        Assert.Contains($"diverged at epoch {epoch} ", err.ToString());
        SameAsTrainTests.Train(bare, epoch - 1); // the epochs before it train (and write their model)
    }

    [Fact]
    public async Task Clearing_hand_set_weights_names_what_changed_and_a_bad_number_names_its_field()
    {
        var (page, errors) = await playground.Open(Moons + "&edits=W1[1,1]=0.5");
        int generation = await page.EvaluateAsync<int>("() => window.playground.run.generation");
        await page.ClickAsync("#add-layer");
        await page.WaitForFunctionAsync($"() => window.playground.run.generation > {generation}");
        // The new run's event can arrive before the page has finished with the server's answer to the change,
        // which is when it writes the note: wait for the note, not only for the run.
        await page.WaitForFunctionAsync("() => document.querySelector('#error').innerText !== ''", null, new() { Timeout = 10_000 });
        Assert.Equal("The weights set by hand were cleared: the hidden layers and the activations changed.", await page.InnerTextAsync("#error"));
        await page.FillAsync("#set-lr", "fast");
        await page.PressAsync("#set-lr", "Enter");
        await page.Locator("#set-lr").DispatchEventAsync("change");
        Assert.Equal("learning rate: 'fast' is not a number", await page.InnerTextAsync("#error"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task With_l2_the_training_loss_shown_is_said_to_be_without_the_penalty()
    {
        var (page, errors) = await playground.Open(Moons + "&l2=0.5");
        await page.Keyboard.PressAsync("e");
        await WaitStep(page, 1);
        await page.WaitForFunctionAsync("() => window.playground.history.length > 1");
        Assert.Contains("training loss ", await page.InnerTextAsync("#metrics"));
        Assert.Contains("(without the L2 penalty)", await page.InnerTextAsync("#metrics"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_regression_s_loss_stands_beside_always_answering_the_training_mean()
    {
        var (page, errors) = await playground.Open("#data=plane:n=100&test=0.3&hidden=4&act=tanh&opt=sgd&lr=0.01&batch=16&seed=2");
        await page.Keyboard.PressAsync("e");
        await WaitStep(page, 1);
        await page.WaitForFunctionAsync("() => window.playground.history.length > 1");
        // The constant's mse, from the same split train makes (--test 0.3, split seed 1).
        var (all, _) = SymmetryLab.Data.DataSource.Load("plane:n=100");
        var (train, test) = all.Split(0.3, 1);
        double mean = train.Y.Average();
        double Mse(SymmetryLab.Data.Dataset d) => d.Y.Select(y => (y - mean) * (y - mean)).Average();
        Assert.Equal(Mse(train), await page.EvaluateAsync<double>("() => window.playground.run.meanBaseline.train"), 12);
        Assert.Equal(Mse(test), await page.EvaluateAsync<double>("() => window.playground.run.meanBaseline.test"), 12);
        string metrics = await page.InnerTextAsync("#metrics");
        Assert.Equal(2, metrics.Split("(always answering the training mean ").Length - 1);
        Assert.Contains($"{Mse(train):G5})", metrics.Replace("e+", "E+"));
        Assert.Contains("Always answering the training targets' mean", await page.InnerTextAsync("#data-summary"));
        Assert.Contains("always answering the training mean, on the training rows", await page.InnerTextAsync("#loss-legend"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_tanh_sgd_lesson_s_instructions_compare_the_two_weights()
    {
        var (page, errors) = await playground.Open();
        var (_, catalog) = await Api.Send(playground.Http, HttpMethod.Get, "api/catalog");
        string tryThis = catalog.GetProperty("lessons").EnumerateArray().First(l => l.GetProperty("name").GetString() == "tanh-sgd").GetProperty("try").GetString()!;
        Assert.Contains("click W1[1,1], press 'Compare with' and click W1[2,1]", tryThis);
        await page.SelectOptionAsync("#lesson", "tanh-sgd");
        await page.WaitForFunctionAsync("() => window.playground.state.optimizer === 'sgd' && window.playground.run.generation === window.playground.frame.generation");
        await page.FillAsync("#pick", "W1[1,1]");
        await page.PressAsync("#pick", "Enter");
        await page.ClickAsync("#compare");
        await page.FillAsync("#pick", "W1[2,1]");
        await page.PressAsync("#pick", "Enter");
        await page.WaitForSelectorAsync("#chain-table");
        string head = await page.InnerTextAsync("#chain-table tr:first-child");
        Assert.Contains("dJ/dW1[1,1]", head);
        Assert.Contains("dJ/dW1[2,1]", head);
        Assert.Contains("one sample", string.Join("|", await page.Locator("#chain-sample option").AllInnerTextsAsync()));
        Assert.Empty(errors);
    }
}
