using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// A script of requests to a playground server written down with the server's answers, byte for byte:
/// each request (<c>&gt; METHOD path body</c>), its status and Content-Type (<c>&lt; 200 type</c>) and
/// its body; each event of a stream (<c>~ event</c>) and its data. Session ids are 128 random bits, so
/// each is written <c>SESSION-N</c> (N in the order the script created them); nothing else is masked.
/// </summary>
internal sealed class Transcript(HttpClient http) : IAsyncDisposable
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _sessions = [];
    private readonly List<EventStream> _streams = [];

    public HttpClient Http => http;

    /// <summary>What was sent and answered so far, session ids masked.</summary>
    public string Text
    {
        get
        {
            string text = _text.ToString();
            for (int i = 0; i < _sessions.Count; i++) text = text.Replace(_sessions[i], $"SESSION-{i + 1}", StringComparison.Ordinal);
            return text;
        }
    }

    public void Note(string line) => _text.Append("# ").Append(line).Append('\n');

    /// <summary>
    /// Sends a request (a body of <paramref name="contentType"/> when <paramref name="body"/> is given) and writes
    /// it and its answer down; a 201 with a session id makes that id one to mask. The answer is parsed when it is JSON.
    /// </summary>
    public async Task<JsonElement> Send(HttpMethod method, string path, string? body = null, string contentType = "application/json", Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        adjust?.Invoke(request);
        using var response = await http.SendAsync(request);
        byte[] answer = await response.Content.ReadAsByteArrayAsync();
        _text.Append("> ").Append(method).Append(' ').Append(path);
        if (body is not null) _text.Append(' ').Append(body.Length <= 400 && !body.Contains('\n') ? body : $"({Encoding.UTF8.GetByteCount(body):D} bytes of {contentType})");
        _text.Append('\n');
        _text.Append("< ").Append((int)response.StatusCode).Append(' ').Append(response.Content.Headers.ContentType?.ToString() ?? "-").Append('\n');
        _text.Append(Encoding.UTF8.GetString(answer)).Append("\n\n");
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || answer.Length == 0) return default;
        var json = JsonDocument.Parse(answer).RootElement.Clone();
        if ((int)response.StatusCode == 201 && json.TryGetProperty("session", out var id)) _sessions.Add(id.GetString()!);
        return json;
    }

    public Task<JsonElement> Post(string path, string body) => Send(HttpMethod.Post, path, body);

    public Task<JsonElement> Get(string path) => Send(HttpMethod.Get, path);

    /// <summary>Creates a session with <paramref name="state"/>; its id.</summary>
    public async Task<string> NewSession(string state) => (await Post("api/sessions", state)).GetProperty("session").GetString()!;

    /// <summary>Opens the session's event stream (its "ready" event is written down when it comes, with what follows).</summary>
    public async Task<EventStream> Events(string id)
    {
        var stream = await EventStream.Open(http, $"api/sessions/{id}/events");
        _streams.Add(stream);
        return stream;
    }

    /// <summary>
    /// Writes down the stream's events up to the frame of <paramref name="generation"/> at <paramref name="step"/>
    /// taken while not running: the one a paused run publishes when it has taken its steps. Frames before it
    /// (a run publishes one when a command arrives, and the pump skips to the newest) depend on timing, so
    /// they are left out; events of any other kind are written down. The runs of the scripts take their steps
    /// one at a time, so each measures the loss once per step and the history events do not depend on timing.
    /// </summary>
    public async Task Until(EventStream stream, int generation, long step)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var item = await stream.Next(timeout.Token);
            if (item.EventType == "frame")
            {
                using var frame = JsonDocument.Parse(item.Data);
                var f = frame.RootElement;
                if (f.GetProperty("generation").GetInt32() != generation || f.GetProperty("step").GetInt64() != step || f.GetProperty("running").GetBoolean()) continue;
            }
            _text.Append("~ ").Append(item.EventType).Append('\n').Append(item.Data).Append("\n\n");
            if (item.EventType == "frame") return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _streams) await s.DisposeAsync();
    }
}

/// <summary>A session's Server-Sent Events, read as they come.</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private EventStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items) => (_response, _items) = (response, items);

    public static async Task<EventStream> Open(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync();
        return new EventStream(response, SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator());
    }

    public async Task<SseItem<string>> Next(CancellationToken cancel)
    {
        var next = _items.MoveNextAsync().AsTask();
        await next.WaitAsync(cancel);
        return next.Result ? _items.Current : throw new InvalidOperationException("the event stream ended");
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _items.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
        }
    }
}
