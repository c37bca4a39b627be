using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SymmetryLab.Data;
using SymmetryLab.Data.Generators;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Optimizers;
using SymmetryLab.Web.Api;
using SymmetryLab.Web.Sessions;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web;

/// <summary>
/// <c>symlab serve</c>: the playground's web server (ASP.NET Core, Kestrel) on one address. It serves the
/// page from this assembly and a JSON API (SPEC.md, "The playground's API"); every request body is
/// bounded and validated, a refused request changes nothing and gets a JSON 400 naming the field, and no
/// request reads or writes a file of the server's. Bound to a loopback address it answers only requests
/// whose Host is a loopback name (a web page elsewhere cannot reach it by DNS rebinding); posts from
/// another origin are refused.
/// </summary>
internal sealed class PlaygroundServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PlaygroundServer(WebApplication app, SessionStore sessions, Uri address, bool loopback)
    {
        _app = app;
        Sessions = sessions;
        Address = address;
        IsLoopbackOnly = loopback;
    }

    /// <summary>Where the page is, e.g. http://127.0.0.1:5170/.</summary>
    public Uri Address { get; }

    public bool IsLoopbackOnly { get; }

    public SessionStore Sessions { get; }

    /// <summary>Whether <paramref name="host"/> (an IP address or "localhost") is a loopback address.</summary>
    public static bool IsLoopback(string host) => AddressOf(host) is { } ip && IPAddress.IsLoopback(ip);

    /// <summary>The address <paramref name="host"/> names: an IP address (brackets allowed around IPv6) or "localhost"; null for anything else.</summary>
    public static IPAddress? AddressOf(string host) =>
        host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : null;

    /// <summary>The highest port number.</summary>
    public const int MaxPort = 65535;

    /// <summary>The category of the server's own log: a request that failed on a bug, with its exception (to standard error).</summary>
    internal const string LogCategory = "SymmetryLab.Web.PlaygroundServer";

    /// <summary>Starts listening on <paramref name="host"/> (an IP address or "localhost") and <paramref name="port"/> (0: any free port).</summary>
    /// <exception cref="ArgumentException"><paramref name="host"/> is not an IP address or localhost.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 0 to <see cref="MaxPort"/>.</exception>
    public static async Task<PlaygroundServer> StartAsync(string host, int port, PlaygroundLimits? limits = null, CancellationToken cancel = default)
    {
        limits ??= new PlaygroundLimits();
        IPAddress ip = AddressOf(host) ?? throw new ArgumentException($"host {host}: expected an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost", nameof(host));
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, MaxPort);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        // Only the server's own errors (a request that failed on a bug) are logged, to standard error; none of ASP.NET Core's chatter.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter((category, level) => category == LogCategory && level >= LogLevel.Error);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = limits.MaxUploadBytes + 4096;
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            k.Listen(ip, port);
        });
        var sessions = new SessionStore(limits);
        builder.Services.AddSingleton(sessions);
        var app = builder.Build();
        bool loopback = IPAddress.IsLoopback(ip);
        app.Use(async (context, next) =>
        {
            Secure(context.Response);
            if (loopback && !LoopbackHost(context.Request.Host.Host))
            {
                await Error(context, StatusCodes.Status400BadRequest, "host", $"host {context.Request.Host}: this playground answers only on its loopback address").ExecuteAsync(context);
                return;
            }
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                && context.Request.Headers.Origin is { Count: > 0 } origin && origin.ToString() != $"{context.Request.Scheme}://{context.Request.Host}")
            {
                await Error(context, StatusCodes.Status403Forbidden, "origin", $"origin {origin}: requests from another site are refused").ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        Map(app, sessions, limits);
        await app.StartAsync(cancel);
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(bound.EndsWith('/') ? bound : bound + "/");
        return new PlaygroundServer(app, sessions, uri, loopback);
    }

    /// <summary>Runs until <paramref name="cancel"/> is cancelled (Ctrl+C) or the host itself stops (its own SIGINT/SIGTERM handling).</summary>
    public async Task RunUntilAsync(CancellationToken cancel)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel, _app.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Sessions.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static bool LoopbackHost(string host) => host is "localhost" || IsLoopback(host);

    private static void Secure(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
    }

    private static IResult Error(HttpContext context, int status, string field, string message)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(JsonSerializer.Serialize(new ErrorAnswer(message, field), PlaygroundJsonContext.Default.ErrorAnswer), "application/json", Encoding.UTF8, status);
    }

    private static IResult Ok<T>(HttpContext context, T answer, JsonTypeInfo<T> info, int status = StatusCodes.Status200OK) =>
        Ok(context, JsonSerializer.Serialize(answer, info), status);

    private static IResult Ok(HttpContext context, string json, int status = StatusCodes.Status200OK)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(json, "application/json", Encoding.UTF8, status);
    }

    /// <summary>Reads a body of at most <paramref name="limit"/> bytes of the given media type, or refuses it naming "body".</summary>
    private static async Task<byte[]> Body(HttpContext context, int limit, string mediaType)
    {
        var type = context.Request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(type, mediaType, StringComparison.OrdinalIgnoreCase))
            throw new FieldException("body", $"body: expected Content-Type {mediaType}, not {(type is null or "" ? "none" : type)}");
        if (context.Request.ContentLength > limit) throw new FieldException("body", $"body: {context.Request.ContentLength:N0} bytes, the playground takes at most {limit:N0}");
        using var copy = new MemoryStream();
        var buffer = new byte[16384];
        int n;
        while ((n = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (copy.Length + n > limit) throw new FieldException("body", $"body: more than {limit:N0} bytes, the playground takes at most {limit:N0}");
            copy.Write(buffer, 0, n);
        }
        return copy.ToArray();
    }

    private static JsonElement JsonBody(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new FieldException("body", $"body: not valid JSON ({e.Message})");
        }
    }

    /// <summary>
    /// Runs a handler; a refused request becomes its JSON error (a Bad request names the field). Only what
    /// says the request is at fault is a 4xx: a <see cref="FieldException"/> from where the request is read,
    /// or the library's typed bad input (data, settings, a loss the output cannot feed). Anything else is a
    /// bug of the server's: a 500 with a generic message, the details in its log.
    /// </summary>
    internal static async Task<IResult> Handle(HttpContext context, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (FieldException e)
        {
            return Error(context, e.Field == "body" && e.Message.Contains("bytes", StringComparison.Ordinal) ? StatusCodes.Status413PayloadTooLarge
                : e.Field == "body" && e.Message.Contains("Content-Type", StringComparison.Ordinal) ? StatusCodes.Status415UnsupportedMediaType : StatusCodes.Status400BadRequest, e.Field, e.Message);
        }
        catch (Exception e) when (e is DataException or Runs.SettingsException or Engine.ModelMismatchException)
        {
            string message = Runs.FlagMessages.Of(e); // the page's messages are symlab train's, which the page writes as a command
            return Error(context, StatusCodes.Status400BadRequest, ResolvedState.FieldOf(message), message);
        }
        catch (BadHttpRequestException e)
        {
            return Error(context, e.StatusCode, "body", $"body: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(LogCategory)
                .LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            return Error(context, StatusCodes.Status500InternalServerError, "server",
                "internal error: the playground server failed on this request (a bug, not your input; the details are in its log)");
        }
    }

    private static void Map(WebApplication app, SessionStore sessions, PlaygroundLimits limits)
    {
        foreach (var (path, asset) in StaticPage.Assets)
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers.ETag = asset.ETag;
                return context.Request.Headers.IfNoneMatch == asset.ETag ? Results.StatusCode(StatusCodes.Status304NotModified) : Results.Bytes(asset.Content, asset.ContentType);
            });

        string catalog = JsonSerializer.Serialize(Catalog(limits), PlaygroundJsonContext.Default.CatalogAnswer); // the same for every request
        app.MapGet("/api/catalog", (HttpContext context) => Ok(context, catalog));

        app.MapPost("/api/sessions", (Func<HttpContext, Task<IResult>>)(context => Handle(context, async () =>
        {
            var body = context.Request.ContentLength is null or 0 && context.Request.ContentType is null ? null : await Body(context, limits.MaxBodyBytes, "application/json");
            var state = body is null || body.Length == 0 ? new PlaygroundState() : PlaygroundState.Parse(JsonBody(body), limits);
            var session = sessions.Create();
            if (session is null) return Error(context, StatusCodes.Status503ServiceUnavailable, "session", $"session: this server already has {limits.MaxSessions} sessions in use (one per open playground tab); close a tab, and a minute later its place is free");
            try
            {
                int generation = await session.SetStateAsync(state);
                return Ok(context, new StateAnswer(session.Id, generation, state), PlaygroundJsonContext.Default.StateAnswer, StatusCodes.Status201Created);
            }
            catch
            {
                sessions.End(session.Id);
                throw;
            }
        })));

        app.MapGet("/api/sessions/{id}/events", (HttpContext context, string id) =>
            sessions.Find(id) is { } session
                ? TypedResults.ServerSentEvents(session.Events(context.RequestAborted))
                : Error(context, StatusCodes.Status404NotFound, "session", $"session {id}: no such session (it may have expired); reload the page"));

        app.MapPost("/api/sessions/{id}/state", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
        {
            var state = PlaygroundState.Parse(JsonBody(await Body(context, limits.MaxBodyBytes, "application/json")), limits);
            int generation = await session.SetStateAsync(state);
            return Ok(context, new StateAnswer(session.Id, generation, state), PlaygroundJsonContext.Default.StateAnswer);
        }));

        app.MapGet("/api/sessions/{id}/state", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
            Ok(context, await session.WithRun(run => new SessionStateAnswer(session.Id, run.Generation, run.Resolved.State, run.Step, run.StepsPerEpoch,
                TrainCommandLine.For(run.Resolved), run.Stopped, session.LastError)), PlaygroundJsonContext.Default.SessionStateAnswer)));

        app.MapGet("/api/sessions/{id}/diagnosis", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
            Ok(context, await session.WithRun(run => run.Diagnose()) with { Session = session.Id }, PlaygroundJsonContext.Default.DiagnosisAnswer)));

        app.MapPost("/api/sessions/{id}/control", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
        {
            var root = JsonBody(await Body(context, limits.MaxBodyBytes, "application/json"));
            if (root.ValueKind != JsonValueKind.Object) throw new FieldException("body", "body: expected an object with action");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("action" or "steps" or "speed")) throw new FieldException(p.Name, $"{p.Name}: not a field (fields: action, steps, speed)");
            if (!root.TryGetProperty("action", out var a) || a.ValueKind != JsonValueKind.String) throw new FieldException("action", "action: expected play, pause, step, epoch, reset or speed");
            long? steps = null;
            if (root.TryGetProperty("steps", out var s) && s.ValueKind != JsonValueKind.Null)
                steps = s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long n) && n is >= 1 and <= 10_000_000 ? n
                    : throw new FieldException("steps", $"steps {s.GetRawText()}: expected a whole number from 1 to 10,000,000");
            double? speed = null;
            if (root.TryGetProperty("speed", out var sp) && sp.ValueKind != JsonValueKind.Null)
                speed = sp.ValueKind == JsonValueKind.Number && sp.TryGetDouble(out double v) && v is >= 0 and <= 1e7 ? v
                    : throw new FieldException("speed", $"speed {sp.GetRawText()}: expected steps per second from 0 (as fast as it goes) to 10,000,000");
            await session.Control(a.GetString()!, steps, speed);
            return Ok(context, new ControlAnswer(a.GetString()!), PlaygroundJsonContext.Default.ControlAnswer);
        }));

        app.MapPost("/api/sessions/{id}/explain", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
        {
            var root = JsonBody(await Body(context, limits.MaxBodyBytes, "application/json"));
            if (root.ValueKind != JsonValueKind.Object) throw new FieldException("body", "body: expected an object with weight");
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("weight" or "vs" or "sample")) throw new FieldException(p.Name, $"{p.Name}: not a field (fields: weight, vs, sample)");
            string weight = root.TryGetProperty("weight", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString()! : throw new FieldException("weight", "weight: expected a weight like W1[2,1] or a bias like b1[2]");
            string? vs = root.TryGetProperty("vs", out var v) && v.ValueKind != JsonValueKind.Null
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FieldException("vs", "vs: expected a weight like W1[2,1] or a bias like b1[2]") : null;
            int? sample = root.TryGetProperty("sample", out var k) && k.ValueKind != JsonValueKind.Null
                ? k.ValueKind == JsonValueKind.Number && k.TryGetInt32(out int kk) ? kk : throw new FieldException("sample", $"--sample {k.GetRawText()}: expected a sample number (1-based)") : null;
            return Ok(context, await session.WithRun(run => run.Explain(weight, vs, sample)), PlaygroundJsonContext.Default.ExplainAnswer);
        }));

        app.MapPost("/api/sessions/{id}/upload", (HttpContext context, string id) => WithSession(context, sessions, id, async session =>
        {
            string name = Path.GetFileName(context.Request.Query["name"].ToString());
            if (name.Length is 0 or > 100 || name.Any(char.IsControl)) throw new FieldException("name", "name: the uploaded file's name, 1 to 100 characters");
            string? target = context.Request.Query["target"].ToString() is { Length: > 0 } t ? t : null;
            var text = Encoding.UTF8.GetString(await Body(context, limits.MaxUploadBytes, "text/csv"));
            Dataset data;
            try
            {
                data = CsvReader.Read(new StringReader(text), name, target, Path.GetFileNameWithoutExtension(name));
            }
            catch (DataException e)
            {
                throw new FieldException("file", e.Message);
            }
            if (data.Rows > limits.MaxRows) throw new FieldException("file", $"{name}: {data.Rows:N0} rows, the playground allows at most {limits.MaxRows:N0}");
            session.SetUpload(data);
            return Ok(context, new UploadAnswer(name, data.Rows, data.Features, data.TargetName, data.ClassCount), PlaygroundJsonContext.Default.UploadAnswer);
        }));

        app.MapGet("/api/sessions/{id}/model.json", (HttpContext context, string id) => Download(context, sessions, id, "model.json", run => run.ModelJson()));
        app.MapGet("/api/sessions/{id}/initial.json", (HttpContext context, string id) => Download(context, sessions, id, "initial.json", run => run.InitialJson()));
        app.MapGet($"/api/sessions/{{id}}/{TrainCommandLine.TrainCsv}", (HttpContext context, string id) => Download(context, sessions, id, TrainCommandLine.TrainCsv, run => Csv(run.Resolved.Train)));
        app.MapGet($"/api/sessions/{{id}}/{TrainCommandLine.TestCsv}", (HttpContext context, string id) => Download(context, sessions, id, TrainCommandLine.TestCsv,
            run => run.Resolved.Test is { } test ? Csv(test) : throw new FieldException("data", "the run has no test rows")));

        app.MapDelete("/api/sessions/{id}", (HttpContext context, string id) =>
            sessions.End(id) ? Results.NoContent() : Error(context, StatusCodes.Status404NotFound, "session", $"session {id}: no such session"));
    }

    private static Task<IResult> WithSession(HttpContext context, SessionStore sessions, string id, Func<Session, Task<IResult>> body) =>
        Handle(context, () => sessions.Find(id) is { } session ? body(session)
            : Task.FromResult(Error(context, StatusCodes.Status404NotFound, "session", $"session {id}: no such session (it may have expired); reload the page")));

    private static Task<IResult> Download(HttpContext context, SessionStore sessions, string id, string file, Func<ISessionRun, string> content) =>
        WithSession(context, sessions, id, async session =>
        {
            var text = await session.WithRun(content);
            context.Response.Headers.CacheControl = "no-store";
            return Results.File(Encoding.UTF8.GetBytes(text), file.EndsWith(".csv") ? "text/csv" : "application/json", file);
        });

    /// <summary>Rows as the CSV reader reads them back to the same numbers: a header of feature names and the target, values in round-trip form.</summary>
    private static string Csv(Dataset data)
    {
        var s = new StringBuilder();
        s.Append(CsvWriter.Header(data)).Append('\n');
        for (int r = 0; r < data.Rows; r++)
        {
            for (int f = 0; f < data.Features; f++) s.Append(data.X[r * data.Features + f].ToString("R", CultureInfo.InvariantCulture)).Append(',');
            s.Append(data.Y[r].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return s.ToString();
    }

    /// <summary>What the page offers: data sets, generators and their parameters, activations, losses, optimizers, initializers, derived features, lessons, limits.</summary>
    private static CatalogAnswer Catalog(PlaygroundLimits limits) => new(
        [.. SymmetryLab.Data.Catalog.Entries.Select(e => new DatasetAnswer(e.Name, e.Description, e.Rows, e.Features, e.Classes, e.TestRows))],
        [.. GeneratorCatalog.All.Select(g => new GeneratorAnswer(g.Name, g.Description, g.DefaultFeatures,
            [.. g.Parameters.Select(p => new GeneratorParameterAnswer(p.Name, p.Default, p.Description, p.Integer, double.IsInfinity(p.Min) ? null : p.Min, double.IsInfinity(p.Max) ? null : p.Max, p.MinExclusive))]))],
        ActivationNames.All, ["bce", "ce", "mse"], Optimizer.Names,
        ["zeros", "constant:C", "uniform:A:B", "normal:MEAN:STD", "glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "lecun-normal", "orthogonal", "torch-default", "keras-default", "symmetric:SCHEME"],
        DerivedFeatures.Names,
        new LimitsAnswer(limits.MaxHiddenLayers, limits.MaxUnits, limits.MaxRows, limits.MaxValues, limits.MaxParameters, limits.MaxUploadBytes),
        new PlaygroundState(),
        [.. Lessons.All.Select(l => new LessonAnswer(l.Experiment.Name, l.Experiment.Title, l.Experiment.Question, l.Experiment.Lesson, l.Try,
            $"symlab experiment run {l.Experiment.Name}", [.. l.Starts.Select(s => new LessonStartAnswer(s.Label, s.State))]))]);
}
