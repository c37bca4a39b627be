using System.Net;
using System.Text.Json;
using SymmetryLab.Cli;
using SymmetryLab.Runs;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// The page's diagnosis (<c>GET /api/sessions/ID/diagnosis</c>) is <c>symlab train</c>'s for the same settings
/// and weights, the settings named as the page labels them: each case is compared with the line train prints
/// when run in process with the command the page shows and the epochs it trained.
/// </summary>
[Collection("playground")]
public class DiagnosisTests(Playground playground)
{
    internal const string Zeros = """{"data":"coffee","test":null,"hidden":[3],"activations":["sigmoid"],"init":"zeros","optimizer":"adam","lr":0.01,"batch":"32","normalize":"zscore","seed":1}""";

    /// <summary>A sentence in the page's words said with train's flags instead (the page's phrases are distinct, so this is exact).</summary>
    internal static string AsFlags(string page)
    {
        var (p, f) = (PageWords.Settings, FlagMessages.Words);
        return page.Replace(p.LearningRate, f.LearningRate).Replace(p.ZScore, f.ZScore).Replace(p.Initializer, f.Initializer).Replace(p.Scheme, f.Scheme);
    }

    /// <summary>The "diagnosis: KIND: TEXT" train prints (on standard error when training diverged) for the command trained <paramref name="epochs"/> epochs.</summary>
    internal static string TrainDiagnosis(string command, int epochs)
    {
        var args = command.Split(' ').Skip(1).Concat(["--epochs", epochs.ToString()]).ToArray();
        var (output, error) = (new StringWriter(), new StringWriter());
        SymlabCli.Run(args, output, error);
        var line = $"{output}\n{error}".Split('\n').FirstOrDefault(l => l.StartsWith("diagnosis: ") || l.StartsWith("symlab: diagnosis: "));
        Assert.True(line is not null, $"symlab {string.Join(" ", args)} printed no diagnosis:\n{output}\n{error}");
        return line[(line.IndexOf("diagnosis: ") + "diagnosis: ".Length)..];
    }

    private static async Task<JsonElement> Diagnosis(HttpClient http, string id)
    {
        var (status, json) = await Api.Send(http, HttpMethod.Get, $"api/sessions/{id}/diagnosis");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {json}");
        return json;
    }

    /// <summary>Trains <paramref name="epochs"/> epochs; returns the page's diagnosis, checked against train's for the same command.</summary>
    private static async Task<JsonElement> SameAsTrain(HttpClient http, string id, int epochs)
    {
        var state = await Api.State(http, id);
        if (epochs > 0) state = await Api.Steps(http, id, epochs * state.GetProperty("stepsPerEpoch").GetInt64());
        var d = await Diagnosis(http, id);
        Assert.Equal(epochs, d.GetProperty("epochs").GetInt32());
        Assert.Equal(TrainDiagnosis(state.GetProperty("command").GetString()!, epochs), $"{d.GetProperty("kind").GetString()}: {AsFlags(d.GetProperty("explanation").GetString()!)}");
        return d;
    }

