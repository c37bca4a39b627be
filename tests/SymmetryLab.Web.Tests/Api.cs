using System.Net;
using System.Text;
using System.Text.Json;

namespace SymmetryLab.Web.Tests;

/// <summary>Calls to the playground's JSON API, for tests.</summary>
internal static class Api
{
    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpStatusCode Status, JsonElement Json)> Send(HttpClient http, HttpMethod method, string path, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Json)> Post(HttpClient http, string path, string json) => Send(http, HttpMethod.Post, path, JsonBody(json));

    public static async Task<string> NewSession(HttpClient http, string state = "{}")
    {
        var (status, json) = await Post(http, "api/sessions", state);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {json}");
        return json.GetProperty("session").GetString()!;
    }

    public static async Task<JsonElement> State(HttpClient http, string id)
    {
        var (status, json) = await Send(http, HttpMethod.Get, $"api/sessions/{id}/state");
        Assert.Equal(HttpStatusCode.OK, status);
        return json;
    }

    /// <summary>Steps the session and waits until the run has taken them all.</summary>
    public static async Task<JsonElement> Steps(HttpClient http, string id, long steps)
    {
        long before = (await State(http, id)).GetProperty("step").GetInt64();
        var (status, json) = await Post(http, $"api/sessions/{id}/control", $"{{\"action\":\"step\",\"steps\":{steps}}}");
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        for (int i = 0; i < 600; i++)
        {
            var s = await State(http, id);
            if (s.GetProperty("step").GetInt64() >= before + steps) return s;
            await Task.Delay(25);
        }
        throw new TimeoutException($"session {id} did not reach step {before + steps}");
    }

    public static async Task<string> Text(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }
}
