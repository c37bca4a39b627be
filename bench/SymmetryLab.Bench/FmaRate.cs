using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SymmetryLab.Bench;

/// <summary>
/// The cores' raw multiply-add rate at this moment (issue 17): each thread runs independent chains
/// of vector FMAs on registers, no memory traffic; GFLOP/s = 2 x lanes x FMAs / seconds, each
/// thread's best window of about 10 microseconds (the rate of a core while it runs this thread: over
/// longer windows a busy machine's scheduler takes the core away part of the time), summed over the
/// threads: the figure to set a best-of-rounds GFLOP/s against. On a shared or virtual machine it
/// moves from one minute to the next, so bench/run measures it in every round, beside our figures,
/// and reports our GFLOP/s as a share of it. Prints one JSON record per thread count, with
/// "sustained": the same chains' rate over the whole measurement (all FMAs / all seconds). On an idle
/// virtual machine the two differ when the host runs someone else's work on the other hyperthread of
/// the physical core our vCPU sits on: the best window still catches moments of a whole core, the
/// sustained rate shows the share we got (issue 17: 2026-12-06, sustained 1-thread rate at half the
/// best window, and our products with it).
/// </summary>
internal static class FmaRate
{
    /// <summary>Independent chains per thread: FMA latency (4 cycles) x 2 FMA units, with room to spare.</summary>
    private const int Chains = 12;

    public static int Run(string[] args)
    {
        int i = Array.IndexOf(args, "--threads");
        int[] threads = (i >= 0 && i + 1 < args.Length ? args[i + 1] : "1,2").Split(',').Select(int.Parse).ToArray();
        double seconds = args.Contains("--quick") ? 0.1 : 0.5;
        Measure(1, 0.05); // warm-up: the loop compiled and the cores clocked up
        foreach (int t in threads)
        {
            var (gflops, sustained) = Measure(t, seconds);
            string bits = Vector512.IsHardwareAccelerated ? "512" : "256";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"impl\": \"machine\", \"workload\": \"fma\", \"precision\": \"float32\", \"threads\": {t}, \"value\": {gflops:R}, \"sustained\": {sustained:R}, \"unit\": \"GFLOP/s\", \"vector_bits\": {bits}}}"));
        }
        return 0;
    }

    /// <summary>GFLOP/s (best windows, and sustained) of <paramref name="threads"/> threads each running FMA chains for about <paramref name="seconds"/>.</summary>
    internal static (double Best, double Sustained) Measure(int threads, double seconds)
    {
        var rates = new (double Best, double Sustained)[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => rates[t] = OneThread(seconds))).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        return (rates.Sum(r => r.Best), rates.Sum(r => r.Sustained));
    }

    private static (double Best, double Sustained) OneThread(double seconds)
    {
        const long Batch = 5_000; // 60,000 FMAs: ~10 us at 2 a cycle
        int lanes = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;
        long first = Stopwatch.GetTimestamp(), end = first + (long)(seconds * Stopwatch.Frequency), batches = 0;
        double best = 0;
        float sink = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            if (start >= end) break;
            sink += Vector512.IsHardwareAccelerated ? Chains512(Batch) : Chains256(Batch);
            double elapsed = (double)(Stopwatch.GetTimestamp() - start) / Stopwatch.Frequency;
            best = Math.Max(best, 2.0 * lanes * Chains * Batch / elapsed / 1e9);
            batches++;
        }
        GC.KeepAlive(sink);
        double all = (double)(Stopwatch.GetTimestamp() - first) / Stopwatch.Frequency;
        return (best, 2.0 * lanes * Chains * Batch * batches / all / 1e9);
    }

    // Chains512 and Chains256 are twins on purpose: one generic body over the GEMM's ISimdVector
    // wrappers measured 74-79 GFLOP/s against these loops' 191-197 on one core (2026-12-06): the JIT
    // does not keep twelve wrapped vectors in registers here, and this figure must be the cores' peak.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long n)
    {
        var m = Vector512.Create(0.999f);
        var a = Vector512.Create(1e-3f);
        Vector512<float> c0 = Vector512.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
            c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < n; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long n)
    {
        var m = Vector256.Create(0.999f);
        var a = Vector256.Create(1e-3f);
        Vector256<float> c0 = Vector256.Create(1f), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
            c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < n; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, m, a); c1 = Vector256.FusedMultiplyAdd(c1, m, a);
            c2 = Vector256.FusedMultiplyAdd(c2, m, a); c3 = Vector256.FusedMultiplyAdd(c3, m, a);
            c4 = Vector256.FusedMultiplyAdd(c4, m, a); c5 = Vector256.FusedMultiplyAdd(c5, m, a);
            c6 = Vector256.FusedMultiplyAdd(c6, m, a); c7 = Vector256.FusedMultiplyAdd(c7, m, a);
            c8 = Vector256.FusedMultiplyAdd(c8, m, a); c9 = Vector256.FusedMultiplyAdd(c9, m, a);
            c10 = Vector256.FusedMultiplyAdd(c10, m, a); c11 = Vector256.FusedMultiplyAdd(c11, m, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
