using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Tests;

/// <summary>
/// Runs the tests marked <see cref="EveryCpuPathAttribute"/> in this process, outside xunit: a [Fact]
/// once, a [Theory] once per row of its [InlineData] and [MemberData], each on a new instance of its
/// class (disposed after, as xunit does). The test assembly's entry point calls it in the child
/// processes of <see cref="Numerics.EveryCpuPathTests"/>: the test host's own CPU path cannot be
/// changed (the runtime reads DOTNET_Enable* at start-up).
/// </summary>
internal static class EveryCpuPathRunner
{
    public const string Command = "every-cpu-path";

    /// <summary>The CPU path this process runs on, as the child reports it.</summary>
    public static string CpuPath =>
        $"Vector512 {Vector512.IsHardwareAccelerated}, Vector<T> {Vector.IsHardwareAccelerated} ({Vector<byte>.Count * 8} bits), Avx2 {Avx2.IsSupported}, Fma {Fma.IsSupported}";

    /// <summary>Every marked test and its arguments, in a fixed order.</summary>
    public static IEnumerable<(MethodInfo Method, object?[] Arguments)> Cases()
    {
        var methods = typeof(EveryCpuPathRunner).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<EveryCpuPathAttribute>() is not null)
            .OrderBy(m => m.DeclaringType!.FullName, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal);
        foreach (var method in methods)
        {
            // [InlineData] and [MemberData] hand out their rows themselves, outside xunit too.
            var data = method.GetCustomAttributes<Xunit.Sdk.DataAttribute>().ToList();
            if (data.Count == 0) yield return (method, []);
            foreach (var row in data.SelectMany(d => d.GetData(method))) yield return (method, row);
        }
    }

    /// <summary>Runs every case, printing the CPU path, each failure and the count; 0 when all passed.</summary>
    public static int Run(TextWriter output)
    {
        output.WriteLine($"cpu: {CpuPath}");
        int passed = 0, failed = 0;
        foreach (var (method, arguments) in Cases())
        {
            try
            {
                var instance = Activator.CreateInstance(method.DeclaringType!);
                using (instance as IDisposable) method.Invoke(instance, arguments);
                passed++;
            }
            catch (Exception e)
            {
                failed++;
                output.WriteLine($"FAIL {method.DeclaringType!.Name}.{method.Name}({string.Join(", ", arguments)}): {(e as TargetInvocationException)?.InnerException?.Message ?? e.Message}");
            }
        }
        output.WriteLine($"passed {passed}, failed {failed}");
        return failed == 0 ? 0 : 1;
    }
}
