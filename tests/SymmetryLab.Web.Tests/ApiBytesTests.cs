using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// The playground's JSON keeps its bytes: scripts of requests to a server in this process (on a port the
/// OS picks) cover every endpoint and every event of the stream, and what the server answers must equal,
/// byte for byte, the transcripts in Fixtures/api, written by the hand-written Utf8JsonWriter code before
/// the answers became System.Text.Json records. The scripts cover the catalog and its lessons, sessions
/// made, read and replaced (edits, ties, a lesson's start), every control, explanations with and without
/// a second weight, a sample and paths, uploads, downloads, refusals of each status, frames with groups,
/// losses, accuracy, gradients, heat maps and images in float32 and float64, a layer too large to stream,
/// a run that diverged (its infinite weights and NaN losses written as null), and strings to escape.
/// The diagnosis endpoint came after the records: its answers in the two session scripts were recorded from
/// the records' code, so here they only pin the bytes; DiagnosisTests checks each diagnosis against the
/// sentence symlab train prints for the same command.
/// Masked: session ids (<see cref="Transcript"/>). Nothing else depends on time, because each run is
/// paused and takes its steps one command at a time (<see cref="Transcript.Until"/>).
/// A different transcript fails, and the one received is left under received/ beside the test binary.
/// </summary>
public sealed class ApiBytesTests : IAsyncLifetime
{
    private PlaygroundServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await PlaygroundServer.StartAsync("127.0.0.1", 0, new PlaygroundLimits { MaxSessions = 3 });
        _http = new HttpClient { BaseAddress = _server.Address };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    public static TheoryData<string> Scripts => [.. Cases.Keys];

    private static readonly Dictionary<string, Func<Transcript, Task>> Cases = new()
    {
        ["catalog"] = async t => await t.Get("api/catalog"),
        ["float32-session"] = Float32Session,
        ["float64-session"] = Float64Session,
        ["images-and-wide-layers"] = ImagesAndWideLayers,
        ["output-kinds"] = OutputKinds,
        ["upload"] = Upload,
        ["diverged"] = Diverged,
        ["refusals"] = Refusals,
    };

