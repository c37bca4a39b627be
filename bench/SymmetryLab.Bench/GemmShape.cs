using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// How much of one core the product gets (issue 17), at one shape or in its register tile alone.
/// <c>gemm-shape M N K [wt] [ROUNDS]</c> times C (M x N) = A (M x K) B (K x N) on one thread as the
/// engine calls it, B row-major or, with <c>wt</c>, B = W^T read through strides from a row-major
/// N x K W (a layer's weights). <c>gemm-shape kernel</c> runs the register tile alone over a k-slice
/// of 256 with its panels and C in L1: the kernel's own ceiling, with no packing and no cache misses.
/// Each round prints the best of several runs beside the core's FMA rate measured right after it
/// (its best window), so the share of the core is read at once on a host whose speed drifts.
/// </summary>
internal static class GemmShape
{
    public static int Run(string[] args)
    {
        if (args is ["kernel"]) return Kernel();
        static bool Size(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v) && v >= 1 && v <= 8192;
        int m = 0, n = 0, k = 0, rounds = 5;
        bool wt = args.Length > 3 && args[3] == "wt";
        int next = wt ? 4 : 3;
        if (args.Length < 3 || args.Length > next + 1 || !Size(args[0], out m) || !Size(args[1], out n) || !Size(args[2], out k)
            || (args.Length > next && !(int.TryParse(args[next], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds >= 1 && rounds <= 1000)))
        {
            Console.Error.WriteLine($"gemm-shape M N K [wt] [ROUNDS] or gemm-shape kernel: M, N, K whole numbers from 1 to 8192, wt for B = W^T, ROUNDS from 1 to 1000 (default 5); got '{string.Join(" ", args)}'");
            return 2;
        }
        var rng = new Rng(1);
        float[] Random(int length) => RandomOperands.Normal(rng, length);
        float[] a = Random(m * k), b = Random(k * n), c = new float[m * n];
        var bRef = wt ? MatrixRef<float>.TransposeOf(b, k) : MatrixRef<float>.RowMajor(b, n);
        var job = new GemmJob<float>();
        var one = WorkerPool.ForThreads(1);
        double flops = 2.0 * m * n * k;
        int reps = Math.Max(10, (int)(4e9 / flops));
        Console.WriteLine($"{m} x {n} x {k}{(wt ? ", B = W^T" : "")}: GFLOP/s on one thread, best of {reps} products; the core's FMA rate right after");
        for (int round = 1; round <= rounds; round++)
        {
            double best = double.MaxValue;
            for (int r = 0; r < reps + 2; r++)
            {
                var clock = Stopwatch.StartNew();
                job.Run(one, MatrixRef<float>.RowMajor(a, k), bRef, c, m, n, k);
                if (r >= 2) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Report(round, flops / best / 1e9);
        }
        return 0;
    }

    /// <summary>The register tile over one k-slice, 50 calls per timing, best of 400 timings per round.</summary>
    private static int Kernel()
    {
        int kc = 256, nr = Gemm.ColumnTile<float>(), mr = Gemm.RowTile;
        var a = GC.AllocateArray<float>(kc * mr, pinned: true);
        var b = GC.AllocateArray<float>(kc * nr, pinned: true);
        var c = GC.AllocateArray<float>(mr * nr, pinned: true);
        for (int i = 0; i < a.Length; i++) a[i] = 1e-3f * (i % 7);
        for (int i = 0; i < b.Length; i++) b[i] = 1e-3f * (i % 5);
        Console.WriteLine($"the {mr} x {nr} register tile over k = {kc}, panels and C in L1: GFLOP/s, best of 400 timings of 50 calls; the core's FMA rate right after");
        for (int round = 1; round <= 5; round++)
        {
            double best = double.MaxValue;
            for (int j = 0; j < 400; j++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < 50; i++)
                {
                    if (Vector512.IsHardwareAccelerated) GemmMicroKernel.Run<float, Simd512<float>>(ref a[0], ref b[0], ref c[0], nr, kc, true);
                    else GemmMicroKernel.Run<float, Simd256<float>>(ref a[0], ref b[0], ref c[0], nr, kc, true);
                }
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            Report(round, 2.0 * mr * nr * kc * 50 / best / 1e9);
        }
        return 0;
    }

    private static void Report(int round, double gflops)
    {
        double core = FmaRate.Measure(1, 0.2).Best;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{round,5}  {gflops,6:F1} GFLOP/s  core {core,4:F0}  share {gflops / core,4:P0}"));
    }
}
