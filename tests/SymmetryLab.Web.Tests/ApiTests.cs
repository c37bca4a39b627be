using System.Net;
using System.Text;
using System.Text.Json;

namespace SymmetryLab.Web.Tests;

/// <summary>Every kind of bad request gets a JSON error naming the field, and changes nothing.</summary>
[Collection("playground")]
public class ApiTests(Playground playground)
{
    private HttpClient Http => playground.Http;

    private const string Good = """{"data":"xor:n=60","test":null,"hidden":[3],"activations":["sigmoid"],"init":"zeros","optimizer":"gd","lr":0.5,"batch":null,"seed":4}""";

    public static TheoryData<string, string, string> BadStates => new()
    {
        { """{"lr":-1}""", "lr", "--lr -1: must be a positive number" },
        { """{"lr":"fast"}""", "lr", "lr: expected a finite number" },
        { """{"batch":"abc"}""", "batch", "--batch abc: expected a whole number >= 1 or 'full'" },
        { """{"batch":0}""", "batch", "--batch 0" },
        { """{"hidden":[3,0],"activations":["tanh","tanh"]}""", "hidden[1]", "'0' is not a width" },
        { """{"hidden":[1,1,1,1,1,1,1,1,1,1,1],"activations":[]}""", "hidden", "at most 10" },
        { """{"hidden":[129],"activations":["tanh"]}""", "hidden[0]", "at most 128" },
        { """{"hidden":[3],"activations":["tanh","tanh"]}""", "activations", "2 given for 1 hidden layer (one per hidden layer)" },
        { """{"hidden":[3],"activations":["swish"]}""", "activations[0]", "--activation swish: unknown activation" },
        { """{"hidden":[3],"activations":["softmax"]}""", "activations", "softmax is for the output layer only" },
        { """{"data":"nosuchset"}""", "data", "--data nosuchset: not a built-in data set or a generator" },
        { """{"data":"/etc/passwd"}""", "data", "--data /etc/passwd: not a built-in data set or a generator" },
        { """{"data":"../data/coffee/coffee_roasting.csv"}""", "data", "not a built-in data set or a generator" },
        { """{"data":"circles:n=100000000"}""", "data", "the playground allows at most 20,000" },
        { """{"data":"blobs:n=3000,features=3000"}""", "data", "3,000 rows of 3,000 features (9,000,000 values), the playground allows at most 8,000,000" },
        { """{"data":"plane:features=10000,n=1000"}""", "data", "1,000 rows of 10,000 features (10,000,000 values)" },
        { """{"data":"circles:noise=-1"}""", "data", "noise=-1: noise must be a number >= 0" },
        { """{"data":"upload"}""", "data", "no CSV file has been uploaded" },
        { """{"test":1.5}""", "test", "--test 1.5: a fraction must be between 0 and 1" },
        { """{"features":["x3"]}""", "features", "'x3' is not a derived feature" },
        { """{"data":"iris","features":["x1"]}""", "features", "need exactly two features" },
        { """{"init":"gaussian"}""", "init", "--init" },
        { """{"biasInit":"uniform:1"}""", "biasInit", "--bias-init" },
        { """{"perturb":"tiny"}""", "perturb", "--perturb tiny: expected EPS or EPS:LAYER" },
        { """{"perturb":"1e-3:9"}""", "perturb", "--perturb 0.001:9: the network has layers 1 to 2" },
        { """{"precision":"float16"}""", "precision", "--precision float16: expected float32 or float64" },
        { """{"loss":"hinge"}""", "loss", "--loss hinge: unknown loss" },
        { """{"loss":"ce","outputs":1}""", "outputs", "with --loss ce: the output layer has 1 unit, but the target" },
        { """{"outputActivation":"linear","loss":"bce"}""", "loss", "--loss bce needs --output-activation sigmoid" },
        { """{"optimizer":"rmsprop"}""", "optimizer", "--optimizer rmsprop: expected one of gd, sgd, momentum, adam" },
        { """{"l2":-0.5}""", "l2", "--l2 -0.5: must be >= 0" },
        { """{"dropout":1}""", "dropout", "--dropout 1: must be in [0, 1)" },
        { """{"normalize":"minmax"}""", "normalize", "--normalize minmax: expected none or zscore" },
        { """{"seed":-1}""", "seed", "--seed -1" },
        { """{"seed":9007199254740992}""", "seed", "seed 9007199254740992: the playground takes seeds up to 9007199254740991" },
        { """{"seed":18446744073709551615}""", "seed", "the playground takes seeds up to 9007199254740991" },
        { """{"colour":"red"}""", "colour", "colour: not a field of the playground's state" },
        { """{"edits":[{"param":"W9[1,1]","value":"1"}]}""", "edits[0].param", "the network has layers 1 to 2" },
        { """{"edits":[{"param":"w1","value":"1"}]}""", "edits[0].param", "expected a weight like W1[2,1]" },
        { """{"edits":[{"param":"W1[99999999999,1]","value":"1"}]}""", "edits[0].param", "expected a weight like W1[2,1]" },
        { """{"edits":[{"param":"W1[1,1]","value":"NaN"}]}""", "edits[0].value", "is not a finite float32 number" },
        { """{"edits":[{"param":"W1[1,1]","value":"1e39"}]}""", "edits[0].value", "is not a finite float32 number" },
        { """{"edits":[{"param":"W1[1,1]"}]}""", "edits[0].value", "missing" },
        { """{"ties":[{"from":"W1[1,1]","to":"W1[1,1]"}]}""", "ties[0].to", "cannot be tied to itself" },
        { """{"ties":[{"from":"W1[1,1]","to":"W1[2,1]"},{"from":"W1[3,1]","to":"W1[2,1]"}]}""", "ties[1].to", "already tied" },
        { """{"ties":[{"from":"u1[1]","to":"W1[2,1]"}]}""", "ties[0].to", "a unit ties to a unit" },
        { """{"ties":[{"from":"u1[1]","to":"u2[1]"}]}""", "ties[0].to", "are in different layers" },
        { """{"ties":[{"from":"W1[1,1]","to":"W1[2,1]"}],"edits":[{"param":"W1[2,1]","value":"1"}]}""", "edits[0].param", "W1[2,1] is tied to W1[1,1]" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public async Task A_bad_state_is_refused_naming_the_field_and_changes_nothing(string change, string field, string message)
    {
        string id = await Api.NewSession(Http, Good);
        await Api.Steps(Http, id, 3);
        var before = await Api.State(Http, id);
        // The change on top of the good state (hidden sizes etc. from the good state unless the change names them).
        var merged = Merge(Good, change);
        var (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", merged);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Contains(message, json.GetProperty("error").GetString());
        var after = await Api.State(Http, id);
        Assert.Equal(before.ToString(), after.ToString());
    }

    private static string Merge(string a, string b)
    {
        var result = new Dictionary<string, JsonElement>();
        foreach (var p in JsonDocument.Parse(a).RootElement.EnumerateObject()) result[p.Name] = p.Value.Clone();
        foreach (var p in JsonDocument.Parse(b).RootElement.EnumerateObject()) result[p.Name] = p.Value.Clone();
        return JsonSerializer.Serialize(result);
    }

    [Fact]
    public async Task Hidden_layers_without_activations_get_the_default_one_each()
    {
        // The default state has two hidden layers and two activations; three layers given alone were refused
        // with "activations: 2 given for 3 hidden layers", a count the request never gave.
        string id = await Api.NewSession(Http, """{"data":"xor:n=60","hidden":[5,4,3]}""");
        var state = await Api.State(Http, id);
        Assert.Equal(["tanh", "tanh", "tanh"], state.GetProperty("state").GetProperty("activations").EnumerateArray().Select(a => a.GetString()));
        id = await Api.NewSession(Http, """{"data":"xor:n=60","hidden":[]}""");
        Assert.Equal(0, (await Api.State(Http, id)).GetProperty("state").GetProperty("activations").GetArrayLength());
    }

    [Fact]
    public async Task Bodies_of_the_wrong_kind_size_or_syntax_are_refused()
    {
        string id = await Api.NewSession(Http, Good);
        var before = (await Api.State(Http, id)).ToString();
        var (status, json) = await Api.Send(Http, HttpMethod.Post, $"api/sessions/{id}/state", new StringContent(Good, Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("body", json.GetProperty("field").GetString());
        (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", "{\"data\": ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid JSON", json.GetProperty("error").GetString());
        (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", "{\"data\":\"" + new string('x', 70_000) + "\"}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("body", json.GetProperty("field").GetString());
        (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", "[1,2]");
        Assert.Equal("state", json.GetProperty("field").GetString());
        Assert.Equal(before, (await Api.State(Http, id)).ToString());
    }

    [Theory]
    [InlineData("""{"action":"jump"}""", "action", "action jump: expected play, pause, step, epoch, reset or speed")]
    [InlineData("""{"steps":3}""", "action", "action: expected")]
    [InlineData("""{"action":"step","steps":0}""", "steps", "steps 0: expected a whole number from 1")]
    [InlineData("""{"action":"speed","speed":-2}""", "speed", "speed -2")]
    [InlineData("""{"action":"step","by":2}""", "by", "by: not a field")]
    public async Task Bad_controls_are_refused(string body, string field, string message)
    {
        string id = await Api.NewSession(Http, Good);
        var (status, json) = await Api.Post(Http, $"api/sessions/{id}/control", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Contains(message, json.GetProperty("error").GetString());
        Assert.Equal(0, (await Api.State(Http, id)).GetProperty("step").GetInt64());
    }

    [Theory]
    [InlineData("""{"weight":"W1[4,1]"}""", "weight", "layer 1 has units 1 to 3")]
    [InlineData("""{"weight":"W1[1,1]","vs":"z"}""", "vs", "expected a weight like W1[2,1]")]
    [InlineData("""{"weight":"W1[1,1]","sample":61}""", "sample", "--sample 61: the training data has samples 1 to 60")]
    [InlineData("""{"vs":"W1[1,1]"}""", "weight", "weight: expected")]
    [InlineData("""{"weight":"W1[99999999999,1]"}""", "weight", "expected a weight like W1[2,1]")]
    [InlineData("""{"weight":"W1[1,1]","vs":"b1[2147483648]"}""", "vs", "expected a weight like W1[2,1]")]
    public async Task Bad_explanations_are_refused(string body, string field, string message)
    {
        string id = await Api.NewSession(Http, Good);
        var (status, json) = await Api.Post(Http, $"api/sessions/{id}/explain", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, json.GetProperty("field").GetString());
        Assert.Contains(message, json.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("W2[1,1]", "W1[1,1]")]
    [InlineData("W1[1,1]", "W2[1,1]")]
    [InlineData("b2[1]", "W1[2,1]")]
    public async Task Gradients_of_different_layers_are_explained_side_by_side_without_comparing_their_factors(string weight, string vs)
    {
        string id = await Api.NewSession(Http, Good);
        var (status, json) = await Api.Post(Http, $"api/sessions/{id}/explain", $$"""{"weight":"{{weight}}","vs":"{{vs}}"}""");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {json}");
        Assert.Equal(weight, json.GetProperty("weight").GetString());
        Assert.Equal(vs, json.GetProperty("vs").GetProperty("weight").GetString());
        // Different chains: no factor is said to differ or to be the same.
        foreach (var side in new[] { json, json.GetProperty("vs") })
            foreach (var factor in side.GetProperty("factors").EnumerateArray())
                Assert.False(factor.TryGetProperty("differs", out _), factor.ToString());
    }

    [Fact]
    public async Task An_L2_term_beyond_double_is_explained_as_null_not_a_server_error()
    {
        // (l2/m) w = 1e308 * 3 on one sample is infinite; the answer used to fail to serialize (a 500).
        string id = await Api.NewSession(Http, """{"data":"xor:n=60","hidden":[3],"activations":["sigmoid"],"init":"constant:3","l2":1e308}""");
        var (status, json) = await Api.Post(Http, $"api/sessions/{id}/explain", """{"weight":"W1[1,1]","sample":1}""");
        Assert.True(status == HttpStatusCode.OK, $"{status}: {json}");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("l2Term").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("gradient").ValueKind);
    }

    [Fact]
    public async Task A_malformed_upload_names_the_line_and_field_and_is_not_kept()
    {
        string id = await Api.NewSession(Http, Good);
        var bad = new StringContent("a,b,y\n1,2,0\n3,x,1\n", Encoding.UTF8, "text/csv");
        var (status, json) = await Api.Send(Http, HttpMethod.Post, $"api/sessions/{id}/upload?name=mine.csv", bad);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("file", json.GetProperty("field").GetString());
        Assert.Equal("mine.csv:3: field 2 (b) is not a number: 'x'", json.GetProperty("error").GetString());
        (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", """{"data":"upload"}""");
        Assert.Equal("data", json.GetProperty("field").GetString()); // nothing was kept
        (status, json) = await Api.Send(Http, HttpMethod.Post, $"api/sessions/{id}/upload", new StringContent("a,y\n1,0\n", Encoding.UTF8, "text/csv"));
        Assert.Equal("name", json.GetProperty("field").GetString());
        (status, _) = await Api.Send(Http, HttpMethod.Post, $"api/sessions/{id}/upload?name=a.csv", new StringContent("a,y\n1,0\n", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task An_uploaded_csv_trains_and_its_path_names_no_file_of_the_server()
    {
        string id = await Api.NewSession(Http, Good);
        var csv = new StringContent("u,v,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0.1,0.9,1\n0.9,0.1,1\n", Encoding.UTF8, "text/csv");
        var (status, json) = await Api.Send(Http, HttpMethod.Post, $"api/sessions/{id}/upload?name=../../etc/x.csv", csv);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("x.csv", json.GetProperty("name").GetString());
        Assert.Equal(6, json.GetProperty("rows").GetInt32());
        (status, json) = await Api.Post(Http, $"api/sessions/{id}/state", """{"data":"upload","test":null,"features":["x1","x2","x1*x2"],"hidden":[],"activations":[],"optimizer":"gd","lr":1,"batch":null}""");
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        var state = await Api.Steps(Http, id, 5);
        Assert.StartsWith("symlab train --data playground-train.csv --layers 1 ", state.GetProperty("command").GetString());
        string train = await Api.Text(Http, $"api/sessions/{id}/playground-train.csv");
        Assert.Equal("x1,x2,x1*x2,label\n0,0,0,0\n0,1,0,1\n1,0,0,1\n1,1,1,0\n0.1,0.9,0.09000000000000001,1\n0.9,0.1,0.09000000000000001,1\n", train);
    }

    [Fact]
    public async Task Unknown_sessions_foreign_hosts_and_foreign_origins_are_refused()
    {
        var (status, json) = await Api.Post(Http, "api/sessions/0123/control", """{"action":"play"}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("session", json.GetProperty("field").GetString());

        using var rebinding = new HttpRequestMessage(HttpMethod.Get, "api/catalog");
        rebinding.Headers.Host = "attacker.example";
        using var response = await Http.SendAsync(rebinding);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"host\"", await response.Content.ReadAsStringAsync());

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "api/sessions") { Content = Api.JsonBody("{}") };
        crossSite.Headers.Add("Origin", "http://attacker.example");
        using var refused = await Http.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task The_page_is_served_with_a_strict_content_security_policy()
    {
        using var response = await Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch("<script(?![^>]*src=)", html); // no inline script
        Assert.DoesNotContain("style=", html);
        using var missing = await Http.GetAsync("/js/../../appsettings.json");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Sessions_are_capped_and_expire_when_idle()
    {
        await using var small = await PlaygroundServer.StartAsync("127.0.0.1", 0, new PlaygroundLimits { MaxSessions = 1, IdleExpiry = TimeSpan.FromMilliseconds(300) });
        using var http = new HttpClient { BaseAddress = small.Address };
        string id = await Api.NewSession(http, Good);
        var (status, json) = await Api.Post(http, "api/sessions", Good);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("session", json.GetProperty("field").GetString());
        for (int i = 0; i < 100 && small.Sessions.Count > 0; i++) await Task.Delay(50);
        Assert.Equal(0, small.Sessions.Count);
        (status, _) = await Api.Send(http, HttpMethod.Get, $"api/sessions/{id}/state");
        Assert.Equal(HttpStatusCode.NotFound, status);
        await Api.NewSession(http, Good); // room again
    }

    [Fact]
    public async Task States_posted_at_once_each_answer_their_own_state_and_the_last_applied_has_the_highest_generation()
    {
        string id = await Api.NewSession(Http, Good);
        var replies = await Task.WhenAll(Enumerable.Range(100, 48).Select(seed =>
            Api.Post(Http, $"api/sessions/{id}/state", Merge(Good, $$"""{"seed":{{seed}}}""")).ContinueWith(t => (Seed: seed, Reply: t.Result))));
        foreach (var (seed, (status, json)) in replies)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(seed, json.GetProperty("state").GetProperty("seed").GetInt32());
        }
        var last = replies.MaxBy(r => r.Reply.Json.GetProperty("generation").GetInt32());
        var state = await Api.State(Http, id);
        Assert.Equal(last.Reply.Json.GetProperty("generation").GetInt32(), state.GetProperty("generation").GetInt32());
        Assert.Equal(last.Seed, state.GetProperty("state").GetProperty("seed").GetInt32());
        Assert.Equal(48, replies.Select(r => r.Reply.Json.GetProperty("generation").GetInt32()).Distinct().Count());
    }

    [Fact]
    public async Task At_the_cap_a_session_nobody_watches_makes_room_and_a_watched_one_does_not()
    {
        await using var small = await PlaygroundServer.StartAsync("127.0.0.1", 0, new PlaygroundLimits { MaxSessions = 1, AbandonedAfter = TimeSpan.FromMilliseconds(200) });
        using var http = new HttpClient { BaseAddress = small.Address };
        // A closed tab (no event stream, no request since): its session gives way to a new one.
        string closed = await Api.NewSession(http, Good);
        await Task.Delay(400);
        string open = await Api.NewSession(http, Good);
        var (status, _) = await Api.Send(http, HttpMethod.Get, $"api/sessions/{closed}/state");
        Assert.Equal(HttpStatusCode.NotFound, status);
        // An open page (its event stream open) keeps its session, however long it has been quiet.
        using var events = await http.GetAsync($"api/sessions/{open}/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        await Task.Delay(400);
        (status, var json) = await Api.Post(http, "api/sessions", Good);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("session", json.GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.Send(http, HttpMethod.Get, $"api/sessions/{open}/state")).Status);
    }
}

/// <summary>Every experiment opens as a lesson, and every lesson's start is a state the server accepts.</summary>
[Collection("playground")]
public class LessonTests(Playground playground)
{
    [Fact]
    public async Task Every_experiment_has_a_lesson_whose_starts_the_server_accepts()
    {
        var names = SymmetryLab.Lab.Experiments.ExperimentCatalog.All.Select(e => e.Name).ToList();
        Assert.Equal(names, State.Lessons.All.Select(l => l.Experiment.Name).ToList());
        var catalog = JsonDocument.Parse(await playground.Http.GetStringAsync("api/catalog")).RootElement;
        string id = await Api.NewSession(playground.Http);
        foreach (var lesson in catalog.GetProperty("lessons").EnumerateArray())
        {
            Assert.False(string.IsNullOrWhiteSpace(lesson.GetProperty("question").GetString()));
            foreach (var start in lesson.GetProperty("starts").EnumerateArray())
            {
                var (status, json) = await Api.Post(playground.Http, $"api/sessions/{id}/state", start.GetProperty("state").GetRawText());
                Assert.True(status == HttpStatusCode.OK, $"{lesson.GetProperty("name")}, {start.GetProperty("label")}: {json}");
            }
        }
    }
}
