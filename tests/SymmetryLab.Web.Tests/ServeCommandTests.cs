using System.Diagnostics;
using SymmetryLab.Cli;

namespace SymmetryLab.Web.Tests;

/// <summary><c>symlab serve</c>: its flags, its address line, Ctrl+C, and a port already taken.</summary>
public class ServeCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = SymlabCli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("--port", "70000", "--port 70000: expected 0 to 65535")]
    [InlineData("--host", "playground.example", "--host playground.example: expected an IP address")]
    public void Bad_flags_exit_2_naming_the_flag(string flag, string value, string message)
    {
        var (code, _, err) = Run("serve", flag, value);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public async Task A_port_in_use_exits_2_naming_the_port()
    {
        await using var other = await PlaygroundServer.StartAsync("127.0.0.1", 0);
        var (code, _, err) = Run("serve", "--port", other.Address.Port.ToString());
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"--port {other.Address.Port}: cannot listen", err);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("localhost", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("192.168.1.5", false)]
    public void Loopback_addresses_are_told_apart(string host, bool loopback) => Assert.Equal(loopback, PlaygroundServer.IsLoopback(host));

    /// <summary>Whether this process ignores SIGINT (signal 2): bit 1 of the SigIgn mask in /proc/self/status.</summary>
    private static bool SigIntIgnored() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 2) != 0;

    [Fact]
    public async Task Serve_prints_its_address_serves_the_page_and_stops_on_ctrl_c()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "symlab.dll"), "serve", "--port", "0"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            string line = (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!;
            Assert.Matches(@"^SymmetryLab playground: http://127\.0\.0\.1:\d+/  \(Ctrl\+C to stop\)$", line);
            var address = new Uri(line.Split(' ')[2]);
            using var http = new HttpClient();
            string page = await http.GetStringAsync(address);
            Assert.Contains("<title>SymmetryLab playground</title>", page);
            // Ctrl+C is SIGINT; a test run started in the background by a non-interactive shell ignores SIGINT,
            // and so does its child (an ignored signal stays ignored across exec), so there it sends SIGTERM,
            // which a service manager sends and which stops the server the same way.
            using var interrupt = Process.Start("kill", [SigIntIgnored() ? "-TERM" : "-INT", process.Id.ToString()]);
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                Assert.Fail($"serve did not stop within 60 s of the signal; it wrote: {await process.StandardError.ReadToEndAsync()}");
            }
            Assert.Equal(0, process.ExitCode);
            Assert.Equal("", await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
