using Microsoft.Playwright;
using SymmetryLab.Web;

namespace SymmetryLab.Web.Tests;

/// <summary>
/// One playground server (on a port the OS picks) and one headless Chromium for every test of the
/// assembly: starting a browser costs a second, a page a few milliseconds.
/// </summary>
public sealed class Playground : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    internal PlaygroundServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri Address => Server.Address;

    public async Task InitializeAsync()
    {
        Server = await PlaygroundServer.StartAsync("127.0.0.1", 0, new PlaygroundLimits { MaxSessions = 1000 });
        Http = new HttpClient { BaseAddress = Server.Address };
    }

    /// <summary>The shared browser, launched on first use (API tests never need it).</summary>
    public async Task<IBrowser> Browser()
    {
        if (_browser is not null) return _browser;
        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        return _browser;
    }

    /// <summary>A fresh page (its own context: no shared storage) on <paramref name="hash"/>, with the page's errors collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> Open(string hash = "", int width = 1400, int height = 1000)
    {
        var browser = await Browser();
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(Address, "/" + hash).ToString());
        await page.WaitForFunctionAsync("() => window.playground && window.playground.frame && window.playground.startFrame");
        return (page, errors);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition("playground")]
public sealed class PlaygroundCollection : ICollectionFixture<Playground>;
