using System.Diagnostics;

namespace SymmetryLab.Tests;

/// <summary>
/// The command line in a child process (the <c>symlab.dll</c> built beside the tests): for what an
/// in-process run cannot show: another CPU path (DOTNET_EnableAVX2=0 and friends), the real exit code
/// of a crash, a hang, the peak memory, a kill.
/// </summary>
internal static class SymlabProcess
{
    /// <summary>What a finished child did. <see cref="PeakKb"/>: its peak resident memory (0 when unknown).</summary>
    public sealed record Result(int Code, string Out, string Err, long PeakKb, bool TimedOut, TimeSpan Elapsed);

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "symlab.dll");

    /// <summary>GNU time measures the child's peak memory exactly (from the kernel's rusage) when it is installed.</summary>
    private const string GnuTime = "/usr/bin/time";

    /// <summary>A started child (for kill tests): its process and where its peak-memory figure will be.</summary>
    /// <remarks><paramref name="dll"/>: another program than symlab (the test assembly itself, for <see cref="EveryCpuPathRunner"/>).</remarks>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, string? peakFile = null, string? workingDirectory = null, string? dll = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (peakFile is not null && File.Exists(GnuTime))
        {
            start.FileName = GnuTime;
            foreach (var a in new[] { "-f", "%M", "-o", peakFile, "dotnet" }) start.ArgumentList.Add(a);
        }
        else start.FileName = "dotnet";
        start.ArgumentList.Add(dll ?? Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // A child must not inherit a test setting that changes its CPU path unless asked to.
        foreach (var name in new[] { "DOTNET_EnableAVX512", "DOTNET_EnableAVX512F", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic", "DOTNET_PreferredVectorBitWidth" })
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (env is not null)
            foreach (var (k, v) in env) start.Environment[k] = v;
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>Runs symlab to the end (or kills it after <paramref name="timeout"/>), with its output and peak memory.</summary>
    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null, string? input = null, string? dll = null)
    {
        string peakFile = Path.Combine(Path.GetTempPath(), $"symlab-peak-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        using var process = Start(args, env, peakFile, dll: dll);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null) process.StandardInput.Write(input);
        process.StandardInput.Close();
        bool finished = process.WaitForExit(timeout ?? TimeSpan.FromSeconds(120));
        if (!finished) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        long peak = 0;
        if (File.Exists(peakFile))
        {
            // GNU time writes "Command exited with non-zero status N" before the figure when the child fails.
            var last = File.ReadAllLines(peakFile).LastOrDefault(l => l.Length > 0 && char.IsDigit(l[0]));
            if (last is not null) peak = long.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            File.Delete(peakFile);
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result, peak, !finished, clock.Elapsed);
    }

    public static Result Run(params string[] args) => Run(args, null);
}
