using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SymmetryLab.Tests;

/// <summary>
/// Runs the tests marked <see cref="EveryCpuPathAttribute"/> in this process, outside xunit: a [Fact]
/// once, a [Theory] once per row of its [MemberData]. The test assembly's entry point calls it in the
/// child processes of <see cref="Numerics.EveryCpuPathTests"/>, which cannot set DOTNET_Enable* for
/// the test host itself (the JIT reads them at start-up).
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
            var data = method.GetCustomAttributes<MemberDataAttribute>().ToList();
            if (data.Count == 0)
            {
                yield return (method, []);
                continue;
            }
            foreach (var source in data)
            {
                var type = source.MemberType ?? method.DeclaringType!;
                var member = type.GetProperty(source.MemberName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null)
                    ?? throw new InvalidOperationException($"{method.Name}: no static property {type.Name}.{source.MemberName}");
                foreach (object?[] row in (IEnumerable<object?[]>)member) yield return (method, row);
            }
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
                method.Invoke(Activator.CreateInstance(method.DeclaringType!), arguments);
                passed++;
            }
            catch (TargetInvocationException e)
            {
                failed++;
                output.WriteLine($"FAIL {method.DeclaringType!.Name}.{method.Name}({string.Join(", ", arguments)}): {e.InnerException?.Message}");
            }
        }
        output.WriteLine($"passed {passed}, failed {failed}");
        return failed == 0 ? 0 : 1;
    }
}
