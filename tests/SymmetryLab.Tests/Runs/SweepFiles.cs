using System.Diagnostics;
using System.Text.Json;
using SymmetryLab.Runs;

namespace SymmetryLab.Tests.Runs;

/// <summary>Reading sweep folders back in tests, and the command line as a child process (to kill it).</summary>
internal static class SweepFiles
{
    /// <summary>Every file under <paramref name="dir"/>, relative, in ordinal order.</summary>
    public static string[] Files(string dir) =>
        [.. Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal)];

    /// <summary>The two folders hold the same files with the same bytes.</summary>
    public static void AssertSameBytes(string expected, string actual)
    {
        Assert.Equal(Files(expected), Files(actual));
        foreach (var file in Files(expected))
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), $"{file} differs between {expected} and {actual}");
    }

    public static SweepLayout Layout(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "sweep.json")));
        return SweepLayout.Read(doc.RootElement.GetProperty("layout"), dir);
    }

    /// <summary>The records of a shard folder (its parts), in the shard's order.</summary>
    public static List<SweepRecord> Records(string dir)
    {
        var layout = Layout(dir);
        return [.. Directory.GetFiles(Path.Combine(dir, "parts"), "part-*.jsonl").Order(StringComparer.Ordinal)
            .SelectMany(f => File.ReadLines(f).Select((line, k) => SweepRecord.Parse(line, $"{f}:{k + 1}", layout.Precision, layout.ParameterCount, layout.Layers.Count)))];
    }

    /// <summary><c>dotnet symlab.dll ARGS</c> started as a child process (its output discarded).</summary>
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "symlab.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
