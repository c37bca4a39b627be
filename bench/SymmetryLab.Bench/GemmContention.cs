using System.Diagnostics;
using System.Globalization;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// Where the product loses at two threads (issue 17): the same n x n x n float32 product timed four
/// ways, interleaved, best of several each: the whole product on one thread; on the pool's two threads
/// (the split <c>GemmJob</c> makes, one join at the end); two threads each computing half of C's rows
/// as a product of its own on its own copies of the operands (no shared data, no join until both end);
/// and that half alone on one thread. If the independent halves at once run at twice the half alone,
/// the cores do not get in each other's way and what the pool loses is its split; if they run slower
/// together than apart, the loss is in what the two cores share (caches, memory, the host).
/// </summary>
/// <remarks><c>gemm-contention [N] [ROUNDS]</c>: an even n (default 1024) and rounds (default 5); prints a line per round,
/// GFLOP/s = 2 n^3 / time (one half alone: n^3 / time).</remarks>
internal static class GemmContention
{
    public static int Run(string[] args)
    {
        int n = 1024, rounds = 5;
        if (args.Length > 2
            || (args.Length > 0 && !(int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= 2 && n <= 8192 && n % 2 == 0))
            || (args.Length > 1 && !(int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out rounds) && rounds >= 1 && rounds <= 1000)))
        {
            Console.Error.WriteLine($"gemm-contention [N] [ROUNDS]: N an even whole number from 2 to 8192 (default 1024), ROUNDS from 1 to 1000 (default 5); got '{string.Join(" ", args)}'");
            return 2;
        }
        int half = n / 2;
        var rng = new Rng(1);
        float[] Random(int length) => RandomOperands.Normal(rng, length);
        float[] a = Random(n * n), b = Random(n * n), c = new float[n * n];
        // Each half thread's own operands: its rows of A, its own copy of B, its own C.
        var own = Enumerable.Range(0, 2).Select(_ => (A: Random(half * n), B: Random(n * n), C: new float[half * n], Job: new GemmJob<float>())).ToArray();
        var job = new GemmJob<float>();
        var one = WorkerPool.ForThreads(1);
        var two = WorkerPool.ForThreads(2);
        int reps = Math.Max(5, (int)(4e9 / (2.0 * n * n * n)));
        double flops = 2.0 * n * n * n;

        double Best(Action run)
        {
            double best = double.MaxValue;
            for (int r = 0; r < reps + 2; r++)
            {
                var clock = Stopwatch.StartNew();
                run();
                if (r >= 2) best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            return best;
        }

        void Half(int t) => own[t].Job.Run(one, MatrixRef<float>.RowMajor(own[t].A, n), MatrixRef<float>.RowMajor(own[t].B, n), own[t].C, half, n, n);

        // The two halves at once: a second thread started per product would add its start-up to the
        // time, so one thread waits on a barrier for each product and the caller does the other half.
        using var go = new Barrier(2);
        bool stop = false;
        var partner = new Thread(() =>
        {
            while (true)
            {
                go.SignalAndWait();
                if (Volatile.Read(ref stop)) return;
                Half(1);
                go.SignalAndWait();
            }
        })
        { IsBackground = true };
        partner.Start();
        void Both()
        {
            go.SignalAndWait();
            Half(0);
            go.SignalAndWait();
        }

        Console.WriteLine($"n = {n}: GFLOP/s, best of {reps} products each, rounds interleaved");
        Console.WriteLine("round  whole, 1 thread  whole, pool of 2  two halves at once  one half alone");
        for (int round = 1; round <= rounds; round++)
        {
            double whole1 = Best(() => job.Run(one, MatrixRef<float>.RowMajor(a, n), MatrixRef<float>.RowMajor(b, n), c, n, n, n));
            double whole2 = Best(() => job.Run(two, MatrixRef<float>.RowMajor(a, n), MatrixRef<float>.RowMajor(b, n), c, n, n, n));
            double both = Best(Both);
            double alone = Best(() => Half(0));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5}  {flops / whole1 / 1e9,15:F0}  {flops / whole2 / 1e9,16:F0}  {flops / both / 1e9,18:F0}  {flops / 2 / alone / 1e9,14:F0}"));
        }
        Volatile.Write(ref stop, true);
        go.SignalAndWait();
        partner.Join();
        return 0;
    }
}
