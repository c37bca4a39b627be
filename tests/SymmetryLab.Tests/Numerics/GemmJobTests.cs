using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

/// <summary>
/// The two-thread product, whose threads claim chunks of C from a counter: however the chunks fall
/// to the threads, even when one thread is held back and takes few of them, every element has the
/// bits of the one-thread product.
/// </summary>
public class GemmJobTests
{
    private static T[] Random<T>(int length, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, length).Select(_ => T.CreateChecked(rng.NextNormal())).ToArray();
    }

    /// <summary>C = A B on one thread, then on two with <paramref name="slowPart"/> delayed at each chunk it claims.</summary>
    private static void SameBitsWithOneThreadHeldBack<T>(int m, int n, int k, bool bTransposed, int slowPart)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var a = MatrixRef<T>.RowMajor(Random<T>(m * k, 1), k);
        var bData = Random<T>(k * n, 2);
        var b = bTransposed ? MatrixRef<T>.TransposeOf(bData, k) : MatrixRef<T>.RowMajor(bData, n);
        var one = new T[m * n];
        new GemmJob<T>().Run(WorkerPool.ForThreads(1), a, b, one, m, n, k);

        var claims = new int[2];
        var job = new GemmJob<T>
        {
            ClaimHook = (part, _) =>
            {
                Interlocked.Increment(ref claims[part]);
                if (part == slowPart) Thread.Sleep(2);
            },
        };
        var two = new T[m * n];
        job.Run(WorkerPool.ForThreads(2), a, b, two, m, n, k);
        Assert.Equal(one, two);
        // The premise: the shares were uneven, the held-back thread took fewer chunks.
        Assert.True(claims[slowPart] < claims[1 - slowPart], $"claims {claims[0]} and {claims[1]}");
        // And the job is reusable: a second product with the same job gives the same bits.
        Array.Clear(two);
        job.ClaimHook = null;
        job.Run(WorkerPool.ForThreads(2), a, b, two, m, n, k);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(300, 700, 300, false, 1)] // chunks of columns, several blocks of rows, two slices of k
    [InlineData(256, 1024, 257, true, 0)] // W4's shape, B read through strides
    [InlineData(700, 40, 300, false, 1)] // tall and narrow: chunks of rows, edge tiles in every one
    [InlineData(37, 2100, 520, true, 0)] // a chunk across NBlock's edge, three slices of k
    public void FloatBitsDoNotDependOnWhichThreadTakesWhichBlock(int m, int n, int k, bool bTransposed, int slowPart) =>
        SameBitsWithOneThreadHeldBack<float>(m, n, k, bTransposed, slowPart);

    [Theory]
    [InlineData(300, 700, 300, true, 0)]
    [InlineData(129, 513, 600, false, 1)]
    public void DoubleBitsDoNotDependOnWhichThreadTakesWhichBlock(int m, int n, int k, bool bTransposed, int slowPart) =>
        SameBitsWithOneThreadHeldBack<double>(m, n, k, bTransposed, slowPart);

    [Fact]
    public void AFailingPartMakesRunThrowAndThePoolGoesOn()
    {
        int m = 200, n = 300, k = 300;
        var a = MatrixRef<float>.RowMajor(Random<float>(m * k, 3), k);
        var b = MatrixRef<float>.RowMajor(Random<float>(k * n, 4), n);
        var c = new float[m * n];
        var pool = WorkerPool.ForThreads(2);
        // Part 0 waits at its first chunk, so that part 1 surely claims one and throws.
        int waited = 0;
        var job = new GemmJob<float>
        {
            ClaimHook = (part, _) =>
            {
                if (part == 1) throw new InvalidOperationException("part 1");
                if (Interlocked.Exchange(ref waited, 1) == 0) Thread.Sleep(20);
            },
        };
        var e = Assert.Throws<AggregateException>(() => job.Run(pool, a, b, c, m, n, k));
        Assert.Contains("part 1", e.InnerException!.Message);
        // The same pool and job still compute the product.
        job.ClaimHook = null;
        var expected = new float[m * n];
        new GemmJob<float>().Run(WorkerPool.ForThreads(1), a, b, expected, m, n, k);
        job.Run(pool, a, b, c, m, n, k);
        Assert.Equal(expected, c);
    }
}