    /// <summary>A float32 run on 9 rows in batches of 3 (3 steps an epoch) with weights edited (-0, a subnormal) and tied, stepped, explained, reset, replaced by a lesson's start, downloaded.</summary>
    private static async Task Float32Session(Transcript t)
    {
        string id = await t.NewSession("""{"data":"xor:n=12","test":0.25,"hidden":[3],"activations":["tanh"],"optimizer":"momentum","lr":0.1,"batch":"3","seed":7,"edits":[{"param":"W1[1,1]","value":"0.1"},{"param":"b1[2]","value":"-0"},{"param":"W2[1,3]","value":"1e-45"}],"ties":[{"from":"W1[1,2]","to":"W1[2,2]"}]}""");
        var events = await t.Events(id);
        await t.Until(events, 1, 0);
        await t.Get($"api/sessions/{id}/state");
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
        await t.Until(events, 1, 1);
        await t.Post($"api/sessions/{id}/control", """{"action":"step"}""");
        await t.Until(events, 1, 2);
        await t.Post($"api/sessions/{id}/control", """{"action":"epoch"}""");
        await t.Until(events, 1, 3);
        await t.Get($"api/sessions/{id}/state");
        await t.Get($"api/sessions/{id}/diagnosis");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W1[1,1]","vs":"W1[2,1]"}""");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"b2[1]","vs":null,"sample":2}""");
        await t.Post($"api/sessions/{id}/control", """{"action":"speed","speed":0}""");
        await t.Post($"api/sessions/{id}/control", """{"action":"pause"}""");
        await t.Post($"api/sessions/{id}/control", """{"action":"reset"}""");
        await t.Until(events, 2, 0);
        await t.Get($"api/sessions/{id}/model.json");
        await t.Get($"api/sessions/{id}/initial.json");
        await t.Get($"api/sessions/{id}/playground-train.csv");
        await t.Get($"api/sessions/{id}/playground-test.csv");
        // The tied 2-2-1 lesson's first start (weights edited and tied), from the catalog.
        var (_, catalog) = await Api.Send(t.Http, HttpMethod.Get, "api/catalog");
        string lesson = catalog.GetProperty("lessons").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "tied-2-2-1").GetProperty("starts")[0].GetProperty("state").GetRawText();
        await t.Post($"api/sessions/{id}/state", lesson);
        await t.Until(events, 3, 0);
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
        await t.Until(events, 3, 1);
        await t.Get($"api/sessions/{id}/state");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W1[1,1]","vs":"W1[2,1]"}""");
        await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
    }

    /// <summary>A float64 run on a plane (heat maps, decision map) with two hidden layers (explanations with paths), z-scores, Adam, L2, dropout and a perturbation.</summary>
    private static async Task Float64Session(Transcript t)
    {
        string id = await t.NewSession("""{"data":"circles:n=40,noise=0.05","test":0.2,"features":["x1","x2","x1*x2"],"hidden":[4,2],"activations":["relu","sigmoid"],"init":"he-normal","biasInit":"constant:0.01","perturb":"0.001:1","optimizer":"adam","lr":0.01,"batch":"full","l2":0.0001,"dropout":0.1,"normalize":"zscore","precision":"float64","seed":9007199254740991}""");
        var events = await t.Events(id);
        await t.Until(events, 1, 0);
        for (int step = 1; step <= 3; step++)
        {
            await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
            await t.Until(events, 1, step);
        }
        await t.Get($"api/sessions/{id}/state");
        await t.Get($"api/sessions/{id}/diagnosis");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W1[2,2]","sample":3}""");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W2[1,1]","vs":"W3[1,2]"}""");
        await t.Get($"api/sessions/{id}/model.json");
        await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
    }

    /// <summary>An image set (tiles, no plane) with a softmax output, and a layer with more weights than a frame streams.</summary>
    private static async Task ImagesAndWideLayers(Transcript t)
    {
        string id = await t.NewSession("""{"data":"optdigits","test":null,"hidden":[3],"activations":["sigmoid"],"outputActivation":"softmax","loss":"ce","optimizer":"sgd","lr":0.1,"batch":"64","seed":3}""");
        var events = await t.Events(id);
        await t.Until(events, 1, 0);
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
        await t.Until(events, 1, 1);
        string wide = await t.NewSession("""{"data":"plane:n=50,features=400","hidden":[128],"activations":["linear"],"outputActivation":"linear","loss":"mse","seed":2}""");
        var wideEvents = await t.Events(wide);
        await t.Until(wideEvents, 1, 0);
        await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
        await t.Send(HttpMethod.Delete, $"api/sessions/{wide}");
    }

    /// <summary>The decision map of a softmax over three classes on a plane, and the value map of a regression.</summary>
    private static async Task OutputKinds(Transcript t)
    {
        foreach (var state in new[]
        {
            """{"data":"blobs:n=30,k=3","test":null,"hidden":[3],"activations":["relu"],"outputActivation":"softmax","loss":"ce","batch":null,"seed":4}""",
            """{"data":"plane:n=30","test":null,"hidden":[2],"activations":["tanh"],"outputActivation":"linear","loss":"mse","batch":null,"seed":4}""",
        })
        {
            string id = await t.NewSession(state);
            var events = await t.Events(id);
            await t.Until(events, 1, 0);
            await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
            await t.Until(events, 1, 1);
            await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
        }
    }

    /// <summary>A CSV uploaded under a name and with columns that need escaping in JSON, then trained on.</summary>
    private static async Task Upload(Transcript t)
    {
        string id = await t.NewSession("");
        var events = await t.Events(id);
        await t.Until(events, 1, 0);
        var csv = new StringBuilder("\"gr\u00f6\u00dfe <cm>\",\"a&b 'x' \"\"y\"\"\",\u00e9tiquette\n");
        for (int i = 0; i < 12; i++) csv.Append(R(i * 0.25 - 1)).Append(',').Append(R(Math.Sin(i))).Append(',').Append(i % 3 == 0 ? 1 : 0).Append('\n');
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/upload?name={Uri.EscapeDataString("d\u00e9j\u00e0 \"vu\" <1>.csv")}&target={Uri.EscapeDataString("\u00e9tiquette")}", csv.ToString(), "text/csv");
        await t.Post($"api/sessions/{id}/state", """{"data":"upload","test":null,"hidden":[2],"activations":["tanh"],"batch":null,"seed":5}""");
        await t.Until(events, 2, 0);
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
        await t.Until(events, 2, 1);
        await t.Get($"api/sessions/{id}/state");
        await t.Get($"api/sessions/{id}/playground-train.csv");
        await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A float32 run whose first update overflows: the frame's infinite weights and gradients and its NaN losses are null, and "stopped" says where; play is then refused quietly.</summary>
    private static async Task Diverged(Transcript t)
    {
        string id = await t.NewSession("""{"data":"xor:n=8","test":null,"hidden":[2],"activations":["linear"],"outputActivation":"linear","loss":"mse","init":"constant:1","optimizer":"gd","lr":1,"batch":null,"seed":1,"edits":[{"param":"W1[1,1]","value":"1e38"},{"param":"W2[1,1]","value":"1e-30"}]}""");
        var events = await t.Events(id);
        await t.Until(events, 1, 0);
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":1}""");
        await t.Until(events, 1, 1);
        await t.Post($"api/sessions/{id}/control", """{"action":"play"}""");
        await t.Get($"api/sessions/{id}/state");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W1[1,1]"}""");
        await t.Send(HttpMethod.Delete, $"api/sessions/{id}");
    }

    /// <summary>A refusal of each status: 400 (fields of the state, the control, an explanation, an upload, a foreign host), 403, 404, 413, 415, 500, 503.</summary>
    private static async Task Refusals(Transcript t)
    {
        string id = await t.NewSession("""{"data":"xor:n=8","test":null,"hidden":[2],"activations":["tanh"],"seed":1}""");
        await t.Post("api/sessions", """{"colour":"red"}""");
        await t.Post($"api/sessions/{id}/state", """{"lr":"fast"}""");
        await t.Post($"api/sessions/{id}/state", """{"edits":[{"param":"W1[1,1]"}]}""");
        await t.Post($"api/sessions/{id}/state", """{"hidden":[1,1,1,1,1,1,1,1,1,1,1]}""");
        await t.Post($"api/sessions/{id}/state", """[1,2""");
        await t.Post($"api/sessions/{id}/control", """{"action":"jump"}""");
        await t.Post($"api/sessions/{id}/control", """{"action":"step","steps":0}""");
        await t.Post($"api/sessions/{id}/control", """{"action":"step","go":1}""");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W9[1,1]"}""");
        await t.Post($"api/sessions/{id}/explain", """{"weight":"W1[1,1]","sample":99}""");
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/upload?name=x.csv", "a,b\n1,2\n1\n", "text/csv");
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/upload?name=", "a,b\n1,2\n", "text/csv");
        await t.Get($"api/sessions/{id}/playground-test.csv");
        await t.Send(HttpMethod.Get, "api/catalog", adjust: r => r.Headers.Host = "evil.example");
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/control", """{"action":"pause"}""", adjust: r => r.Headers.Add("Origin", "http://evil.example"));
        await t.Get("api/sessions/0123456789abcdef/state");
        await t.Get($"api/sessions/{Uri.EscapeDataString("x\"<\u00e9>")}/state");
        await t.Get("api/sessions/nosuch/events");
        await t.Send(HttpMethod.Delete, "api/sessions/nosuch");
        await t.Post($"api/sessions/{id}/state", "{\"data\":\"" + new string('x', 70_000) + "\"}");
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/state", "{}", "text/plain");
        await t.Send(HttpMethod.Post, $"api/sessions/{id}/upload?name=x.csv", "{}", "application/json");
        var bug = await PlaygroundServer.Handle(new DefaultHttpContext(), () => throw new InvalidOperationException("Sequence contains no elements"));
        var content = Assert.IsType<ContentHttpResult>(bug);
        t.Note("a handler that throws InvalidOperationException");
        t.Note($"{content.StatusCode} {content.ContentType}: {content.ResponseContent}");
        string second = await t.NewSession("");
        string third = await t.NewSession("{}");
        await t.Post("api/sessions", "{}");
        await t.Get($"api/sessions/{id}/state");
        foreach (var s in new[] { id, second, third }) await t.Send(HttpMethod.Delete, $"api/sessions/{s}");
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "api", name + ".txt");

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_server_answers_with_the_bytes_of_the_fixtures(string name)
    {
        string text;
        await using (var t = new Transcript(_http))
        {
            await Cases[name](t);
            text = t.Text;
        }
        byte[] actual = Encoding.UTF8.GetBytes(text);
        string? problem = null;
        if (!File.Exists(Fixture(name))) problem = "no fixture";
        else
        {
            byte[] expected = File.ReadAllBytes(Fixture(name));
            int at = expected.AsSpan().CommonPrefixLength(actual);
            if (at == expected.Length && at == actual.Length) return;
            problem = $"the bytes differ at offset {at} of {expected.Length}: the fixture has \"{Around(expected, at)}\", the server \"{Around(actual, at)}\"";
        }
        string received = Path.Combine(AppContext.BaseDirectory, "received", "api", name + ".txt");
        Directory.CreateDirectory(Path.GetDirectoryName(received)!);
        File.WriteAllBytes(received, actual);
        Assert.Fail($"{name}: {problem} (received: {received})");
    }

    private static string Around(byte[] bytes, int at) =>
        Encoding.UTF8.GetString(bytes, Math.Max(0, at - 40), Math.Min(bytes.Length, at + 40) - Math.Max(0, at - 40)).Replace("\n", "\\n");
}
