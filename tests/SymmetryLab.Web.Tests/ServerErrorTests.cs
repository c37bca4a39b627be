using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SymmetryLab.Data;
using SymmetryLab.Engine.Activations;
using SymmetryLab.Engine.Losses;
using SymmetryLab.Web.State;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// What the server answers when a handler throws: bad input (said where the request is read, or the
/// library's typed bad input) is a 400 naming the field; anything else is our bug, a 500 that does
/// not pass it off as the user's fault nor show its details.
/// </summary>
public class ServerErrorTests
{
    private static async Task<(int Status, string Body)> Answer(Exception thrown)
    {
        var result = await PlaygroundServer.Handle(new DefaultHttpContext(), () => throw thrown);
        var content = Assert.IsType<ContentHttpResult>(result);
        return (content.StatusCode!.Value, content.ResponseContent!);
    }

    private static Exception Thrown(string kind) => kind switch
    {
        "argument" => new ArgumentException("--lr index was out of range"),
        "range" => new ArgumentOutOfRangeException("index"),
        "operation" => new InvalidOperationException("Sequence contains no elements"),
        "null" => new NullReferenceException(),
        "field" => new FieldException("lr", "lr: expected a finite number"),
        "data" => new DataException("--data x.csv: no rows"),
        "settings" => new Runs.SettingsException("--l2 -1: must be >= 0"),
        "mismatch" => Engine.ModelMismatchException.ForLoss(Loss.Bce, Activation.Linear)!,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("argument")]
    [InlineData("range")]
    [InlineData("operation")]
    [InlineData("null")]
    public async Task An_exception_of_our_own_is_a_500_with_a_generic_message(string kind)
    {
        var bug = Thrown(kind);
        var (status, body) = await Answer(bug);
        Assert.Equal(StatusCodes.Status500InternalServerError, status);
        Assert.Contains("internal error", body);
        Assert.Contains("\"field\":\"server\"", body);
        Assert.DoesNotContain(bug.Message, body);
    }

    /// <summary>Keeps what is logged at Error and above: the category and the exception.</summary>
    private sealed class Kept : ILoggerProvider
    {
        public List<(string Category, Exception? Exception)> Errors { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Errors);

        public void Dispose() { }

        private sealed class Logger(string category, List<(string, Exception?)> errors) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) errors.Add((category, exception));
            }
        }
    }

    [Fact]
    public async Task The_details_of_a_500_go_to_the_servers_log()
    {
        var kept = new Kept();
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging(b => b.AddProvider(kept)).BuildServiceProvider() };
        var bug = new InvalidOperationException("Sequence contains no elements");
        var result = await PlaygroundServer.Handle(context, () => throw bug);
        Assert.Equal(StatusCodes.Status500InternalServerError, Assert.IsType<ContentHttpResult>(result).StatusCode);
        Assert.Equal([(PlaygroundServer.LogCategory, (Exception?)bug)], kept.Errors);
    }

    [Fact]
    public async Task The_server_checks_its_host_and_port_as_its_own_parameters()
    {
        var host = await Assert.ThrowsAsync<ArgumentException>(() => PlaygroundServer.StartAsync("playground.example", 0));
        Assert.Equal("host", host.ParamName);
        Assert.StartsWith("host playground.example: expected an IP address", host.Message);
        var port = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => PlaygroundServer.StartAsync("127.0.0.1", 70000));
        Assert.Equal("port", port.ParamName);
        Assert.All(new Exception[] { host, port }, e => Assert.DoesNotContain("--", e.Message));
    }

    [Theory]
    [InlineData("field", "lr")]
    [InlineData("data", "data")]
    [InlineData("settings", "l2")]
    [InlineData("mismatch", "loss")]
    public async Task Typed_bad_input_is_a_400_naming_the_field(string kind, string field)
    {
        var refused = Thrown(kind);
        var (status, body) = await Answer(refused);
        Assert.Equal(StatusCodes.Status400BadRequest, status);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.Equal(field, json.RootElement.GetProperty("field").GetString());
        Assert.Equal(Runs.FlagMessages.Of(refused), json.RootElement.GetProperty("error").GetString());
    }
}
