using System.CommandLine;
using System.Diagnostics;
using SymmetryLab.Web;

namespace SymmetryLab.Cli.Commands;

/// <summary><c>symlab serve [--port 5170] [--host 127.0.0.1] [--open]</c>: the playground, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(CommandIO io)
    {
        var port = new Option<int>("--port") { Description = "Port to listen on (0: any free port)", DefaultValueFactory = _ => 5170 };
        var host = new Option<string>("--host") { Description = "Address to listen on: 127.0.0.1 (this machine only), ::1, or 0.0.0.0 (every network: anyone who reaches it can use it)", DefaultValueFactory = _ => "127.0.0.1" };
        var open = new Option<bool>("--open") { Description = "Open the page in the default browser, when there is one" };
        var command = new Command("serve", "The playground: a page where you train a network and watch its units split (or not)") { port, host, open };
        command.SetAction(p => SymlabCli.Guard(io, () =>
        {
            string address = p.GetValue(host)!;
            int number = p.GetValue(port);
            if (PlaygroundServer.AddressOf(address) is null) throw new UsageException($"--host {address}: expected an IP address (127.0.0.1, ::1, 0.0.0.0) or localhost");
            if (number is < 0 or > PlaygroundServer.MaxPort) throw new UsageException($"--port {number}: expected 0 to {PlaygroundServer.MaxPort}");
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                PlaygroundServer server;
                try
                {
                    server = PlaygroundServer.StartAsync(address, number).GetAwaiter().GetResult();
                }
                catch (IOException e)
                {
                    throw new UsageException($"--port {number}: cannot listen on {address}:{number} ({e.Message}); try another --port, or --port 0 for any free one");
                }
                if (!server.IsLoopbackOnly)
                    io.Err.WriteLine($"symlab: warning: --host {address} is not a loopback address: anyone who can reach this machine on port {server.Address.Port} can use the playground (it has no password)");
                io.Out.WriteLine($"SymmetryLab playground: {server.Address}  (Ctrl+C to stop)");
                io.Out.Flush();
                if (p.GetValue(open) && !OpenBrowser(server.Address))
                    io.Err.WriteLine($"symlab: no browser to open here; visit {server.Address}");
                server.RunUntilAsync(stop.Token).GetAwaiter().GetResult();
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return ExitCodes.Success;
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }));
        return command;
    }

    /// <summary>The desktop's way to open a link: xdg-open, open (macOS) or the shell (Windows).</summary>
    private static bool OpenBrowser(Uri address)
    {
        try
        {
            var start = OperatingSystem.IsWindows() ? new ProcessStartInfo(address.ToString()) { UseShellExecute = true }
                : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", address.ToString()) { UseShellExecute = false };
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
