namespace SymmetryLab.Web.Tests;

[Collection("playground")]
public class ScreenshotTests(Playground playground)
{
    [Fact]
    public async Task The_default_page_loads_without_errors()
    {
        var (page, errors) = await playground.Open();
        await page.ClickAsync("#step");
        await page.WaitForFunctionAsync("() => window.playground.frame.step === 1");
        await page.ScreenshotAsync(new() { Path = "/tmp/playground-smoke.png", FullPage = true });
        Assert.Empty(errors);
    }
}