    [Fact]
    public async Task From_zeros_the_units_are_symmetric_and_the_advice_names_the_init_field()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, Zeros);
        foreach (int epochs in new[] { 0, 30 })
        {
            var d = await SameAsTrain(http, id, epochs);
            Assert.Equal("symmetric", d.GetProperty("kind").GetString());
            string text = d.GetProperty("explanation").GetString()!;
            Assert.Contains("Layer 1 has 3 units but only 1 different one", text.Replace("The 3 units of layer 1 started identical", "Layer 1 has 3 units but only 1 different one"));
            Assert.Contains("give the units different starting weights: a random init scheme in the \u201Cinit\u201D field", text);
            Assert.Equal(id, d.GetProperty("session").GetString());
        }
    }

    [Fact]
    public async Task A_symmetric_scheme_is_named_with_the_scheme_to_use_instead()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, Zeros.Replace("\"zeros\"", "\"symmetric:glorot-uniform\""));
        var d = await SameAsTrain(http, id, 5);
        Assert.Equal("symmetric", d.GetProperty("kind").GetString());
        Assert.Contains("the init glorot-uniform instead of symmetric:glorot-uniform", d.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task Unnormalized_inputs_that_saturate_sigmoid_units_point_at_the_inputs_menu()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, Zeros.Replace("\"zeros\"", "\"glorot-uniform\"").Replace("\"zscore\"", "\"none\""));
        var d = await SameAsTrain(http, id, 3);
        Assert.Equal("saturated", d.GetProperty("kind").GetString());
        Assert.Contains("The inputs are not normalized (temperature_c ranges from 151.3 to 285)", d.GetProperty("explanation").GetString());
        Assert.Contains(": use \u201Cz-scored\u201D in the \u201Cinputs\u201D menu", d.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task A_run_from_random_weights_is_healthy()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, """{"data":"moons:n=120,noise=0.2","test":0.25,"hidden":[6],"activations":["tanh"],"optimizer":"adam","lr":0.02,"batch":"16","normalize":"zscore","precision":"float64","seed":4}""");
        var d = await SameAsTrain(http, id, 25);
        Assert.Equal("healthy", d.GetProperty("kind").GetString());
        Assert.StartsWith("The units of every layer are distinct and the cost fell from", d.GetProperty("explanation").GetString());
    }

    [Fact]
    public async Task After_one_epoch_a_healthy_run_is_not_said_to_have_a_falling_cost()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, """{"data":"moons:n=120,noise=0.2","test":null,"hidden":[6],"activations":["tanh"],"optimizer":"adam","lr":0.02,"batch":"16","normalize":"zscore","seed":4}""");
        var d = await SameAsTrain(http, id, 1);
        Assert.Equal("healthy", d.GetProperty("kind").GetString());
        string text = d.GetProperty("explanation").GetString()!;
        Assert.DoesNotContain("fell", text);
        Assert.Contains("one epoch's mean batch cost", text);
    }

    [Fact]
    public async Task A_diverged_run_names_the_epoch_the_layer_and_the_learning_rate_field()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, """{"data":"plane:n=50,noise=0.1","test":null,"hidden":[3],"activations":["linear"],"optimizer":"gd","lr":1000000,"batch":null}""");
        await Api.Post(http, $"api/sessions/{id}/control", """{"action":"play","speed":0}""");
        JsonElement state = default;
        for (int i = 0; i < 400 && (i == 0 || state.GetProperty("stopped").ValueKind == JsonValueKind.Null); i++)
        {
            await Task.Delay(25);
            state = await Api.State(http, id);
        }
        var d = await Diagnosis(http, id);
        Assert.Equal("diverged", d.GetProperty("kind").GetString());
        string text = d.GetProperty("explanation").GetString()!;
        Assert.Matches(@"^At epoch \d+ \(step \d+\) the numbers in layer \d+ became infinite or NaN: .*; try a smaller learning rate in the \u201Clearning rate\u201D field\.$", text);
        // gd takes one step an epoch, so train (which checks the weights at each epoch's end) stops where the page did.
        int epochs = (int)state.GetProperty("step").GetInt64() + 5;
        Assert.Equal(TrainDiagnosis(state.GetProperty("command").GetString()!, epochs), $"diverged: {AsFlags(text)}");
    }

    [Fact]
    public async Task Inside_the_first_epoch_there_is_no_diagnosis_yet_and_the_reply_says_when()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, Zeros);
        await Api.Steps(http, id, 1);
        var d = await Diagnosis(http, id);
        Assert.Equal(JsonValueKind.Null, d.GetProperty("kind").ValueKind);
        Assert.Equal(0, d.GetProperty("epochs").GetInt32());
        Assert.Contains("when the first epoch ends", d.GetProperty("explanation").GetString());
        var (status, json) = await Api.Send(http, HttpMethod.Get, "api/sessions/nope/diagnosis");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("session", json.GetProperty("field").GetString());
    }
}
