using System.Text.Json;
using SymmetryLab.Cli;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// A playground run and <c>symlab train</c> with the command line the playground shows end with the same
/// model.json, byte for byte (the run is trained step by step on the server; train runs whole epochs).
/// </summary>
[Collection("playground")]
public class SameAsTrainTests(Playground playground)
{
    /// <summary>Runs the command the playground printed (files it names replaced by <paramref name="files"/>) with --epochs and --out; returns model.json.</summary>
    internal static string Train(string command, int epochs, Dictionary<string, string>? files = null)
    {
        var args = command.Split(' ').Skip(1).Select(a => files is not null && files.TryGetValue(a, out var path) ? path : a).ToList();
        string dir = Path.Combine(Path.GetTempPath(), $"symlab-web-{Guid.NewGuid():N}");
        args.AddRange(["--epochs", epochs.ToString(), "--out", dir]);
        var err = new StringWriter();
        int code = SymlabCli.Run([.. args], new StringWriter(), err);
        Assert.True(code == 0, $"symlab {string.Join(" ", args)}: exit {code}: {err}");
        try
        {
            return File.ReadAllText(Path.Combine(dir, "model.json"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("""{"data":"moons:n=120,noise=0.2","test":0.25,"hidden":[5,3],"activations":["tanh","relu"],"init":"he-uniform","optimizer":"adam","lr":0.01,"batch":"16","normalize":"zscore","seed":9,"edits":[{"param":"W1[2,1]","value":"0.123456789"},{"param":"b2[3]","value":"-0.5"}],"ties":[{"from":"u1[1]","to":"u1[4]"},{"from":"W2[1,1]","to":"W2[2,2]"}]}""", 3)]
    [InlineData("""{"data":"circles:n=80,noise=0.1,factor=0.5","test":null,"features":["x1^2","x2^2","sin(x1)"],"hidden":[4],"activations":["sigmoid"],"init":"symmetric:glorot-uniform","perturb":"1e-6:2","optimizer":"momentum","lr":0.1,"batch":"10","precision":"float64","l2":0.01,"seed":3}""", 4)]
    public async Task Hand_set_weights_and_derived_inputs_reproduce_from_the_files_the_page_offers(string state, int epochs)
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, state);
        var s = await Api.State(http, id);
        long perEpoch = s.GetProperty("stepsPerEpoch").GetInt64();
        s = await Api.Steps(http, id, epochs * perEpoch);
        string command = s.GetProperty("command").GetString()!;
        string dir = Directory.CreateTempSubdirectory("symlab-web-files").FullName;
        try
        {
            var files = new Dictionary<string, string>();
            foreach (var file in new[] { "initial.json", "playground-train.csv", "playground-test.csv" })
            {
                if (!command.Contains(file)) continue;
                files[file] = Path.Combine(dir, file);
                File.WriteAllText(files[file], await Api.Text(http, $"api/sessions/{id}/{file}"));
            }
            Assert.True(files.Count >= 1, command);
            string page = await Api.Text(http, $"api/sessions/{id}/model.json");
            Assert.Equal(Train(command, epochs, files), page);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Reset_returns_to_the_same_initial_weights_and_the_same_steps()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, """{"data":"xor:n=50","hidden":[4],"activations":["tanh"],"optimizer":"sgd","batch":"7","lr":0.1,"seed":2,"dropout":0.1}""");
        string initial = await Api.Text(http, $"api/sessions/{id}/initial.json");
        await Api.Steps(http, id, 23);
        string first = await Api.Text(http, $"api/sessions/{id}/model.json");
        var (status, _) = await Api.Post(http, $"api/sessions/{id}/control", """{"action":"reset"}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(initial, await Api.Text(http, $"api/sessions/{id}/model.json"));
        await Api.Steps(http, id, 23);
        Assert.Equal(first, await Api.Text(http, $"api/sessions/{id}/model.json"));
        Assert.NotEqual(initial, first);
    }

    [Fact]
    public async Task Training_that_diverges_stops_and_says_where()
    {
        var http = playground.Http;
        string id = await Api.NewSession(http, """{"data":"plane:n=50,noise=0.1","test":null,"hidden":[3],"activations":["linear"],"optimizer":"gd","lr":1000000,"batch":null}""");
        var (status, _) = await Api.Post(http, $"api/sessions/{id}/control", """{"action":"play","speed":0}""");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        for (int i = 0; i < 400; i++)
        {
            var s = await Api.State(http, id);
            if (s.GetProperty("stopped").GetString() is { } stopped)
            {
                Assert.Matches(@"^training diverged at epoch \d+ \(step \d+\): .* in layer \d+; try a smaller learning rate$", stopped);
                Assert.Equal(JsonValueKind.Null, s.GetProperty("error").ValueKind);
                return;
            }
            await Task.Delay(25);
        }
        Assert.Fail("training did not stop");
    }
}
