using System.Diagnostics;
using SymmetryLab.Engine.Initializers;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// `normals`: how Box-Muller's correctly rounded ln and cos (CorrectlyRoundedLog, CorrectlyRoundedCos)
/// compare with this machine's C library (Math.Log, Math.Cos) on our generator's own draws, and what
/// they cost where it shows: a he-normal initialization of a 784-512-512-10 network.
/// </summary>
internal static class NormalDrawBench
{
    public static int Run(string[] args)
    {
        long draws = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000_000;
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 21;
        Count(draws);
        Time(repeats);
        return 0;
    }

    /// <summary>Draws (u1, u2) pairs from four seeds and lists every ln or cos that differs from the C library's.</summary>
    private static void Count(long draws)
    {
        ulong[] seeds = [1, 42, 20261206, 0xC0FFEE];
        long logDiffer = 0, cosDiffer = 0;
        var clock = Stopwatch.StartNew();
        foreach (ulong seed in seeds)
        {
            var rng = Rng.Stream(seed, RngStream.Initialization);
            for (long i = 0; i < draws / seeds.Length; i++)
            {
                double u1 = 1.0 - rng.NextDouble(), x = 2.0 * Math.PI * rng.NextDouble();
                if (CorrectlyRoundedLog.Log(u1) != Math.Log(u1) && logDiffer++ < 20)
                    Console.WriteLine($"ln differs: u1 = {u1:R}: ours {CorrectlyRoundedLog.Log(u1):R}, libm {Math.Log(u1):R}");
                if (CorrectlyRoundedCos.Cos(x) != Math.Cos(x) && cosDiffer++ < 20)
                    Console.WriteLine($"cos differs: x = {x:R}: ours {CorrectlyRoundedCos.Cos(x):R}, libm {Math.Cos(x):R}");
            }
        }
        Console.WriteLine($"{draws:N0} draws (seeds {string.Join(", ", seeds)}, stream Initialization, {draws / seeds.Length:N0} each): " +
            $"ln differs from Math.Log in {logDiffer}, cos from Math.Cos in {cosDiffer} ({clock.Elapsed.TotalSeconds:F1} s)");
    }

    /// <summary>
    /// he-normal for 784-512-512-10, interleaved with the same draws through Math.Log and Math.Cos; medians of
    /// the process's CPU time (one thread), which a busy machine disturbs less than the wall clock.
    /// </summary>
    private static void Time(int repeats)
    {
        (int In, int Out)[] layers = [(784, 512), (512, 512), (512, 10)];
        var weights = layers.Select(l => new double[l.In * l.Out]).ToArray();
        var ours = new List<double>();
        var libm = new List<double>();
        double checksum = 0;
        for (int r = 0; r < repeats; r++)
        {
            var start = CpuTime();
            var rng = Rng.Stream((ulong)r, RngStream.Initialization);
            for (int l = 0; l < layers.Length; l++) new HeNormal().Fill(weights[l], layers[l].Out, layers[l].In, layers[l].In, layers[l].Out, rng);
            ours.Add((CpuTime() - start).TotalMilliseconds);
            checksum += weights[0][0];

            start = CpuTime();
            rng = Rng.Stream((ulong)r, RngStream.Initialization);
            for (int l = 0; l < layers.Length; l++)
            {
                double std = Math.Sqrt(2.0 / layers[l].In);
                var w = weights[l];
                for (int i = 0; i < w.Length; i++)
                {
                    double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                    w[i] = std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                }
            }
            libm.Add((CpuTime() - start).TotalMilliseconds);
            checksum += weights[0][0];
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        int count = layers.Sum(l => l.In * l.Out);
        Console.WriteLine($"he-normal 784-512-512-10 ({count:N0} draws), median CPU time of {repeats}: ours {Median(ours):F1} ms, " +
            $"Math.Log/Math.Cos {Median(libm):F1} ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (checksum {checksum:F3})");
    }

    private static TimeSpan CpuTime() => Process.GetCurrentProcess().TotalProcessorTime;
}
