using SymmetryLab.Numerics;

namespace SymmetryLab.Tests.Numerics;

public class GemmTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 3, 15, 25, 33, 257];
        foreach (var m in sizes)
            foreach (var n in new[] { 1, 3, 25, 33 })
                foreach (var k in new[] { 1, 15, 257 })
                    data.Add(m, n, k);
        return data;
    }

    private static double[] Random(int length, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, length).Select(_ => rng.NextNormal()).ToArray();
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesATripleLoopInDouble(int m, int n, int k)
    {
        var a = Random(m * k, 1);
        var b = Random(n * k, 2);
        var c = new double[m * n];
        Gemm.MultiplyTransposed<double>(a, b, c, n, k, 0, m);
        for (int r = 0; r < m; r++)
            for (int col = 0; col < n; col++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++) expected += a[r * k + i] * b[col * k + i];
                Assert.Equal(expected, c[r * n + col], 1e-12 * Math.Max(1, Math.Abs(expected)) * k);
            }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatchesATripleLoopInFloat(int m, int n, int k)
    {
        var a = Random(m * k, 3).Select(v => (float)v).ToArray();
        var b = Random(n * k, 4).Select(v => (float)v).ToArray();
        var c = new float[m * n];
        Gemm.MultiplyTransposed<float>(a, b, c, n, k, 0, m);
        for (int r = 0; r < m; r++)
            for (int col = 0; col < n; col++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++) expected += (double)a[r * k + i] * b[col * k + i];
                Assert.True(Math.Abs(expected - c[r * n + col]) <= 1e-5 * Math.Sqrt(k) * 4, $"[{r},{col}] {expected} vs {c[r * n + col]}");
            }
    }

    [Theory]
    [InlineData(25, 15, 400)]
    [InlineData(7, 33, 3)]
    [InlineData(257, 25, 17)]
    public void EqualRowsGiveBitEqualColumnsWhereverTheySit(int m, int n, int k)
    {
        // Every row of B equal: every column of C must be bit-identical, tile or edge.
        var row = Random(k, 5).Select(v => (float)v).ToArray();
        var a = Random(m * k, 6).Select(v => (float)v).ToArray();
        var b = Enumerable.Range(0, n).SelectMany(_ => row).ToArray();
        var c = new float[m * n];
        Gemm.MultiplyTransposed<float>(a, b, c, n, k, 0, m);
        for (int r = 0; r < m; r++)
            for (int col = 1; col < n; col++)
                Assert.Equal(c[r * n], c[r * n + col]);
        // And the rows of A: equal rows give equal rows of C.
        var a2 = Enumerable.Range(0, m).SelectMany(_ => row).ToArray();
        Gemm.MultiplyTransposed<float>(a2, b, c, n, k, 0, m);
        for (int r = 1; r < m; r++)
            for (int col = 0; col < n; col++)
                Assert.Equal(c[col], c[r * n + col]);
    }

    [Fact]
    public void ThreadSplitDoesNotChangeBits()
    {
        int m = 131, n = 67, k = 95;
        var a = Random(m * k, 7).Select(v => (float)v).ToArray();
        var b = Random(n * k, 8).Select(v => (float)v).ToArray();
        var one = new float[m * n];
        var two = new float[m * n];
        new GemmJob<float>().Run(WorkerPool.ForThreads(1), a, m, b, n, k, one);
        new GemmJob<float>().Run(WorkerPool.ForThreads(2), a, m, b, n, k, two);
        Assert.Equal(one, two);
    }
}
