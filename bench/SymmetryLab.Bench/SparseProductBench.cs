using System.Diagnostics;
using System.Globalization;
using SymmetryLab.Numerics;

namespace SymmetryLab.Bench;

/// <summary>
/// <c>sparse-product [ROWS N K DENSITY] [ROUNDS]</c>: the sparse product (listing A's nonzeros, then
/// the product) against the dense one (<see cref="Gemm"/>, packing included) on one thread, for an A
/// with that fraction of nonzeros and an N x K W, alternating in one process so that the machine's
/// drift lands on both. Default: compare's layer 2 over one chunk (1000 x 512 by 512 x 512, 18% nonzero,
/// as the ReLU activations of its MNIST networks). Prints each round's best of 20 and the ratio.
/// </summary>
public static class SparseProductBench
{
    public static int Run(string[] args)
    {
        int[] shape = [1000, 512, 512];
        double density = 0.18;
        int rounds = 5;
        if (args.Length is 4 or 5)
        {
            if (!args[..3].All(a => int.TryParse(a, out int v) && v is >= 1 and <= 8192)
                || !double.TryParse(args[3], CultureInfo.InvariantCulture, out density) || density is < 0 or > 1
                || (args.Length == 5 && (!int.TryParse(args[4], out rounds) || rounds is < 1 or > 1000)))
                return Usage(args);
            shape = [.. args[..3].Select(int.Parse)];
        }
        else if (args.Length != 0) return Usage(args);
        int m = shape[0], n = shape[1], k = shape[2];
        if (!SparseLeftProduct<float>.IsSupported) { Console.Error.WriteLine("sparse-product: this machine has neither AVX-512 nor AVX2"); return 2; }
        var rng = new Rng(3);
        var a = new float[m * k];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() < density ? (float)Math.Abs(rng.NextNormal()) : 0f;
        var w = Enumerable.Range(0, n * k).Select(_ => (float)rng.NextNormal()).ToArray();
        var packed = SparseLeftProduct<float>.Allocate(n, k);
        SparseLeftProduct<float>.Pack(w, n, k, packed);
        var sparse = new SparseLeftProduct<float>();
        float[] cs = new float[m * n], cd = new float[m * n];
        double flops = 2.0 * m * n * k;
        Console.WriteLine($"{m} x {k} A ({density:P0} nonzero) times W^T ({k} x {n}), one thread; best of 20 per round, ms (dense-equivalent GFLOP/s)");
        for (int round = 0; round <= rounds; round++)
        {
            double dense = Best(() => Gemm.MultiplyTransposed(a, w, cd, n, k, 0, m));
            double listed = Best(() => sparse.Run(packed, a, m, k, cs, n));
            if (!cs.AsSpan().SequenceEqual(cd)) { Console.Error.WriteLine("sparse-product: the two products differ"); return 1; }
            if (round == 0) continue; // the JIT's round
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5}  dense {dense * 1e3,7:F2} ({flops / dense / 1e9,5:F1})  sparse {listed * 1e3,7:F2} ({flops / listed / 1e9,5:F1})  sparse/dense {listed / dense:F3}"));
        }
        return 0;
    }

    private static double Best(Action run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static int Usage(string[] args)
    {
        Console.Error.WriteLine($"sparse-product [ROWS N K DENSITY] [ROUNDS]: ROWS, N, K whole numbers from 1 to 8192, DENSITY from 0 to 1, ROUNDS from 1 to 1000 (default 5); got '{string.Join(" ", args)}'");
        return 2;
    }
}
