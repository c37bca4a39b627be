using SymmetryLab.Tests.Cli;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// The kernel tests again on the other CPU paths: the test assembly started as a program
/// (<see cref="EveryCpuPathRunner"/>) with AVX-512 off, with AVX2 off (128-bit vectors, no FMA) and with
/// every hardware intrinsic off (Vector&lt;T&gt; emulated in scalar code), each in one child process. The
/// child reports its CPU path, so a setting the runtime ignored (as .NET 10 ignores DOTNET_EnableAVX512F)
/// fails here instead of re-running the default path.
/// </summary>
public class EveryCpuPathTests
{
    public static IEnumerable<object[]> Settings => DeterminismTests.CpuPaths.Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Settings))]
    public void KernelTestsPassWithTheSettingOff(string setting)
    {
        var result = SymlabProcess.Run([EveryCpuPathRunner.Command], new Dictionary<string, string> { [setting] = "0" }, TimeSpan.FromMinutes(5),
            dll: typeof(EveryCpuPathRunner).Assembly.Location);
        Assert.False(result.TimedOut, $"{setting}=0: no result in 5 minutes");
        Assert.True(result.Code == 0, $"{setting}=0: exit {result.Code}\n{result.Out}{result.Err}");
        string cpu = result.Out.Split('\n')[0];
        string off = setting switch
        {
            "DOTNET_EnableAVX512" => "Vector512 False",
            "DOTNET_EnableAVX2" => "Avx2 False",
            _ => "Vector<T> False",
        };
        Assert.True(cpu.Contains(off, StringComparison.Ordinal), $"{setting}=0 left the path on: {cpu}");
        int cases = EveryCpuPathRunner.Cases().Count();
        Assert.True(cases >= 8 * 67, $"only {cases} cases are marked to run on every CPU path");
        Assert.Contains($"passed {cases}, failed 0", result.Out);
    }
}
